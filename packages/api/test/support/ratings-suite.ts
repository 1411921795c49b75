/**
 * Instant service ratings (F11, issue #15 item 6) over real HTTP, run against each database (MariaDB and libsql): the operations open for rating, a
 * rating once per operation within 24 hours (the API's clock decides), the low-rating alert in the manager's inbox in
 * the same transaction as the rating, managers' views and follow-up within their scope only, the bonus points through
 * the ledger, the member's profile, and bad input that changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import type { TestDialect } from './db';
import { startTestApp, type GqlResult, type TestApp } from './harness';

type Persona = Awaited<ReturnType<TestApp['signIn']>>;

const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }';
const PENDING = '{ myPendingRatings { kind operationId summary storeName occurredAt closesAt bonusPoints } }';
const RATE = `mutation($kind: RatedOperationKind!, $id: ID!, $stars: Int!, $comment: String) {
  rateOperation(kind: $kind, operationId: $id, stars: $stars, comment: $comment) { id kind operationId summary storeName stars comment pointsAwarded } }`;
const MY_RATINGS = '{ myRatings(first: 20) { id kind stars comment summary } me { ratingStats { count average distribution lastRatedAt } } }';
const INBOX = '{ myNotifications(first: 50) { kind title body page delivery } }';
const LIST = `query($filter: RatingFilterInput, $first: Int, $offset: Int) { serviceRatings(filter: $filter, first: $first, offset: $offset) {
  total items { id kind stars comment storeId storeName staffUserId staffName memberNo memberRatings memberAverage followUp acknowledgedBy resolvedBy resolutionNote summary } } }`;
const ONE = 'query($id: ID!) { serviceRating(id: $id) { id stars followUp } }';
const STORES = 'query($since: DateTimeISO, $until: DateTimeISO) { storeRatings(since: $since, until: $until) { storeId storeName count average distribution low openLow } }';
const STAFF = 'query($storeId: ID!) { staffRatings(storeId: $storeId) { staffUserId staffName count average distribution low } }';
const ACK = 'mutation($id: ID!) { acknowledgeRating(id: $id) { id followUp acknowledgedBy } }';
const RESOLVE = 'mutation($id: ID!, $note: String!) { resolveRating(id: $id, note: $note) { id followUp resolvedBy resolutionNote acknowledgedBy } }';
const SETTINGS = 'mutation($n: Int!) { updateRatingSettings(bonusPoints: $n) { bonusPoints } }';
const CONSENT = 'mutation($ids: [String!]!) { recordSubscribeConsent(templateIds: $ids) { templateId remaining } }';
const LEDGER = '{ me { points ledger(first: 5) { edges { node { delta kind reason storeName } } } } }';

const MIN = 60_000;
const HOUR = 60 * MIN;

const errCode = (r: GqlResult<unknown>): string | undefined => r.errors?.[0]?.extensions?.code;
function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

interface Pending { kind: string; operationId: string; summary: string; storeName: string | null; occurredAt: string; closesAt: string; bonusPoints: number }
interface Rated { id: string; kind: string; operationId: string; summary: string; storeName: string | null; stars: number; comment: string | null; pointsAwarded: number }
interface Listed {
  id: string; kind: string; stars: number; comment: string | null; storeId: string | null; storeName: string | null; staffUserId: string | null; staffName: string | null;
  memberNo: string; memberRatings: number; memberAverage: number | null; followUp: string; acknowledgedBy: string | null; resolvedBy: string | null; resolutionNote: string | null; summary: string;
}

export function ratingsSuite(dialect: TestDialect): void {
  let t: TestApp;
  let staff: Persona;
  let staffXian: Persona;
  const mgr = {} as Record<'guomao' | 'sanlitun' | 'beijing' | 'xian' | 'hq', Persona>;
  let n = 0;
  /** One `now` for the whole file: every operation and every clock setting derives from it. */
  const base = clock.now();
  const at = (ms: number) => new Date(base.getTime() + ms);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const { guomao, sanlitun, zhonglou, beijing, xian } = t.org;
    staff = await t.signIn('rating-staff');
    await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: guomao, regionId: beijing });
    await t.app.services.db.q.run("UPDATE app_user SET nickname = '小王' WHERE id = ?", [staff.userId]);
    staffXian = await t.signIn('rating-staff-xian');
    await t.grant(staffXian.userId, { role: 'STAFF', scope: 'STORE', storeId: zhonglou, regionId: xian });
    mgr.guomao = await t.signIn('rating-mgr-guomao');
    await t.grant(mgr.guomao.userId, { role: 'MANAGER', scope: 'STORE', storeId: guomao, regionId: beijing });
    mgr.sanlitun = await t.signIn('rating-mgr-sanlitun');
    await t.grant(mgr.sanlitun.userId, { role: 'MANAGER', scope: 'STORE', storeId: sanlitun, regionId: beijing });
    mgr.beijing = await t.signIn('rating-mgr-beijing');
    await t.grant(mgr.beijing.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: beijing });
    mgr.xian = await t.signIn('rating-mgr-xian');
    await t.grant(mgr.xian.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: xian });
    mgr.hq = await t.signIn('rating-mgr-hq');
    await t.grant(mgr.hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  }, 60_000);
  afterEach(() => clock.reset());
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  const newMember = () => t.signIn(`rating-member-${++n}`);

  /** A purchase at a till, recorded through the API at `when` (the clock is set there). */
  async function purchase(m: Persona, when: Date, who: Persona = staff, storeId = t.org.guomao, amountFen = 12_345): Promise<string> {
    clock.set(when);
    const r = await t.gql<{ recordPurchase: { id: string } }>(
      RECORD,
      { input: { memberCode: t.codeOf(m, when.getTime()), storeId: String(storeId), amountFen, lines: [{ category: 'general', amountFen }], idempotencyKey: randomUUID() } },
      who.token,
    );
    return ok(r).recordPurchase.id;
  }

  /** A paid WeChat Pay till order (SQL: WeChat Pay itself is tested in payments.test.ts), with the purchase row payments write. */
  async function payment(m: Persona, when: Date): Promise<string> {
    const q = t.app.services.db.q;
    const o = await q.run(
      "INSERT INTO pay_order (out_trade_no, member_id, store_id, created_by_id, amount_fen, description, `lines`, state, transaction_id, paid_at, refunded_fen, points_reversed, expires_at, created_at) VALUES (?, ?, ?, ?, 8800, '咖啡', '[]', 'PAID', ?, ?, 0, 0, ?, ?)",
      [`QZR${++n}${randomUUID().slice(0, 8)}`, m.memberId, t.org.guomao, staff.userId, `4200${n}${Date.now() % 100000}`, q.ts(when), q.ts(at(HOUR * 100)), q.ts(new Date(when.getTime() - MIN))],
    );
    await q.run("INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, 8800, '[]', 0, ?, 'wechatpay', ?)", [
      m.memberId, t.org.guomao, `wechatpay:r${n}-${randomUUID()}`, q.ts(when),
    ]);
    return String(o.insertId);
  }

  /** A reward redeemed at the 西安钟楼 till (SQL). */
  async function redemption(m: Persona, when: Date): Promise<string> {
    const q = t.app.services.db.q;
    const reward = await q.run(
      "INSERT INTO reward (kind, name, description, points_price, cash_fen, min_spend_fen, stock, active, cost_fen, created_at, updated_at) VALUES ('OWN_PRODUCT', '评价测试拿铁', '', 30, 0, 0, 10, ?, 0, ?, ?)",
      [q.bool(true), q.ts(when), q.ts(when)],
    );
    const x = await q.run(
      "INSERT INTO reward_redemption (reward_id, member_id, kind, points, cash_fen, cost_fen, status, idempotency_key, store_id, staff_id, request_hash, submit_count, points_refunded, created_at, updated_at) VALUES (?, ?, 'OWN_PRODUCT', 30, 0, 0, 'ISSUED', ?, ?, ?, 'x', 0, 0, ?, ?)",
      [reward.insertId, m.memberId, randomUUID(), t.org.zhonglou, staffXian.userId, q.ts(when), q.ts(when)],
    );
    return String(x.insertId);
  }

  /** A check-in at an organisation-wide club's event without a store (SQL): HQ-level. */
  async function checkIn(m: Persona, when: Date): Promise<string> {
    const q = t.app.services.db.q;
    const club = await q.run("INSERT INTO club (name, theme, description, join_policy, member_count, created_at, updated_at) VALUES ('跑团', 'run', '', 'OPEN', 0, ?, ?)", [q.ts(when), q.ts(when)]);
    const ev = await q.run(
      "INSERT INTO club_event (club_id, title, description, starts_at, ends_at, address, capacity, confirmed_count, waitlist_seq, points_cost, points_reward, allow_walk_ins, status, created_at, updated_at) VALUES (?, '奥森夜跑', '', ?, ?, '奥森', 10, 0, 0, 0, 0, ?, 'PUBLISHED', ?, ?)",
      [club.insertId, q.ts(when), q.ts(at(HOUR * 100)), q.bool(true), q.ts(when), q.ts(when)],
    );
    const a = await q.run('INSERT INTO event_attendance (event_id, member_id, walk_in, points_awarded, checked_in_by_id, created_at) VALUES (?, ?, ?, 0, ?, ?)', [
      ev.insertId, m.memberId, q.bool(true), staff.userId, q.ts(when),
    ]);
    return String(a.insertId);
  }

  const rate = (m: Persona, kind: string, id: string, stars: number, comment: string | null = null) =>
    t.gql<{ rateOperation: Rated }>(RATE, { kind, id, stars, comment }, m.token);

  /** Everything a rating may write: ratings, notices, outbox, ledger. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const q = t.app.services.db.q;
    const count = async (table: string) => toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    return {
      ledger: await t.counts(),
      ratings: await count('service_rating'),
      notifications: await count('notification'),
      outbox: await count('outbox'),
      followUps: await q.all('SELECT id, follow_up, acknowledged_by_id, resolved_by_id, resolution_note FROM service_rating ORDER BY id'),
      audit: await count('audit_log'),
    };
  }

  const inbox = async (p: Persona) => ok(await t.gql<{ myNotifications: { kind: string; title: string; body: string; page: string | null; delivery: string }[] }>(INBOX, {}, p.token)).myNotifications;

  test('the member sees each operation open for rating, newest first; not the purchase row a payment writes, nor others’ operations', async () => {
    const m = await newMember();
    const other = await newMember();
    await purchase(m, at(-25 * HOUR)); // too old (member codes only move forward: the oldest first)
    const p = await purchase(m, at(-4 * HOUR));
    await purchase(other, at(-4 * HOUR + MIN));
    const pay = await payment(m, at(-3 * HOUR));
    const x = await redemption(m, at(-2 * HOUR));
    const c = await checkIn(m, at(-1 * HOUR));
    clock.set(base);
    const list = ok(await t.gql<{ myPendingRatings: Pending[] }>(PENDING, {}, m.token)).myPendingRatings;
    expect(list.map((o) => [o.kind, o.operationId, o.summary, o.storeName])).toEqual([
      ['CHECKIN', c, '活动签到 · 奥森夜跑', null],
      ['REDEMPTION', x, '积分兑换 · 评价测试拿铁', '西安钟楼店'],
      ['PAYMENT', pay, '微信支付 ¥88.00', '北京国贸店'],
      ['PURCHASE', p, '门店消费 ¥123.45', '北京国贸店'],
    ]);
    expect(list[3]?.closesAt).toBe(at(20 * HOUR).toISOString());
    expect(list[0]?.bonusPoints).toBe(0);
    // Rated → no longer pending.
    ok(await rate(m, 'PAYMENT', pay, 5, '很快'));
    const after = ok(await t.gql<{ myPendingRatings: Pending[] }>(PENDING, {}, m.token)).myPendingRatings;
    expect(after.map((o) => o.kind)).toEqual(['CHECKIN', 'REDEMPTION', 'PURCHASE']);
  });

  test('a 1-star rating reaches the store’s managers’ inboxes in the same transaction (store, region, HQ; not another store or region), with the staff member and the comment', async () => {
    const m = await newMember();
    // The store manager consented to the RATING_ALERT subscribe message (in WeChat, and told the API): it is queued for them.
    const openid = String((await t.app.services.db.q.get<{ o: unknown }>('SELECT openid AS o FROM app_user WHERE id = ?', [mgr.guomao.userId]))?.o);
    t.sim.grantSubscribeConsent(openid, 'demo-tmpl-rating-alert');
    ok(await t.gql(CONSENT, { ids: ['demo-tmpl-rating-alert'] }, mgr.guomao.token));
    const p = await purchase(m, at(-2 * HOUR));
    clock.set(base);
    const r = ok(await rate(m, 'PURCHASE', p, 1, '  排队二十分钟，收银员态度差 ')).rateOperation;
    expect(r).toMatchObject({ kind: 'PURCHASE', operationId: p, stars: 1, comment: '排队二十分钟，收银员态度差', storeName: '北京国贸店', pointsAwarded: 0 });
    // Already there when rateOperation answered: the notices were written in the rating's transaction.
    for (const who of [mgr.guomao, mgr.beijing, mgr.hq]) {
      const notes = (await inbox(who)).filter((x) => x.kind === 'RATING_LOW' && x.page === `manager/ratings/index?id=${r.id}`);
      expect(notes).toHaveLength(1);
      expect(notes[0]?.title).toBe('北京国贸店：1 星差评');
      expect(notes[0]?.body).toContain('门店消费 ¥123.45');
      expect(notes[0]?.body).toContain(`服务人员：小王（用户 ${staff.userId}）`);
      expect(notes[0]?.body).toContain('评语：排队二十分钟，收银员态度差');
      expect(notes[0]?.body).toContain(m.memberNo);
    }
    expect((await inbox(mgr.guomao)).find((x) => x.page?.endsWith(`id=${r.id}`))?.delivery).toBe('PENDING');
    expect((await inbox(mgr.hq)).find((x) => x.page?.endsWith(`id=${r.id}`))?.delivery).toBe('IN_APP');
    for (const who of [mgr.sanlitun, mgr.xian, staff, m]) expect((await inbox(who)).filter((x) => x.kind === 'RATING_LOW' && x.page?.endsWith(`id=${r.id}`))).toHaveLength(0);
    const q = t.app.services.db.q;
    const queued = await q.all("SELECT o.ref FROM outbox o JOIN notification n ON n.id = o.ref WHERE o.topic = 'subscribe.send' AND n.kind = 'RATING_LOW' AND n.ref = ?", [r.id]);
    expect(queued).toHaveLength(1);
    // Delivered from the outbox after the commit (the jobs run): a subscribe message WeChat accepts.
    ok(await t.gql('mutation { runClubJobs { delivered } }', {}, mgr.hq.token));
    const sent = t.sim.sentMessages.filter((x) => x.touser === openid && x.template_id === 'demo-tmpl-rating-alert');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.page).toBe(`manager/ratings/index?id=${r.id}`);
    expect(sent[0]?.data).toEqual({ thing1: { value: '北京国贸店' }, phrase2: { value: '一星差评' }, thing3: { value: '排队二十分钟，收银员态度差' }, time4: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) } });
    expect((await inbox(mgr.guomao)).find((x) => x.page?.endsWith(`id=${r.id}`))?.delivery).toBe('WECHAT');
  });

  test('rating and alert commit together or not at all: a failure writing the notice leaves no rating (and the member may rate again)', async () => {
    const m = await newMember();
    const p = await purchase(m, at(-HOUR));
    clock.set(base);
    const notifications = t.app.services.notifications;
    const real = notifications.notify.bind(notifications);
    notifications.notify = async (q, ids, notice, now) => {
      await real(q, ids, notice, now); // the notices are written…
      throw new Error('crash after the notices'); // …and the transaction dies
    };
    const before = await snapshot();
    try {
      const r = await rate(m, 'PURCHASE', p, 2, '太慢');
      expect(errCode(r)).toBe(ErrorCode.INTERNAL);
    } finally {
      notifications.notify = real;
    }
    expect(await snapshot()).toEqual(before);
    const again = ok(await rate(m, 'PURCHASE', p, 2, '太慢')).rateOperation;
    expect((await inbox(mgr.guomao)).filter((x) => x.page?.endsWith(`id=${again.id}`))).toHaveLength(1);
    // A 3-star rating alerts nobody.
    const p2 = await purchase(m, at(-HOUR + MIN));
    clock.set(base);
    const before3 = await snapshot();
    ok(await rate(m, 'PURCHASE', p2, 3));
    const after3 = await snapshot();
    expect(after3.notifications).toBe(before3.notifications);
    expect(after3.ratings).toBe((before3.ratings as number) + 1);
  });

  test('bad input is refused with a clear code and changes nothing', async () => {
    const m = await newMember();
    const other = await newMember();
    const mine = await purchase(m, at(-HOUR));
    const theirs = await purchase(other, at(-HOUR + MIN));
    const theirsPay = await payment(other, at(-HOUR));
    clock.set(base);
    ok(await rate(m, 'PURCHASE', mine, 4));
    const before = await snapshot();
    const cases: [string, Promise<GqlResult<unknown>>, string][] = [
      ["someone else's purchase", rate(m, 'PURCHASE', theirs, 1, '哈哈'), ErrorCode.NOT_FOUND],
      ["someone else's payment", rate(m, 'PAYMENT', theirsPay, 1), ErrorCode.NOT_FOUND],
      ['an operation that does not exist', rate(m, 'PURCHASE', '999999999', 1), ErrorCode.NOT_FOUND],
      ['the right id with the wrong kind', rate(m, 'REDEMPTION', mine, 1), ErrorCode.NOT_FOUND],
      ['a second rating', rate(m, 'PURCHASE', mine, 1, '改主意了'), ErrorCode.ALREADY_RATED],
      ['0 stars', rate(other, 'PURCHASE', theirs, 0), ErrorCode.BAD_USER_INPUT],
      ['6 stars', rate(other, 'PURCHASE', theirs, 6), ErrorCode.BAD_USER_INPUT],
      ['-1 stars', rate(other, 'PURCHASE', theirs, -1), ErrorCode.BAD_USER_INPUT],
      ['a comment of 201 characters', rate(other, 'PURCHASE', theirs, 1, '差'.repeat(201)), ErrorCode.BAD_USER_INPUT],
      ['a huge comment', rate(other, 'PURCHASE', theirs, 1, 'x'.repeat(100_000)), ErrorCode.BAD_USER_INPUT],
      ['a malformed id', rate(other, 'PURCHASE', 'abc', 1), ErrorCode.BAD_USER_INPUT],
      ['signed out', t.gql(RATE, { kind: 'PURCHASE', id: theirs, stars: 1 }, null), ErrorCode.UNAUTHENTICATED],
    ];
    for (const [why, call, code] of cases) {
      const r = await call;
      expect([why, errCode(r)]).toEqual([why, code]);
    }
    // Not found looks the same whether the operation is someone else's or does not exist.
    expect((await rate(m, 'PURCHASE', theirs, 1)).errors?.[0]?.message).toBe((await rate(m, 'PURCHASE', '999999998', 1)).errors?.[0]?.message);
    expect(await snapshot()).toEqual(before);
    // 200 characters are fine.
    expect(ok(await rate(other, 'PURCHASE', theirs, 5, '好'.repeat(200))).rateOperation.comment).toHaveLength(200);
  });

  test('the 24-hour window, by the API’s clock: open at 23:59, RATING_CLOSED at 24:01 (and gone from the pending list)', async () => {
    const m = await newMember();
    const a = await purchase(m, base);
    const b = await purchase(m, at(MIN / 2));
    clock.set(at(23 * HOUR + 59 * MIN));
    expect(ok(await rate(m, 'PURCHASE', a, 5)).rateOperation.stars).toBe(5);
    clock.set(at(MIN / 2 + 24 * HOUR + MIN));
    expect(ok(await t.gql<{ myPendingRatings: Pending[] }>(PENDING, {}, m.token)).myPendingRatings).toEqual([]);
    const before = await snapshot();
    const r = await rate(m, 'PURCHASE', b, 1, '晚了');
    expect(errCode(r)).toBe(ErrorCode.RATING_CLOSED);
    expect(await snapshot()).toEqual(before);
    // A second rating stays ALREADY_RATED after the window too.
    expect(errCode(await rate(m, 'PURCHASE', a, 1))).toBe(ErrorCode.ALREADY_RATED);
  });

  test('a payment whose time (WeChat’s clock) is a minute ahead of ours is open at once', async () => {
    const m = await newMember();
    const pay = await payment(m, at(MIN));
    clock.set(base);
    expect(ok(await t.gql<{ myPendingRatings: Pending[] }>(PENDING, {}, m.token)).myPendingRatings.map((o) => o.operationId)).toEqual([pay]);
    expect(ok(await rate(m, 'PAYMENT', pay, 5)).rateOperation.stars).toBe(5);
  });

  test('a concurrent double submit yields one rating, one alert and one bonus (the unique key on (kind, operation_id))', async () => {
    clock.set(base);
    ok(await t.gql(SETTINGS, { n: 5 }, mgr.hq.token));
    try {
      const m = await newMember();
      const p = await purchase(m, at(-HOUR));
      clock.set(base);
      const before = await snapshot();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => rate(m, 'PURCHASE', p, 1, `第${i}次`)));
      const okCount = results.filter((r) => !r.errors).length;
      expect(okCount).toBe(1);
      expect(results.filter((r) => errCode(r) === ErrorCode.ALREADY_RATED)).toHaveLength(7);
      const after = await snapshot();
      expect(after.ratings).toBe((before.ratings as number) + 1);
      const q = t.app.services.db.q;
      const rated = await q.all<{ id: unknown }>("SELECT id FROM service_rating WHERE kind = 'PURCHASE' AND operation_id = ?", [p]);
      expect(rated).toHaveLength(1);
      const notices = await q.all("SELECT id FROM notification WHERE kind = 'RATING_LOW' AND ref = ?", [String(toInt(rated[0]?.id))]);
      expect(notices).toHaveLength(3); // 国贸, 北京, HQ managers: once each
      const bonus = await q.all("SELECT delta FROM points_entry WHERE source_type = 'rating_bonus' AND member_id = ?", [m.memberId]);
      expect(bonus.map((b) => toInt((b as { delta: unknown }).delta))).toEqual([5]);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    } finally {
      clock.set(base);
      ok(await t.gql(SETTINGS, { n: 0 }, mgr.hq.token));
    }
  });

  test('rating bonus: credited through the ledger with a plain Chinese reason, shown on the pending item and the rating', async () => {
    clock.set(base);
    ok(await t.gql(SETTINGS, { n: 10 }, mgr.hq.token));
    try {
      expect(errCode(await t.gql(SETTINGS, { n: 10 }, mgr.guomao.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(SETTINGS, { n: 1001 }, mgr.hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
      const m = await newMember();
      const x = await redemption(m, at(-HOUR));
      clock.set(base);
      expect(ok(await t.gql<{ myPendingRatings: Pending[] }>(PENDING, {}, m.token)).myPendingRatings[0]?.bonusPoints).toBe(10);
      expect(ok(await rate(m, 'REDEMPTION', x, 4, '不错')).rateOperation.pointsAwarded).toBe(10);
      const me = ok(await t.gql<{ me: { points: number; ledger: { edges: { node: { delta: number; kind: string; reason: string; storeName: string | null } }[] } } }>(LEDGER, {}, m.token)).me;
      expect(me.points).toBe(10);
      expect(me.ledger.edges[0]?.node).toEqual({ delta: 10, kind: 'EARN', reason: '服务评价奖励 · 积分兑换', storeName: '西安钟楼店' });
    } finally {
      clock.set(base);
      ok(await t.gql(SETTINGS, { n: 0 }, mgr.hq.token));
    }
  });

  test('managers see ratings per store and per staff member in scope, low ones with comments; another store’s manager cannot see or act', async () => {
    // A fresh store in 西安 keeps the figures of this test its own: 2 staff members, 5 ratings.
    const q = t.app.services.db.q;
    const store = (await q.run("INSERT INTO store (region_id, code, name, created_at) VALUES (?, 'xa-rating', '西安评价店', ?)", [t.org.xian, q.ts(base)])).insertId;
    (t.app.services.org as unknown as { cache: { invalidate(): void } }).cache.invalidate();
    const s1 = await t.signIn('rating-xa-s1');
    const s2 = await t.signIn('rating-xa-s2');
    for (const s of [s1, s2]) await t.grant(s.userId, { role: 'STAFF', scope: 'STORE', storeId: store, regionId: t.org.xian });
    await q.run("UPDATE app_user SET nickname = '阿强' WHERE id = ?", [s1.userId]);
    const storeMgr = await t.signIn('rating-xa-mgr');
    await t.grant(storeMgr.userId, { role: 'MANAGER', scope: 'STORE', storeId: store, regionId: t.org.xian });
    const m1 = await newMember();
    const m2 = await newMember();
    // s1 served: 1★ (m1), 2★ (m2), 5★ (m1); s2 served: 4★ (m1), 5★ (m2).
    const plan: [Persona, Persona, number, string | null][] = [[s1, m1, 1, '算错钱'], [s1, m2, 2, '不耐烦'], [s1, m1, 5, null], [s2, m1, 4, null], [s2, m2, 5, '很好']];
    const ids: string[] = [];
    for (const [i, [s, m, stars, comment]] of plan.entries()) {
      const p = await purchase(m, at(-5 * HOUR + i * MIN), s, store);
      clock.set(base);
      ids.push(ok(await rate(m, 'PURCHASE', p, stars, comment)).rateOperation.id);
    }
    clock.set(base);
    const since = at(-HOUR * 24).toISOString();
    const until = at(MIN).toISOString();

    // Per store: the store's manager sees their store only; the 西安 manager sees it among 西安's; 北京's do not.
    const mine = ok(await t.gql<{ storeRatings: { storeId: string | null; storeName: string; count: number; average: number | null; distribution: number[]; low: number; openLow: number }[] }>(STORES, { since, until }, storeMgr.token)).storeRatings;
    // (1 + 2 + 5 + 4 + 5) / 5 = 3.4
    expect(mine).toEqual([{ storeId: String(store), storeName: '西安评价店', count: 5, average: 3.4, distribution: [1, 1, 0, 1, 2], low: 2, openLow: 2 }]);
    const xian = ok(await t.gql<{ storeRatings: { storeId: string | null }[] }>(STORES, { since, until }, mgr.xian.token)).storeRatings;
    expect(xian.map((s) => s.storeId).sort()).toEqual([String(t.org.zhonglou), String(store)].sort());
    const bj = ok(await t.gql<{ storeRatings: { storeId: string | null }[] }>(STORES, { since, until }, mgr.beijing.token)).storeRatings;
    expect(bj.map((s) => s.storeId)).not.toContain(String(store));
    expect(bj.map((s) => s.storeId).sort()).toEqual([String(t.org.guomao), String(t.org.sanlitun)].sort());
    const hq = ok(await t.gql<{ storeRatings: { storeId: string | null }[] }>(STORES, { since, until }, mgr.hq.token)).storeRatings;
    expect(hq.map((s) => s.storeId)).toEqual(expect.arrayContaining([String(store), String(t.org.guomao), String(t.org.zhonglou)]));

    // Per staff member, lowest average first: 阿强 (1 + 2 + 5) / 3 = 2.67; s2 (4 + 5) / 2 = 4.5.
    const staffRows = ok(await t.gql<{ staffRatings: unknown[] }>(STAFF, { storeId: String(store) }, storeMgr.token)).staffRatings;
    expect(staffRows).toEqual([
      { staffUserId: String(s1.userId), staffName: `阿强（用户 ${s1.userId}）`, count: 3, average: 2.67, distribution: [1, 1, 0, 0, 1], low: 2 },
      { staffUserId: String(s2.userId), staffName: `用户 ${s2.userId}`, count: 2, average: 4.5, distribution: [0, 0, 0, 1, 1], low: 0 },
    ]);

    // The low ones, with comments, paginated; each with the member's profile (m1 gave 1, 5, 4 here: 3.33).
    const low1 = ok(await t.gql<{ serviceRatings: { total: number; items: Listed[] } }>(LIST, { filter: { storeId: String(store), lowOnly: true }, first: 1, offset: 0 }, storeMgr.token)).serviceRatings;
    const low2 = ok(await t.gql<{ serviceRatings: { total: number; items: Listed[] } }>(LIST, { filter: { storeId: String(store), lowOnly: true }, first: 1, offset: 1 }, storeMgr.token)).serviceRatings;
    expect([low1.total, low2.total]).toEqual([2, 2]);
    expect(low1.items.map((i) => [i.stars, i.comment, i.staffName])).toEqual([[2, '不耐烦', `阿强（用户 ${s1.userId}）`]]);
    expect(low2.items.map((i) => [i.id, i.stars, i.comment, i.memberNo, i.memberRatings, i.memberAverage, i.followUp])).toEqual([[ids[0], 1, '算错钱', m1.memberNo, 3, 3.33, 'OPEN']]);
    const byStaff = ok(await t.gql<{ serviceRatings: { total: number } }>(LIST, { filter: { storeId: String(store), staffUserId: String(s2.userId) } }, storeMgr.token)).serviceRatings;
    expect(byStaff.total).toBe(2);

    // Another store's (国贸) and another region's (北京) managers: FORBIDDEN for the store, absent from their scope-wide lists.
    const target = ids[0] as string;
    for (const outsider of [mgr.guomao, mgr.beijing]) {
      expect(errCode(await t.gql(LIST, { filter: { storeId: String(store) } }, outsider.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(STAFF, { storeId: String(store) }, outsider.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(ONE, { id: target }, outsider.token))).toBe(ErrorCode.FORBIDDEN);
      const all = ok(await t.gql<{ serviceRatings: { items: Listed[] } }>(LIST, { filter: { lowOnly: true }, first: 100 }, outsider.token)).serviceRatings.items;
      expect(all.map((i) => i.id)).not.toContain(target);
      const before = await snapshot();
      expect(errCode(await t.gql(ACK, { id: target }, outsider.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(RESOLVE, { id: target, note: '越权' }, outsider.token))).toBe(ErrorCode.FORBIDDEN);
      expect(await snapshot()).toEqual(before);
    }
    // Members and staff: FORBIDDEN, even for their own store.
    for (const p of [m1, s1]) {
      expect(errCode(await t.gql(LIST, {}, p.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(ONE, { id: target }, p.token))).toBe(ErrorCode.FORBIDDEN);
    }
    // The 西安 region manager sees it.
    expect(ok(await t.gql<{ serviceRating: { followUp: string } }>(ONE, { id: target }, mgr.xian.token)).serviceRating.followUp).toBe('OPEN');

    // Follow-up by the store's manager: acknowledge, resolve with a note; twice is CONFLICT; 3–5 stars have none.
    const acked = ok(await t.gql<{ acknowledgeRating: { followUp: string; acknowledgedBy: string } }>(ACK, { id: target }, storeMgr.token)).acknowledgeRating;
    expect(acked).toMatchObject({ followUp: 'ACKNOWLEDGED', acknowledgedBy: String(storeMgr.userId) });
    expect(errCode(await t.gql(ACK, { id: target }, storeMgr.token))).toBe(ErrorCode.CONFLICT);
    const beforeBad = await snapshot();
    expect(errCode(await t.gql(RESOLVE, { id: target, note: '   ' }, storeMgr.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(RESOLVE, { id: target, note: '记'.repeat(501) }, storeMgr.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(ACK, { id: ids[2] }, storeMgr.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(ACK, { id: '99999999' }, storeMgr.token))).toBe(ErrorCode.NOT_FOUND);
    expect(await snapshot()).toEqual(beforeBad);
    const resolved = ok(await t.gql<{ resolveRating: Listed }>(RESOLVE, { id: target, note: '已致电会员道歉并退还差价' }, storeMgr.token)).resolveRating;
    expect(resolved).toMatchObject({ followUp: 'RESOLVED', resolvedBy: String(storeMgr.userId), resolutionNote: '已致电会员道歉并退还差价', acknowledgedBy: String(storeMgr.userId) });
    expect(errCode(await t.gql(RESOLVE, { id: target, note: '再来一次' }, storeMgr.token))).toBe(ErrorCode.CONFLICT);
    // A low rating can be resolved straight away (acknowledged by the same act).
    const direct = ok(await t.gql<{ resolveRating: Listed }>(RESOLVE, { id: ids[1], note: '已培训' }, mgr.xian.token)).resolveRating;
    expect(direct).toMatchObject({ followUp: 'RESOLVED', acknowledgedBy: String(mgr.xian.userId) });
    const open = ok(await t.gql<{ storeRatings: { openLow: number }[] }>(STORES, { since, until }, storeMgr.token)).storeRatings;
    expect(open[0]?.openLow).toBe(0);
    // Audited, in the store's scope.
    const audit = await q.all<{ action: unknown; store_id: unknown }>("SELECT action, store_id FROM audit_log WHERE target_type = 'rating' AND target_id = ? ORDER BY id", [target]);
    expect(audit.map((a) => [String(a.action), toInt(a.store_id)])).toEqual([['acknowledgeRating', store], ['resolveRating', store]]);
  });

  test('ratings feed the member’s profile: their history and the average they give', async () => {
    const m = await newMember();
    const a = await purchase(m, at(-3 * HOUR));
    const b = await payment(m, at(-2 * HOUR));
    const c = await checkIn(m, at(-HOUR));
    clock.set(base);
    ok(await rate(m, 'PURCHASE', a, 5));
    ok(await rate(m, 'PAYMENT', b, 4, '方便'));
    ok(await rate(m, 'CHECKIN', c, 2, '组织混乱'));
    const r = ok(await t.gql<{ myRatings: { kind: string; stars: number; comment: string | null; summary: string }[]; me: { ratingStats: { count: number; average: number; distribution: number[]; lastRatedAt: string } } }>(MY_RATINGS, {}, m.token));
    expect(r.myRatings.map((x) => [x.kind, x.stars, x.comment])).toEqual([['CHECKIN', 2, '组织混乱'], ['PAYMENT', 4, '方便'], ['PURCHASE', 5, null]]);
    // (5 + 4 + 2) / 3 = 3.67
    expect(r.me.ratingStats).toEqual({ count: 3, average: 3.67, distribution: [0, 1, 0, 1, 1], lastRatedAt: base.toISOString() });
    // The event had no store: an HQ-level rating, alerting HQ's managers only, seen by HQ.
    const hqList = ok(await t.gql<{ serviceRatings: { items: Listed[] } }>(LIST, { filter: { lowOnly: true }, first: 100 }, mgr.hq.token)).serviceRatings.items;
    const ev = hqList.find((x) => x.kind === 'CHECKIN' && x.memberNo === m.memberNo);
    expect(ev).toMatchObject({ storeId: null, staffName: `小王（用户 ${staff.userId}）`, comment: '组织混乱', summary: '活动签到 · 奥森夜跑' });
    expect((await inbox(mgr.hq)).filter((x) => x.page?.endsWith(`id=${ev?.id}`))).toHaveLength(1);
    expect((await inbox(mgr.beijing)).filter((x) => x.page?.endsWith(`id=${ev?.id}`))).toHaveLength(0);
    expect(errCode(await t.gql(ONE, { id: ev?.id }, mgr.beijing.token))).toBe(ErrorCode.FORBIDDEN);
  });

  test('a date range backwards or over 3 years is BAD_USER_INPUT', async () => {
    clock.set(base);
    expect(errCode(await t.gql(STORES, { since: at(HOUR).toISOString(), until: base.toISOString() }, mgr.hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(STORES, { since: at(-1200 * 24 * HOUR).toISOString(), until: base.toISOString() }, mgr.hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(LIST, { filter: { since: at(HOUR).toISOString(), until: base.toISOString() } }, mgr.hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(errCode(await t.gql(LIST, { filter: { storeId: '99999999' } }, mgr.hq.token))).toBe(ErrorCode.NOT_FOUND);
    expect(errCode(await t.gql(LIST, { first: 101 }, mgr.hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
  });
}
