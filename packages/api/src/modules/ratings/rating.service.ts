/**
 * Instant service ratings, the member's side (F11, seed 003): the operations still open for rating, rating one
 * (1–5 stars, an optional comment; once per operation, within 24 hours), the member's own history and average.
 *
 * A rating of 1–2 alerts the store's managers (every manager whose scope covers the store; HQ's for an operation
 * without a store) in the SAME transaction as the rating: an inbox notice each, queued as a RATING_ALERT subscribe
 * message for those who consented (delivered from the outbox after commit). The rating, the notices and the bonus
 * points (when the programme gives any, through the ledger keyed (rating_bonus, rating id)) commit together or not
 * at all. Refusals change nothing.
 */
import { clock } from '../../clock';
import {
  ErrorCode,
  isLowRating,
  normalizeRatingComment,
  RATING_COMMENT_MAX,
  ratingBonusReason,
  ratingClosesAt,
  ratingInputProblem,
  ratingOpen,
  starsText,
  summarizeStars,
  type RatedOperationKind,
} from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { writeAudit } from '../audit/audit';
import type { EarningService } from '../earning/earning.service';
import { credit } from '../ledger/ledger.service';
import { shanghaiMinute, thingValue, timeValue, type NotificationService } from '../notifications/notification.service';
import { findOperation, pendingOperations, type RatedOperation } from './rated-operations';

export interface PendingRating extends RatedOperation { closesAt: Date; bonusPoints: number }

export interface MyRatingRow {
  id: number;
  kind: RatedOperationKind;
  operationId: number;
  summary: string;
  storeName: string | null;
  stars: number;
  comment: string | null;
  pointsAwarded: number;
  operationAt: Date;
  createdAt: Date;
}

export interface RatingStats { count: number; average: number | null; distribution: number[]; lastRatedAt: Date | null }

export const MAX_PENDING = 20;
const MAX_BONUS = 1000;
export const LOW_RATING_NOTICE = 'RATING_LOW';

export class RatingService {
  constructor(
    private readonly db: Db,
    private readonly earning: EarningService,
    private readonly notifications: NotificationService,
    private readonly log: Logger,
  ) {}

  /** The points a rating earns (0 = none). */
  async bonusPoints(q: Q = this.db.q): Promise<number> {
    const r = await q.get<{ bonus_points: unknown }>('SELECT bonus_points FROM rating_program WHERE id = 1');
    return toInt(r?.bonus_points);
  }

  /** HQ managers: the points a rating earns, 0–1000 (0 turns the bonus off). Audited. */
  async updateBonusPoints(ctx: RequestContext, bonusPoints: number, now = clock.now()): Promise<number> {
    const actor = await authorize(ctx, 'program.manage');
    if (!Number.isSafeInteger(bonusPoints) || bonusPoints < 0 || bonusPoints > MAX_BONUS) throw badInput(`bonusPoints must be 0–${MAX_BONUS}`, 'bonusPoints');
    await this.db.tx(async (q) => {
      const before = await this.bonusPoints(q);
      const u = await q.run('UPDATE rating_program SET bonus_points = ? WHERE id = 1', [bonusPoints]);
      if (u.affectedRows === 0 && before !== bonusPoints) {
        try {
          await q.run('INSERT INTO rating_program (id, bonus_points) VALUES (1, ?)', [bonusPoints]);
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          await q.run('UPDATE rating_program SET bonus_points = ? WHERE id = 1', [bonusPoints]);
        }
      }
      await writeAudit(q, actor, { action: 'updateRatingSettings', targetType: 'program', targetId: 'rating', before: { bonusPoints: before }, after: { bonusPoints } }, now);
    });
    return bonusPoints;
  }

  /** The signed-in member's operations still open for rating (newest first, at most 20). */
  async pending(ctx: RequestContext, now = clock.now()): Promise<PendingRating[]> {
    const memberId = await this.memberOf(ctx);
    const bonus = await this.bonusPoints();
    return (await pendingOperations(this.db.q, memberId, now, MAX_PENDING)).map((o) => ({ ...o, closesAt: ratingClosesAt(o.at), bonusPoints: bonus }));
  }

