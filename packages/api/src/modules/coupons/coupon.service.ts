/**
 * Coupons for members and managers (F9): a manager issues a template to a list of members; a member buys one with
 * points (points-to-voucher, seed 001's Clubcard vouchers) and keeps them in a wallet. Templates:
 * coupon-template.service.ts; issuing without points: coupon-issue.ts; the till: the vouchers' own `useVoucher`
 * and `recordPurchase`'s couponCode.
 */
import { clock } from '../../clock';
import { COUPON_STATES, couponState, ErrorCode, type CouponState } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { isUniqueViolation, toInt, type Db } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logger';
import { writeAudit } from '../audit/audit';
import { REDEMPTION_SELECT, toRedemption, type RedemptionRow } from '../rewards/redemption.rows';
import type { RedemptionService } from '../rewards/redemption.service';
import { toReward, REWARD_COLUMNS, type RewardRow } from '../rewards/reward.service';
import { issueCoupon } from './coupon-issue';
import type { CouponTemplateService } from './coupon-template.service';

/** A coupon in a wallet: the voucher and the template it came from. */
export interface CouponRow { redemption: RedemptionRow; template: RewardRow; state: CouponState }

export interface IssueInput { templateId: number; memberIds?: number[] | null; memberNos?: string[] | null; idempotencyKey: string }
export interface IssueResult { issued: number; alreadyIssued: number; remaining: number }

/** At most this many members per issueCoupons call (one transaction). */
export const MAX_ISSUE_LIST = 200;
const KEY_RE = /^[A-Za-z0-9_:.-]{8,80}$/;
const WALLET_SCAN = 500;

const R_COLUMNS = REWARD_COLUMNS.split(', ').map((c) => `r.${c.trim()} AS t_${c.trim()}`).join(', ');

export class CouponService {
  constructor(
    private readonly db: Db,
    private readonly templates: CouponTemplateService,
    private readonly redemptions: RedemptionService,
    private readonly log: Logger,
  ) {}

  /**
   * Managers of the template's scope: issue one coupon of it to each listed member (ids or member numbers, at most
   * MAX_ISSUE_LIST), all or none, once per idempotency key: a retry issues nothing twice and answers the same counts.
   * Refusals (nothing changes): NOT_FOUND (template, member), BAD_USER_INPUT, FORBIDDEN, REWARD_UNAVAILABLE,
   * LIMIT_REACHED or OUT_OF_STOCK (with the member number at which it stopped).
   */
  async issue(ctx: RequestContext, input: IssueInput, now = clock.now()): Promise<IssueResult> {
    if (!KEY_RE.test(input.idempotencyKey ?? '')) throw badInput('idempotencyKey must be 8–80 of [A-Za-z0-9_:.-]', 'idempotencyKey');
    const ids = input.memberIds ?? [];
    const nos = input.memberNos ?? [];
    if (ids.length + nos.length === 0 || ids.length + nos.length > MAX_ISSUE_LIST) throw badInput(`Give 1–${MAX_ISSUE_LIST} members (memberIds or memberNos)`, 'memberIds');
    for (const no of nos) if (!/^\d{10}$/.test(no ?? '')) throw badInput('memberNos are 10-digit member numbers', 'memberNos');
    const { t, userId } = await this.templates.managed(ctx, input.templateId);
    const members = new Map<number, string>();
    for (const id of ids) {
      const r = await this.db.q.get<{ id: unknown; member_no: unknown }>('SELECT id, member_no FROM member WHERE id = ?', [id]);
      if (!r) throw new AppError(ErrorCode.NOT_FOUND, `Member ${id} not found`, { memberId: String(id) });
      members.set(toInt(r.id), String(r.member_no));
    }
    for (const no of nos) {
      const r = await this.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE member_no = ?', [no]);
      if (!r) throw new AppError(ErrorCode.NOT_FOUND, `Member ${no} not found`, { memberNo: no });
      members.set(toInt(r.id), no);
    }
    const key = `issue:${input.idempotencyKey}`;
    // Ascending member ids: two lists that overlap lock their members' accounts in the same order.
    const order = [...members.keys()].sort((a, b) => a - b);
    const run = () =>
      this.db.tx(async (q) => {
        let issued = 0;
        for (const memberId of order) {
          try {
            if (!(await issueCoupon(q, t, memberId, { source: 'MANAGER', key, now })).replayed) issued++;
          } catch (e) {
            if (e instanceof AppError) e.extensions.memberNo = members.get(memberId);
            throw e;
          }
        }
        if (issued > 0) await writeAudit(q, userId, { action: 'issueCoupons', targetType: 'reward', targetId: t.id, regionId: t.ownerRegionId, storeId: t.ownerStoreId, after: { members: order.length, issued, key: input.idempotencyKey } }, now);
        return issued;
      });
    let issued: number;
    try {
      issued = await run();
    } catch (e) {
      // The same request committed first (a concurrent retry): run again, now a replay.
      if (!isUniqueViolation(e)) throw e;
      issued = await run();
    }
    const remaining = toInt((await this.db.q.get<{ s: unknown }>('SELECT stock AS s FROM reward WHERE id = ?', [t.id]))?.s);
    this.log.info({ templateId: t.id, userId, members: order.length, issued }, 'coupons issued');
    return { issued, alreadyIssued: order.length - issued, remaining };
  }

