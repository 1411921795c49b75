/**
 * Helpers for the reward tests (F6): GraphQL documents, personas (an HQ manager, staff, members with points and a
 * bound phone), rewards created through the API, the fulfilment worker, and row counts of every table a redemption
 * may touch (ledger included) to prove that a refusal changed nothing.
 */
import { randomUUID } from 'node:crypto';
import { toInt } from '../../src/db/sql';
import { credit } from '../../src/modules/ledger/ledger.service';
import type { GqlResult, TestApp } from './harness';

export type Persona = Awaited<ReturnType<TestApp['signIn']>>;

const REWARD_FIELDS = 'id kind name pointsPrice cashFen faceValueFen brand brandName stock inStock limitPerDay limitPerMonth startsAt endsAt active needsOtp affordable storeIds voucherValidDays costFen provider amountOffFen discountPct minSpendFen minTier { code } partner { id name }';
export const REDEMPTION_FIELDS = 'id rewardId rewardName kind status points cashFen target voucherCode voucherExpiresAt usedAt usedStoreName failReason pointsRefunded stuck createdAt finishedAt';

export const CREATE_PARTNER = 'mutation($input: RewardPartnerInput!) { createRewardPartner(input: $input) { id code name } }';
export const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { ${REWARD_FIELDS} } }`;
export const UPDATE_REWARD = `mutation($id: ID!, $input: UpdateRewardInput!) { updateReward(id: $id, input: $input) { ${REWARD_FIELDS} } }`;
export const ADJUST_STOCK = 'mutation($id: ID!, $delta: Int!) { adjustRewardStock(id: $id, delta: $delta) { id stock } }';
export const REWARDS = `query($kind: RewardKind, $first: Int) { rewards(kind: $kind, first: $first) { ${REWARD_FIELDS} } }`;
export const REWARD = `query($id: ID!) { reward(id: $id) { ${REWARD_FIELDS} } }`;
export const CATALOGUE = `query($kind: RewardKind) { rewardCatalogue(kind: $kind) { ${REWARD_FIELDS} } }`;
export const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { replayed balance redemption { ${REDEMPTION_FIELDS} } } }`;
export const REQUEST_OTP = 'mutation($rewardId: ID!, $target: String) { requestRewardOtp(rewardId: $rewardId, target: $target) { sentTo expiresAt resendAfterSeconds } }';
export const MY_REDEMPTIONS = `{ myRedemptions(first: 50) { ${REDEMPTION_FIELDS} } }`;
export const REDEMPTION = `query($id: ID!) { redemption(id: $id) { ${REDEMPTION_FIELDS} } }`;
export const VOUCHER = 'query($code: String!, $storeId: ID!) { voucher(code: $code, storeId: $storeId) { code redemptionId rewardName kind status memberNo cashFen amountOffFen discountPct expiresAt usedAt usedStoreName usableHere } }';
export const USE_VOUCHER = 'mutation($code: String!, $storeId: ID!, $spendFen: Int) { useVoucher(code: $code, storeId: $storeId, spendFen: $spendFen) { discountFen voucher { code status usedStoreName usableHere } } }';
export const RETRY = `mutation($id: ID!) { retryRedemption(id: $id) { ${REDEMPTION_FIELDS} } }`;
export const REPORT = `query($since: DateTimeISO) { rewardReport(since: $since) {
  since own partner ownRatio
  rewards { rewardId name kind partnerName redemptions fulfilled inProgress failed unused points costFen stock }
  partners { partnerId name redemptions failed points costFen }
  providers { provider orders delivered failed inProgress stuck failureRate } } }`;
export const ME_POINTS = '{ me { points } }';
export const NOTIFICATIONS = '{ myNotifications(first: 50) { kind title body } }';
const BIND_PHONE = 'mutation($code: String!) { bindPhone(code: $code) { phone } }';

/** Every table a reward operation may write, plus the sum of balances and of stock. */
const REWARD_TABLES = ['reward', 'reward_partner', 'reward_redemption', 'outbox', 'notification'];

export const errCode = (r: GqlResult<unknown>): string | undefined => r.errors?.[0]?.extensions?.code;

export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export interface RewardRowGql {
  id: string;
  stock: number;
  pointsPrice: number;
  affordable: boolean;
  needsOtp: boolean;
  kind: string;
  name: string;
  costFen: number | null;
  [k: string]: unknown;
}

export interface RedemptionGql {
  id: string;
  status: string;
  points: number;
  pointsRefunded: number;
  voucherCode: string | null;
  target: string | null;
  failReason: string | null;
  stuck: boolean;
  [k: string]: unknown;
}

export class RewardKit {
  private n = 0;
  manager!: Persona;
  partners: Record<'cmcc' | 'cnpc' | 'sinopec' | 'cafe', string> = { cmcc: '', cnpc: '', sinopec: '', cafe: '' };

  constructor(readonly t: TestApp, private readonly prefix: string) {}

