/**
 * The soak's mixed load: till purchases and point deductions (member codes and till tickets), reward orders (phone
 * top-ups through the recharge simulator, ~20 % of which fail), WeChat Pay payments (in the mini-program and at the
 * till) with duplicated, concurrent, lost and delayed notifications, refunds, and the expiry job. Every logical
 * request is recorded with its idempotency key and final outcome for the checks (checks.ts).
 */
import { randomBytes } from 'node:crypto';
import { currentMemberCode } from '@quanzi/shared';
import type { RechargeBehaviour, RechargePreset, RechargeSimulator, WechatPaySimulator } from '@quanzi/simulators';
import type { CallResult, Counters, SoakClient } from './client';

export interface TillMember { memberId: number; memberNo: string; codeSecret: string; lastStep: number }
export interface Persona { token: string; userId: number; memberId: number; openid: string }

export type Outcome = 'ok' | 'failed' | 'gave-up';
export interface TillRecord { op: 'purchase' | 'redeem'; key: string; memberId: number; outcome: Outcome; code: string | null; points: number | null; id: string | null; replays: number }
export interface RewardRecord { key: string; memberId: number; target: string; behaviour: string; outcome: Outcome; code: string | null; redemptionId: string | null; points: number }
export interface PaymentRecord { outTradeNo: string; memberId: number; mode: string; till: boolean; paidAtSim: boolean; transactionId: string | null }
export interface RefundRecord { key: string; outTradeNo: string; amountFen: number; outcome: Outcome; code: string | null; outRefundNo: string | null }

export interface Records {
  till: TillRecord[];
  rewards: RewardRecord[];
  payments: PaymentRecord[];
  refunds: RefundRecord[];
  /** Duplicate sends whose answer was not the first result (a broken idempotency key). */
  idempotencyViolations: string[];
}

export interface LoadContext {
  client: SoakClient;
  counters: Counters;
  records: Records;
  storeId: number;
  staff: Persona;
  manager: Persona;
  till: TillMember[];
  payers: Persona[];
  rewardMembers: Persona[];
  rewardId: string;
  paySim: WechatPaySimulator;
  rechargeSim: RechargeSimulator;
  /** True once the load phase is over: workers finish their current operation and return. */
  stopping(): boolean;
  /** Background promises (delayed notifications) the drain waits for. */
  background: Promise<unknown>[];
}

