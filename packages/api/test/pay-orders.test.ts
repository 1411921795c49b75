/**
 * payOrders (the console's 支付与退款): the WeChat Pay orders of the stores a user may refund at, against the WeChat Pay
 * simulator on MariaDB — scope (HQ, region, store, staff; others FORBIDDEN), filters, the refunds of each order with
 * their status, what is still refundable, and bad input refused.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/harness';

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Intent = { order: { outTradeNo: string }; payment: Record<string, string> };
interface Page {
  total: number;
  items: { outTradeNo: string; storeName: string; memberNo: string | null; state: string; amountFen: number; points: number | null; refundableFen: number; refunds: { amountFen: number; status: string; reason: string | null; pointsReversed: number }[] }[];
}

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }`;
const REFUND = `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { status } }`;
const LIST = `query($filter: PayOrderFilterInput, $first: Int!, $offset: Int!) {
  payOrders(filter: $filter, first: $first, offset: $offset) {
    total
    items { outTradeNo storeName memberNo state amountFen points refundableFen refunds { amountFen status reason pointsReversed } }
  }
}`;

describe('payOrders', () => {
  let t: TestApp;
  let hq: Member, bj: Member, zlManager: Member, zlStaff: Member, payer: Member;
  const orders: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: {} });
    [hq, bj, zlManager, zlStaff, payer] = (await Promise.all(['po-hq', 'po-bj', 'po-zl', 'po-zl-staff', 'po-payer'].map((n) => t.signIn(n)))) as [Member, Member, Member, Member, Member];
    await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    await t.grant(bj.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
    await t.grant(zlManager.userId, { role: 'MANAGER', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
    await t.grant(zlStaff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
    const pay = async (name: string, storeId: number, amountFen: number, paid: boolean) => {
      const r = await t.gql<{ createPayment: Intent }>(CREATE, { input: { storeId: String(storeId), amountFen } }, payer.token);
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      orders[name] = r.data.createPayment.order.outTradeNo;
      if (paid) {
        await t.paySim!.pay(r.data.createPayment.payment as never);
        await t.paySim!.idle();
      }
    };
    await pay('zhonglouPaid', t.org.zhonglou, 10_000, true);
    await pay('zhonglouPending', t.org.zhonglou, 2_000, false);
    await pay('guomaoPaid', t.org.guomao, 5_000, true);
  }, 60_000);
  afterAll(async () => t?.close());

  const list = (m: Member, filter: Record<string, unknown> | null = null, first = 20, offset = 0) => t.gql<{ payOrders: Page }>(LIST, { filter, first, offset }, m.token);
  const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
  const nos = (p?: Page) => p?.items.map((i) => i.outTradeNo).sort();

  test('each sees the orders of the stores they may refund at, newest first', async () => {
    const all = (await list(hq)).data?.payOrders;
    expect(all?.total).toBe(3);
    expect(all?.items.map((i) => i.outTradeNo)).toEqual([orders.guomaoPaid, orders.zhonglouPending, orders.zhonglouPaid]);
    expect(all?.items[0]).toMatchObject({ storeName: '北京国贸店', memberNo: payer.memberNo, state: 'PAID', amountFen: 5_000, points: 5, refundableFen: 5_000, refunds: [] });
    expect(all?.items[1]).toMatchObject({ state: 'PENDING', refundableFen: 0 });
    expect(nos((await list(bj)).data?.payOrders)).toEqual([orders.guomaoPaid]);
    expect(nos((await list(zlManager)).data?.payOrders)).toEqual([orders.zhonglouPaid, orders.zhonglouPending].sort());
    expect(nos((await list(zlStaff)).data?.payOrders)).toEqual([orders.zhonglouPaid, orders.zhonglouPending].sort());
  });

  test('filters: state, store, order number; pages by first/offset', async () => {
    expect(nos((await list(hq, { state: 'PAID' })).data?.payOrders)).toEqual([orders.guomaoPaid, orders.zhonglouPaid].sort());
    expect(nos((await list(hq, { storeId: String(t.org.zhonglou), state: 'PENDING' })).data?.payOrders)).toEqual([orders.zhonglouPending]);
    expect(nos((await list(hq, { outTradeNo: orders.zhonglouPaid })).data?.payOrders)).toEqual([orders.zhonglouPaid]);
    const second = (await list(hq, null, 1, 1)).data?.payOrders;
    expect(second).toMatchObject({ total: 3, items: [{ outTradeNo: orders.zhonglouPending }] });
  });

  test('a store outside the scope, and anyone without a refund grant, are FORBIDDEN', async () => {
    expect(code(await list(bj, { storeId: String(t.org.zhonglou) }))).toBe('FORBIDDEN');
    expect(code(await list(zlManager, { storeId: String(t.org.guomao) }))).toBe('FORBIDDEN');
    expect(code(await list(payer))).toBe('FORBIDDEN');
    expect(code(await t.gql(LIST, { filter: null, first: 5, offset: 0 }))).toBe('UNAUTHENTICATED');
  });

  test('refunds show with their status and reason; refundable drops by refunds processing or done', async () => {
    const no = orders.zhonglouPaid as string;
    const r = await t.gql<{ refundPayment: { status: string } }>(REFUND, { input: { outTradeNo: no, amountFen: 3_000, reason: '退货一件', idempotencyKey: randomUUID() } }, zlManager.token);
    expect(r.errors).toBeUndefined();
    await t.paySim!.idle();
    const o = (await list(zlManager, { outTradeNo: no })).data?.payOrders.items[0];
    expect(o).toMatchObject({ refundableFen: 7_000, refunds: [{ amountFen: 3_000, status: 'SUCCESS', reason: '退货一件', pointsReversed: 30 }] });
  });

  test.each<[string, Record<string, unknown> | null, number, number]>([
    ['first 0', null, 0, 0],
    ['first over 100', null, 101, 0],
    ['a negative offset', null, 5, -1],
    ['an unknown order number shape', { outTradeNo: 'x y' }, 5, 0],
  ])('bad input (%s) is BAD_USER_INPUT', async (_n, filter, first, offset) => {
    expect(code(await list(hq, filter, first, offset))).toBe('BAD_USER_INPUT');
  });
});
