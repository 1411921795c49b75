/**
 * Fulfilment of partner rewards (F6): the outbox job `reward.fulfil` (one per order, written with the order) moves
 * an order through the provider, and the provider's signed callback (or a status query, the fallback) settles it.
 *
 * Exactly one final state per order, whatever arrives in whatever order:
 * - PENDING → PROCESSING is claimed by a conditional update before the order is sent, so of two workers (or a
 *   worker whose lease ran out) only one sends it; anything after that only asks the provider for its state. The
 *   outbox claims rows with `FOR UPDATE SKIP LOCKED` on MariaDB/MySQL, so two workers never hold the same job.
 * - An order is sent again only when the provider says it has no such order (the first submit never arrived) or
 *   refused it without creating it; providers treat the same `out_trade_no` as the same order anyway.
 * - A submit without an answer (timeout) stays PROCESSING and is settled by the callback or by a later query:
 *   no refund until the provider confirms failure.
 * - DELIVERED and FAILED are conditional updates from PENDING/PROCESSING: a duplicate or late callback, or a query
 *   racing a callback, finds the order settled and changes nothing. A refund is claimed by that same update and is
 *   a REVERSAL credit keyed (reward_refund, order id), with the stock given back, in one transaction.
 * - A job that runs out of attempts marks the order `stuck` (it stays PROCESSING: the provider may still have
 *   delivered); a late callback still settles it, and HQ managers can `retryRedemption`.
 */
