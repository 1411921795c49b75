/**
 * The four kinds of service interaction a member may rate (F11), read from the tables that record them: one place
 * that knows where each operation's member, store, staff member and time live.
 * - PURCHASE: a purchase recorded at a till (`purchase`; not the rows WeChat Pay payments and refunds write there);
 * - PAYMENT: a paid WeChat Pay order (`pay_order`; the staff member is whoever created a till order);
 * - REDEMPTION: a reward redemption (`reward_redemption`; store and staff when redeemed at a till);
 * - CHECKIN: an event check-in (`event_attendance`; the event's store, else its club's home store).
 */
import { fenToYuan, ratedOperationLabel, RATING_CLOCK_SKEW_MS, RATING_WINDOW_MS, type RatedOperationKind } from '@quanzi/shared';
import { toDate, toInt, type Q } from '../../db/sql';

export interface RatedOperation {
  kind: RatedOperationKind;
  id: number;
  memberId: number;
  storeId: number | null;
  storeName: string | null;
  regionId: number | null;
  staffUserId: number | null;
  /** When it happened: the 24-hour window runs from here. */
  at: Date;
  /** In plain Chinese, e.g. 门店消费 ¥123.45. */
  summary: string;
}

interface KindSql {
  /** Selects member_id, store_id, store_name, region_id, staff_id, at, detail for rows aliased `o`; ends before WHERE. */
  select: string;
  /** The operation's id column, its member column and its time column, for the lookups below. */
  id: string;
  member: string;
  at: string;
  /** Only rows that count as this operation. */
  where: string;
  detail: (d: unknown) => string;
}

const yuan = (d: unknown) => `¥${fenToYuan(toInt(d))}`;

const KINDS: Record<RatedOperationKind, KindSql> = {
  PURCHASE: {
    select: 'SELECT o.id, o.member_id, o.store_id, s.name AS store_name, s.region_id, o.staff_id, o.created_at AS at, o.amount_fen AS detail FROM purchase o JOIN store s ON s.id = o.store_id',
    id: 'o.id',
    member: 'o.member_id',
    at: 'o.created_at',
    // WeChat Pay payments and refunds also write purchase rows (request_hash 'wechatpay'): those are PAYMENTs or no service.
    where: "o.amount_fen > 0 AND o.request_hash <> 'wechatpay'",
    detail: yuan,
  },
  PAYMENT: {
    select: 'SELECT o.id, o.member_id, o.store_id, s.name AS store_name, s.region_id, o.created_by_id AS staff_id, o.paid_at AS at, o.amount_fen AS detail FROM pay_order o JOIN store s ON s.id = o.store_id',
    id: 'o.id',
    member: 'o.member_id',
    at: 'o.paid_at',
    where: "o.state = 'PAID' AND o.paid_at IS NOT NULL",
    detail: yuan,
  },
  REDEMPTION: {
    select:
      'SELECT o.id, o.member_id, o.store_id, s.name AS store_name, s.region_id, o.staff_id, o.created_at AS at, w.name AS detail FROM reward_redemption o JOIN reward w ON w.id = o.reward_id LEFT JOIN store s ON s.id = o.store_id',
    id: 'o.id',
    member: 'o.member_id',
    at: 'o.created_at',
    where: '1 = 1',
    detail: (d) => String(d),
  },
  CHECKIN: {
    select:
      'SELECT o.id, o.member_id, s.id AS store_id, s.name AS store_name, s.region_id, o.checked_in_by_id AS staff_id, o.created_at AS at, e.title AS detail FROM event_attendance o JOIN club_event e ON e.id = o.event_id JOIN club c ON c.id = e.club_id LEFT JOIN store s ON s.id = COALESCE(e.store_id, c.store_id)',
    id: 'o.id',
    member: 'o.member_id',
    at: 'o.created_at',
    where: '1 = 1',
    detail: (d) => String(d),
  },
};

function toOperation(kind: RatedOperationKind, r: Record<string, unknown>): RatedOperation {
  const label = ratedOperationLabel(kind);
  const detail = KINDS[kind].detail(r.detail);
  return {
    kind,
    id: toInt(r.id),
    memberId: toInt(r.member_id),
    storeId: r.store_id == null ? null : toInt(r.store_id),
    storeName: r.store_name == null ? null : String(r.store_name),
    regionId: r.region_id == null ? null : toInt(r.region_id),
    staffUserId: r.staff_id == null ? null : toInt(r.staff_id),
    at: toDate(r.at),
    summary: `${label} ${kind === 'PURCHASE' || kind === 'PAYMENT' ? '' : '· '}${detail}`.slice(0, 96),
  };
}

/** The operation, or null when there is no such operation of that kind (or it is not one that can be rated). */
export async function findOperation(q: Q, kind: RatedOperationKind, id: number): Promise<RatedOperation | null> {
  const k = KINDS[kind];
  const r = await q.get<Record<string, unknown>>(`${k.select} WHERE ${k.id} = ? AND ${k.where}`, [id]);
  return r && r.member_id != null ? toOperation(kind, r) : null;
}

/**
 * The member's operations still open for rating at `now` and not rated yet, newest first, at most `limit`.
 * Each kind reads its member index, bounded by time and by the limit.
 */
export async function pendingOperations(q: Q, memberId: number, now: Date, limit: number): Promise<RatedOperation[]> {
  const since = new Date(now.getTime() - RATING_WINDOW_MS);
  const out: RatedOperation[] = [];
  for (const kind of Object.keys(KINDS) as RatedOperationKind[]) {
    const k = KINDS[kind];
    const rows = await q.all<Record<string, unknown>>(
      `${k.select} WHERE ${k.member} = ? AND ${k.at} >= ? AND ${k.at} <= ? AND ${k.where}
         AND NOT EXISTS (SELECT 1 FROM service_rating r WHERE r.kind = ? AND r.operation_id = ${k.id})
       ORDER BY ${k.at} DESC LIMIT ?`,
      [memberId, q.ts(since), q.ts(new Date(now.getTime() + RATING_CLOCK_SKEW_MS)), kind, limit],
    );
    out.push(...rows.map((r) => toOperation(kind, r)));
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id).slice(0, limit);
}
