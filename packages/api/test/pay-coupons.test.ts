/**
 * A member's coupon on a WeChat Pay till order (issue #14, F9) against the WeChat Pay simulator on MariaDB: the order
 * is the basket less the discount (minimum spend on the basket), the coupon is held by the order (the till refuses it
 * meanwhile), used once when the notification succeeds (replayed and concurrent deliveries: once), the points earn on
 * the discounted amount, a closed unpaid order frees it, and of ten orders racing for one coupon one gets it.
 * The clock is set per test from one instant (the simulator signs notifications with the real time, so it is now).
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { CouponKit, errCode, ok, type CouponGql, type Persona } from './support/coupons';
import { startTestApp, type TestApp } from './support/harness';

const TILL = 'mutation($input: CreatePaymentInput!) { createTillOrder(input: $input) { outTradeNo amountFen discountFen state } }';
const PAY = 'mutation($no: String!) { payTillOrder(outTradeNo: $no) { pointsPreview payment { appId timeStamp nonceStr package signType paySign } order { outTradeNo amountFen discountFen } } }';
const CREATE = 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } } }';

type TillOrder = { outTradeNo: string; amountFen: number; discountFen: number; state: string };

describe('coupons on WeChat Pay till orders', () => {
  let t: TestApp;
  let kit: CouponKit;
  let now = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: {} });
    kit = new CouponKit(t, 'paycoupon');
    await kit.setUp();
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });
  beforeEach(() => {
    now = Math.floor(Date.now() / 1000) * 1000;
    clock.set(now);
  });
  afterEach(() => clock.reset());

  const q = () => t.app.services.db.q;
  const sim = () => t.paySim!;
  /** ¥20 off from ¥100 (HQ template), issued to a new member: the member and the coupon. */
  const memberWithCoupon = async (): Promise<{ m: Persona; coupon: CouponGql }> => {
    const tmpl = await kit.template({ validDays: 30, budget: 100 });
    const m = await kit.member();
    ok(await kit.issue(tmpl.id, [m]));
    const coupon = (await kit.wallet(m))[0] as CouponGql;
    return { m, coupon };
  };
  const till = (amountFen: number, couponCode: string | null) =>
    t.gql<{ createTillOrder: TillOrder }>(TILL, { input: { storeId: String(t.org.zhonglou), amountFen, couponCode } }, kit.staffZhonglou.token);
  const voucher = async (id: string) =>
    (await q().get<{ status: unknown; reserved_order_id: unknown; discount_fen: unknown; used_store_id: unknown }>('SELECT status, reserved_order_id, discount_fen, used_store_id FROM reward_redemption WHERE id = ?', [id])) as Record<string, unknown>;
  const orderId = async (no: string) => toInt((await q().get<{ id: unknown }>('SELECT id FROM pay_order WHERE out_trade_no = ?', [no]))?.id);

  test('the order is the basket less the discount; the coupon is held (the till refuses it), used once by the notification; points on the discounted amount', async () => {
    const { m, coupon } = await memberWithCoupon();
    const order = ok(await till(12_000, coupon.code)).createTillOrder;
    expect(order).toMatchObject({ amountFen: 10_000, discountFen: 2_000, state: 'PENDING' });
    expect(await voucher(coupon.id)).toMatchObject({ status: 'ISSUED', reserved_order_id: await orderId(order.outTradeNo) });
    // Held: not usable at the till meanwhile, nor on another order.
    clock.set((now += 31_000));
    expect(errCode(await kit.record(kit.staffZhonglou, t.org.zhonglou, m, 12_000, { couponCode: coupon.code }))).toBe(ErrorCode.VOUCHER_RESERVED);
    expect(errCode(await t.gql('mutation($code: String!, $storeId: ID!, $spendFen: Int) { useVoucher(code: $code, storeId: $storeId, spendFen: $spendFen) { discountFen } }', { code: coupon.code, storeId: String(t.org.zhonglou), spendFen: 12_000 }, kit.staffZhonglou.token))).toBe(ErrorCode.VOUCHER_RESERVED);
    expect(errCode(await till(15_000, coupon.code))).toBe(ErrorCode.VOUCHER_RESERVED);
    // Only the coupon's owner may pay it.
    const intruder = await kit.member();
    expect(errCode(await t.gql(PAY, { no: order.outTradeNo }, intruder.token))).toBe(ErrorCode.CONFLICT);

    const intent = ok(await t.gql<{ payTillOrder: { pointsPreview: number; payment: Record<string, string>; order: { amountFen: number } } }>(PAY, { no: order.outTradeNo }, m.token)).payTillOrder;
    expect(intent.pointsPreview).toBe(100); // Xi'an, ¥1 = 1: ¥100.00 paid
    expect(intent.order.amountFen).toBe(10_000);
    Object.assign(sim().notifications, { duplicates: 3, concurrent: true, drop: false });
    try {
      await sim().pay(intent.payment as never);
      await sim().idle();
    } finally {
      Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: false });
    }
    expect(await sim().redeliver(order.outTradeNo)).toBe(204);
    expect(await kit.balance(m.memberId)).toBe(100);
    expect(await voucher(coupon.id)).toMatchObject({ status: 'USED', discount_fen: 2_000, used_store_id: t.org.zhonglou });
    const p = await q().get<{ amount_fen: unknown; discount_fen: unknown; points: unknown }>("SELECT amount_fen, discount_fen, points FROM purchase WHERE member_id = ? AND idempotency_key LIKE 'wechatpay:%'", [m.memberId]);
    expect([toInt(p?.amount_fen), toInt(p?.discount_fen), toInt(p?.points)]).toEqual([10_000, 2_000, 100]);
    expect((await kit.wallet(m))[0]).toMatchObject({ id: coupon.id, state: 'USED', discountFen: 2_000 });
    // Used: no further order takes it.
    expect(errCode(await till(12_000, coupon.code))).toBe(ErrorCode.VOUCHER_USED);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('refusals create no order: below the minimum spend, a coupon covering everything, not a code, and a member paying their own order with a coupon', async () => {
    const { m, coupon } = await memberWithCoupon();
    const free = await kit.template({ amountOffFen: 5_000, minSpendFen: 0 });
    ok(await kit.issue(free.id, [m]));
    const freeCode = (await kit.wallet(m)).find((c) => c.templateId === free.id)?.code as string;
    const orders = async () => toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM pay_order'))?.n);
    const before = await orders();
    expect(errCode(await till(9_999, coupon.code))).toBe(ErrorCode.VOUCHER_MIN_SPEND);
    expect(errCode(await till(5_000, freeCode))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await till(12_000, 'ABCD EFGH JKLM'))).toBe(ErrorCode.VOUCHER_INVALID);
    expect(errCode(await t.gql(CREATE, { input: { storeId: String(t.org.zhonglou), amountFen: 12_000, couponCode: coupon.code } }, m.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(await orders()).toBe(before);
    expect(await voucher(coupon.id)).toMatchObject({ status: 'ISSUED', reserved_order_id: null });
  });

  test('an order closed unpaid (expired, recovery) frees its coupon for the next order, which can be paid', async () => {
    const { m, coupon } = await memberWithCoupon();
    const first = ok(await till(12_000, coupon.code)).createTillOrder;
    const rec = await t.app.services.payments.recover(new Date(now + 31 * 60_000));
    expect(rec.closed).toBeGreaterThanOrEqual(1);
    expect((await t.app.services.payments.order(first.outTradeNo))?.state).toBe('CLOSED');
    expect(await voucher(coupon.id)).toMatchObject({ status: 'ISSUED', reserved_order_id: null });
    const second = ok(await till(20_000, coupon.code)).createTillOrder;
    expect(second).toMatchObject({ amountFen: 18_000, discountFen: 2_000 });
    const intent = ok(await t.gql<{ payTillOrder: { payment: Record<string, string> } }>(PAY, { no: second.outTradeNo }, m.token)).payTillOrder;
    await sim().pay(intent.payment as never);
    await sim().idle();
    expect(await voucher(coupon.id)).toMatchObject({ status: 'USED', reserved_order_id: await orderId(second.outTradeNo) });
    expect(await kit.balance(m.memberId)).toBe(180);
  });

  test('ten till orders racing for one coupon: one holds it, the others are VOUCHER_RESERVED and create nothing', async () => {
    const { coupon } = await memberWithCoupon();
    const before = toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM pay_order'))?.n);
    const results = await Promise.all(Array.from({ length: 10 }, () => till(12_000, coupon.code)));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.errors).map(errCode)).toEqual(Array(9).fill(ErrorCode.VOUCHER_RESERVED));
    expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM pay_order'))?.n)).toBe(before + 1);
    expect(await voucher(coupon.id)).toMatchObject({ reserved_order_id: await orderId((won[0]?.data as { createTillOrder: TillOrder }).createTillOrder.outTradeNo) });
  });
});