  /**
   * Member: buy a coupon with points (points-to-voucher). The mall's own redemption path (`redeemAs`): one coupon per
   * idempotency key (a retry answers the same coupon), the points debited through the ledger in the same
   * transaction, INSUFFICIENT_POINTS / LIMIT_REACHED / OUT_OF_STOCK / REWARD_UNAVAILABLE (not for sale, switched off,
   * dates over) changing nothing; a high-value one needs its one-time code like any reward.
   */
  async buy(ctx: RequestContext, input: { templateId: number; idempotencyKey: string; otp?: string | null }, now = clock.now()): Promise<{ coupon: CouponRow; replayed: boolean }> {
    ctx.requireUser();
    await this.templates.row(input.templateId);
    const { redemption, replayed } = await this.redemptions.redeem(ctx, { rewardId: input.templateId, idempotencyKey: input.idempotencyKey, target: null, otp: input.otp ?? null }, now);
    return { coupon: await this.coupon(redemption.id, now), replayed };
  }

  /** One coupon by its redemption id (as the wallet shows it). */
  async coupon(redemptionId: number, now = clock.now()): Promise<CouponRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`${REDEMPTION_SELECT.replace(' FROM reward_redemption x', `, ${R_COLUMNS} FROM reward_redemption x`)} WHERE x.id = ?`, [redemptionId]);
    if (!r) throw new AppError(ErrorCode.NOT_FOUND, `Coupon ${redemptionId} not found`);
    return this.toCoupon(r, now);
  }

  private toCoupon(r: Record<string, unknown>, now: Date): CouponRow {
    const redemption = toRedemption(r);
    const template = toReward(Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('t_')).map(([k, v]) => [k.slice(2), v])));
    return { redemption, template, state: couponState({ used: redemption.status === 'USED', validFrom: redemption.voucherValidFrom, expiresAt: redemption.voucherExpiresAt }, now) };
  }

  /**
   * Member: the coupon wallet, optionally one state: valid ones first by their end (soonest first), then upcoming,
   * then used and expired, newest first. Coupons of the mall (COUPON rewards) included.
   */
  async wallet(ctx: RequestContext, state: CouponState | null, first: number, now = clock.now()): Promise<CouponRow[]> {
    const userId = ctx.requireUser();
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    if (state !== null && !COUPON_STATES.includes(state)) throw badInput('Unknown coupon state', 'state');
    const q = this.db.q;
    const rows = await q.all<Record<string, unknown>>(
      `${REDEMPTION_SELECT.replace(' FROM reward_redemption x', `, ${R_COLUMNS} FROM reward_redemption x`)}
       WHERE m.user_id = ? AND x.kind = 'COUPON' AND x.status IN ('ISSUED', 'USED') ORDER BY x.id DESC LIMIT ${WALLET_SCAN}`,
      [userId],
    );
    const rank: Record<CouponState, number> = { VALID: 0, UPCOMING: 1, USED: 2, EXPIRED: 2 };
    const end = (c: CouponRow) => c.redemption.voucherExpiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
    return rows
      .map((r) => this.toCoupon(r, now))
      .filter((c) => state === null || c.state === state)
      .sort((a, b) => rank[a.state] - rank[b.state] || (a.state === 'VALID' ? end(a) - end(b) : 0) || b.redemption.id - a.redemption.id)
      .slice(0, first);
  }
}
