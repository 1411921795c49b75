/**
 * The demo's `POST /demo/pay` (the WeChat Pay simulator plays wx.requestPayment): every refusal answers its own
 * error code and changes nothing. Expiry is set, not waited for: the simulator's clock runs `simAhead` ms ahead of
 * the API's (wechatpay-node-v3 signs the API's outbound calls with the process time, so only the phone's side — the
 * simulator's pay() — is moved), and recovery is given its `now`.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { startTestApp, type TestApp } from './support/harness';

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Intent = { order: { outTradeNo: string; state: string }; payment: Record<string, string> };

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo state } payment { appId timeStamp nonceStr package signType paySign } } }`;
const ORDER = `query($no: String!) { payOrder(outTradeNo: $no) { state points } }`;
const MINUTE = 60_000;

describe('/demo/pay refusals', () => {
  let t: TestApp;
  let m: Member;
  let simAhead = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: { now: () => clock.ms() + simAhead }, demo: true });
    m = await t.signIn('demo-pay-member');
  }, 60_000);
  afterEach(() => {
    simAhead = 0;
    clock.reset();
  });
  afterAll(async () => t?.close());

  const create = async (): Promise<Intent> => {
    const r = await t.gql<{ createPayment: Intent }>(CREATE, { input: { storeId: String(t.org.zhonglou), amountFen: 2_000 } }, m.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createPayment;
  };
  const pay = async (params: Record<string, unknown>) => {
    const res = await fetch(`${t.url}/demo/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    return { status: res.status, body: (await res.json()) as { code?: string; message?: string; transactionId?: string } };
  };
  const state = async (outTradeNo: string) => (await t.gql<{ payOrder: { state: string; points: number | null } }>(ORDER, { no: outTradeNo }, m.token)).data?.payOrder;
  /** Proves a refusal changed nothing: the order is still pending at the simulator and here, no points. */
  const unchanged = async (intent: Intent) => {
    expect(t.paySim!.order(intent.order.outTradeNo)).toMatchObject({ trade_state: 'NOTPAY' });
    expect(await state(intent.order.outTradeNo)).toEqual({ state: 'PENDING', points: null });
  };

  test('bad parameters: PAY_PARAMS_INVALID (missing or malformed fields, another appId)', async () => {
    const intent = await create();
    const cases: Record<string, unknown>[] = [
      { ...intent.payment, paySign: '' },
      { ...intent.payment, signType: 'MD5' },
      { ...intent.payment, timeStamp: 'yesterday' },
      { ...intent.payment, package: 'prepay=1' },
      { ...intent.payment, appId: 'wx_other_appid' },
    ];
    for (const params of cases) {
      const r = await pay(params);
      expect({ status: r.status, code: r.body.code }).toEqual({ status: 400, code: ErrorCode.PAY_PARAMS_INVALID });
      expect(r.body.message).toMatch(/^requestPayment:fail /);
    }
    await unchanged(intent);
  });

  test('a paySign that does not verify: PAY_SIGNATURE_INVALID', async () => {
    const intent = await create();
    const other = await create();
    const r = await pay({ ...intent.payment, paySign: other.payment.paySign });
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 400, code: ErrorCode.PAY_SIGNATURE_INVALID });
    await unchanged(intent);
  });

  test('an unknown prepay_id: NOT_FOUND', async () => {
    const intent = await create();
    const r = await pay({ ...intent.payment, package: 'prepay_id=wx00000000000000000000000000000000' });
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 404, code: ErrorCode.NOT_FOUND });
    await unchanged(intent);
  });

  test('paying twice: the first pays, the second is ORDER_PAID (points credited once)', async () => {
    const intent = await create();
    const first = await pay(intent.payment);
    expect(first.status).toBe(200);
    expect(first.body.transactionId).toMatch(/^\d+$/);
    await t.paySim!.idle();
    const second = await pay(intent.payment);
    expect({ status: second.status, code: second.body.code }).toEqual({ status: 409, code: ErrorCode.ORDER_PAID });
    expect(await state(intent.order.outTradeNo)).toEqual({ state: 'PAID', points: 20 });
  });

  test('after its time_expire: ORDER_EXPIRED; once recovery closed it: ORDER_CLOSED', async () => {
    const expiring = await create();
    const closing = await create();
    simAhead = 31 * MINUTE; // the phone pays after PAY_ORDER_TTL_MINUTES (30)
    const expired = await pay(expiring.payment);
    simAhead = 0;
    expect({ status: expired.status, code: expired.body.code }).toEqual({ status: 409, code: ErrorCode.ORDER_EXPIRED });
    await unchanged(expiring);

    await t.app.services.payments.recover(new Date(clock.ms() + 31 * MINUTE));
    expect(await state(closing.order.outTradeNo)).toEqual({ state: 'CLOSED', points: null });
    const closed = await pay(closing.payment);
    expect({ status: closed.status, code: closed.body.code }).toEqual({ status: 409, code: ErrorCode.ORDER_CLOSED });
    expect(t.paySim!.order(closing.order.outTradeNo)).toMatchObject({ trade_state: 'CLOSED' });
  });
});
