/**
 * Notices to members: every notice lands in the member's in-app inbox; a notice that names a subscribe template
 * also goes out as a WeChat subscribe message when the member has a consent left for that template (each
 * wx.requestSubscribeMessage "allow" is worth exactly one message). Delivery runs from the outbox, after the
 * business transaction committed; WeChat's 43101 ("no consent") downgrades the notice to in-app only.
 */
import { clock } from '../../clock';
import { ErrorCode } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import type { SubscribeTemplateKind } from '../../config';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import { WechatApiError, type WechatClient } from '../../integrations/wechat/wechat-client';
import type { Logger } from '../../logger';
import { enqueue, type OutboxService } from '../outbox/outbox.service';

export const SUBSCRIBE_TOPIC = 'subscribe.send';

export interface Notice {
  kind: string;
  /** With kind and member, the notice's idempotency key. */
  ref: string;
  title: string;
  body: string;
  page: string | null;
  /** Also as a subscribe message of this template, with these keyword values. */
  subscribe?: { template: SubscribeTemplateKind; data: Record<string, { value: string }> };
}

export interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string;
  page: string | null;
  delivery: 'PENDING' | 'WECHAT' | 'IN_APP';
  createdAt: Date;
  readAt: Date | null;
}

/** WeChat answers that mean "this message will never go through as it is": no retry, in-app only. */
const PERMANENT = new Set([40003, 40037, 43101, 47003]);
const CHUNK = 500;