  /**
   * Rates one of the signed-in member's operations. NOT_FOUND for an operation that does not exist or is not the
   * member's (the same answer: no one learns what others did); ALREADY_RATED for a second rating (also when two
   * submits race: the unique key keeps one); RATING_CLOSED after 24 hours; BAD_USER_INPUT for stars outside 1–5 or a
   * comment over 200 characters.
   */
  async rate(ctx: RequestContext, kind: RatedOperationKind, operationId: number, stars: number, comment: string | null, now = clock.now()): Promise<MyRatingRow> {
    const memberId = await this.memberOf(ctx);
    const problem = ratingInputProblem(stars, comment);
    if (problem === 'STARS') throw badInput('stars must be a whole number 1–5', 'stars');
    if (problem === 'COMMENT_TOO_LONG') throw badInput(`comment: at most ${RATING_COMMENT_MAX} characters`, 'comment');
    const text = normalizeRatingComment(comment);
    const op = await findOperation(this.db.q, kind, operationId);
    if (!op || op.memberId !== memberId) throw notFound('Operation');
    if (await this.db.q.get('SELECT id FROM service_rating WHERE kind = ? AND operation_id = ?', [kind, operationId])) throw alreadyRated();
    if (!ratingOpen(op.at, now)) throw new AppError(ErrorCode.RATING_CLOSED, 'Ratings close 24 hours after the service', { closedAt: ratingClosesAt(op.at).toISOString() });
    const low = isLowRating(stars);
    const bonus = await this.bonusPoints();
    const validity = bonus > 0 ? (await this.earning.settings()).pointsValidityMonths : 0;
    let alerted = 0;
    let id: number;
    try {
      id = await this.db.tx(async (q) => {
        await q.get(`SELECT id FROM member WHERE id = ?${q.forUpdate}`, [memberId]); // member before account, as at the till
        const ins = await q.run(
          `INSERT INTO service_rating (member_id, kind, operation_id, summary, store_id, region_id, staff_id, stars, comment, operation_at, points_awarded, follow_up, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [memberId, kind, operationId, op.summary, op.storeId, op.regionId, op.staffUserId, stars, text, q.ts(op.at), bonus, low ? 'OPEN' : 'NONE', q.ts(now)],
        );
        if (bonus > 0) {
          await credit(
            q,
            { memberId, kind: 'EARN', reason: ratingBonusReason(kind), actorId: null, storeId: op.storeId, sourceType: 'rating_bonus', sourceRef: String(ins.insertId), requestHash: null, now },
            bonus,
            validity,
          );
        }
        if (low) alerted = await this.alertManagers(q, ins.insertId, op, memberId, stars, text, now);
        return ins.insertId;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyRated(); // a concurrent submit of the same operation won
      throw e;
    }
    this.log.info({ ratingId: id, memberId, kind, operationId, storeId: op.storeId, stars, alerted, bonus }, low ? 'low service rating: managers alerted' : 'service rated');
    const row = (await this.history(memberId, 1, 0, id))[0];
    if (!row) throw notFound('Rating');
    return row;
  }

  /**
   * Inside the rating's transaction: one inbox notice (kind RATING_LOW, ref = rating id) to every manager whose scope
   * covers the store (HQ managers for an operation without a store), with the operation, the staff member who served
   * and the comment; a RATING_ALERT subscribe message is queued for those who consented. Returns how many were told.
   */
  private async alertManagers(q: Q, ratingId: number, op: RatedOperation, memberId: number, stars: number, comment: string | null, now: Date): Promise<number> {
    const rows = await q.all<{ member_id: unknown }>(
      `SELECT DISTINCT m.id AS member_id FROM role_assignment r JOIN member m ON m.user_id = r.user_id
       WHERE r.role = 'MANAGER' AND (r.scope = 'HQ' OR (r.scope = 'REGION' AND r.region_id = ?) OR (r.scope = 'STORE' AND r.store_id = ?))`,
      [op.regionId ?? -1, op.storeId ?? -1],
    );
    const managers = rows.map((r) => toInt(r.member_id)).filter((m) => m !== memberId);
    if (managers.length === 0) return 0;
    const who = await q.get<{ member_no: unknown }>('SELECT member_no FROM member WHERE id = ?', [memberId]);
    const staff = op.staffUserId === null ? null : await q.get<{ nickname: unknown }>('SELECT nickname FROM app_user WHERE id = ?', [op.staffUserId]);
    const staffName = op.staffUserId === null ? '未记录' : staff?.nickname ? `${String(staff.nickname)}（用户 ${op.staffUserId}）` : `用户 ${op.staffUserId}`;
    const where = op.storeName ?? '总部（线上）';
    await this.notifications.notify(
      q,
      managers,
      {
        kind: LOW_RATING_NOTICE,
        ref: String(ratingId),
        title: `${where}：${stars} 星差评`,
        body: `${starsText(stars)} ${op.summary}（${shanghaiMinute(op.at)}）。服务人员：${staffName}。会员 ${String(who?.member_no ?? '')}。评语：${comment ?? '（无）'}`,
        page: `manager/ratings/index?id=${ratingId}`,
        subscribe: { template: 'RATING_ALERT', data: { thing1: thingValue(where), phrase2: { value: stars === 1 ? '一星差评' : '两星差评' } /* a phrase: at most 5 Chinese characters, no digits */, thing3: thingValue(comment ?? op.summary), time4: timeValue(now) } },
      },
      now,
    );
    return managers.length;
  }

  /** The member's own ratings, newest first (`only`: just that rating). */
  async history(memberId: number, first: number, offset: number, only?: number): Promise<MyRatingRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) throw badInput('offset must be 0–100000', 'offset');
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT r.id, r.kind, r.operation_id, r.summary, s.name AS store_name, r.stars, r.comment, r.points_awarded, r.operation_at, r.created_at
         FROM service_rating r LEFT JOIN store s ON s.id = r.store_id WHERE r.member_id = ?${only === undefined ? '' : ' AND r.id = ?'} ORDER BY r.id DESC LIMIT ? OFFSET ?`,
      only === undefined ? [memberId, first, offset] : [memberId, only, first, offset],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      kind: r.kind as RatedOperationKind,
      operationId: toInt(r.operation_id),
      summary: String(r.summary),
      storeName: r.store_name == null ? null : String(r.store_name),
      stars: toInt(r.stars),
      comment: r.comment == null ? null : String(r.comment),
      pointsAwarded: toInt(r.points_awarded),
      operationAt: toDate(r.operation_at),
      createdAt: toDate(r.created_at),
    }));
  }

  /** What a member's ratings add up to (their profile): how many, the average given, the distribution, the last. */
  async stats(memberId: number): Promise<RatingStats> {
    const rows = await this.db.q.all<{ stars: unknown; n: unknown; last: unknown }>(
      'SELECT stars, COUNT(*) AS n, MAX(created_at) AS last FROM service_rating WHERE member_id = ? GROUP BY stars',
      [memberId],
    );
    const distribution = [0, 0, 0, 0, 0];
    let last: Date | null = null;
    for (const r of rows) {
      distribution[toInt(r.stars) - 1] = toInt(r.n);
      const d = toDate(r.last);
      if (!last || d > last) last = d;
    }
    const s = summarizeStars(distribution);
    return { count: s.count, average: s.average, distribution, lastRatedAt: last };
  }

  /** The signed-in user's member id (UNAUTHENTICATED signed out). */
  async memberOf(ctx: RequestContext): Promise<number> {
    const userId = ctx.requireUser();
    const m = await this.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE user_id = ?', [userId]);
    if (!m) throw notFound('Member');
    return toInt(m.id);
  }
}

const alreadyRated = (): AppError => new AppError(ErrorCode.ALREADY_RATED, 'This service was already rated');
