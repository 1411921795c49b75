/**
 * Helpers for the coupon tests (F9): GraphQL documents, managers of each scope, staff at two stores, members with
 * points, templates created through the API, and a snapshot of every table a coupon operation may write (ledger
 * included) to prove that a refusal changed nothing. Time is the API's clock, set by the test (`clock.set`).
 */
import { randomUUID } from 'node:crypto';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import { credit } from '../../src/modules/ledger/ledger.service';
import type { GqlResult, TestApp } from './harness';

export type Persona = Awaited<ReturnType<TestApp['signIn']>>;

export const TEMPLATE_FIELDS =
  'id kind name description amountOffFen percentOff giftName minSpendFen storeIds regionIds scopeStoreId scopeRegionId validFrom validUntil validDays limitPerMember budget issued remaining used pointsPrice active welcome';
export const COUPON_FIELDS =
  'id templateId kind name amountOffFen percentOff giftName minSpendFen code qrPayload state source points issuedAt validFrom expiresAt expiresInDays expiryLabel usedAt usedStoreName discountFen';

export const CREATE_TEMPLATE = `mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { ${TEMPLATE_FIELDS} } }`;
export const UPDATE_TEMPLATE = `mutation($id: ID!, $input: UpdateCouponTemplateInput!) { updateCouponTemplate(id: $id, input: $input) { ${TEMPLATE_FIELDS} } }`;
export const TEMPLATES = `query($activeOnly: Boolean) { couponTemplates(activeOnly: $activeOnly) { ${TEMPLATE_FIELDS} } }`;
export const TEMPLATE = `query($id: ID!) { couponTemplate(id: $id) { ${TEMPLATE_FIELDS} } }`;
export const ISSUE = 'mutation($input: IssueCouponsInput!) { issueCoupons(input: $input) { issued alreadyIssued remaining } }';
export const BUY = `mutation($input: BuyCouponInput!) { buyCoupon(input: $input) { replayed balance coupon { ${COUPON_FIELDS} } } }`;
export const MY_COUPONS = `query($state: CouponState, $first: Int) { myCoupons(state: $state, first: $first) { ${COUPON_FIELDS} } }`;
export const VOUCHER = 'query($code: String!, $storeId: ID!) { voucher(code: $code, storeId: $storeId) { code status usableHere amountOffFen discountPct minSpendFen expiresAt } }';
export const USE_VOUCHER = 'mutation($code: String!, $storeId: ID!, $spendFen: Int) { useVoucher(code: $code, storeId: $storeId, spendFen: $spendFen) { discountFen voucher { code status usedStoreName } } }';
export const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points balance replayed discountFen paidFen } }';

export interface TemplateGql {
  id: string;
  kind: string;
  budget: number;
  issued: number;
  remaining: number;
  used: number;
  pointsPrice: number | null;
  [k: string]: unknown;
}

export interface CouponGql {
  id: string;
  templateId: string;
  code: string;
  qrPayload: string;
  state: string;
  source: string;
  points: number;
  expiresAt: string | null;
  expiresInDays: number | null;
  expiryLabel: string | null;
  discountFen: number | null;
  [k: string]: unknown;
}

export const errCode = (r: GqlResult<unknown>): string | undefined => r.errors?.[0]?.extensions?.code;

