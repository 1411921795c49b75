/**
 * Money anomalies (issue #12 item 4) against the WeChat Pay simulator on MariaDB: a validly signed notification (or
 * query answer) that contradicts the order is acknowledged with 2xx so WeChat stops retrying, credits nothing, and
 * becomes one `pay_anomaly` row however often it comes; HQ managers list and resolve them.
 */
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Intent = { order: { outTradeNo: string }; payment: Record<string, string> };

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }`;
const ANOMALIES = 'query($resolved: Boolean) { payAnomalies(resolved: $resolved, first: 50) { id outTradeNo kind expected received source timesSeen resolvedAt resolvedBy resolutionNote } }';
const RESOLVE = 'mutation($id: ID!, $note: String!) { resolvePayAnomaly(id: $id, note: $note) { id resolvedAt resolvedBy resolutionNote } }';

interface AnomalyOut { id: string; outTradeNo: string; kind: string; expected: string; received: string; source: string; timesSeen: number; resolvedAt: string | null; resolvedBy: string | null; resolutionNote: string | null }

describe('WeChat Pay anomalies', () => {
  let t: TestApp;
  let hq: Member;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: {} });
    hq = await t.signIn('anomaly-hq');
    await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  }, 60_000);
  afterAll(async () => t?.close());

  const sim = () => t.paySim!;
  const points = async (m: Member) => (await t.gql<{ me: { points: number } }>('{ me { points } }', {}, m.token)).data?.me.points;
  const anomaliesOf = async (outTradeNo: string) =>
    ((await t.gql<{ payAnomalies: AnomalyOut[] }>(ANOMALIES, {}, hq.token)).data?.payAnomalies ?? []).filter((a) => a.outTradeNo === outTradeNo);
  const rows = async (outTradeNo: string) =>
    toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM pay_anomaly a JOIN pay_order o ON o.id = a.order_id WHERE o.out_trade_no = ?', [outTradeNo]))?.n);
  const post = (h: Record<string, string>, body: string) =>
    fetch(`${t.url}/webhooks/wechatpay`, { method: 'POST', headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])), body }).then((r) => r.status);

  /** A member pays ¥50.00 at 西安钟楼店 (50 points), the notification lost on the way (recovery or a redelivery brings it). */
  async function paidQuietly(): Promise<{ m: Member; intent: Intent; transactionId: string }> {
    const m = await t.signIn(`anomaly-member-${++n}`);
    const r = await t.gql<{ createPayment: Intent }>(CREATE, { input: { storeId: String(t.org.zhonglou), amountFen: 5_000 } }, m.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    const intent = r.data.createPayment;
    Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: true });
    try {
      const { transactionId } = await sim().pay(intent.payment as never);
      await sim().idle();
      return { m, intent, transactionId };
    } finally {
      Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: false });
    }
  }

  test.each([
    ['a wrong amount', { total: 1 }, 'AMOUNT_MISMATCH', '5000', '1'],
    ['another merchant id', { mchid: '1900009999' }, 'MERCHANT_MISMATCH', '1900000109', '1900009999'],
    ['another payer', { openid: 'o_someone_else_entirely' }, 'PAYER_MISMATCH', null, 'another WeChat user'],
  ] as const)('a validly signed notification with %s: 2xx to WeChat, no points, one anomaly however often it comes', async (_name, patch, kind, expected, received) => {
    const { m, intent } = await paidQuietly();
    sim().contradict(intent.order.outTradeNo, patch);
    const before = await t.counts();
    for (let i = 0; i < 15; i++) expect(await sim().redeliver(intent.order.outTradeNo)).toBe(204);
    expect(await points(m)).toBe(0);
    expect(await t.counts()).toEqual(before);
    expect((await t.app.services.payments.order(intent.order.outTradeNo))?.state).toBe('PENDING');
    expect(await rows(intent.order.outTradeNo)).toBe(1);
    const [a] = await anomaliesOf(intent.order.outTradeNo);
    expect(a).toMatchObject({ kind, received, source: 'notify', timesSeen: 15, resolvedAt: null });
    if (expected !== null) expect(a?.expected).toBe(expected);
    // Hand-built copies (the same validly signed message) count too, and still answer 204.
    const copy = sim().buildNotification(intent.order.outTradeNo);
    expect(await post(copy.headers, copy.body)).toBe(204);
    expect((await anomaliesOf(intent.order.outTradeNo))[0]?.timesSeen).toBe(16);
  });

  test('a transaction id already bound to another order: 2xx, no points, one anomaly; the first order keeps its points', async () => {
    const first = await paidQuietly();
    expect(await sim().redeliver(first.intent.order.outTradeNo)).toBe(204);
    expect(await points(first.m)).toBe(50);
    const second = await paidQuietly();
    sim().contradict(second.intent.order.outTradeNo, { transactionId: first.transactionId });
    for (let i = 0; i < 3; i++) expect(await sim().redeliver(second.intent.order.outTradeNo)).toBe(204);
    expect(await points(second.m)).toBe(0);
    expect(await points(first.m)).toBe(50);
    const list = await anomaliesOf(second.intent.order.outTradeNo);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'TRANSACTION_REUSED', received: `already paid ${first.intent.order.outTradeNo}`, timesSeen: 3 });
    expect(await anomaliesOf(first.intent.order.outTradeNo)).toEqual([]);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('recovery by query with a mismatching amount: an anomaly, no points; the order then waits for a manager', async () => {
    const { m, intent } = await paidQuietly();
    sim().contradict(intent.order.outTradeNo, { total: 4_999 });
    const later = new Date(Date.now() + 10 * 60_000);
    const run = await t.app.services.payments.recover(later);
    expect(run.completed).toBe(0);
    expect(await points(m)).toBe(0);
    expect(await anomaliesOf(intent.order.outTradeNo)).toEqual([expect.objectContaining({ kind: 'AMOUNT_MISMATCH', expected: '5000', received: '4999', source: 'query', timesSeen: 1 })]);
    // The next runs leave it alone (no loop of queries counting the same contradiction).
    await t.app.services.payments.recover(later);
    expect((await anomaliesOf(intent.order.outTradeNo))[0]?.timesSeen).toBe(1);
    // WeChat's notification of the same payment is the same anomaly, seen again.
    expect(await sim().redeliver(intent.order.outTradeNo)).toBe(204);
    expect(await anomaliesOf(intent.order.outTradeNo)).toEqual([expect.objectContaining({ kind: 'AMOUNT_MISMATCH', source: 'query', timesSeen: 2 })]);
  });

  test('a correct notification still completes the order (no anomaly), and an unverifiable one is still 401', async () => {
    const { m, intent } = await paidQuietly();
    const bad = sim().buildNotification(intent.order.outTradeNo, { tamper: 'signature' });
    expect(await post(bad.headers, bad.body)).toBe(401);
    expect(await sim().redeliver(intent.order.outTradeNo)).toBe(204);
    expect(await points(m)).toBe(50);
    expect(await anomaliesOf(intent.order.outTradeNo)).toEqual([]);
  });

  test('HQ managers resolve an anomaly once, with a note; lists filter by resolved', async () => {
    const { intent } = await paidQuietly();
    sim().contradict(intent.order.outTradeNo, { total: 2 });
    expect(await sim().redeliver(intent.order.outTradeNo)).toBe(204);
    const [a] = await anomaliesOf(intent.order.outTradeNo);
    expect(a).toBeDefined();
    const empty = await t.gql(RESOLVE, { id: a!.id, note: '  ' }, hq.token);
    expect(empty.errors?.[0]?.extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
    const r = await t.gql<{ resolvePayAnomaly: AnomalyOut }>(RESOLVE, { id: a!.id, note: '已与微信支付核实，已原路退款' }, hq.token);
    expect(r.errors).toBeUndefined();
    expect(r.data?.resolvePayAnomaly).toMatchObject({ resolvedBy: String(hq.userId), resolutionNote: '已与微信支付核实，已原路退款' });
    expect(r.data?.resolvePayAnomaly.resolvedAt).toBeTruthy();
    const again = await t.gql(RESOLVE, { id: a!.id, note: '再次处理' }, hq.token);
    expect(again.errors?.[0]?.extensions?.code).toBe(ErrorCode.CONFLICT);
    const open = (await t.gql<{ payAnomalies: AnomalyOut[] }>(ANOMALIES, { resolved: false }, hq.token)).data?.payAnomalies ?? [];
    const done = (await t.gql<{ payAnomalies: AnomalyOut[] }>(ANOMALIES, { resolved: true }, hq.token)).data?.payAnomalies ?? [];
    expect(open.map((x) => x.id)).not.toContain(a!.id);
    expect(done.map((x) => x.id)).toContain(a!.id);
    const missing = await t.gql(RESOLVE, { id: '99999999', note: 'x' }, hq.token);
    expect(missing.errors?.[0]?.extensions?.code).toBe(ErrorCode.NOT_FOUND);
  });
});
