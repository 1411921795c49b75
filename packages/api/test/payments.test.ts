/**
 * WeChat Pay (F5) against the WeChat Pay v3 simulator (real RSA signatures, real AES-256-GCM) on MariaDB:
 * exactly-once accrual under duplicate, concurrent and late notifications; tampered notifications rejected with
 * nothing changed; recovery by query; partial refunds reversing proportional points with the books balanced.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { startTestApp, type TestApp } from './support/harness';

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Intent = { order: { outTradeNo: string; state: string }; payment: Record<string, string>; pointsPreview: number };

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { pointsPreview order { outTradeNo state amountFen } payment { appId timeStamp nonceStr package signType paySign } } }`;
const ORDER = `query($no: String!) { payOrder(outTradeNo: $no) { outTradeNo state points refundedFen pointsReversed } }`;
const REFUND = `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { outRefundNo status amountFen pointsReversed pointsUncollected } }`;
const ME = `{ me { points ledger(first: 5) { edges { node { delta kind reason storeName } } } } }`;

describe('WeChat Pay', () => {
  let t: TestApp;
  let staff: Member;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: {} });
    staff = await t.signIn('pay-staff');
    await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
  }, 60_000);
  afterAll(async () => t?.close());

  const sim = () => t.paySim!;
  const errCode = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
  const newMember = () => t.signIn(`pay-member-${++n}`);
  const points = async (m: Member) => (await t.gql<{ me: { points: number } }>(ME, {}, m.token)).data?.me.points;
  /** Xi'an: ¥1 = 1 point, so ¥100.00 earns 100. */
  const create = async (m: Member, amountFen = 10_000, storeId = t.org.zhonglou) => {
    const r = await t.gql<{ createPayment: Intent }>(CREATE, { input: { storeId: String(storeId), amountFen } }, m.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createPayment;
  };
  const post = (h: Record<string, string>, body: string) => {
    const headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    return fetch(`${t.url}/webhooks/wechatpay`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);
  };

  test('the journey: create → pay → notification → points in me, once, although delivered 5 times (some concurrently) and again after recovery', async () => {
    const m = await newMember();
    const intent = await create(m);
    expect(intent.pointsPreview).toBe(100);
    expect(intent.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
    Object.assign(sim().notifications, { duplicates: 4, concurrent: true, drop: false });
    try {
      await sim().pay(intent.payment as never);
      await sim().idle();
    } finally {
      Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: false });
    }
    const delivered = sim().deliveries.filter((d) => d.outTradeNo === intent.order.outTradeNo && !d.probe && d.eventType === 'TRANSACTION.SUCCESS');
    expect(delivered.length).toBeGreaterThanOrEqual(5);
    expect(await points(m)).toBe(100);
    const rec = await t.app.services.payments.recover(new Date(Date.now() + 60 * 60_000));
    expect(rec.completed).toBe(0);
    expect(await sim().redeliver(intent.order.outTradeNo)).toBe(204);
    expect(await points(m)).toBe(100);
    const o = await t.gql<{ payOrder: { state: string; points: number } }>(ORDER, { no: intent.order.outTradeNo }, m.token);
    expect(o.data?.payOrder).toMatchObject({ state: 'PAID', points: 100 });
    const me = await t.gql<{ me: { ledger: { edges: { node: { delta: number; reason: string } }[] } } }>(ME, {}, m.token);
    expect(me.data?.me.ledger.edges[0]?.node).toEqual({ delta: 100, kind: 'EARN', reason: '微信支付 ¥100.00', storeName: '西安钟楼店' });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a lost notification is recovered by querying the order; later notifications change nothing', async () => {
    const m = await newMember();
    const intent = await create(m, 5_000);
    Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: true });
    try {
      await sim().pay(intent.payment as never);
      await sim().idle();
    } finally {
      Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: false });
    }
    expect(await points(m)).toBe(0);
    expect((await t.app.services.payments.order(intent.order.outTradeNo))?.state).toBe('PENDING');
    // Not yet due for recovery (created moments ago): nothing happens.
    expect((await t.app.services.payments.recover()).completed).toBe(0);
    const rec = await t.app.services.payments.recover(new Date(Date.now() + 10 * 60_000));
    expect(rec.completed).toBe(1);
    expect(await points(m)).toBe(50);
    expect(await sim().redeliver(intent.order.outTradeNo)).toBe(204);
    expect(await points(m)).toBe(50);
  });

  test.each(['signature', 'serial', 'timestamp', 'probe', 'ciphertext', 'tag', 'key'] as const)('a notification with a bad %s is rejected and changes nothing', async (tamper) => {
    const m = await newMember();
    const intent = await create(m, 2_000);
    Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: true });
    try {
      await sim().pay(intent.payment as never);
      await sim().idle();
    } finally {
      Object.assign(sim().notifications, { duplicates: 0, concurrent: false, drop: false });
    }
    const before = await t.counts();
    const bad = sim().buildNotification(intent.order.outTradeNo, { tamper });
    expect(await post(bad.headers, bad.body)).toBe(401);
    expect(await t.counts()).toEqual(before);
    expect((await t.app.services.payments.order(intent.order.outTradeNo))?.state).toBe('PENDING');
    const good = sim().buildNotification(intent.order.outTradeNo);
    expect(await post(good.headers, good.body)).toBe(204);
    expect(await points(m)).toBe(20);
  });

  test('a partial refund claws back the proportional points; the books balance; over-refunds are refused', async () => {
    const m = await newMember();
    const intent = await create(m, 10_000);
    await sim().pay(intent.payment as never);
    await sim().idle();
    expect(await points(m)).toBe(100);
    const r1 = await t.gql<{ refundPayment: { status: string } }>(REFUND, { input: { outTradeNo: intent.order.outTradeNo, amountFen: 3_000, reason: '退货一件', idempotencyKey: randomUUID() } }, staff.token);
    expect(r1.errors).toBeUndefined();
    expect(r1.data?.refundPayment.status).toBe('PROCESSING');
    await sim().idle();
    expect(await points(m)).toBe(70);
    const me = await t.gql<{ me: { ledger: { edges: { node: { delta: number; kind: string } }[] } } }>(ME, {}, m.token);
    expect(me.data?.me.ledger.edges[0]?.node).toMatchObject({ delta: -30, kind: 'REVERSAL' });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
    const before = await t.counts();
    const over = await t.gql(REFUND, { input: { outTradeNo: intent.order.outTradeNo, amountFen: 7_001, idempotencyKey: randomUUID() } }, staff.token);
    expect(errCode(over)).toBe(ErrorCode.BAD_USER_INPUT);
    expect(await t.counts()).toEqual(before);
    const rest = await t.gql(REFUND, { input: { outTradeNo: intent.order.outTradeNo, amountFen: 7_000, idempotencyKey: randomUUID() } }, staff.token);
    expect(rest.errors).toBeUndefined();
    await sim().idle();
    expect(await points(m)).toBe(0);
    const o = await t.gql<{ payOrder: { refundedFen: number; pointsReversed: number } }>(ORDER, { no: intent.order.outTradeNo }, m.token);
    expect(o.data?.payOrder).toMatchObject({ refundedFen: 10_000, pointsReversed: 100 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('when the member already spent the points, the clawback is capped at what is left and the rest is recorded', async () => {
    const m = await newMember();
    const intent = await create(m, 10_000);
    await sim().pay(intent.payment as never);
    await sim().idle();
    await t.gql(
      'mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { balance } }',
      { input: { memberCode: t.codeOf(m), storeId: String(t.org.zhonglou), points: 80, reason: '兑换', idempotencyKey: randomUUID() } },
      staff.token,
    );
    expect(await points(m)).toBe(20);
    const r = await t.gql<{ refundPayment: { outRefundNo: string } }>(REFUND, { input: { outTradeNo: intent.order.outTradeNo, amountFen: 5_000, idempotencyKey: randomUUID() } }, staff.token);
    await sim().idle();
    expect(await points(m)).toBe(0);
    const row = await t.app.services.payments.refunds.refundRow(r.data?.refundPayment.outRefundNo as string);
    expect(row).toMatchObject({ status: 'SUCCESS', pointsReversed: 20, pointsUncollected: 30 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a refund stored but never sent (the process died in between) is sent on the same-key retry, or by recovery', async () => {
    const m = await newMember();
    const intent = await create(m, 10_000);
    await sim().pay(intent.payment as never);
    await sim().idle();
    expect(await points(m)).toBe(100);
    const no = intent.order.outTradeNo;
    const order = await t.app.services.payments.order(no);
    const q = t.app.services.db.q;
    const sha = (x: string) => createHash('sha256').update(x).digest('hex');
    /** The row exactly as refund() stores it before calling WeChat Pay; the crash comes before the call. */
    const storedOnly = async (key: string, amountFen: number, createdAt: Date) => {
      const outRefundNo = `RF${sha(key).slice(0, 30).toUpperCase()}`;
      await q.run("INSERT INTO pay_refund (order_id, out_refund_no, amount_fen, reason, status, points_reversed, points_uncollected, created_by_id, request_hash, created_at) VALUES (?, ?, ?, NULL, 'PROCESSING', 0, 0, ?, ?, ?)", [
        order?.id, outRefundNo, amountFen, staff.userId, sha(JSON.stringify([no, amountFen])), q.ts(createdAt),
      ]);
      return outRefundNo;
    };
    // 1. The staff retry with the same key sends it: refunded once, points reversed once.
    const key = randomUUID();
    const first = await storedOnly(key, 3_000, new Date());
    const retry = await t.gql<{ refundPayment: { outRefundNo: string } }>(REFUND, { input: { outTradeNo: no, amountFen: 3_000, idempotencyKey: key } }, staff.token);
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.refundPayment.outRefundNo).toBe(first);
    await sim().idle();
    expect((await t.app.services.payments.refunds.refundRow(first))?.status).toBe('SUCCESS');
    expect(await points(m)).toBe(70);
    // 2. Nobody retries: recovery sends it once it is older than the recovery delay (not before).
    const second = await storedOnly(randomUUID(), 2_000, new Date(Date.now() - 10 * 60_000));
    const rec = await t.app.services.payments.recover();
    expect(rec.refundsResent).toBe(1);
    await sim().idle();
    expect((await t.app.services.payments.refunds.refundRow(second))?.status).toBe('SUCCESS');
    expect(await points(m)).toBe(50);
    expect((await t.app.services.payments.recover()).refundsResent).toBe(0);
    const o = await t.gql<{ payOrder: { refundedFen: number; pointsReversed: number } }>(ORDER, { no }, m.token);
    expect(o.data?.payOrder).toMatchObject({ refundedFen: 5_000, pointsReversed: 50 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('refunds: the same key twice refunds once; staff of another store are FORBIDDEN', async () => {
    const m = await newMember();
    const intent = await create(m, 10_000);
    await sim().pay(intent.payment as never);
    await sim().idle();
    const key = randomUUID();
    const input = { outTradeNo: intent.order.outTradeNo, amountFen: 1_000, idempotencyKey: key };
    const [a, b] = await Promise.all([t.gql<{ refundPayment: { outRefundNo: string } }>(REFUND, { input }, staff.token), t.gql<{ refundPayment: { outRefundNo: string } }>(REFUND, { input }, staff.token)]);
    expect(a.data?.refundPayment.outRefundNo).toBe(b.data?.refundPayment.outRefundNo);
    await sim().idle();
    expect(await points(m)).toBe(90);
    const other = await t.signIn('pay-staff-bj');
    await t.grant(other.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    const before = await t.counts();
    expect(errCode(await t.gql(REFUND, { input: { ...input, idempotencyKey: randomUUID() } }, other.token))).toBe(ErrorCode.FORBIDDEN);
    expect(await t.counts()).toEqual(before);
  });

  test('pay at the till: staff create the order, the member who scans it pays and earns', async () => {
    const m = await newMember();
    const o = await t.gql<{ createTillOrder: { outTradeNo: string } }>(
      'mutation($input: CreatePaymentInput!) { createTillOrder(input: $input) { outTradeNo state } }',
      { input: { storeId: String(t.org.zhonglou), amountFen: 4_200, description: '收银台订单' } },
      staff.token,
    );
    expect(o.errors).toBeUndefined();
    const no = o.data?.createTillOrder.outTradeNo as string;
    const p = await t.gql<{ payTillOrder: Intent }>('mutation($no: String!) { payTillOrder(outTradeNo: $no) { pointsPreview payment { appId timeStamp nonceStr package signType paySign } order { outTradeNo } } }', { no }, m.token);
    expect(p.errors).toBeUndefined();
    expect(p.data?.payTillOrder.pointsPreview).toBe(42);
    await sim().pay(p.data?.payTillOrder.payment as never);
    await sim().idle();
    expect(await points(m)).toBe(42);
    // Someone else cannot take over a paid order.
    const intruder = await newMember();
    expect(errCode(await t.gql('mutation($no: String!) { payTillOrder(outTradeNo: $no) { order { outTradeNo } } }', { no }, intruder.token))).toBe(ErrorCode.CONFLICT);
  });

  test('pay at the till: staff get the mini-program code to show (scene = the order number), members and other stores do not', async () => {
    const TILL = 'mutation($input: CreatePaymentInput!) { createTillOrder(input: $input) { outTradeNo } }';
    const CODE = 'query($no: String!) { tillOrderCode(outTradeNo: $no) { scene page dataUrl } }';
    const tillOrder = async (amountFen = 1_800) => {
      const r = await t.gql<{ createTillOrder: { outTradeNo: string } }>(TILL, { input: { storeId: String(t.org.zhonglou), amountFen } }, staff.token);
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      return r.data.createTillOrder.outTradeNo;
    };
    const no = await tillOrder();
    expect(no).toMatch(/^QZ[0-9A-Z]{26}$/);
    const r = await t.gql<{ tillOrderCode: { scene: string; page: string; dataUrl: string } }>(CODE, { no }, staff.token);
    expect(r.errors).toBeUndefined();
    const code = r.data?.tillOrderCode;
    expect(code).toMatchObject({ scene: no, page: 'member/pay/index', dataUrl: expect.stringMatching(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/) });
    const png = Buffer.from((code?.dataUrl ?? '').split(',')[1] ?? '', 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([430, 430]);
    // What WeChat was asked for: the release version (WECHAT_WXACODE_ENV), no page check outside production.
    expect(t.sim.wxaCodes.at(-1)).toMatchObject({ scene: no, page: 'member/pay/index', env_version: 'release', check_path: false });
    // A re-rendered staff screen does not ask WeChat again.
    const calls = t.sim.calls.getwxacodeunlimit;
    expect((await t.gql<{ tillOrderCode: { dataUrl: string } }>(CODE, { no }, staff.token)).data?.tillOrderCode.dataUrl).toBe(code?.dataUrl);
    expect(t.sim.calls.getwxacodeunlimit).toBe(calls);

    // Staff of another store, a member, and nobody signed in may not; unknown orders are NOT_FOUND.
    const other = await t.signIn('pay-staff-bj-code');
    await t.grant(other.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    expect(errCode(await t.gql(CODE, { no }, other.token))).toBe(ErrorCode.FORBIDDEN);
    const m = await newMember();
    expect(errCode(await t.gql(CODE, { no }, m.token))).toBe(ErrorCode.FORBIDDEN);
    expect(errCode(await t.gql(CODE, { no }, null))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(errCode(await t.gql(CODE, { no: 'QZ00000000000000000000000000' }, staff.token))).toBe(ErrorCode.NOT_FOUND);
    expect(t.sim.calls.getwxacodeunlimit).toBe(calls);
    // A manager whose region covers the store may (like till.lookup).
    const mgr = await t.signIn('pay-manager-xa-code');
    await t.grant(mgr.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
    expect((await t.gql<{ tillOrderCode: { scene: string } }>(CODE, { no }, mgr.token)).data?.tillOrderCode.scene).toBe(no);

    // The member scans it: the page gets the scene, pays, and earns; a paid order has no code to show any more.
    const scene = t.sim.wxaCodes.at(-1)?.scene as string;
    const p = await t.gql<{ payTillOrder: Intent }>('mutation($no: String!) { payTillOrder(outTradeNo: $no) { pointsPreview payment { appId timeStamp nonceStr package signType paySign } order { outTradeNo } } }', { no: scene }, m.token);
    expect(p.data?.payTillOrder.pointsPreview).toBe(18);
    await sim().pay(p.data?.payTillOrder.payment as never);
    await sim().idle();
    expect(await points(m)).toBe(18);
    expect(errCode(await t.gql(CODE, { no }, staff.token))).toBe(ErrorCode.CONFLICT);
    // An order the member created in the mini-program is not a till order.
    const own = await create(m, 500);
    expect(errCode(await t.gql(CODE, { no: own.order.outTradeNo }, staff.token))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  test('the till-order code: WeChat failing is WECHAT_UNAVAILABLE (the order stays payable by number); release codes in production have WeChat check the page', async () => {
    const CODE = 'query($no: String!) { tillOrderCode(outTradeNo: $no) { scene page dataUrl } }';
    const tillOrder = async () =>
      (await t.gql<{ createTillOrder: { outTradeNo: string } }>('mutation($input: CreatePaymentInput!) { createTillOrder(input: $input) { outTradeNo } }', { input: { storeId: String(t.org.zhonglou), amountFen: 900 } }, staff.token)).data
        ?.createTillOrder.outTradeNo as string;
    const no = await tillOrder();
    t.sim.failNext('getwxacodeunlimit', 45009);
    const failed = await t.gql(CODE, { no }, staff.token);
    expect(errCode(failed)).toBe(ErrorCode.WECHAT_UNAVAILABLE);
    const o = await t.gql<{ payOrder: { outTradeNo: string; state: string } }>(ORDER, { no }, staff.token);
    expect(o.data?.payOrder).toMatchObject({ outTradeNo: no, state: 'PENDING' });
    // Not cached: the next try reaches WeChat and succeeds.
    expect((await t.gql(CODE, { no }, staff.token)).errors).toBeUndefined();

    const wxacode = t.app.services.config.wechat.wxacode;
    const saved = { ...wxacode };
    try {
      Object.assign(wxacode, { envVersion: 'release', checkPath: true });
      const prod = await tillOrder();
      expect((await t.gql(CODE, { no: prod }, staff.token)).errors).toBeUndefined();
      expect(t.sim.wxaCodes.at(-1)).toMatchObject({ scene: prod, page: 'member/pay/index', env_version: 'release', check_path: true });
      Object.assign(wxacode, { envVersion: 'trial', checkPath: false });
      const trial = await tillOrder();
      expect((await t.gql(CODE, { no: trial }, staff.token)).errors).toBeUndefined();
      expect(t.sim.wxaCodes.at(-1)).toMatchObject({ scene: trial, env_version: 'trial', check_path: false });
    } finally {
      Object.assign(wxacode, saved);
    }
  });

  test('a long Chinese description is cut to WeChat Pay\'s 127 bytes, not rejected', async () => {
    const m = await newMember();
    const r = await t.gql<{ createPayment: { order: { outTradeNo: string } } }>(CREATE, { input: { storeId: String(t.org.zhonglou), amountFen: 100, description: '会员消费'.repeat(20) } }, m.token);
    expect(r.errors).toBeUndefined();
    const o = await t.app.services.payments.order(r.data?.createPayment.order.outTradeNo as string);
    expect(Buffer.byteLength(o?.description ?? '')).toBeLessThanOrEqual(127);
    expect(o?.description.startsWith('会员消费会员消费')).toBe(true);
  });

  test('an unpaid order is closed by recovery once it expires', async () => {
    const m = await newMember();
    const intent = await create(m, 1_000);
    const rec = await t.app.services.payments.recover(new Date(Date.now() + 31 * 60_000));
    expect(rec.closed).toBeGreaterThanOrEqual(1);
    expect((await t.app.services.payments.order(intent.order.outTradeNo))?.state).toBe('CLOSED');
    await expect(sim().pay(intent.payment as never)).rejects.toThrow();
  });

  test('bad input gets a clear error and creates no order', async () => {
    const m = await newMember();
    const before = await t.counts();
    for (const [input, code] of [
      [{ storeId: String(t.org.zhonglou), amountFen: -5 }, ErrorCode.BAD_USER_INPUT],
      [{ storeId: '999999', amountFen: 100 }, ErrorCode.NOT_FOUND],
      [{ storeId: String(t.org.zhonglou), amountFen: 100, lines: [{ category: 'general', amountFen: 99 }] }, ErrorCode.BAD_USER_INPUT],
      // A member cannot claim a category with a bigger multiplier for their own payment.
      [{ storeId: String(t.org.zhonglou), amountFen: 100, lines: [{ category: 'fresh', amountFen: 100 }] }, ErrorCode.BAD_USER_INPUT],
    ] as const) {
      expect(errCode(await t.gql(CREATE, { input }, m.token))).toBe(code);
    }
    expect(errCode(await t.gql(CREATE, { input: { storeId: String(t.org.zhonglou), amountFen: 100 } }, null))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await t.counts()).toEqual(before);
  });
});
