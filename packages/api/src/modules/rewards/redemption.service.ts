/**
 * Redemption (F6): a member swaps points for a reward, in one transaction, exactly once per idempotency key.
 *
 * Before anything moves: the reward exists and is on, inside its window, the member's tier admits it, the target is
 * valid (a phone number, by default the bound one; a fuel-card number by the card rules), and a high-value reward
 * (points ≥ REWARD_OTP_THRESHOLD_POINTS) carries the one-time code sent to the bound phone. Then, in one
 * transaction (the same order on MariaDB and libsql):
 * 1. the one-time code is consumed;
 * 2. `takeVoucher` (voucher-take.ts, the guard every voucher issue shares, coupons given by rule or by a manager
 *    too): the member's account row is locked (so their own concurrent redemptions queue up), per-member limits are
 *    counted in the Asia/Shanghai day and month and per member ever (failed, refunded orders do not count), and one
 *    unit of stock is taken: `stock = stock - 1 WHERE stock > 0` (OUT_OF_STOCK otherwise: no oversell);
 * 3. the order is written (a voucher code for own products and coupons; a coupon template sets its window);
 * 4. the points are debited through the ledger (oldest lots first), keyed (reward, order id);
 * 5. partner rewards get an outbox job (fulfilment.service.ts).
 * Any refusal rolls everything back: the points, the stock and the code stay as they were.
 *
 * Members redeem in the app (`redeem`); staff redeem for the member in front of the till (till-redemption.service.ts)
 * through the same `redeemAs`: the member comes from the scanned code, whose step is consumed first in the same
 * transaction, and the order and the ledger entry record the store and the staff user.
 */
import { clock } from '../../clock';
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import {
  ErrorCode,
  FUEL_BRANDS,
  isProviderKind,
  ledgerReason,
  maskPhone,
  MOBILE_OPERATORS,
  needsOtp,
  normalizeMobile,
  validateFuelCard,
  VOUCHER_ALPHABET,
  VOUCHER_BODY_LENGTH,
  voucherCheckChar,
  type FuelBrand,
} from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize, allows } from '../../auth/authz';
import type { Config } from '../../config';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { debit } from '../ledger/ledger.service';
import type { OrgService } from '../org/org.service';
import { enqueue } from '../outbox/outbox.service';
import { consumeCodeStep, replayOrThrow } from '../purchases/till-identity';
import type { TierService } from '../tiers/tier.service';
import type { OtpSender } from './otp-sender';
import { checkVoucherUse, takeVoucher, voucherByCode, voucherWindow } from './voucher-take';
import { FULFIL_TOPIC, REDEMPTION_SELECT, redemptionById, toRedemption, type RedemptionRow } from './redemption.rows';
import type { RewardRow, RewardService } from './reward.service';
import type { RateLimitService } from '../../limits/rate-limit.service';

export interface RedeemInput {
  rewardId: number;
  /** Top-ups: a phone number (default: the bound phone); fuel cards: the card number; vouchers: none. */
  target?: string | null;
  /** Unique per redemption (the client makes one per attempt); retries reuse it. */
  idempotencyKey: string;
  /** The one-time code, for rewards at or above the threshold. */
  otp?: string | null;
}

export interface OtpTicket { sentTo: string; expiresAt: Date; resendAfterSeconds: number }

export interface VoucherUse { redemption: RedemptionRow; discountFen: number | null }

/** The member a redemption is for. */
export interface Redeemer { userId: number; memberId: number; tierId: number; phone: string | null }

/**
 * A redemption made by staff at a store's till: where, by whom, and how the member's code is verified (its step is
 * consumed in the redemption's transaction; a code already used may be this request's own retry, hence `replay`).
 */
export interface TillChannel {
  storeId: number;
  storeName: string;
  staffId: number;
  verify(replay: () => Promise<RedemptionRow | null>): Promise<{ step: number } | { replay: RedemptionRow }>;
}

type Me = Redeemer;