import { clock } from '../../clock';
import { ErrorCode, maskAccount, maskPhone } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { writeAudit } from '../audit/audit';
import type { Config } from '../../config';
import { toInt, type Db, type Q } from '../../db/sql';
import { AppError, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { CallbackRejected, ProviderUnreachable, type ProviderOrder, type RewardProvider, type SubmitOutcome } from '../../integrations/rewards/reward-provider';
import type { EarningService } from '../earning/earning.service';
import { credit } from '../ledger/ledger.service';
import type { NotificationService } from '../notifications/notification.service';
import { thingValue } from '../notifications/notification.service';
import { RetryLater, type DrainResult, type OutboxService } from '../outbox/outbox.service';
import { FULFIL_TOPIC, redemptionById, type RedemptionRow } from './redemption.rows';

export type CallbackOutcome = { status: 200 | 400 | 404 | 500; body: string };

/** Attempts of one order's job: with the backoff below about 3 hours of trying before the order is marked stuck. */
export const FULFIL_MAX_ATTEMPTS = 12;
/** Backoff before attempt n + 1: 15 s, 30 s, 1 min, … at most 30 min. */
export const fulfilBackoffMs = (n: number): number => Math.min(30 * 60_000, 15_000 * 2 ** (n - 1));

export class FulfilmentService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly providers: ReadonlyMap<string, RewardProvider>,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationService,
    private readonly earning: EarningService,
    private readonly log: Logger,
  ) {
    outbox.register(FULFIL_TOPIC, this.handler, { maxAttempts: FULFIL_MAX_ATTEMPTS, backoffMs: fulfilBackoffMs });
  }

  /** The outbox handler (also registered on extra workers in tests). */
  readonly handler = {
    run: (ref: string) => this.step(Number(ref)),
    dead: (ref: string) => this.markStuck(Number(ref)),
  };

  /** Whether partner rewards of this provider can be fulfilled (its adapter is configured). */
  canFulfil(provider: string): boolean {
    return this.providers.has(provider);
  }

  notifyUrl(provider: string): string {
    return `${this.config.publicBaseUrl}/webhooks/rewards/${provider}`;
  }

  /** Runs every due job now (in-process worker); the outbox serialises drains within one process. */
  runJobs(now?: Date): Promise<DrainResult> {
    return this.outbox.drain(now);
  }

  /** HQ managers: run the reward jobs now. */
  async runJobsAs(ctx: RequestContext): Promise<DrainResult> {
    await authorize(ctx, 'reward.manage');
    return this.runJobs();
  }

  /**
   * One step of an order's fulfilment (idempotent; throwing or RetryLater makes the outbox come back):
   * PENDING → claim and submit; PROCESSING → query and settle, resubmit when the provider has no such order.
   */
  async step(id: number): Promise<void> {
    const q = this.db.q;
    let r = await redemptionById(q, id);
    if (!r || (r.status !== 'PENDING' && r.status !== 'PROCESSING')) return;
    const provider = this.providers.get(r.provider ?? '');
    if (!provider) throw new Error(`reward provider ${String(r.provider)} is not configured`);
    if (r.status === 'PENDING') {
      const claimed = await q.run("UPDATE reward_redemption SET status = 'PROCESSING', submit_count = submit_count + 1, submitted_at = ?, updated_at = ? WHERE id = ? AND status = 'PENDING'", [
        q.ts(clock.now()), q.ts(clock.now()), id,
      ]);
      if (claimed.affectedRows === 1) return this.submit(provider, r);
      r = await redemptionById(q, id);
      if (!r || r.status !== 'PROCESSING') return;
    }
    const state = await provider.query(r.outTradeNo as string);
    if (state.status === 'SUCCESS') {
      await this.deliver(id, state.providerOrderNo, 'query');
    } else if (state.status === 'FAILED') {
      await this.fail(id, state.failReason ?? '充值失败', 'query');
    } else if (state.status === 'PROCESSING') {
      throw new RetryLater('the provider is still processing the order');
    } else {
      // NOT_FOUND: our submit never reached the provider. Send it again (claimed, so only one worker does).
      const again = await q.run('UPDATE reward_redemption SET submit_count = submit_count + 1, submitted_at = ?, updated_at = ? WHERE id = ? AND status = ? AND submit_count = ?', [
        q.ts(clock.now()), q.ts(clock.now()), id, 'PROCESSING', r.submitCount,
      ]);
      if (again.affectedRows !== 1) throw new RetryLater('another worker is resending the order');
      this.log.warn({ redemptionId: id, outTradeNo: r.outTradeNo }, 'the provider has no such order: sending it again');
      return this.submit(provider, r);
    }
  }

  private order(r: RedemptionRow): ProviderOrder {
    return {
      outTradeNo: r.outTradeNo as string,
      productType: r.kind === 'MOBILE_TOPUP' ? 'MOBILE' : 'FUEL',
      brand: r.brand as string,
      account: r.target as string,
      faceValueYuan: Math.round((r.faceValueFen as number) / 100),
      notifyUrl: this.notifyUrl(r.provider as string),
    };
  }

  private async submit(provider: RewardProvider, r: RedemptionRow): Promise<void> {
    let out: SubmitOutcome;
    try {
      out = await provider.submit(this.order(r));
    } catch (e) {
      if (e instanceof ProviderUnreachable) {
        // Unknown whether the provider has it: never resend blindly, ask for its state on the next attempt.
        this.log.warn({ redemptionId: r.id, outTradeNo: r.outTradeNo, err: e.message }, 'no answer to the submit: will query');
        throw new RetryLater(`submit unanswered: ${e.message}`);
      }
      throw e;
    }
    if (out.kind === 'ACCEPTED') {
      if (out.providerOrderNo) await this.db.q.run('UPDATE reward_redemption SET provider_order_no = ? WHERE id = ? AND provider_order_no IS NULL', [out.providerOrderNo, r.id]);
      if (out.status === 'SUCCESS') return void (await this.deliver(r.id, out.providerOrderNo, 'submit'));
      if (out.status === 'FAILED') return void (await this.fail(r.id, '充值失败', 'submit'));
      throw new RetryLater('accepted; waiting for the result');
    }
    if (out.retryable) {
      // Not created: it may be sent again later.
      await this.db.q.run("UPDATE reward_redemption SET status = 'PENDING', updated_at = ? WHERE id = ? AND status = 'PROCESSING'", [this.db.q.ts(clock.now()), r.id]);
      throw new Error(`the provider refused the order for now: ${out.code} ${out.message}`);
    }
    this.log.warn({ redemptionId: r.id, code: out.code, reason: out.message }, 'the provider refused the order');
    await this.fail(r.id, `${out.message}`.slice(0, 120), 'submit');
  }

  /** Settles an order as DELIVERED once; false when it was already settled (a conflicting FAILED is logged). */
  async deliver(id: number, providerOrderNo: string | null, via: string, now = clock.now()): Promise<boolean> {
    const done = await this.db.tx(async (q) => {
      const u = await q.run(
        "UPDATE reward_redemption SET status = 'DELIVERED', provider_order_no = COALESCE(provider_order_no, ?), stuck_at = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND status IN ('PENDING', 'PROCESSING')",
        [providerOrderNo, q.ts(now), q.ts(now), id],
      );
      if (u.affectedRows !== 1) return false;
      const r = (await redemptionById(q, id)) as RedemptionRow;
      await this.notifyResult(q, r, true, now);
      return true;
    });
    const r = await redemptionById(this.db.q, id);
    if (done) this.log.info({ redemptionId: id, via }, 'reward delivered');
    else if (r?.status === 'FAILED') this.log.error({ redemptionId: id, via, outTradeNo: r.outTradeNo }, 'the provider reports success for an order already refunded: check with the provider');
    return done;
  }

  /**
   * Settles an order as FAILED once and gives everything back in the same transaction: the points as a REVERSAL
   * credit keyed (reward_refund, id) and the unit of stock. Locks the member's account first (the redemption order).
   */
  async fail(id: number, reason: string, via: string, now = clock.now()): Promise<boolean> {
    const settings = await this.earning.settings();
    const done = await this.db.tx(async (q) => {
      const r = await redemptionById(q, id);
      if (!r || (r.status !== 'PENDING' && r.status !== 'PROCESSING')) return false;
      await q.get(`SELECT id FROM member_account WHERE id = ?${q.forUpdate}`, [r.memberId]);
      const u = await q.run(
        "UPDATE reward_redemption SET status = 'FAILED', fail_reason = ?, points_refunded = points, stuck_at = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND status IN ('PENDING', 'PROCESSING')",
        [reason.slice(0, 128), q.ts(now), q.ts(now), id],
      );
      if (u.affectedRows !== 1) return false;
      await q.run('UPDATE reward SET stock = stock + 1, updated_at = ? WHERE id = ?', [q.ts(now), r.rewardId]);
      await credit(
        q,
        { memberId: r.memberId, kind: 'REVERSAL', reason: `兑换失败退回 · ${r.rewardName}`, actorId: null, storeId: null, sourceType: 'reward_refund', sourceRef: String(id), requestHash: null, now },
        r.points,
        settings.pointsValidityMonths,
      );
      await this.notifyResult(q, { ...r, failReason: reason }, false, now);
      return true;
    });
    const after = await redemptionById(this.db.q, id);
    if (done) this.log.info({ redemptionId: id, via, reason }, 'reward failed; points refunded');
    else if (after?.status === 'DELIVERED') this.log.error({ redemptionId: id, via, outTradeNo: after.outTradeNo }, 'the provider reports failure for an order already delivered: check with the provider');
    return done;
  }

  private async notifyResult(q: Q, r: RedemptionRow, ok: boolean, now: Date): Promise<void> {
    const to = r.kind === 'MOBILE_TOPUP' ? maskPhone(r.target) : maskAccount(r.target);
    await this.notifications.notify(
      q,
      [r.memberId],
      {
        kind: ok ? 'REWARD_DELIVERED' : 'REWARD_FAILED',
        ref: String(r.id),
        title: ok ? '兑换成功' : '兑换失败，积分已退回',
        body: ok ? `${r.rewardName}已充值到 ${to}。` : `${r.rewardName}未能充值（${r.failReason ?? '充值失败'}），${r.points} 积分已退回。`,
        page: `pages/redemption/index?id=${r.id}`,
        subscribe: { template: 'REWARD_RESULT', data: { thing1: thingValue(r.rewardName), phrase2: { value: ok ? '兑换成功' : '已退积分' }, thing3: thingValue(ok ? `已充值到 ${to}` : `${r.points} 积分已退回`) } },
      },
      now,
    );
  }

  /** Outbox dead handler: the job gave up without a final answer; the order waits for a callback or a manager. */
  private async markStuck(id: number): Promise<void> {
    const q = this.db.q;
    const u = await q.run("UPDATE reward_redemption SET stuck_at = ?, updated_at = ? WHERE id = ? AND status IN ('PENDING', 'PROCESSING')", [q.ts(clock.now()), q.ts(clock.now()), id]);
    if (u.affectedRows === 1) this.log.error({ redemptionId: id }, 'reward fulfilment gave up: order stuck until a callback or retryRedemption');
  }

  /** HQ managers: try a stuck (or slow) order again now. Settled orders are left alone (CONFLICT). */
  async retry(ctx: RequestContext, id: number, now = clock.now()): Promise<RedemptionRow> {
    const userId = await authorize(ctx, 'reward.manage');
    const r = await redemptionById(this.db.q, id);
    if (!r) throw notFound(`Redemption ${id}`);
    if (r.status !== 'PENDING' && r.status !== 'PROCESSING') throw new AppError(ErrorCode.CONFLICT, `A ${r.status.toLowerCase()} order needs no retry`);
    await this.db.tx(async (q) => {
      await q.run('UPDATE reward_redemption SET stuck_at = NULL, updated_at = ? WHERE id = ?', [q.ts(now), id]);
      await writeAudit(q, userId, { action: 'retryRedemption', targetType: 'redemption', targetId: id, before: { status: r.status, stuck: r.stuckAt !== null }, after: { status: r.status, stuck: false, requeued: true } }, now);
    });
    const how = await this.outbox.requeue(FULFIL_TOPIC, String(id), now);
    this.log.info({ redemptionId: id, how }, 'reward fulfilment retried');
    return (await redemptionById(this.db.q, id)) as RedemptionRow;
  }

  /**
   * The callback route's work: verify (nothing changes when it fails: 400), find the order, check it is the order
   * we sent (account and face value), settle it once. Answers the provider's "acknowledged" body once settled or
   * already settled (duplicates included), 500 when applying failed so that the provider retries.
   */
  async handleCallback(providerId: string, contentType: string, body: string): Promise<CallbackOutcome> {
    const provider = this.providers.get(providerId);
    if (!provider) return { status: 404, body: 'unknown provider' };
    let cb;
    try {
      cb = provider.verifyCallback(body, contentType);
    } catch (e) {
      if (e instanceof CallbackRejected) {
        this.log.warn({ provider: providerId, reason: e.reason }, 'reward callback rejected');
        return { status: 400, body: provider.ack.retry };
      }
      throw e;
    }
    try {
      const row = await this.db.q.get<{ id: unknown }>('SELECT id FROM reward_redemption WHERE out_trade_no = ? AND provider = ?', [cb.outTradeNo, providerId]);
      if (!row) {
        this.log.warn({ provider: providerId, outTradeNo: cb.outTradeNo }, 'callback for an unknown order');
        return { status: 200, body: provider.ack.ok };
      }
      const r = (await redemptionById(this.db.q, toInt(row.id))) as RedemptionRow;
      if ((cb.account !== null && cb.account !== r.target) || (cb.faceValueYuan !== null && cb.faceValueYuan * 100 !== r.faceValueFen)) {
        this.log.error({ redemptionId: r.id, outTradeNo: cb.outTradeNo }, 'signed callback does not match the order (account or face value)');
        return { status: 400, body: provider.ack.retry };
      }
      if (cb.status === 'SUCCESS') await this.deliver(r.id, cb.providerOrderNo, 'callback');
      else await this.fail(r.id, cb.failReason ?? '充值失败', 'callback');
      return { status: 200, body: provider.ack.ok };
    } catch (e) {
      this.log.error({ provider: providerId, outTradeNo: cb.outTradeNo, err: e instanceof Error ? e.message : String(e) }, 'reward callback failed');
      return { status: 500, body: provider.ack.retry };
    }
  }
}