  /** An HQ manager (granted directly: someone has to be first) and the partners the tests use. */
  async setUp(): Promise<void> {
    this.manager = await this.t.signIn(`${this.prefix}-hq`);
    await this.t.grant(this.manager.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    for (const [key, code, name] of [['cmcc', 'cmcc', '中国移动'], ['cnpc', 'cnpc', '中国石油'], ['sinopec', 'sinopec', '中国石化'], ['cafe', 'beans', '豆子咖啡']] as const) {
      this.partners[key] = ok(await this.t.gql<{ createRewardPartner: { id: string } }>(CREATE_PARTNER, { input: { code: `${code}-${this.prefix}`, name } }, this.manager.token)).createRewardPartner.id;
    }
  }

  label(kind: string): string {
    return `${this.prefix}-${kind}-${++this.n}`;
  }

  key(): string {
    return `k-${randomUUID()}`;
  }

  /** Creates a reward through the API as the HQ manager; the defaults make a ¥30 China Mobile top-up for 3000 points. */
  async reward(input: Record<string, unknown> = {}): Promise<RewardRowGql> {
    const kind = (input.kind as string) ?? 'MOBILE_TOPUP';
    const defaults: Record<string, Record<string, unknown>> = {
      MOBILE_TOPUP: { name: `¥30 话费 ${++this.n}`, brand: 'CMCC', faceValueFen: 3000, partnerId: this.partners.cmcc, costFen: 2950 },
      FUEL_CARD: { name: `¥100 加油卡 ${++this.n}`, brand: 'CNPC', faceValueFen: 10_000, partnerId: this.partners.cnpc, costFen: 9900 },
      OWN_PRODUCT: { name: `拿铁咖啡 ${++this.n}`, costFen: 800 },
      COUPON: { name: `满100减20 ${++this.n}`, amountOffFen: 2000, minSpendFen: 10_000 },
    };
    const r = await this.t.gql<{ createReward: RewardRowGql }>(CREATE_REWARD, { input: { kind, pointsPrice: 3000, stock: 100, ...defaults[kind], ...input } }, this.manager.token);
    return ok(r).createReward;
  }

  /** A member with points (credited through the ledger) and, unless `phone: null`, a bound phone. */
  async member(opts: { points?: number; tier?: string; phone?: string | null } = {}): Promise<Persona & { phone: string | null }> {
    const p = await this.t.signIn(this.label('m'));
    if (opts.points) await this.givePoints(p.memberId, opts.points);
    if (opts.tier) await this.t.app.services.db.q.run('UPDATE member SET tier_id = (SELECT id FROM tier WHERE code = ?) WHERE id = ?', [opts.tier, p.memberId]);
    let phone: string | null = null;
    if (opts.phone !== null) {
      phone = opts.phone ?? `139${String(10_000_000 + p.memberId * 7 + this.n).slice(-8)}`;
      ok(await this.t.gql(BIND_PHONE, { code: this.t.sim.phoneCode(phone) }, p.token));
    }
    return { ...p, phone };
  }

  async members(n: number, opts: { points?: number; tier?: string; phone?: string | null } = {}): Promise<(Persona & { phone: string | null })[]> {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await this.member(opts));
    return out;
  }

  async givePoints(memberId: number, points: number): Promise<void> {
    await this.t.app.services.db.tx((q) =>
      credit(q, { memberId, kind: 'ADJUST', reason: 'test setup', actorId: null, storeId: null, sourceType: 'test_setup', sourceRef: `${this.prefix}-${memberId}-${++this.n}`, requestHash: null, now: new Date() }, points, 24),
    );
  }

  async balance(memberId: number): Promise<number> {
    return toInt((await this.t.app.services.db.q.get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
  }

  async stock(rewardId: string): Promise<number> {
    return toInt((await this.t.app.services.db.q.get<{ s: unknown }>('SELECT stock AS s FROM reward WHERE id = ?', [rewardId]))?.s);
  }

  redeem(m: Persona, rewardId: string, opts: { target?: string | null; key?: string; otp?: string | null } = {}) {
    return this.t.gql<{ redeemReward: { replayed: boolean; balance: number; redemption: RedemptionGql } }>(
      REDEEM,
      { input: { rewardId, target: opts.target ?? null, idempotencyKey: opts.key ?? this.key(), otp: opts.otp ?? null } },
      m.token,
    );
  }

  async redemption(m: Persona, id: string): Promise<RedemptionGql> {
    return ok(await this.t.gql<{ redemption: RedemptionGql }>(REDEMPTION, { id }, m.token)).redemption;
  }

  /** The order number at the provider of a redemption. */
  async outTradeNo(redemptionId: string): Promise<string> {
    return String((await this.t.app.services.db.q.get<{ o: unknown }>('SELECT out_trade_no AS o FROM reward_redemption WHERE id = ?', [redemptionId]))?.o);
  }

  /** Drains the outbox (optionally as if at `at`), then waits for the simulator's callbacks to land. */
  async work(at?: Date): Promise<void> {
    await this.t.app.services.fulfilment.runJobs(at);
    await this.t.rechargeSim?.idle();
  }

  /** Row counts of every table a redemption may write (ledger tables included), the sum of balances and of stock. */
  async counts(): Promise<Record<string, number>> {
    const out = await this.t.counts();
    const q = this.t.app.services.db.q;
    for (const table of REWARD_TABLES) out[table] = toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    out.stock = toInt((await q.get<{ s: unknown }>('SELECT COALESCE(SUM(stock), 0) AS s FROM reward'))?.s);
    out.consumedOtps = toInt((await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM otp_challenge WHERE consumed_at IS NOT NULL'))?.n);
    const statuses = await q.all<{ status: unknown; n: unknown }>('SELECT status, COUNT(*) AS n FROM reward_redemption GROUP BY status');
    for (const s of statuses) out[`status:${String(s.status)}`] = toInt(s.n);
    return out;
  }

  /** The latest one-time code in the member's inbox (the demo channel of the OTP sender). */
  async lastOtp(m: Persona): Promise<string> {
    const n = ok(await this.t.gql<{ myNotifications: { kind: string; body: string }[] }>(NOTIFICATIONS, {}, m.token)).myNotifications.find((x) => x.kind === 'REWARD_OTP');
    const code = /验证码 (\d{6})/.exec(n?.body ?? '')?.[1];
    if (!code) throw new Error('no one-time code in the inbox');
    return code;
  }
}