const PURCHASE = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points balance replayed } }';
const REDEEM_POINTS = 'mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { id points balance replayed } }';
const LOOKUP = 'query($code: String!, $storeId: ID!) { memberByCode(code: $code, storeId: $storeId) { tillTicket } }';
const REDEEM_REWARD = 'mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { replayed balance redemption { id status points } } }';
const INTENT = 'order { outTradeNo state } payment { appId timeStamp nonceStr package signType paySign }';
const CREATE_PAYMENT = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${INTENT} } }`;
const CREATE_TILL_ORDER = 'mutation($input: CreatePaymentInput!) { createTillOrder(input: $input) { outTradeNo } }';
const PAY_TILL_ORDER = `mutation($no: String!) { payTillOrder(outTradeNo: $no) { ${INTENT} } }`;
const PAY_ORDER = 'query($no: String!) { payOrder(outTradeNo: $no) { state amountFen refundedFen } }';
export const REFUND = 'mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { outRefundNo status amountFen } }';
const EXPIRY = 'mutation { runPointsExpiry { members lots points } }';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
const chance = (p: number): boolean => Math.random() < p;
const newKey = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
const STEP_MS = 30_000;

/** A till member whose code has not been used in the current 30-second step (the API consumes a step once). */
function freeTillMember(ctx: LoadContext): TillMember | null {
  const step = Math.floor(Date.now() / STEP_MS);
  for (let i = 0; i < 20; i++) {
    const m = pick(ctx.till);
    if (m.lastStep < step) {
      m.lastStep = step;
      return m;
    }
  }
  return null;
}

function outcomeOf(r: CallResult<unknown>): Outcome {
  return r.data ? 'ok' : r.gaveUp ? 'gave-up' : 'failed';
}

/** Who is served at the till: the code typed in (70 %) or a till ticket from `memberByCode` (30 %). */
async function identify(ctx: LoadContext, m: TillMember): Promise<{ memberCode?: string; tillTicket?: string } | null> {
  const memberCode = currentMemberCode(m.memberNo, m.codeSecret, Date.now());
  if (!chance(0.3)) return { memberCode };
  const r = await ctx.client.call<{ memberByCode: { tillTicket: string } }>('memberByCode', LOOKUP, { code: memberCode, storeId: String(ctx.storeId) }, ctx.staff.token);
  if (!r.data) {
    ctx.counters.add(`lookup.${r.code ?? 'gave-up'}`);
    return null;
  }
  ctx.counters.add('lookup.ok');
  return { tillTicket: r.data.memberByCode.tillTicket };
}

/** One till operation (a purchase or a deduction), sometimes sent twice with the same key (a double click). */
async function tillOnce(ctx: LoadContext, op: 'purchase' | 'redeem'): Promise<void> {
  const m = freeTillMember(ctx);
  if (!m) return void (await sleep(200));
  const who = await identify(ctx, m);
  if (!who) return;
  const key = newKey(op === 'purchase' ? 'sp' : 'sr');
  let input: Record<string, unknown>;
  if (op === 'purchase') {
    const fresh = Math.floor(Math.random() * 5) * 500;
    const grocery = 100 + Math.floor(Math.random() * 300) * 100;
    const lines = fresh > 0 ? [{ category: 'fresh', amountFen: fresh }, { category: 'grocery', amountFen: grocery }] : [{ category: 'grocery', amountFen: grocery }];
    input = { ...who, storeId: String(ctx.storeId), amountFen: fresh + grocery, lines, idempotencyKey: key };
  } else {
    // Mostly small deductions; some larger than any balance (INSUFFICIENT_POINTS must change nothing); some around
    // the size of the lots that expire during the run.
    const points = chance(0.05) ? 9_000_000 : chance(0.3) ? 60 + Math.floor(Math.random() * 80) : 1 + Math.floor(Math.random() * 40);
    input = { ...who, storeId: String(ctx.storeId), points, reason: '积分抵扣', idempotencyKey: key };
  }
  const query = op === 'purchase' ? PURCHASE : REDEEM_POINTS;
  const field = op === 'purchase' ? 'recordPurchase' : 'redeemPoints';
  type Receipt = { id: string; points: number; balance: number; replayed: boolean };
  const r = await ctx.client.call<Record<string, Receipt>>(op, query, { input }, ctx.staff.token);
  const got = r.data?.[field] ?? null;
  const rec: TillRecord = { op, key, memberId: m.memberId, outcome: outcomeOf(r), code: r.code, points: got?.points ?? null, id: got?.id ?? null, replays: 0 };
  ctx.records.till.push(rec);
  ctx.counters.add(`${op}.${rec.outcome === 'failed' ? `failed-${r.code}` : rec.outcome}${got?.replayed ? '-replayed' : ''}`);
  if (r.attempts > 1) ctx.counters.add(`${op}.retried-same-key`);
  if (got && chance(0.15)) {
    // The till sends the same request again: the first receipt must come back, marked replayed.
    const again = await ctx.client.call<Record<string, Receipt>>(op, query, { input }, ctx.staff.token);
    const g2 = again.data?.[field];
    rec.replays++;
    ctx.counters.add(`${op}.duplicate-sent`);
    if (g2 && (!g2.replayed || g2.id !== got.id || g2.points !== got.points)) ctx.records.idempotencyViolations.push(`${op} ${key}: first ${JSON.stringify(got)}, again ${JSON.stringify(g2)}`);
    else if (!g2 && !again.gaveUp) ctx.records.idempotencyViolations.push(`${op} ${key}: first succeeded, the same request again answered ${again.code} ${again.message}`);
  }
}

const REWARD_MIX: [number, string, RechargePreset | RechargeBehaviour][] = [
  [0.2, 'fail', 'fail'],
  [0.05, 'timeout', 'timeout'],
  [0.05, 'double-callback', 'double-callback'],
  [0.05, 'late', 'late'],
  [0.03, 'reject', 'reject'],
  [0.04, 'no-callback', { outcome: 'SUCCESS', callbacks: 0 }],
  [0.03, 'fail-no-callback', { outcome: 'FAILED', callbacks: 0, failReason: '运营商维护' }],
];
let targetSeq = 0;

/** A member orders a ¥10 top-up to a fresh number whose outcome the recharge simulator was told. */
async function rewardOnce(ctx: LoadContext): Promise<void> {
  const who = pick(ctx.rewardMembers);
  const target = `139${String(process.pid % 100).padStart(2, '0')}${String(++targetSeq).padStart(6, '0')}`;
  let behaviour = 'success';
  let roll = Math.random();
  for (const [p, name, b] of REWARD_MIX) {
    if (roll < p) {
      behaviour = name;
      ctx.rechargeSim.behave(target, b);
      break;
    }
    roll -= p;
  }
  const key = newKey('sw');
  const input = { rewardId: ctx.rewardId, target, idempotencyKey: key };
  type Res = { redeemReward: { replayed: boolean; redemption: { id: string; status: string; points: number } } };
  const r = await ctx.client.call<Res>('redeemReward', REDEEM_REWARD, { input }, who.token);
  const red = r.data?.redeemReward.redemption ?? null;
  const rec: RewardRecord = { key, memberId: who.memberId, target, behaviour, outcome: outcomeOf(r), code: r.code, redemptionId: red?.id ?? null, points: red?.points ?? 0 };
  ctx.records.rewards.push(rec);
  ctx.counters.add(`reward.${rec.outcome === 'failed' ? `failed-${r.code}` : rec.outcome}`);
  ctx.counters.add(`provider-behaviour.${behaviour}`);
  if (r.attempts > 1) ctx.counters.add('reward.retried-same-key');
  if (red && chance(0.15)) {
    const again = await ctx.client.call<Res>('redeemReward', REDEEM_REWARD, { input }, who.token);
    ctx.counters.add('reward.duplicate-sent');
    const a = again.data?.redeemReward;
    if (a && (!a.replayed || a.redemption.id !== red.id)) ctx.records.idempotencyViolations.push(`redeemReward ${key}: first ${red.id}, again ${JSON.stringify(a)}`);
    else if (!a && !again.gaveUp) ctx.records.idempotencyViolations.push(`redeemReward ${key}: first succeeded, again ${again.code} ${again.message}`);
  }
}

type Mode = 'normal' | 'duplicated' | 'lost' | 'delayed' | 'abandoned';
const PAY_MODES: [number, Mode][] = [
  [0.4, 'normal'],
  [0.2, 'duplicated'],
  [0.15, 'lost'],
  [0.17, 'delayed'],
  [0.08, 'abandoned'],
];

/**
 * A payment: the member pays in the mini-program, or staff create a till order the member scans (25 %); the phone
 * pays through the simulator with a notification mode set for exactly that payment (the simulator dispatches
 * synchronously inside `pay()`): normal, duplicated (3 copies, concurrently), lost (recovered by query), delayed (lost,
 * then redelivered seconds later), or never paid. Some paid orders are then refunded.
 */
interface RefundJob { rec: PaymentRecord; tries: number; notBefore: number }

async function paymentOnce(ctx: LoadContext, refundQueue: RefundJob[]): Promise<void> {
  const payer = pick(ctx.payers);
  const till = chance(0.25);
  const amountFen = 100 + Math.floor(Math.random() * 200) * 100;
  type Intent = { order: { outTradeNo: string }; payment: Record<string, string> };
  let intent: Intent | null = null;
  if (till) {
    const o = await ctx.client.call<{ createTillOrder: { outTradeNo: string } }>(
      'createTillOrder', CREATE_TILL_ORDER, { input: { storeId: String(ctx.storeId), amountFen, lines: [{ category: 'general', amountFen }] } }, ctx.staff.token,
    );
    if (!o.data) return void ctx.counters.add(`payment.till-order-${o.code ?? 'gave-up'}`);
    const p = await ctx.client.call<{ payTillOrder: Intent }>('payTillOrder', PAY_TILL_ORDER, { no: o.data.createTillOrder.outTradeNo }, payer.token);
    if (!p.data) return void ctx.counters.add(`payment.pay-till-${p.code ?? 'gave-up'}`);
    intent = p.data.payTillOrder;
  } else {
    const p = await ctx.client.call<{ createPayment: Intent }>('createPayment', CREATE_PAYMENT, { input: { storeId: String(ctx.storeId), amountFen } }, payer.token);
    if (!p.data) return void ctx.counters.add(`payment.create-${p.code ?? 'gave-up'}`);
    if (p.attempts > 1) ctx.counters.add('payment.create-retried'); // no key: an earlier attempt may have left an unpaid order
    intent = p.data.createPayment;
  }
  let roll = Math.random();
  let mode: Mode = 'normal';
  for (const [p, m] of PAY_MODES) {
    if (roll < p) {
      mode = m;
      break;
    }
    roll -= p;
  }
  const no = intent.order.outTradeNo;
  const rec: PaymentRecord = { outTradeNo: no, memberId: payer.memberId, mode, till, paidAtSim: false, transactionId: null };
  ctx.records.payments.push(rec);
  ctx.counters.add(`payment.${till ? 'till' : 'app'}-${mode}`);
  if (mode === 'abandoned') return;
  const n = ctx.paySim.notifications;
  const saved = { ...n };
  if (mode === 'duplicated') Object.assign(n, { duplicates: 2, concurrent: true });
  if (mode === 'lost' || mode === 'delayed') n.drop = true;
  let paying: Promise<{ transactionId: string }>;
  try {
    paying = ctx.paySim.pay(intent.payment as never);
  } finally {
    Object.assign(n, saved);
  }
  try {
    rec.transactionId = (await paying).transactionId;
    rec.paidAtSim = true;
  } catch (e) {
    ctx.counters.add(`payment.pay-refused-${(e as Error).message.slice(0, 40)}`);
    return;
  }
  if (mode === 'delayed') {
    const wait = 2000 + Math.random() * 8000;
    ctx.background.push(
      sleep(wait)
        .then(() => ctx.paySim.redeliver(no))
        .then((status) => ctx.counters.add(`notify.delayed-redelivery-${status}`))
        .catch(() => ctx.counters.add('notify.delayed-redelivery-error')),
    );
  }
  if (chance(0.35)) refundQueue.push({ rec, tries: 0, notBefore: Date.now() + 500 });
}

/**
 * Refunds a paid order once the API has it PAID (otherwise it goes back to the queue; orders whose notification was
 * lost are PAID only after recovery by query): full, half, or too much (BAD_USER_INPUT); some sent twice.
 */
async function refundOnce(ctx: LoadContext, job: RefundJob, queue: RefundJob[]): Promise<void> {
  const rec = job.rec;
  const r0 = await ctx.client.call<{ payOrder: { state: string; amountFen: number; refundedFen: number } }>('payOrder', PAY_ORDER, { no: rec.outTradeNo }, ctx.staff.token);
  const state = r0.data?.payOrder ?? null;
  if (state?.state !== 'PAID') {
    if (++job.tries < 60) queue.push({ ...job, notBefore: Date.now() + 2000 });
    else ctx.counters.add('refund.skipped-not-paid-yet');
    return;
  }
  const amountFen = chance(0.1) ? state.amountFen + 1 : chance(0.5) ? state.amountFen : Math.max(1, Math.floor(state.amountFen / 2));
  const key = newKey('sf');
  const input = { outTradeNo: rec.outTradeNo, amountFen, reason: '退货', idempotencyKey: key };
  type Res = { refundPayment: { outRefundNo: string; status: string; amountFen: number } };
  const r = await ctx.client.call<Res>('refundPayment', REFUND, { input }, ctx.staff.token);
  const out: RefundRecord = { key, outTradeNo: rec.outTradeNo, amountFen, outcome: outcomeOf(r), code: r.code, outRefundNo: r.data?.refundPayment.outRefundNo ?? null };
  ctx.records.refunds.push(out);
  ctx.counters.add(`refund.${out.outcome === 'failed' ? `failed-${r.code}` : out.outcome}`);
  if (r.attempts > 1) ctx.counters.add('refund.retried-same-key');
  if (r.data && chance(0.2)) {
    const again = await ctx.client.call<Res>('refundPayment', REFUND, { input }, ctx.staff.token);
    ctx.counters.add('refund.duplicate-sent');
    if (again.data && again.data.refundPayment.outRefundNo !== r.data.refundPayment.outRefundNo) ctx.records.idempotencyViolations.push(`refund ${key}: two refund numbers`);
    else if (!again.data && !again.gaveUp) ctx.records.idempotencyViolations.push(`refund ${key}: first succeeded, again ${again.code} ${again.message}`);
  }
  if (r.data && chance(0.3)) {
    // A late duplicate of the refund notification, seconds after the first.
    const outRefundNo = r.data.refundPayment.outRefundNo;
    ctx.background.push(
      sleep(3000 + Math.random() * 5000)
        .then(() => ctx.paySim.redeliver(rec.outTradeNo, { outRefundNo }))
        .then((status) => ctx.counters.add(`notify.refund-late-duplicate-${status}`))
        .catch(() => ctx.counters.add('notify.refund-late-duplicate-not-yet-sent')),
    );
  }
}

/** Runs the workers until `stopping()`; each worker pauses a little between operations (the machine is small). */
export async function runLoad(ctx: LoadContext, opts: { tillWorkers: number; rewardWorkers: number; payWorkers: number; pauseMs: number }): Promise<void> {
  const refundQueue: RefundJob[] = [];
  const loop = async (name: string, fn: () => Promise<void>, pauseMs = opts.pauseMs): Promise<void> => {
    while (!ctx.stopping()) {
      try {
        await fn();
      } catch (e) {
        ctx.counters.add(`worker-error.${name}`);
        process.stdout.write(`  worker ${name}: ${(e as Error).message}\n`);
      }
      await sleep(pauseMs * (0.5 + Math.random()));
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < opts.tillWorkers; i++) workers.push(loop(`till-${i}`, () => tillOnce(ctx, chance(0.6) ? 'purchase' : 'redeem')));
  for (let i = 0; i < opts.rewardWorkers; i++) workers.push(loop(`reward-${i}`, () => rewardOnce(ctx)));
  for (let i = 0; i < opts.payWorkers; i++) workers.push(loop(`pay-${i}`, () => paymentOnce(ctx, refundQueue)));
  workers.push(
    loop('refund', async () => {
      const i = refundQueue.findIndex((j) => j.notBefore <= Date.now());
      const next = i >= 0 ? refundQueue.splice(i, 1)[0] : undefined;
      if (next) await refundOnce(ctx, next, refundQueue);
    }),
  );
  workers.push(
    loop(
      'expiry',
      async () => {
        const r = await ctx.client.call<{ runPointsExpiry: { lots: number; points: number } }>('runPointsExpiry', EXPIRY, {}, ctx.manager.token);
        if (r.data) {
          ctx.counters.add('expiry.runs');
          ctx.counters.add('expiry.lots', r.data.runPointsExpiry.lots);
          ctx.counters.add('expiry.points', r.data.runPointsExpiry.points);
        } else ctx.counters.add(`expiry.failed-${r.code ?? 'gave-up'}`);
      },
      4000,
    ),
  );
  await Promise.all(workers);
}
