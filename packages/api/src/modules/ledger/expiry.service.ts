/**
 * Points expiry (F3): the job that writes down lots whose `expires_at` has passed. Points lapse at `expires_at`
 * whether or not this has run (ledger.service.ts, `spendableSql`); the job only records the lapse: one EXPIRE debit
 * entry per lot, keyed (expiry, lot id), the lot's remaining set to 0, the balance cache decreased first.
 */
import { clock } from '../../clock';
import { toDate, toInt, type Db, type Q } from '../../db/sql';
import { insertEntry } from './ledger.service';

export interface ExpiryRun { members: number; lots: number; points: number }

const ORIGIN_ZH: Record<string, string> = {
  purchase: '消费获得', wechatpay: '消费获得', event_attend: '活动奖励', event_refund: '活动退还', reward_refund: '兑换退还', wechatpay_refund: '退款退还',
  referral_bonus: '邀请好友奖励', referral_share: '好友消费分成', referral_welcome: '受邀注册奖励',
  birthday_bonus: '生日月奖励', profile_bonus: '完善资料奖励',
};

/**
 * The EXPIRE entry's reason names the earning that lapsed: 积分过期（2025-11-20 消费获得）, the date in Asia/Shanghai
 * (UTC+8, no daylight saving) — the date the member saw on that earning's ledger line.
 */
export function expiryReason(earnedAt: Date, sourceType: string, kind: string): string {
  const day = new Date(earnedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const origin = ORIGIN_ZH[sourceType] ?? (kind === 'EARN' ? '获得' : kind === 'REVERSAL' ? '退还' : '入账');
  return `积分过期（${day} ${origin}）`;
}

/** Expires the given (locked) lots: one EXPIRE entry per lot, remaining → 0, balance decreased first. */
async function expireLots(q: Q, memberId: number, lots: { id: number; remaining: number }[], now: Date): Promise<number> {
  const total = lots.reduce((s, l) => s + l.remaining, 0);
  if (total === 0) return 0;
  await q.run('UPDATE member_account SET balance = balance - ?, updated_at = ? WHERE id = ?', [total, q.ts(now), memberId]);
  const origins = await q.all<Record<string, unknown>>(
    `SELECT l.id, e.created_at, e.source_type, e.kind FROM points_lot l JOIN points_entry e ON e.id = l.entry_id WHERE l.id IN (${lots.map(() => '?').join(', ')})`,
    lots.map((l) => l.id),
  );
  const reasonOf = new Map(origins.map((o) => [toInt(o.id), expiryReason(toDate(o.created_at), String(o.source_type), String(o.kind))]));
  for (const l of lots) {
    const entryId = await insertEntry(
      q,
      { memberId, kind: 'EXPIRE', reason: reasonOf.get(l.id) ?? '积分过期', actorId: null, storeId: null, sourceType: 'expiry', sourceRef: String(l.id), requestHash: null, now },
      -l.remaining,
    );
    await q.run('UPDATE points_lot SET remaining = 0 WHERE id = ?', [l.id]);
    await q.run('INSERT INTO lot_allocation (entry_id, lot_id, points) VALUES (?, ?, ?)', [entryId, l.id, l.remaining]);
  }
  return total;
}

/**
 * Expires every lot due at `now`. Per member: lock the account row, re-read its due lots under lock, expire them.
 * Safe to run twice or concurrently: a lot already expired has remaining 0 and is skipped; (expiry, lot id) is unique.
 */
export async function expireDue(db: Db, now = clock.now(), batch = 500): Promise<ExpiryRun> {
  let members = 0;
  let lots = 0;
  let points = 0;
  for (;;) {
    const ids = await db.q.all<{ member_id: unknown }>(
      'SELECT DISTINCT member_id FROM points_lot WHERE remaining > 0 AND expires_at <= ? ORDER BY member_id LIMIT ?',
      [db.q.ts(now), batch],
    );
    if (ids.length === 0) break;
    for (const r of ids) {
      const memberId = toInt(r.member_id);
      const done = await db.tx(async (q) => {
        await q.get(`SELECT id FROM member_account WHERE id = ?${q.forUpdate}`, [memberId]);
        const due = await q.all<Record<string, unknown>>(
          `SELECT id, remaining FROM points_lot WHERE member_id = ? AND remaining > 0 AND expires_at <= ? ORDER BY id${q.forUpdate}`,
          [memberId, q.ts(now)],
        );
        const list = due.map((d) => ({ id: toInt(d.id), remaining: toInt(d.remaining) }));
        return { lots: list.length, points: await expireLots(q, memberId, list, now) };
      });
      if (done.lots > 0) members++;
      lots += done.lots;
      points += done.points;
    }
    if (ids.length < batch) break;
  }
  return { members, lots, points };
}
