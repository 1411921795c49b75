/**
 * Journey (F5) through GraphQL over HTTP against MariaDB, as the mini-program and the staff app drive it, with the
 * WeChat Pay v3 simulator standing in for WeChat (real RSA signatures, real AES-256-GCM):
 *   a member creates a payment at a store → pays through the simulator's `pay()` (what wx.requestPayment does) →
 *   the simulator POSTs the signed, encrypted notification to /webhooks/wechatpay → `payOrder` is PAID with its
 *   points → `me` shows the points and the ledger line → staff refund part of it → the proportional points are
 *   reversed → the books balance (`pointsReconciliation` as an HQ manager is empty).
 * And paying at the till: staff create the order and show its mini-program code, the member who scans it pays,
 * both sides see it PAID.
 * Only the first HQ manager is granted directly (someone has to be first); staff are appointed through GraphQL.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type GqlResult, type TestApp } from '../../packages/api/test/support/harness';

type Persona = Awaited<ReturnType<TestApp['signIn']>>;
type RequestPayment = { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string };
type Intent = { pointsPreview: number; order: { outTradeNo: string; state: string; amountFen: number }; payment: RequestPayment };
type Order = { outTradeNo: string; storeName: string; amountFen: number; state: string; points: number | null; refundedFen: number; pointsReversed: number; paidAt: string | null };
type Me = { me: { points: number; ledger: { edges: { node: { delta: number; kind: string; reason: string; storeName: string | null } }[] } } };

const INTENT_FIELDS = 'pointsPreview order { outTradeNo state amountFen } payment { appId timeStamp nonceStr package signType paySign }';
const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${INTENT_FIELDS} } }`;
const TILL = 'mutation($input: CreatePaymentInput!) { createTillOrder(input: $input) { outTradeNo state amountFen storeName } }';
const CODE = 'query($no: String!) { tillOrderCode(outTradeNo: $no) { scene page dataUrl } }';
const PAY_TILL = `mutation($no: String!) { payTillOrder(outTradeNo: $no) { ${INTENT_FIELDS} } }`;
const ORDER = 'query($no: String!) { payOrder(outTradeNo: $no) { outTradeNo storeName amountFen state points refundedFen pointsReversed paidAt } }';
const REFUND = 'mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { outRefundNo outTradeNo status amountFen pointsReversed pointsUncollected } }';
const ME = '{ me { points ledger(first: 5) { edges { node { delta kind reason storeName } } } } }';
const RECONCILE = '{ pointsReconciliation { memberId balance entriesSum lotsRemaining } }';
const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { role scope } }';

function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

describe('journey: paying with WeChat Pay earns points, a refund reverses them', () => {
  let t: TestApp;
  let manager: Persona;
  let staff: Persona;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: {}, demo: true });
    manager = await t.signIn('pay-journey-hq-manager');
    await t.grant(manager.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    staff = await t.signIn('pay-journey-till-staff');
    ok(await t.gql(ASSIGN, { input: { userId: String(staff.userId), role: 'STAFF', scope: 'STORE', storeId: String(t.org.zhonglou) } }, manager.token));
  }, 60_000);
  afterAll(async () => t?.close());

  const paySim = () => {
    if (!t.paySim) throw new Error('the WeChat Pay simulator is not running');
    return t.paySim;
  };
  const order = async (no: string, who: Persona) => ok(await t.gql<{ payOrder: Order }>(ORDER, { no }, who.token)).payOrder;
  const me = async (who: Persona) => ok(await t.gql<Me>(ME, {}, who.token)).me;
  /** The notification deliveries the simulator made for an order (probes excluded), with the API's HTTP status. */
  const deliveries = (no: string, eventType: string) => paySim().deliveries.filter((d) => d.outTradeNo === no && d.eventType === eventType && !d.probe);

  test('create → pay via the simulator → signed, encrypted notification → PAID with points in me → partial refund reverses proportional points → books balance', async () => {
    const member = await t.signIn('pay-journey-member');
    expect((await me(member)).points).toBe(0);

    // The member pays ¥100.00 at 西安钟楼店 (Xi'an: ¥1 = 1 point).
    const intent = ok(await t.gql<{ createPayment: Intent }>(CREATE, { input: { storeId: String(t.org.zhonglou), amountFen: 10_000 } }, member.token)).createPayment;
    expect(intent.pointsPreview).toBe(100);
    expect(intent.order).toMatchObject({ state: 'PENDING', amountFen: 10_000 });
    expect(intent.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx/), timeStamp: expect.stringMatching(/^\d+$/) });
    const no = intent.order.outTradeNo;
    expect((await order(no, member)).state).toBe('PENDING');

    // wx.requestPayment: the simulator checks paySign, marks the transaction SUCCESS and notifies the API.
    const { transactionId } = await paySim().pay(intent.payment);
    expect(transactionId).toMatch(/^\d{28}$/);
    await paySim().idle();
    const sent = deliveries(no, 'TRANSACTION.SUCCESS');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent[0]?.status).toBe(204);

    const paid = await order(no, member);
    expect(paid).toMatchObject({ outTradeNo: no, storeName: '西安钟楼店', amountFen: 10_000, state: 'PAID', points: 100, refundedFen: 0, pointsReversed: 0 });
    expect(paid.paidAt).not.toBeNull();
    const afterPay = await me(member);
    expect(afterPay.points).toBe(100);
    expect(afterPay.ledger.edges[0]?.node).toEqual({ delta: 100, kind: 'EARN', reason: '微信支付 ¥100.00', storeName: '西安钟楼店' });
    expect(afterPay.ledger.edges).toHaveLength(1);

    // Staff at the store refund ¥30.00 of it: 30% of the order's points are reversed once WeChat confirms the refund.
    const refund = ok(
      await t.gql<{ refundPayment: { outRefundNo: string; status: string; amountFen: number } }>(
        REFUND,
        { input: { outTradeNo: no, amountFen: 3_000, reason: '退货一件', idempotencyKey: randomUUID() } },
        staff.token,
      ),
    ).refundPayment;
    expect(refund).toMatchObject({ outTradeNo: no, status: 'PROCESSING', amountFen: 3_000 });
    await paySim().idle();
    expect(paySim().deliveries.filter((d) => d.outRefundNo === refund.outRefundNo && d.eventType === 'REFUND.SUCCESS').map((d) => d.status)).toContain(204);

    const afterRefund = await me(member);
    expect(afterRefund.points).toBe(70);
    expect(afterRefund.ledger.edges.map((e) => e.node)).toEqual([
      { delta: -30, kind: 'REVERSAL', reason: '退款扣回积分 · 退款 ¥30.00', storeName: '西安钟楼店' },
      { delta: 100, kind: 'EARN', reason: '微信支付 ¥100.00', storeName: '西安钟楼店' },
    ]);
    // The member and the store's staff see the same order.
    for (const who of [member, staff]) {
      expect(await order(no, who)).toMatchObject({ state: 'PAID', points: 100, refundedFen: 3_000, pointsReversed: 30 });
    }

    // A late duplicate of the payment notification changes nothing.
    expect(await paySim().redeliver(no)).toBe(204);
    expect((await me(member)).points).toBe(70);

    expect(ok(await t.gql<{ pointsReconciliation: unknown[] }>(RECONCILE, {}, manager.token)).pointsReconciliation).toEqual([]);
  });

  test('pay at the till: staff create the order and show its code → the member scans and pays → both sides see it PAID', async () => {
    const member = await t.signIn('pay-journey-till-member');

    // Staff key in ¥42.00 at the till and show the mini-program code.
    const created = ok(
      await t.gql<{ createTillOrder: { outTradeNo: string; state: string; amountFen: number; storeName: string } }>(
        TILL,
        { input: { storeId: String(t.org.zhonglou), amountFen: 4_200, description: '收银台订单', lines: [{ category: 'general', amountFen: 4_200 }] } },
        staff.token,
      ),
    ).createTillOrder;
    expect(created).toMatchObject({ state: 'PENDING', amountFen: 4_200, storeName: '西安钟楼店' });
    const no = created.outTradeNo;
    const code = ok(await t.gql<{ tillOrderCode: { scene: string; page: string; dataUrl: string } }>(CODE, { no }, staff.token)).tillOrderCode;
    expect(code).toMatchObject({ scene: no, page: 'member/pay/index', dataUrl: expect.stringMatching(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/) });
    const png = Buffer.from(code.dataUrl.slice(code.dataUrl.indexOf(',') + 1), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    // The member scans it: the pay page receives the scene (the order number) and pays.
    const intent = ok(await t.gql<{ payTillOrder: Intent }>(PAY_TILL, { no: code.scene }, member.token)).payTillOrder;
    expect(intent.pointsPreview).toBe(42);
    expect(intent.order).toMatchObject({ outTradeNo: no, state: 'PENDING', amountFen: 4_200 });
    await paySim().pay(intent.payment);
    await paySim().idle();
    expect(deliveries(no, 'TRANSACTION.SUCCESS')[0]?.status).toBe(204);

    for (const who of [member, staff]) {
      const o = await order(no, who);
      expect(o).toMatchObject({ outTradeNo: no, state: 'PAID', points: 42, amountFen: 4_200, refundedFen: 0 });
      expect(o.paidAt).not.toBeNull();
    }
    const m = await me(member);
    expect(m.points).toBe(42);
    expect(m.ledger.edges[0]?.node).toEqual({ delta: 42, kind: 'EARN', reason: '微信支付 ¥42.00', storeName: '西安钟楼店' });
    // Paid: no code to show any more, and nobody else can take it over.
    expect((await t.gql(CODE, { no }, staff.token)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(ok(await t.gql<{ pointsReconciliation: unknown[] }>(RECONCILE, {}, manager.token)).pointsReconciliation).toEqual([]);
  });
});
