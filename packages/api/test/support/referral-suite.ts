/**
 * Referrals (F8) against each database (MariaDB and libsql), through real HTTP, the WeChat simulator (sign-in,
 * mini-program codes, phone numbers) and the WeChat Pay simulator (payments, refunds): binding at the first sign-in
 * only, the referrer's bonus once at the first qualifying purchase (also under 20 concurrent first payments), the
 * weighted share of every earning and its reversal on a refund, the monthly cap, the share window, the refusals with
 * nothing changed — and the books balancing after each.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import { expiryReason } from '../../src/modules/ledger/expiry.service';
import { startTestApp, type TestApp } from './harness';
import { CHECK_IN, ClubKit } from './clubs';
import type { TestDialect } from './db';

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Outcome = { bound: boolean; refusal: string | null; welcomePoints: number } | null;

const LOGIN = 'mutation($code: String!, $invite: String) { login(code: $code, invite: $invite) { token created viewer { userId } member { id memberNo codeSecret points } referral { bound refusal welcomePoints } } }';
const INVITATION = '{ myInvitation { token path page scene codeDataUrl referees qualified pointsEarned } }';
const MY_REFERRALS = '{ myReferrals(first: 10) { id referee state pointsEarned qualifiedAt } }';
const PROGRAM_FIELDS = 'enabled referrerBonus refereeBonus sharePct shareMonths monthlyCap qualifyingMinFen';
const UPDATE = `mutation($input: ReferralProgramInput!) { updateReferralProgram(input: $input) { ${PROGRAM_FIELDS} } }`;
const PROGRAM = `{ referralProgram { ${PROGRAM_FIELDS} } }`;
const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }';
const CREATE_PAY = 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }';
const REFUND = 'mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { status } }';
const BIND_PHONE = 'mutation($code: String!) { bindPhone(code: $code) { id } }';
const REPORT = 'query($regionId: ID, $storeId: ID) { referralReport(regionId: $regionId, storeId: $storeId) { storeId storeName invitations signUps qualified bonusPoints sharePoints welcomePoints cappedPoints } }';

const DAY = 86_400_000;
const SETTINGS = { enabled: true, referrerBonus: 500, refereeBonus: 50, sharePct: 10, shareMonths: 12, monthlyCap: 0, qualifyingMinFen: 0 };

export function referralSuite(dialect: TestDialect): void {
  let t: TestApp;
  let n = 0;
  let now = 0;
  beforeAll(async () => {
    t = await startTestApp(dialect, { pay: {} });
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });
  beforeEach(() => {
    // One instant per test, on the clock; every date below derives from it (never from today's date).
    now = Math.floor(Date.now() / 1000) * 1000;
    clock.set(now);
  });
  afterEach(() => clock.reset());

  /** Moves the clock on (a new member-code step: every till operation needs one). */
  const advance = (ms = 31_000) => {
    now += ms;
    clock.set(now);
  };
  const label = (who: string) => `ref-${dialect}-${who}-${++n}`;
  const errCode = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
  const q = () => t.app.services.db.q;

  /** Signs in through the simulator, with an invitation token when given. */
  const login = async (who: string | { openid: string; unionid: string }, invite?: string | null): Promise<Member & { created: boolean; referral: Outcome; points: number }> => {
    const code = t.sim.login(who as never);
    const r = await t.gql<{ login: { token: string; created: boolean; viewer: { userId: string }; member: { id: string; memberNo: string; codeSecret: string; points: number }; referral: Outcome } }>(
      LOGIN,
      { code, invite: invite ?? null },
    );
    if (!r.data?.login) throw new Error(JSON.stringify(r.errors));
    const l = r.data.login;
    return { token: l.token, userId: Number(l.viewer.userId), memberId: Number(l.member.id), memberNo: l.member.memberNo, codeSecret: l.member.codeSecret, created: l.created, referral: l.referral, points: l.member.points };
  };
  /**
   * A session for a role, signed in again once the clock has moved days away from its sign-in (so that a jump months
   * ahead finds it valid) — not on every call: sign-ins per openid are rate-limited.
   */
  const sessions = new Map<string, { token: string; at: number }>();
  const roleToken = async (who: string, grants: Parameters<TestApp['grant']>[1][]): Promise<string> => {
    const s = sessions.get(who);
    if (s && Math.abs(clock.ms() - s.at) < 5 * DAY) return s.token;
    const m = await t.signIn(`ref-${dialect}-${who}`);
    for (const g of grants) await t.grant(m.userId, g);
    sessions.set(who, { token: m.token, at: clock.ms() });
    return m.token;
  };
  const hq = () => roleToken('hq', [{ role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null }]);
  const staff = () =>
    roleToken('staff', [
      { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing },
      { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian },
    ]);
  const setProgram = async (over: Partial<typeof SETTINGS> = {}) => {
    const r = await t.gql(UPDATE, { input: { ...SETTINGS, ...over } }, await hq());
    expect(r.errors).toBeUndefined();
  };
  const invitation = async (m: Member) => {
    const r = await t.gql<{ myInvitation: { token: string; path: string; page: string; scene: string; codeDataUrl: string | null; referees: number; qualified: number; pointsEarned: number } }>(INVITATION, {}, m.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.myInvitation;
  };
  /** A till purchase in Xi'an (¥1 = 1 point): `amountFen / 100` points. */
  const buy = async (m: Member, amountFen: number, staffToken: string) => {
    advance();
    const r = await t.gql<{ recordPurchase: { points: number } }>(
      RECORD,
      { input: { memberCode: t.codeOf(m, clock.ms()), storeId: String(t.org.zhonglou), amountFen, lines: [{ category: 'general', amountFen }], idempotencyKey: randomUUID() } },
      staffToken,
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.recordPurchase.points;
  };
  const balance = async (memberId: number) => toInt((await q().get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
  const entries = (memberId: number, sourceType: string) =>
    q().all<{ delta: unknown; reason: unknown; source_ref: unknown }>('SELECT delta, reason, source_ref FROM points_entry WHERE member_id = ? AND source_type = ? ORDER BY id', [memberId, sourceType]);
  const referralCounts = async () => {
    const out: Record<string, number> = {};
    for (const table of ['referral', 'referral_credit', 'referral_invite']) out[table] = toInt((await q().get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    return { ...(await t.counts()), ...out };
  };
  /** A member referred by a new referrer: [referrer, referee, the referee's label (to sign them in again)]. */
  const pair = async () => {
    const a = await login(label('a'));
    const inv = await invitation(a);
    const bLabel = label('b');
    const b = await login(bLabel, inv.token);
    expect(b.referral).toMatchObject({ bound: true, refusal: null });
    return [a, b, bLabel] as const;
  };

  test("B signs up through A's invitation; A gets the bonus once at B's first purchase and 10 % of every earning, reversed in proportion on B's refund", async () => {
    await setProgram();
    const a = await login(label('a'));
    const inv = await invitation(a);
    expect(inv.token).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(inv).toMatchObject({ path: `/pages/login/index?invite=${inv.token}`, page: 'pages/login/index', scene: inv.token, referees: 0 });
    expect(inv.codeDataUrl).toMatch(/^data:image\/\w+;base64,/);
    expect((await invitation(a)).token).toBe(inv.token); // stable
    const b = await login(label('b'), inv.token.toLowerCase());
    expect(b).toMatchObject({ created: true, referral: { bound: true, refusal: null, welcomePoints: 50 }, points: 50 });
    expect(await entries(b.memberId, 'referral_welcome')).toEqual([expect.objectContaining({ reason: '受邀注册奖励' })]);

    const s = await staff();
    expect(await buy(b, 12_345, s)).toBe(123);
    expect(await balance(a.memberId)).toBe(500 + 12);
    expect(await buy(b, 9_999, s)).toBe(99);
    expect(await balance(a.memberId)).toBe(500 + 12 + 9);
    const bonus = await entries(a.memberId, 'referral_bonus');
    expect(bonus.map((e) => [toInt(e.delta), String(e.source_ref), String(e.reason)])).toEqual([[500, String(b.memberId), `邀请好友奖励 · 会员****${b.memberNo.slice(-4)} 首次消费`]]);
    const shares = await entries(a.memberId, 'referral_share');
    expect(shares.map((e) => toInt(e.delta))).toEqual([12, 9]);
    expect(String(shares[0]?.reason)).toBe(`好友消费分成 10% · 会员****${b.memberNo.slice(-4)}`);
    // The share is keyed by B's earning entry.
    const bEarn = await entries(b.memberId, 'purchase');
    expect(shares.map((e) => String(e.source_ref))).toEqual((await q().all<{ id: unknown }>("SELECT id FROM points_entry WHERE member_id = ? AND source_type = 'purchase' ORDER BY id", [b.memberId])).map((r) => String(r.id)));
    expect(bEarn).toHaveLength(2);

    // B pays ¥100.00 with WeChat Pay in Xi'an (100 points, A's share 10), then ¥30.00 of it is refunded: B gives back 30, A 3.
    clock.reset();
    const pay = await t.gql<{ createPayment: { order: { outTradeNo: string }; payment: Record<string, string> } }>(CREATE_PAY, { input: { storeId: String(t.org.zhonglou), amountFen: 10_000 } }, b.token);
    if (!pay.data) throw new Error(JSON.stringify(pay.errors));
    await t.paySim!.pay(pay.data.createPayment.payment as never);
    await t.paySim!.idle();
    expect(await balance(a.memberId)).toBe(521 + 10);
    const refund = await t.gql(REFUND, { input: { outTradeNo: pay.data.createPayment.order.outTradeNo, amountFen: 3_000, idempotencyKey: randomUUID() } }, await staff());
    expect(refund.errors).toBeUndefined();
    await t.paySim!.idle();
    expect(await balance(b.memberId)).toBe(50 + 123 + 99 + 100 - 30);
    expect(await balance(a.memberId)).toBe(531 - 3);
    expect((await entries(a.memberId, 'referral_share_reversal')).map((e) => [toInt(e.delta), String(e.reason)])).toEqual([[-3, `好友退款扣回分成 · 会员****${b.memberNo.slice(-4)}`]]);
    // The rest refunded: the share goes back in full (10 in all), never more.
    await t.gql(REFUND, { input: { outTradeNo: pay.data.createPayment.order.outTradeNo, amountFen: 7_000, idempotencyKey: randomUUID() } }, await staff());
    await t.paySim!.idle();
    expect(await balance(a.memberId)).toBe(521);

    const mine = await t.gql<{ myReferrals: { referee: string; state: string; pointsEarned: number; qualifiedAt: string | null }[] }>(MY_REFERRALS, {}, a.token);
    expect(mine.data?.myReferrals).toEqual([{ id: expect.any(String), referee: `会员****${b.memberNo.slice(-4)}`, state: 'QUALIFIED', pointsEarned: 521, qualifiedAt: expect.any(String) }]);
    expect(await invitation(a)).toMatchObject({ referees: 1, qualified: 1, pointsEarned: 521 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
    // When these points lapse, the expiry entry names where they came from.
    expect(expiryReason(new Date('2026-03-01T00:00:00.000Z'), 'referral_share', 'EARN')).toBe('积分过期（2026-03-01 好友消费分成）');
  }, 120_000);

  test("a share the referrer has already spent is taken back only as far as their points go (never below zero)", async () => {
    await setProgram();
    clock.reset();
    const [a, b] = await pair();
    const pay = await t.gql<{ createPayment: { order: { outTradeNo: string }; payment: Record<string, string> } }>(CREATE_PAY, { input: { storeId: String(t.org.zhonglou), amountFen: 10_000 } }, b.token);
    if (!pay.data) throw new Error(JSON.stringify(pay.errors));
    await t.paySim!.pay(pay.data.createPayment.payment as never);
    await t.paySim!.idle();
    expect(await balance(a.memberId)).toBe(510);
    // A spends 505 of it at the till: 5 points left.
    const s = await staff();
    const spent = await t.gql(
      'mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { balance } }',
      { input: { memberCode: t.codeOf(a, clock.ms()), storeId: String(t.org.zhonglou), points: 505, reason: '兑换咖啡', idempotencyKey: randomUUID() } },
      s,
    );
    expect(spent.errors).toBeUndefined();
    const refund = await t.gql(REFUND, { input: { outTradeNo: pay.data.createPayment.order.outTradeNo, amountFen: 10_000, idempotencyKey: randomUUID() } }, s);
    expect(refund.errors).toBeUndefined();
    await t.paySim!.idle();
    expect(await balance(a.memberId)).toBe(0); // 10 due, 5 taken
    expect((await entries(a.memberId, 'referral_share_reversal')).map((e) => toInt(e.delta))).toEqual([-5]);
    const c = await q().get<Record<string, unknown>>("SELECT points, reversed FROM referral_credit WHERE referrer_id = ? AND kind = 'SHARE'", [a.memberId]);
    expect([toInt(c?.points), toInt(c?.reversed)]).toEqual([10, 10]);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test("an event's attendance reward is a genuine earning too: the referrer gets a share of it (and no bonus: it is not a purchase)", async () => {
    await setProgram();
    const [a, b] = await pair();
    const kit = new ClubKit(t, `ref-${dialect}-club`);
    const organizer = await kit.organizer();
    const club = await kit.club(organizer);
    const eventId = await kit.event(organizer, club, { startsInMs: 30 * 60_000, allowWalkIns: true, pointsReward: 40 });
    advance();
    const r = await t.gql(CHECK_IN, { id: eventId, code: t.codeOf(b, clock.ms()) }, organizer.token);
    expect(r.errors).toBeUndefined();
    expect(await balance(b.memberId)).toBe(50 + 40);
    expect((await entries(a.memberId, 'referral_share')).map((e) => [toInt(e.delta), String(e.reason)])).toEqual([[4, `好友活动分成 10% · 会员****${b.memberNo.slice(-4)}`]]);
    expect(await entries(a.memberId, 'referral_bonus')).toEqual([]);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('refused with a reason and nothing changed: self-referral, a second referrer, an existing member, an unknown token; the sign-in still works', async () => {
    await setProgram();
    const aId = { openid: `oSelf${dialect}${++n}xxxxxxxxxxxxxx`, unionid: `uSelf${dialect}${n}` };
    const a = await login(aId);
    const inv = await invitation(a);
    const [c] = await pair();
    const cInv = await invitation(c);
    const [, b, bLabel] = await pair();
    const dLabel = label('d');
    const d = await login(dLabel);

    const before = await referralCounts();
    // A with A's own token: self-referral.
    expect((await login(aId, inv.token)).referral).toEqual({ bound: false, refusal: ErrorCode.REFERRAL_SELF, welcomePoints: 0 });
    // B, already bound to its referrer, through C's invitation: one referrer per member.
    const bAgain = await login(bLabel, cInv.token);
    expect(bAgain).toMatchObject({ created: false, userId: b.userId, referral: { bound: false, refusal: ErrorCode.REFERRAL_ALREADY_BOUND } });
    // D existed before: no referral after the fact.
    const dAgain = await login(dLabel, inv.token);
    expect(dAgain).toMatchObject({ created: false, userId: d.userId, referral: { bound: false, refusal: ErrorCode.REFERRAL_NOT_NEW } });
    expect(await referralCounts()).toEqual(before);

    // New members: an unknown or malformed token signs in unbound; the same person (unionid) as the referrer too.
    expect((await login(label('e'), 'ZZZZZZZZZZ')).referral).toEqual({ bound: false, refusal: ErrorCode.REFERRAL_UNKNOWN, welcomePoints: 0 });
    expect((await login(label('f'), '<script>')).referral).toEqual({ bound: false, refusal: ErrorCode.REFERRAL_UNKNOWN, welcomePoints: 0 });
    const twin = await login({ openid: `oTwin${dialect}${n}xxxxxxxxxxxxxx`, unionid: aId.unionid }, inv.token);
    expect(twin).toMatchObject({ created: true, points: 0, referral: { bound: false, refusal: ErrorCode.REFERRAL_SELF } });
    const after = await referralCounts();
    expect([after.referral, after.referral_credit, after.points_entry]).toEqual([before.referral, before.referral_credit, before.points_entry]);

    // With the programme off, a new member signs in unbound.
    await setProgram({ enabled: false });
    expect((await login(label('g'), inv.token)).referral).toEqual({ bound: false, refusal: ErrorCode.REFERRAL_DISABLED, welcomePoints: 0 });
  }, 120_000);

  test('the same phone on both ends is a self-referral found late: the referral is revoked and pays nothing more', async () => {
    await setProgram();
    const [a, b] = await pair();
    const phone = `139${String(10_000_000 + n).slice(-8)}`;
    expect((await t.gql(BIND_PHONE, { code: t.sim.phoneCode(phone) }, a.token)).errors).toBeUndefined();
    expect((await t.gql(BIND_PHONE, { code: t.sim.phoneCode(phone) }, b.token)).errors).toBeUndefined();
    await buy(b, 10_000, await staff());
    expect(await balance(a.memberId)).toBe(0);
    const mine = await t.gql<{ myReferrals: { state: string }[] }>(MY_REFERRALS, {}, a.token);
    expect(mine.data?.myReferrals.map((r) => r.state)).toEqual(['REVOKED']);
  }, 60_000);

  test('20 concurrent first payments by B pay the bonus once (and a share of each)', async () => {
    await setProgram();
    clock.reset();
    const [a, b] = await pair();
    const intents = [];
    for (let i = 0; i < 20; i++) {
      const r = await t.gql<{ createPayment: { payment: Record<string, string> } }>(CREATE_PAY, { input: { storeId: String(t.org.zhonglou), amountFen: 1_000 } }, b.token);
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      intents.push(r.data.createPayment);
    }
    Object.assign(t.paySim!.notifications, { duplicates: 1, concurrent: true, drop: false });
    try {
      await Promise.all(intents.map((i) => t.paySim!.pay(i.payment as never)));
      await t.paySim!.idle();
    } finally {
      Object.assign(t.paySim!.notifications, { duplicates: 0, concurrent: false, drop: false });
    }
    expect(await balance(b.memberId)).toBe(50 + 20 * 10);
    expect((await entries(a.memberId, 'referral_bonus')).map((e) => toInt(e.delta))).toEqual([500]);
    expect((await entries(a.memberId, 'referral_share')).map((e) => toInt(e.delta))).toEqual(Array(20).fill(1));
    expect(await balance(a.memberId)).toBe(520);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 120_000);

  test('the monthly cap (Asia/Shanghai): up to the cap, then no credit and a recorded reason; the next month pays again', async () => {
    // The 28th, 12:00 in Shanghai: the next month starts within days.
    const d = new Date(now);
    now = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 28, 4, 0, 0);
    clock.set(now);
    await setProgram({ monthlyCap: 510 });
    const [a, b] = await pair();
    const s = await staff();
    await buy(b, 12_300, s); // bonus 500 + share 12 → 10 of it under the cap
    expect(await balance(a.memberId)).toBe(510);
    await buy(b, 9_900, s); // share 9: the cap is reached
    expect(await balance(a.memberId)).toBe(510);
    const credits = await q().all<Record<string, unknown>>('SELECT kind, points, capped, refusal FROM referral_credit WHERE referrer_id = ? ORDER BY id', [a.memberId]);
    expect(credits.map((c) => [c.kind, toInt(c.points), toInt(c.capped), c.refusal ?? null])).toEqual([
      ['BONUS', 500, 0, null],
      ['SHARE', 10, 2, ErrorCode.REFERRAL_CAP_REACHED],
      ['SHARE', 0, 9, ErrorCode.REFERRAL_CAP_REACHED],
    ]);
    expect((await entries(a.memberId, 'referral_share')).map((e) => toInt(e.delta))).toEqual([10]);
    const r = await t.gql<{ referralReport: { storeId: string | null; cappedPoints: number; bonusPoints: number; sharePoints: number }[] }>(REPORT, {}, await hq());
    expect(r.data?.referralReport.reduce((sum, row) => sum + row.cappedPoints, 0)).toBeGreaterThanOrEqual(11);
    advance(6 * DAY); // a new calendar month
    await buy(b, 5_000, await staff());
    expect(await balance(a.memberId)).toBe(515);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('the share is paid for N months after binding only (clock set, not slept)', async () => {
    await setProgram({ shareMonths: 3 });
    const [a, b] = await pair();
    advance(60 * DAY);
    await buy(b, 10_000, await staff()); // bonus 500 + share 10
    expect(await balance(a.memberId)).toBe(510);
    advance(40 * DAY); // past 3 months after binding
    const before = await referralCounts();
    await buy(b, 10_000, await staff());
    expect(await balance(a.memberId)).toBe(510);
    const after = await referralCounts();
    expect(after.referral_credit).toBe(before.referral_credit);
  }, 60_000);

  test('bad settings are refused with nothing changed; only HQ managers change them; a region manager cannot read another region', async () => {
    await setProgram();
    const token = await hq();
    const before = (await t.gql<{ referralProgram: unknown }>(PROGRAM, {}, token)).data?.referralProgram;
    for (const bad of [{ referrerBonus: -1 }, { refereeBonus: -100 }, { sharePct: 51 }, { shareMonths: 37 }, { monthlyCap: -1 }, { qualifyingMinFen: -5 }]) {
      const r = await t.gql(UPDATE, { input: { ...SETTINGS, ...bad } }, token);
      expect(errCode(r)).toBe(ErrorCode.BAD_USER_INPUT);
    }
    expect((await t.gql<{ referralProgram: unknown }>(PROGRAM, {}, token)).data?.referralProgram).toEqual(before);
    const xian = await t.signIn(`ref-${dialect}-xian-manager`);
    await t.grant(xian.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
    expect(errCode(await t.gql(UPDATE, { input: { ...SETTINGS, referrerBonus: 1 } }, xian.token))).toBe(ErrorCode.FORBIDDEN);
    expect(errCode(await t.gql(REPORT, { regionId: String(t.org.beijing) }, xian.token))).toBe(ErrorCode.FORBIDDEN);
    expect(errCode(await t.gql(REPORT, { storeId: String(t.org.guomao) }, xian.token))).toBe(ErrorCode.FORBIDDEN);
    expect(errCode(await t.gql(REPORT, {}, xian.token))).toBe(ErrorCode.FORBIDDEN);
    const own = await t.gql<{ referralReport: { storeId: string }[] }>(REPORT, { regionId: String(t.org.xian) }, xian.token);
    expect(own.data?.referralReport.map((r) => r.storeId)).toEqual([String(t.org.zhonglou)]);
    const member = await login(label('m'));
    expect(errCode(await t.gql(PROGRAM, {}, member.token))).toBe(ErrorCode.FORBIDDEN);
    expect((await t.gql<{ referralProgram: unknown }>(PROGRAM, {}, token)).data?.referralProgram).toEqual(before);
  }, 60_000);

  test("the report counts invitations, sign-ups, qualified referees and points at the referrer's store", async () => {
    await setProgram();
    const a = await login(label('a'));
    const token = await hq();
    const row = async () => (await t.gql<{ referralReport: Record<string, unknown>[] }>(REPORT, { storeId: String(t.org.zhonglou) }, token)).data?.referralReport[0];
    const before = await row();
    await buy(a, 1_000, await staff()); // A buys in Xi'an: A's invitation and referrals are reported there
    const inv = await invitation(a);
    const b = await login(label('b'), inv.token);
    await login(label('c'), inv.token);
    await buy(b, 10_000, await staff());
    const after = await row();
    expect(after).toMatchObject({
      storeId: String(t.org.zhonglou),
      invitations: Number(before?.invitations) + 1,
      signUps: Number(before?.signUps) + 2,
      qualified: Number(before?.qualified) + 1,
      bonusPoints: Number(before?.bonusPoints) + 500,
      sharePoints: Number(before?.sharePoints) + 10,
      welcomePoints: Number(before?.welcomePoints) + 100,
    });
  }, 60_000);
}