export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly wechat: WechatClient,
    outbox: OutboxService,
    private readonly log: Logger,
    private readonly templates: Record<SubscribeTemplateKind, string>,
    private readonly miniprogramState: 'developer' | 'trial' | 'formal',
  ) {
    outbox.register(SUBSCRIBE_TOPIC, { run: (ref) => this.deliver(Number(ref)), dead: (ref) => this.markInApp(Number(ref)) });
  }

  /** The template id of each kind of notice (the mini-program asks members to subscribe to these). */
  templateIds(): { kind: SubscribeTemplateKind; templateId: string }[] {
    return (Object.keys(this.templates) as SubscribeTemplateKind[]).map((kind) => ({ kind, templateId: this.templates[kind] }));
  }

  /**
   * Inside the caller's transaction: one notice per member (unique per member, kind and ref), queued for WeChat
   * delivery for those holding a consent for its template, in-app only for the rest. Returns how many were queued.
   */
  async notify(q: Q, memberIds: readonly number[], n: Notice, now: Date): Promise<{ notices: number; queued: number }> {
    const ids = [...new Set(memberIds)];
    if (ids.length === 0) return { notices: 0, queued: 0 };
    const templateId = n.subscribe ? this.templates[n.subscribe.template] : null;
    let queued = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const consenting = new Set<number>();
      if (templateId) {
        const rows = await q.all<{ member_id: unknown }>(
          `SELECT member_id FROM subscribe_consent WHERE template_id = ? AND remaining > 0 AND member_id IN (${chunk.map(() => '?').join(', ')})`,
          [templateId, ...chunk],
        );
        for (const r of rows) consenting.add(toInt(r.member_id));
      }
      const data = n.subscribe ? JSON.stringify(n.subscribe.data) : null;
      await q.run(
        `INSERT INTO notification (member_id, kind, ref, title, body, page, template_id, template_data, delivery, created_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((m) => [m, n.kind, n.ref, n.title.slice(0, 64), n.body.slice(0, 512), n.page, templateId, data, consenting.has(m) ? 'PENDING' : 'IN_APP', q.ts(now)]),
      );
      if (consenting.size > 0) {
        const pending = await q.all<{ id: unknown }>(
          `SELECT id FROM notification WHERE kind = ? AND ref = ? AND delivery = 'PENDING' AND member_id IN (${[...consenting].map(() => '?').join(', ')})`,
          [n.kind, n.ref, ...consenting],
        );
        for (const p of pending) await enqueue(q, SUBSCRIBE_TOPIC, String(toInt(p.id)), now);
        queued += pending.length;
      }
    }
    return { notices: ids.length, queued };
  }

  /** The member's inbox, newest first. */
  async list(memberId: number, first: number): Promise<NotificationRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    const rows = await this.db.q.all<Record<string, unknown>>(
      'SELECT id, kind, title, body, page, delivery, created_at, read_at FROM notification WHERE member_id = ? ORDER BY id DESC LIMIT ?',
      [memberId, first],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      kind: String(r.kind),
      title: String(r.title),
      body: String(r.body),
      page: r.page == null ? null : String(r.page),
      delivery: r.delivery as NotificationRow['delivery'],
      createdAt: toDate(r.created_at),
      readAt: r.read_at == null ? null : toDate(r.read_at),
    }));
  }

  /** How many of the member's notices are unread (the badge on 我的). */
  async unreadCount(memberId: number): Promise<number> {
    const r = await this.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM notification WHERE member_id = ? AND read_at IS NULL', [memberId]);
    return toInt(r?.n ?? 0);
  }

  /**
   * Marks one of the member's own notices read (idempotent: the first read time stays). Another member's or an
   * unknown id is NOT_FOUND and changes nothing.
   */
  async markRead(memberId: number, id: string, now = clock.now()): Promise<NotificationRow> {
    if (typeof id !== 'string' || !/^[1-9][0-9]{0,17}$/.test(id)) throw badInput('id: a notification id', 'id');
    await this.db.q.run('UPDATE notification SET read_at = ? WHERE id = ? AND member_id = ? AND read_at IS NULL', [this.db.q.ts(now), id, memberId]);
    const r = await this.db.q.get<Record<string, unknown>>('SELECT id, kind, title, body, page, delivery, created_at, read_at FROM notification WHERE id = ? AND member_id = ?', [id, memberId]);
    if (!r) throw new AppError(ErrorCode.NOT_FOUND, 'Notification not found');
    return {
      id: toInt(r.id),
      kind: String(r.kind),
      title: String(r.title),
      body: String(r.body),
      page: r.page == null ? null : String(r.page),
      delivery: r.delivery as NotificationRow['delivery'],
      createdAt: toDate(r.created_at),
      readAt: r.read_at == null ? null : toDate(r.read_at),
    };
  }

  /**
   * The member accepted these templates in wx.requestSubscribeMessage: one more message each. Unknown template ids
   * are BAD_USER_INPUT and change nothing.
   */
  async recordConsent(ctx: RequestContext, templateIds: string[], now = clock.now()): Promise<{ templateId: string; remaining: number }[]> {
    const userId = ctx.requireUser();
    const known = new Set(Object.values(this.templates));
    if (!Array.isArray(templateIds) || templateIds.length === 0 || templateIds.length > 10) throw badInput('templateIds: 1–10 template ids', 'templateIds');
    for (const t of templateIds) if (!known.has(t)) throw badInput(`Unknown subscribe template ${String(t).slice(0, 64)}`, 'templateIds');
    const m = await this.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE user_id = ?', [userId]);
    if (!m) throw new AppError(ErrorCode.NOT_FOUND, 'Member not found');
    const memberId = toInt(m.id);
    const counts = new Map<string, number>();
    for (const t of templateIds) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [templateId, n] of counts) await this.addConsent(memberId, templateId, n, now);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT template_id, remaining FROM subscribe_consent WHERE member_id = ? AND template_id IN (${[...counts.keys()].map(() => '?').join(', ')}) ORDER BY template_id`,
      [memberId, ...counts.keys()],
    );
    return rows.map((r) => ({ templateId: String(r.template_id), remaining: toInt(r.remaining) }));
  }

  private async addConsent(memberId: number, templateId: string, n: number, now: Date): Promise<void> {
    const q = this.db.q;
    for (let attempt = 0; attempt < 3; attempt++) {
      const u = await q.run('UPDATE subscribe_consent SET remaining = remaining + ?, updated_at = ? WHERE member_id = ? AND template_id = ?', [n, q.ts(now), memberId, templateId]);
      if (u.affectedRows === 1) return;
      try {
        await q.run('INSERT INTO subscribe_consent (member_id, template_id, remaining, updated_at) VALUES (?, ?, ?, ?)', [memberId, templateId, n, q.ts(now)]);
        return;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e; // a concurrent first consent: add to it instead
      }
    }
  }

  /**
   * Outbox handler: uses one consent and sends the notice. No consent left (or 43101, or a message WeChat will
   * never accept) → in-app only. A transient failure gives the consent back and throws, so the outbox retries.
   */
  async deliver(notificationId: number): Promise<void> {
    const q = this.db.q;
    const n = await q.get<Record<string, unknown>>(
      `SELECT n.id, n.member_id, n.page, n.template_id, n.template_data, n.delivery, u.openid
       FROM notification n JOIN member m ON m.id = n.member_id JOIN app_user u ON u.id = m.user_id WHERE n.id = ?`,
      [notificationId],
    );
    if (!n || n.delivery !== 'PENDING' || n.template_id == null) return;
    const memberId = toInt(n.member_id);
    const templateId = String(n.template_id);
    const used = await q.run('UPDATE subscribe_consent SET remaining = remaining - 1, updated_at = ? WHERE member_id = ? AND template_id = ? AND remaining > 0', [
      q.ts(clock.now()), memberId, templateId,
    ]);
    if (used.affectedRows !== 1) return this.markInApp(notificationId);
    const data = (typeof n.template_data === 'string' ? JSON.parse(n.template_data) : n.template_data) as Record<string, { value: string }>;
    try {
      const { msgid } = await this.wechat.sendSubscribeMessage({
        touser: String(n.openid),
        template_id: templateId,
        ...(n.page == null ? {} : { page: String(n.page) }),
        data,
        miniprogram_state: this.miniprogramState,
      });
      await q.run("UPDATE notification SET delivery = 'WECHAT', msgid = ? WHERE id = ? AND delivery = 'PENDING'", [msgid, notificationId]);
    } catch (e) {
      if (e instanceof WechatApiError && e.errcode === 43101) {
        // WeChat knows better than our count: the member has no consent left for this template.
        await q.run('UPDATE subscribe_consent SET remaining = 0, updated_at = ? WHERE member_id = ? AND template_id = ?', [q.ts(clock.now()), memberId, templateId]);
        return this.markInApp(notificationId);
      }
      await q.run('UPDATE subscribe_consent SET remaining = remaining + 1, updated_at = ? WHERE member_id = ? AND template_id = ?', [q.ts(clock.now()), memberId, templateId]);
      if (e instanceof WechatApiError && PERMANENT.has(e.errcode)) {
        this.log.error({ notificationId, templateId, errcode: e.errcode, err: e.errmsg }, 'subscribe message refused; in-app only');
        return this.markInApp(notificationId);
      }
      throw e;
    }
  }

  private async markInApp(notificationId: number): Promise<void> {
    await this.db.q.run("UPDATE notification SET delivery = 'IN_APP' WHERE id = ? AND delivery = 'PENDING'", [notificationId]);
  }
}

/** A `thing` keyword value: at most 20 characters (WeChat refuses longer ones), never empty. */
export function thingValue(s: string): { value: string } {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return { value: chars.length === 0 ? '-' : chars.length <= 20 ? chars.join('') : `${chars.slice(0, 19).join('')}…` };
}

/** A `time` keyword value in Beijing time (UTC+8, no daylight saving): `2026-06-10 19:30`. */
export function timeValue(d: Date): { value: string } {
  return { value: shanghaiMinute(d) };
}

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai. */
export function shanghaiMinute(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