export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** Tables a coupon operation may write (the ledger's come from TestApp.counts). */
const TABLES = ['reward', 'reward_redemption', 'purchase', 'audit_log', 'otp_challenge'];

export class CouponKit {
  private n = 0;
  hq!: Persona;
  beijing!: Persona;
  xian!: Persona;
  staffGuomao!: Persona;
  staffZhonglou!: Persona;

  constructor(readonly t: TestApp, private readonly prefix: string) {}

  /** Managers of HQ, Beijing and Xi'an, staff of 国贸 and 钟楼 (granted directly: someone has to be first). */
  async setUp(): Promise<void> {
    const { beijing, xian, guomao, zhonglou } = this.t.org;
    this.hq = await this.t.signIn(`${this.prefix}-hq`);
    await this.t.grant(this.hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    this.beijing = await this.t.signIn(`${this.prefix}-bj`);
    await this.t.grant(this.beijing.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: beijing });
    this.xian = await this.t.signIn(`${this.prefix}-xa`);
    await this.t.grant(this.xian.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: xian });
    this.staffGuomao = await this.t.signIn(`${this.prefix}-s-gm`);
    await this.t.grant(this.staffGuomao.userId, { role: 'STAFF', scope: 'STORE', storeId: guomao, regionId: beijing });
    this.staffZhonglou = await this.t.signIn(`${this.prefix}-s-zl`);
    await this.t.grant(this.staffZhonglou.userId, { role: 'STAFF', scope: 'STORE', storeId: zhonglou, regionId: xian });
  }

  key(): string {
    return `k-${randomUUID()}`;
  }

  /** Creates a template through the API (by default HQ's ¥20 off ¥100, 30 days, budget 100, not for sale). */
  async template(input: Record<string, unknown> = {}, as: Persona = this.hq): Promise<TemplateGql> {
    const r = await this.t.gql<{ createCouponTemplate: TemplateGql }>(
      CREATE_TEMPLATE,
      { input: { kind: 'AMOUNT_OFF', name: `满100减20 ${++this.n}`, amountOffFen: 2000, minSpendFen: 10_000, validDays: 30, budget: 100, ...input } },
      as.token,
    );
    return ok(r).createCouponTemplate;
  }

  /** A member (signed in now, by the API's clock) with points credited through the ledger. */
  async member(points = 0): Promise<Persona> {
    const p = await this.t.signIn(`${this.prefix}-m-${++this.n}`);
    if (points) await this.givePoints(p.memberId, points);
    return p;
  }

  async members(n: number, points = 0): Promise<Persona[]> {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await this.member(points));
    return out;
  }

  async givePoints(memberId: number, points: number): Promise<void> {
    await this.t.app.services.db.tx((q) =>
      credit(q, { memberId, kind: 'ADJUST', reason: 'test setup', actorId: null, storeId: null, sourceType: 'test_setup', sourceRef: `${this.prefix}-${memberId}-${++this.n}`, requestHash: null, now: clock.now() }, points, 24),
    );
  }

  async balance(memberId: number): Promise<number> {
    return toInt((await this.t.app.services.db.q.get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
  }

  issue(templateId: string, members: Persona[], opts: { key?: string; as?: Persona } = {}) {
    return this.t.gql<{ issueCoupons: { issued: number; alreadyIssued: number; remaining: number } }>(
      ISSUE,
      { input: { templateId, memberNos: members.map((m) => m.memberNo), idempotencyKey: opts.key ?? this.key() } },
      (opts.as ?? this.hq).token,
    );
  }

  buy(m: Persona, templateId: string, key = this.key()) {
    return this.t.gql<{ buyCoupon: { replayed: boolean; balance: number; coupon: CouponGql } }>(BUY, { input: { templateId, idempotencyKey: key } }, m.token);
  }

  async wallet(m: Persona, state: string | null = null): Promise<CouponGql[]> {
    return ok(await this.t.gql<{ myCoupons: CouponGql[] }>(MY_COUPONS, { state, first: 100 }, m.token)).myCoupons;
  }

  /** Records a purchase at a store's till for the member, with the member's code of the API's current time. */
  record(staff: Persona, storeId: number, m: Persona, amountFen: number, opts: { couponCode?: string | null; key?: string } = {}) {
    return this.t.gql<{ recordPurchase: { id: string; points: number; balance: number; replayed: boolean; discountFen: number; paidFen: number } }>(
      RECORD,
      {
        input: {
          memberCode: this.t.codeOf(m, clock.ms()), storeId: String(storeId), amountFen, lines: [{ category: 'general', amountFen }],
          idempotencyKey: opts.key ?? this.key(), couponCode: opts.couponCode ?? null,
        },
      },
      staff.token,
    );
  }

  /** Row counts of every table a coupon operation may write, balances, stock, and the status of every voucher. */
  async state(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = await this.t.counts();
    const q = this.t.app.services.db.q;
    for (const table of TABLES) out[table] = toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v == null ? null : String(v)])));
    out.rewards = norm(await q.all('SELECT id, name, stock, budget, active, welcome, points_price, amount_off_fen, discount_pct, valid_until, voucher_valid_days FROM reward ORDER BY id'));
    out.vouchers = norm(await q.all('SELECT id, status, used_at, discount_fen FROM reward_redemption ORDER BY id'));
    return out;
  }
}