const KEY_RE = /^[A-Za-z0-9_:.-]{8,96}$/;
const OTP_TTL_MS = 5 * 60_000;
const OTP_RESEND_MS = 60_000;
const OTP_MAX_ATTEMPTS = 5;
const OTP_PURPOSE = 'reward';

const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** `RW` + yyyyMMddHHmmss (UTC) + 12 random hex: our order number at the provider (28 characters). */
export function newRewardOrderNo(now = clock.now()): string {
  return `RW${now.toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** A fresh voucher code: 11 random characters of the voucher alphabet and the check character. */
export function newVoucherCode(): string {
  let body = '';
  for (let i = 0; i < VOUCHER_BODY_LENGTH; i++) body += VOUCHER_ALPHABET.charAt(randomInt(VOUCHER_ALPHABET.length));
  return body + voucherCheckChar(body);
}

/** What a one-time code confirms, as the message names it (at a till: which store). */
function describe(r: RewardRow, storeName: string | null): string {
  return storeName ? `在${storeName}兑换「${r.name}」` : `兑换「${r.name}」`;
}

export class RedemptionService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly rewards: RewardService,
    private readonly tiers: TierService,
    private readonly org: OrgService,
    private readonly limits: RateLimitService,
    private readonly otpSender: OtpSender,
    private readonly canFulfil: (provider: string) => boolean,
    private readonly log: Logger,
    /** Called after a partner order commits (the app drains the outbox at once when jobs run in-process). */
    private readonly onQueued: () => void = () => undefined,
  ) {}

  private async me(ctx: RequestContext): Promise<Me> {
    return this.redeemer('m.user_id = ?', ctx.requireUser());
  }

  /** The member by id (staff at the till redeem for the member whose code they scanned). */
  memberById(memberId: number): Promise<Redeemer> {
    return this.redeemer('m.id = ?', memberId);
  }

  private async redeemer(where: string, id: number): Promise<Redeemer> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT m.id, m.user_id, m.tier_id, u.phone FROM member m JOIN app_user u ON u.id = m.user_id WHERE ${where}`, [id]);
    if (!r) throw notFound('Member');
    return { userId: toInt(r.user_id), memberId: toInt(r.id), tierId: toInt(r.tier_id), phone: r.phone == null ? null : String(r.phone) };
  }

  /**
   * The account the reward goes to, checked before any points move: top-ups take the given number or the bound
   * phone; fuel cards take a card number that passes the company's card rules; vouchers take none.
   */
  resolveTarget(r: RewardRow, given: string | null | undefined, boundPhone: string | null): string | null {
    const typed = (given ?? '').trim();
    if (r.kind === 'MOBILE_TOPUP') {
      const raw = typed || boundPhone;
      if (!raw) throw new AppError(ErrorCode.TARGET_INVALID, 'Give the phone number to top up, or bind your phone first', { field: 'target' });
      const phone = normalizeMobile(raw);
      if (!phone) throw new AppError(ErrorCode.TARGET_INVALID, 'Not a mainland mobile number (11 digits starting 13–19)', { field: 'target' });
      return phone;
    }
    if (r.kind === 'FUEL_CARD') {
      const brand = r.brand as FuelBrand;
      const v = validateFuelCard(brand, typed);
      if (!v.ok) {
        const rule = brand === 'SINOPEC' ? '19 digits starting 100011' : '16 digits starting 9';
        throw new AppError(ErrorCode.TARGET_INVALID, `Not a ${FUEL_BRANDS[brand]} card number (${rule})`, { field: 'target', problem: v.problem });
      }
      return v.cardNo;
    }
    if (typed) throw badInput('Vouchers take no target', 'target');
    return null;
  }

  /** REWARD_UNAVAILABLE or TIER_REQUIRED unless the member may redeem the reward now (stock and limits come later). */
  private async checkAvailable(r: RewardRow, me: Me, now: Date): Promise<void> {
    const reason = this.rewards.unavailableReason(r, now);
    if (reason) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, `This reward cannot be redeemed now (${reason})`, { reason });
    // Coupon templates given rather than sold (no points price), or whose fixed dates are over.
    if (r.pointsPrice <= 0) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This coupon is not for sale', { reason: 'NOT_FOR_SALE' });
    if (r.validUntil && r.validUntil.getTime() <= now.getTime()) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This coupon is no longer valid', { reason: 'ENDED' });
    if (isProviderKind(r.kind) && !this.canFulfil(r.provider ?? '')) {
      throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This reward cannot be redeemed now (its provider is not configured)', { reason: 'PROVIDER' });
    }
    if (r.minTierId !== null) {
      const [mine, required] = [await this.tiers.byId(me.tierId), await this.tiers.byId(r.minTierId)];
      if (mine.rank < required.rank) throw new AppError(ErrorCode.TIER_REQUIRED, `${required.name} members and above only`, { minTier: required.code, context: 'REWARD' });
    }
  }

  private otpHash(memberId: number, rewardId: number, target: string | null, code: string): string {
    return createHmac('sha256', this.config.jwt.secret).update(`${OTP_PURPOSE}|${memberId}|${rewardId}|${target ?? ''}|${code}`).digest('hex');
  }

  /**
   * Sends a one-time code to the member's bound phone for a high-value reward and target (the code is bound to
   * both). At most one code a minute: asking again sooner answers the code already sent.
   */
  async requestOtp(ctx: RequestContext, rewardId: number, target: string | null, now = clock.now()): Promise<OtpTicket> {
    const me = await this.me(ctx);
    const { limits } = this;
    await limits.hit(limits.otpPerIp, ctx.ip, now.getTime());
    await limits.hit(limits.otpPerMember, me.memberId, now.getTime());
    return this.sendOtp(me, rewardId, target, null, now);
  }

  /**
   * {@link requestOtp} for a given member; `storeName` when staff at a till asked for it (the message says where, so a
   * member who is not at that till knows not to read the code out).
   */
  async sendOtp(me: Redeemer, rewardId: number, target: string | null, storeName: string | null, now = clock.now()): Promise<OtpTicket> {
    const r = await this.rewards.row(rewardId);
    if (!r.active) throw notFound(`Reward ${rewardId}`);
    if (!needsOtp(r.pointsPrice, this.config.rewards.otpThresholdPoints)) throw badInput('This reward needs no confirmation code', 'rewardId');
    if (!me.phone) throw new AppError(ErrorCode.PHONE_REQUIRED, 'Bind your phone first: the code goes to it');
    const resolved = this.resolveTarget(r, target, me.phone);
    await this.checkAvailable(r, me, now);
    const phone = me.phone;
    const q = this.db.q;
    const recent = await q.get<Record<string, unknown>>(
      'SELECT id, expires_at, created_at FROM otp_challenge WHERE member_id = ? AND purpose = ? AND ref = ? AND consumed_at IS NULL AND created_at > ? ORDER BY id DESC LIMIT 1',
      [me.memberId, OTP_PURPOSE, String(r.id), q.ts(new Date(now.getTime() - OTP_RESEND_MS))],
    );
    if (recent) {
      const wait = Math.ceil((toDate(recent.created_at).getTime() + OTP_RESEND_MS - now.getTime()) / 1000);
      return { sentTo: maskPhone(phone) as string, expiresAt: toDate(recent.expires_at), resendAfterSeconds: Math.max(1, wait) };
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(now.getTime() + OTP_TTL_MS);
    await this.db.tx(async (t) => {
      const c = await t.run('INSERT INTO otp_challenge (member_id, purpose, ref, code_hash, attempts, expires_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)', [
        me.memberId, OTP_PURPOSE, String(r.id), this.otpHash(me.memberId, r.id, resolved, code), t.ts(expiresAt), t.ts(now),
      ]);
      await this.otpSender.send(t, { memberId: me.memberId, phone }, { code, purpose: describe(r, storeName), ref: `otp-${c.insertId}`, expiresAt }, now);
    });
    this.otpSender.afterCommit?.();
    return { sentTo: maskPhone(phone) as string, expiresAt, resendAfterSeconds: Math.round(OTP_RESEND_MS / 1000) };
  }

  /**
   * Checks the code for (member, reward, target) against the latest unconsumed challenge; returns its id for the
   * redemption transaction to consume. A wrong code only counts an attempt (5 per code); nothing else changes.
   */
  private async checkOtp(me: Me, r: RewardRow, target: string | null, otp: string | null | undefined, now: Date): Promise<number> {
    const q = this.db.q;
    // The latest challenge, consumed or not: a used code must say so (and ask for a new one), not "none requested".
    const latest = await q.get<Record<string, unknown>>(
      'SELECT id, code_hash, attempts, expires_at, consumed_at FROM otp_challenge WHERE member_id = ? AND purpose = ? AND ref = ? ORDER BY id DESC LIMIT 1',
      [me.memberId, OTP_PURPOSE, String(r.id)],
    );
    const c = latest && latest.consumed_at == null ? latest : undefined;
    const given = (otp ?? '').trim();
    if (!given) throw new AppError(ErrorCode.OTP_REQUIRED, 'This reward needs the code sent to your bound phone (requestRewardOtp)', { sentTo: maskPhone(me.phone), requested: c !== undefined });
    if (latest && !c) throw new AppError(ErrorCode.OTP_INVALID, 'This code was already used: request a new one', { attemptsLeft: 0, reason: 'USED' });
    if (!c) throw new AppError(ErrorCode.OTP_INVALID, 'No code was requested for this reward: request one first', { attemptsLeft: 0, reason: 'NOT_REQUESTED' });
    if (toDate(c.expires_at).getTime() <= now.getTime()) throw new AppError(ErrorCode.OTP_EXPIRED, 'The code has expired: ask for a new one');
    const attempts = toInt(c.attempts);
    if (attempts >= OTP_MAX_ATTEMPTS) throw new AppError(ErrorCode.OTP_INVALID, 'Too many wrong codes: request a new one', { attemptsLeft: 0, reason: 'WRONG' });
    const expected = Buffer.from(String(c.code_hash), 'hex');
    const actual = Buffer.from(this.otpHash(me.memberId, r.id, target, given), 'hex');
    if (!/^\d{6}$/.test(given) || expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      await q.run('UPDATE otp_challenge SET attempts = attempts + 1 WHERE id = ? AND attempts < ?', [toInt(c.id), OTP_MAX_ATTEMPTS]);
      throw new AppError(ErrorCode.OTP_INVALID, attempts + 1 >= OTP_MAX_ATTEMPTS ? 'Wrong code, no tries left: request a new one' : 'Wrong code', { attemptsLeft: Math.max(0, OTP_MAX_ATTEMPTS - attempts - 1), reason: 'WRONG' });
    }
    return toInt(c.id);
  }

  /** The member's earlier redemption under this key (replayed), IDEMPOTENCY_CONFLICT when it was for something else. */
  private async findByKey(memberId: number, key: string, hash: string): Promise<RedemptionRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(`${REDEMPTION_SELECT} WHERE x.member_id = ? AND x.idempotency_key = ?`, [memberId, key]);
    if (!r) return null;
    const h = await this.db.q.get<{ request_hash: unknown }>('SELECT request_hash FROM reward_redemption WHERE id = ?', [toInt(r.id)]);
    if (h?.request_hash !== hash) throw new AppError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for a different redemption');
    return toRedemption(r);
  }

  /** Redeems a reward for the signed-in member (see the module comment). A replayed key returns the first order. */
  async redeem(ctx: RequestContext, input: RedeemInput, now = clock.now()): Promise<{ redemption: RedemptionRow; replayed: boolean }> {
    return this.redeemAs(await this.me(ctx), input, null, now);
  }

  /**
   * The one redemption path, in the app (`till` null) and at a till (see the module comment). The idempotency key is
   * the member's; at a till the request also names the store, so a key replayed at another store is a conflict.
   */
  async redeemAs(me: Redeemer, input: RedeemInput, till: TillChannel | null, now = clock.now()): Promise<{ redemption: RedemptionRow; replayed: boolean }> {
    if (!KEY_RE.test(input.idempotencyKey ?? '')) throw badInput('idempotencyKey must be 8–96 of [A-Za-z0-9_:.-]', 'idempotencyKey');
    const r = await this.rewards.row(input.rewardId);
    const target = this.resolveTarget(r, input.target, me.phone);
    const hash = sha256(till ? [r.id, target, 'till', till.storeId] : [r.id, target]);
    const replay = () => this.findByKey(me.memberId, input.idempotencyKey, hash);
    const prior = await replay();
    if (prior) return { redemption: prior, replayed: true };
    let step: number | null = null;
    if (till) {
      const v = await till.verify(replay);
      if ('replay' in v) return { redemption: v.replay, replayed: true };
      step = v.step;
    }
    await this.checkAvailable(r, me, now);
    const challengeId = needsOtp(r.pointsPrice, this.config.rewards.otpThresholdPoints) ? await this.checkOtp(me, r, target, input.otp, now) : null;

    const partner = isProviderKind(r.kind);
    let id: number;
    try {
      id = await this.db.tx(async (q) => {
        // At a till the code step is consumed first (member row, then account row: the order of every till write).
        if (step !== null) await consumeCodeStep(q, me.memberId, step);
        if (challengeId !== null) {
          const c = await q.run('UPDATE otp_challenge SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL AND attempts < ?', [q.ts(now), challengeId, OTP_MAX_ATTEMPTS]);
          if (c.affectedRows !== 1) throw new AppError(ErrorCode.OTP_INVALID, 'This code was already used: request a new one', { attemptsLeft: 0, reason: 'USED' });
        }
        // Account lock, per-member limits, one unit of stock (voucher-take.ts: the guard every voucher issue shares).
        await takeVoucher(q, r, me.memberId, now);
        const window = partner ? { validFrom: null, expiresAt: null } : voucherWindow(r, now);
        const ins = await q.run(
          `INSERT INTO reward_redemption (reward_id, member_id, kind, points, cash_fen, cost_fen, status, target, idempotency_key, request_hash, out_trade_no, provider,
             submit_count, voucher_code, voucher_expires_at, voucher_valid_from, points_refunded, store_id, staff_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 0, ?, ?, ?, ?)`,
          [
            r.id, me.memberId, r.kind, r.pointsPrice, r.cashFen, r.costFen, partner ? 'PENDING' : 'ISSUED', target, input.idempotencyKey, hash,
            partner ? newRewardOrderNo(now) : null, partner ? r.provider : null, partner ? null : newVoucherCode(), window.expiresAt ? q.ts(window.expiresAt) : null,
            window.validFrom ? q.ts(window.validFrom) : null,
            till?.storeId ?? null, till?.staffId ?? null, q.ts(now), q.ts(now),
          ],
        );
        await debit(
          q,
          {
            memberId: me.memberId, kind: 'REDEEM', reason: ledgerReason.reward(r.name, till !== null), actorId: till?.staffId ?? me.userId,
            storeId: till?.storeId ?? null, sourceType: 'reward', sourceRef: String(ins.insertId), requestHash: hash, now,
          },
          r.pointsPrice,
        );
        if (partner) await enqueue(q, FULFIL_TOPIC, String(ins.insertId), now);
        return ins.insertId;
      });
    } catch (e) {
      // The same key committed first (a retry racing its original), or took the code step: answer with that order.
      return { redemption: await replayOrThrow(e, replay), replayed: true };
    }
    const row = (await redemptionById(this.db.q, id)) as RedemptionRow;
    this.log.info({ redemptionId: id, rewardId: r.id, memberId: me.memberId, points: r.pointsPrice, kind: r.kind, storeId: till?.storeId, staffId: till?.staffId }, 'reward redeemed');
    if (partner) this.onQueued();
    return { redemption: row, replayed: false };
  }

  /** One of the member's redemptions (or any, for HQ managers); NOT_FOUND otherwise. */
  async get(ctx: RequestContext, id: number): Promise<RedemptionRow> {
    const userId = ctx.requireUser();
    const row = await redemptionById(this.db.q, id);
    if (!row) throw notFound(`Redemption ${id}`);
    const mine = await this.db.q.get('SELECT id FROM member WHERE id = ? AND user_id = ?', [row.memberId, userId]);
    if (!mine && !allows(await ctx.roles(), 'reward.manage', { kind: 'HQ' })) throw notFound(`Redemption ${id}`);
    return row;
  }

  /** The signed-in member's redemptions, newest first. */
  async mine(ctx: RequestContext, first: number): Promise<RedemptionRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    const me = await this.me(ctx);
    const rows = await this.db.q.all<Record<string, unknown>>(`${REDEMPTION_SELECT} WHERE x.member_id = ? ORDER BY x.id DESC LIMIT ?`, [me.memberId, first]);
    return rows.map(toRedemption);
  }

  /** A voucher by the code the member shows (normalized, check character verified) or VOUCHER_INVALID. */
  private byVoucherCode(code: string): Promise<{ row: RedemptionRow; reward: RewardRow }> {
    return voucherByCode(this.db.q, code);
  }

  /** Staff at a store's till: what a voucher is and whether it can be used here (nothing changes). */
  async voucher(ctx: RequestContext, code: string, storeId: number): Promise<{ redemption: RedemptionRow; reward: RewardRow; usableHere: boolean }> {
    const store = await this.org.store(storeId);
    const staffId = await authorize(ctx, 'voucher.use', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const v = await this.limits.guard('voucher-code', { userId: staffId, storeId }, () => this.byVoucherCode(code));
    let usableHere = true;
    try {
      checkVoucherUse(v.row, v.reward, store, null, clock.now());
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      usableHere = false;
    }
    return { redemption: v.row, reward: v.reward, usableHere };
  }

  /**
   * Staff at a store's till mark a voucher used, once: the change is a conditional update `ISSUED → USED`, so a
   * second scan (or a concurrent one) is VOUCHER_USED and changes nothing. For coupons a spend gives the discount
   * (and must reach the coupon's minimum spend); the rules are `checkVoucherUse`'s.
   */
  async useVoucher(ctx: RequestContext, code: string, storeId: number, spendFen: number | null, now = clock.now()): Promise<VoucherUse> {
    const store = await this.org.store(storeId);
    const staffId = await authorize(ctx, 'voucher.use', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    if (spendFen !== null && (!Number.isSafeInteger(spendFen) || spendFen < 0 || spendFen > 100_000_000)) throw badInput('spendFen must be 0–100000000', 'spendFen');
    const { row, reward } = await this.limits.guard('voucher-code', { userId: staffId, storeId: store.id }, () => this.byVoucherCode(code));
    const { discountFen } = checkVoucherUse(row, reward, store, spendFen, now);
    const q = this.db.q;
    const u = await q.run(
      "UPDATE reward_redemption SET status = 'USED', used_at = ?, used_store_id = ?, used_by_id = ?, discount_fen = ?, finished_at = ?, updated_at = ? WHERE id = ? AND status = 'ISSUED' AND reserved_order_id IS NULL",
      [q.ts(now), store.id, staffId, discountFen, q.ts(now), q.ts(now), row.id],
    );
    const after = (await redemptionById(q, row.id)) as RedemptionRow;
    if (u.affectedRows !== 1) throw new AppError(ErrorCode.VOUCHER_USED, 'This voucher was already used', { usedAt: after.usedAt?.toISOString() ?? null, usedStore: after.usedStoreName });
    this.log.info({ redemptionId: row.id, storeId: store.id, staffId, discountFen }, 'voucher used');
    return { redemption: after, discountFen };
  }

  /** For display: the operator or fuel company of a partner reward. */
  static brandName(brand: string | null): string | null {
    if (!brand) return null;
    return (MOBILE_OPERATORS as Record<string, string>)[brand] ?? (FUEL_BRANDS as Record<string, string>)[brand] ?? brand;
  }
}
