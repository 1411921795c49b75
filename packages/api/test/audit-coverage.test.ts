/**
 * Every manager mutation writes an audit row (issue #13): who, what, before/after, in the same transaction as the
 * change. The list is not a hand list that can go stale:
 *  - every mutation of the live schema (`schemaShape()`) must be either exercised here as a manager (AUDITED) or in the
 *    commented EXEMPT list — a mutation added later fails the first test until someone decides which;
 *  - every action of the authorization policy (`ACTIONS` in src/auth/authz.ts) that a manager grant holds must be
 *    classified too: the audited mutations it guards, or why it guards none — a new manager action fails likewise.
 *  - and the club policy's actions (`CLUB_ACTIONS`) likewise.
 * Each audited mutation is then called with valid input as a manager (on MariaDB, with the WeChat Pay and recharge
 * simulators) and must leave exactly one new `audit_log` row naming the mutation, the caller and the target, with the
 * state after (and before, for changes of something that existed). Bad input leaves none.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaShape } from '../src/schema';
import { ACTIONS, CLUB_ACTIONS, allows, type Action, type RoleGrant } from '../src/auth/authz';
import { toInt } from '../src/db/sql';
import { credit } from '../src/modules/ledger/ledger.service';
import { AUDIT_TARGETS } from '../src/modules/audit/audit';
import { startTestApp, type TestApp } from './support/harness';
import { CREATE_CLUB, SET_ORGANIZER } from './support/clubs';
import { ADJUST_STOCK, CREATE_PARTNER, CREATE_REWARD, REDEEM, RETRY, UPDATE_REWARD, RewardKit, ok } from './support/rewards';
import { CREATE_TEMPLATE, ISSUE, UPDATE_TEMPLATE } from './support/coupons';

type Persona = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * Mutations that write no audit row, each with its reason. Anything else a manager may call must audit.
 */
const EXEMPT: Record<string, string> = {
  // Signing in and the console's QR sign-in: sessions, not programme changes.
  login: 'sign-in',
  createConsoleLogin: 'sign-in (signed out)',
  confirmConsoleLogin: 'sign-in (approving one’s own console session)',
  // The member's own self-service (a manager is a member too, but acts here for themselves).
  bindPhone: 'member self-service',
  updateMyProfile: 'member self-service',
  markNotificationRead: 'member self-service',
  recordSubscribeConsent: 'member self-service',
  rateOperation: 'member self-service',
  redeemReward: 'member self-service (in the ledger)',
  requestRewardOtp: 'member self-service',
  buyCoupon: 'member self-service (in the ledger)',
  createPayment: 'member self-service (WeChat Pay)',
  payTillOrder: 'member self-service (WeChat Pay)',
  joinClub: 'member self-service',
  leaveClub: 'member self-service',
  rsvpEvent: 'member self-service (in the ledger)',
  cancelRsvp: 'member self-service (in the ledger)',
  // Till operations of staff (managers covering the store may stand in): each is its own record — a ledger entry with
  // the staff id and store, a redemption, a pay order, a voucher's use — and they run at till volume.
  recordPurchase: 'till (ledger entry with staff and store)',
  redeemPoints: 'till (ledger entry with staff and store)',
  redeemRewardAtTill: 'till (redemption and ledger entry with staff and store)',
  requestTillRewardOtp: 'till (one-time code challenge)',
  useVoucher: 'till (the voucher records its use, store and time)',
  createTillOrder: 'till (the pay order records its store)',
  checkInAttendee: 'event door (attendance row with the scanner)',
  // A club's day-to-day running by its own organizers in the mini-program (managers covering the club may stand in);
  // the club's rows record it. The manager console's club action, granting organizers, is audited (setClubOrganizer).
  createClub: 'club organizers (mini-program)',
  updateClub: 'club organizers (mini-program)',
  resetClubInviteCode: 'club organizers (mini-program)',
  reviewJoinRequest: 'club organizers (mini-program)',
  removeClubMember: 'club organizers (mini-program)',
  postAnnouncement: 'club organizers (mini-program)',
  createEvent: 'club organizers (mini-program)',
  updateEvent: 'club organizers (mini-program)',
  publishEvent: 'club organizers (mini-program)',
  cancelEvent: 'club organizers (mini-program; refunds are in the ledger)',
  finishEvent: 'club organizers (mini-program)',
  // "Run now" buttons for the scheduler's jobs: they make no change of their own choosing — the same idempotent work
  // the timers do (each result is recorded where it lands: ledger entries, outbox rows, redemptions).
  runPointsExpiry: 'job trigger',
  runOutboxRetention: 'job trigger',
  runPaymentRecovery: 'job trigger',
  runRewardJobs: 'job trigger',
  runClubJobs: 'job trigger',
  runBirthdayBonuses: 'job trigger',
  runCampaignJobs: 'job trigger',
};

/**
 * The policy's manager actions: the audited mutations each guards, or (a string) why it guards no mutation that
 * needs an audit row.
 */
const MANAGER_ACTIONS: Record<string, readonly string[] | string> = {
  'till.purchase': 'till (EXEMPT)',
  'till.redeem': 'till (EXEMPT)',
  'till.lookup': 'read',
  'earningRule.manage': ['createEarningRule', 'updateEarningRule', 'setEarningRuleActive', 'retireEarningRule'],
  'earningRule.read': 'read',
  'program.manage': ['updateProgramSettings', 'updateAnalyticsSettings', 'updateRatingSettings'],
  'tier.manage': ['upsertTier'],
  'org.manage': ['createRegion', 'createStore'],
  'role.assign': ['assignRole', 'revokeRole'],
  'role.assignManager': ['assignRole', 'revokeRole'],
  'points.expire': 'job trigger (EXEMPT)',
  'pay.tillOrder': 'till (EXEMPT)',
  'pay.refund': ['refundPayment'],
  'pay.recover': 'job trigger (EXEMPT)',
  'pay.anomaly': ['resolvePayAnomaly'],
  'points.reconcile': 'read',
  'club.create': 'club organizers (EXEMPT)',
  'club.report': 'read',
  'club.jobs': 'job trigger (EXEMPT)',
  'reward.manage': ['createRewardPartner', 'createReward', 'updateReward', 'adjustRewardStock', 'retryRedemption'],
  'reward.report': 'read',
  'voucher.use': 'till (EXEMPT)',
  'outbox.manage': ['acknowledgeDeadLetter'],
  'console.use': 'sign-in (EXEMPT) and reads',
  'audit.read': 'read',
  'analytics.read': 'read',
  'rating.list': 'read',
  'rating.read': 'read',
  'rating.followUp': ['acknowledgeRating', 'resolveRating'],
  'member.read': 'read',
  'points.adjust': ['requestPointsAdjustment', 'approvePointsAdjustment', 'rejectPointsAdjustment'],
  'coupon.manage': ['createCouponTemplate', 'updateCouponTemplate', 'issueCoupons'],
  'referral.manage': ['updateReferralProgram'],
  'referral.settings': 'read',
  'referral.report': 'read',
  'campaign.manage': ['createCampaign', 'updateCampaign', 'scheduleCampaign', 'cancelCampaign'],
  'campaign.jobs': 'job trigger (EXEMPT)',
  // Club actions (CLUB_POLICY): managers covering the club hold them all.
  'club.edit': 'club organizers (EXEMPT)',
  'club.moderate': 'club organizers (EXEMPT)',
  'club.announce': 'club organizers (EXEMPT)',
  'club.organizers': ['setClubOrganizer'],
  'event.manage': 'club organizers (EXEMPT)',
  'event.checkin': 'event door (EXEMPT)',
};

interface Case {
  query: string;
  variables: Record<string, unknown>;
  /** Who calls (default: the HQ manager). */
  as?: Persona;
  targetType: string;
  /** Whether the row must carry the state before (changes of something that existed). */
  before: boolean;
}

describe('audit coverage: every manager mutation writes an audit row', () => {
  let t: TestApp;
  let hq: Persona;
  let hq2: Persona;
  let kit: RewardKit;
  let seq = 0;
  const q = () => t.app.services.db.q;
  const n = async (sql: string, params: unknown[] = []) => toInt((await q().get<{ n: unknown }>(sql, params))?.n);

  beforeAll(async () => {
    t = await startTestApp('mariadb', { pay: {}, rewards: {} });
    kit = new RewardKit(t, 'audcov');
    await kit.setUp();
    hq = kit.manager as Persona;
    hq2 = await t.signIn('audcov-hq2');
    await t.grant(hq2.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  }, 60_000);
  afterAll(async () => t?.close());

  /** A fresh member with points earned at 国贸 and a female profile (campaign segments are not empty). */
  async function member(points = 100): Promise<Persona> {
    const m = await t.signIn(`audcov-m-${++seq}`);
    await t.app.services.db.tx((tq) =>
      credit(tq, { memberId: m.memberId, kind: 'EARN', reason: 'audit setup', actorId: null, storeId: t.org.guomao, sourceType: 'test', sourceRef: `audcov-${++seq}-${randomUUID()}`, requestHash: null, now: new Date() }, points, 24),
    );
    await q().run("INSERT INTO member_profile (member_id, gender, home_store_id, location_consent, updated_at) VALUES (?, 'FEMALE', ?, ?, ?)", [m.memberId, t.org.guomao, q().bool(false), q().ts(new Date())]);
    return m;
  }
  const mustOk = <T>(r: { data?: T | null; errors?: unknown }): T => {
    if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  async function rule(category: string): Promise<string> {
    const r = await t.gql<{ createEarningRule: { id: string } }>(
      'mutation($input: CreateEarningRuleInput!) { createEarningRule(input: $input) { id } }',
      { input: { kind: 'CATEGORY', name: `审计 ${category}`, scope: 'STORE', scopeId: String(t.org.guomao), category, multiplierPct: 120 } },
      hq.token,
    );
    return mustOk(r).createEarningRule.id;
  }
  async function couponTemplate(): Promise<string> {
    const r = await t.gql<{ createCouponTemplate: { id: string } }>(CREATE_TEMPLATE, { input: { kind: 'AMOUNT_OFF', name: `审计券 ${++seq}`, amountOffFen: 500, validDays: 7, budget: 1000 } }, hq.token);
    return mustOk(r).createCouponTemplate.id;
  }
  async function campaign(): Promise<string> {
    await member();
    const r = await t.gql<{ createCampaign: { id: string } }>(
      'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      { input: { name: `审计活动 ${++seq}`, conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: await couponTemplate(), startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
      hq.token,
    );
    return mustOk(r).createCampaign.id;
  }
  async function pendingAdjustment(): Promise<string> {
    const m = await member();
    const r = await t.gql<{ requestPointsAdjustment: { adjustment: { id: string; status: string } } }>(
      'mutation($input: PointsAdjustmentInput!) { requestPointsAdjustment(input: $input) { adjustment { id status } } }',
      { input: { memberId: String(m.memberId), delta: 5000, reason: '活动补偿', storeId: String(t.org.guomao), idempotencyKey: randomUUID() } },
      hq2.token,
    );
    const a = mustOk(r).requestPointsAdjustment.adjustment;
    if (a.status !== 'PENDING') throw new Error(`adjustment ${a.status}`);
    return a.id;
  }
  async function lowRating(): Promise<string> {
    const m = await member();
    const now = q().ts(new Date());
    const r = await q().run(
      "INSERT INTO service_rating (member_id, kind, operation_id, summary, store_id, region_id, staff_id, stars, comment, operation_at, points_awarded, follow_up, created_at) VALUES (?, 'PURCHASE', ?, '门店消费 ¥50.00', ?, ?, NULL, 1, '太慢', ?, 0, 'OPEN', ?)",
      [m.memberId, 2_000_000 + ++seq, t.org.guomao, t.org.beijing, now, now],
    );
    return String(r.insertId);
  }
  async function paidOrder(): Promise<string> {
    const payer = await member();
    const r = mustOk(
      await t.gql<{ createPayment: { order: { outTradeNo: string }; payment: Record<string, string> } }>(
        'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }',
        { input: { storeId: String(t.org.guomao), amountFen: 10_000 } },
        payer.token,
      ),
    );
    await t.paySim!.pay(r.createPayment.payment as never);
    await t.paySim!.idle();
    return r.createPayment.order.outTradeNo;
  }
  async function anomaly(): Promise<string> {
    const now = new Date();
    const no = `QZAUDCOV${++seq}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const o = await q().run(
      "INSERT INTO pay_order (out_trade_no, store_id, amount_fen, description, `lines`, state, refunded_fen, points_reversed, expires_at, created_at) VALUES (?, ?, 1000, 'audit', '[]', 'PENDING', 0, 0, ?, ?)",
      [no, t.org.guomao, q().ts(now), q().ts(now)],
    );
    await t.app.services.payAnomalies.record(o.insertId, `42000${seq}`, [{ kind: 'AMOUNT_MISMATCH', expected: '1000', received: '1' }], 'notify', now);
    return String(await n('SELECT id AS n FROM pay_anomaly WHERE order_id = ?', [o.insertId]));
  }
  async function club(): Promise<string> {
    const r = await t.gql<{ createClub: { id: string } }>(CREATE_CLUB, { input: { name: `审计俱乐部${++seq}`, theme: '骑行', description: '周末一起骑车', joinPolicy: 'OPEN', storeId: String(t.org.guomao) } }, hq.token);
    return mustOk(r).createClub.id;
  }

  /** The call for each audited mutation, with its setup (done before the audit count is taken). */
  const AUDITED: Record<string, () => Promise<Case>> = {
    createRegion: async () => ({ query: 'mutation($input: CreateRegionInput!) { createRegion(input: $input) { id } }', variables: { input: { code: `aud-r${++seq}`, name: `审计区域${seq}` } }, targetType: 'region', before: false }),
    createStore: async () => ({
      query: 'mutation($input: CreateStoreInput!) { createStore(input: $input) { id } }',
      variables: { input: { regionId: String(t.org.beijing), code: `aud-s${++seq}`, name: `审计门店${seq}`, lat: 39.9, lng: 116.4 } },
      targetType: 'store',
      before: false,
    }),
    assignRole: async () => {
      const u = await t.signIn(`audcov-staff-${++seq}`);
      return { query: 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { role } }', variables: { input: { userId: String(u.userId), role: 'STAFF', scope: 'STORE', storeId: String(t.org.guomao) } }, targetType: 'role', before: false };
    },
    revokeRole: async () => {
      const u = await t.signIn(`audcov-revoke-${++seq}`);
      await t.grant(u.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
      const id = await n('SELECT id AS n FROM role_assignment WHERE user_id = ?', [u.userId]);
      return { query: 'mutation($id: ID!) { revokeRole(id: $id) { id } }', variables: { id: String(id) }, targetType: 'role', before: true };
    },
    upsertTier: async () => ({ query: 'mutation($input: TierInput!) { upsertTier(input: $input) { code } }', variables: { input: { code: 'GOLD', name: '金卡', rank: 2, thresholdFen: 500_000, multiplierPct: 130 } }, targetType: 'tier', before: true }),
    createEarningRule: async () => ({
      query: 'mutation($input: CreateEarningRuleInput!) { createEarningRule(input: $input) { id } }',
      variables: { input: { kind: 'CATEGORY', name: `审计规则 ${++seq}`, scope: 'HQ', category: `aud${seq}`, multiplierPct: 110 } },
      targetType: 'earning_rule',
      before: false,
    }),
    updateEarningRule: async () => ({ query: 'mutation($id: ID!, $input: UpdateEarningRuleInput!) { updateEarningRule(id: $id, input: $input) { id } }', variables: { id: await rule(`aud-upd${++seq}`), input: { multiplierPct: 140 } }, targetType: 'earning_rule', before: true }),
    setEarningRuleActive: async () => ({ query: 'mutation($id: ID!) { setEarningRuleActive(id: $id, active: false) { id } }', variables: { id: await rule(`aud-off${++seq}`) }, targetType: 'earning_rule', before: true }),
    retireEarningRule: async () => ({ query: 'mutation($id: ID!) { retireEarningRule(id: $id) { id } }', variables: { id: await rule(`aud-ret${++seq}`) }, targetType: 'earning_rule', before: true }),
    updateProgramSettings: async () => {
      const cur = await t.app.services.earning.settings();
      return { query: 'mutation($input: ProgramSettingsInput!) { updateProgramSettings(input: $input) { pointsValidityMonths } }', variables: { input: { pointsValidityMonths: cur.pointsValidityMonths === 24 ? 36 : 24 } }, targetType: 'program', before: true };
    },
    updateAnalyticsSettings: async () => {
      const cur = await t.app.services.analyticsSettings.get();
      return { query: 'mutation($input: AnalyticsSettingsInput!) { updateAnalyticsSettings(input: $input) { activeDays } }', variables: { input: { activeDays: cur.activeDays === 90 ? 60 : 90 } }, targetType: 'program', before: true };
    },
    updateRatingSettings: async () => {
      const cur = await t.app.services.ratings.bonusPoints();
      return { query: 'mutation($n: Int!) { updateRatingSettings(bonusPoints: $n) { bonusPoints } }', variables: { n: cur === 5 ? 10 : 5 }, targetType: 'program', before: true };
    },
    updateReferralProgram: async () => ({
      query: 'mutation($input: ReferralProgramInput!) { updateReferralProgram(input: $input) { referrerBonus } }',
      variables: { input: { enabled: true, referrerBonus: 500 + ++seq, refereeBonus: 0, sharePct: 10, shareMonths: 12, monthlyCap: 0, qualifyingMinFen: 0 } },
      targetType: 'program',
      before: false, // the first change creates the settings row
    }),
    createRewardPartner: async () => ({ query: CREATE_PARTNER, variables: { input: { code: `aud-p${++seq}`, name: `审计商家${seq}` } }, targetType: 'reward_partner', before: false }),
    createReward: async () => ({ query: CREATE_REWARD, variables: { input: { kind: 'OWN_PRODUCT', name: `审计拿铁 ${++seq}`, pointsPrice: 300, stock: 10 } }, targetType: 'reward', before: false }),
    updateReward: async () => ({ query: UPDATE_REWARD, variables: { id: (await kit.reward({ kind: 'OWN_PRODUCT' })).id, input: { pointsPrice: 350 } }, targetType: 'reward', before: true }),
    adjustRewardStock: async () => ({ query: ADJUST_STOCK, variables: { id: (await kit.reward({ kind: 'OWN_PRODUCT' })).id, delta: 5 }, targetType: 'reward', before: true }),
    retryRedemption: async () => {
      // A top-up just redeemed is PENDING until the worker runs: a manager may push it again.
      const topup = await kit.reward();
      const m = await kit.member({ points: 5000 });
      const r = ok(await t.gql<{ redeemReward: { redemption: { id: string; status: string } } }>(REDEEM, { input: { rewardId: topup.id, idempotencyKey: kit.key() } }, m.token)).redeemReward.redemption;
      return { query: RETRY, variables: { id: r.id }, targetType: 'redemption', before: true };
    },
    createCouponTemplate: async () => ({ query: CREATE_TEMPLATE, variables: { input: { kind: 'AMOUNT_OFF', name: `审计券 ${++seq}`, amountOffFen: 500, validDays: 7, budget: 100 } }, targetType: 'reward', before: false }),
    updateCouponTemplate: async () => ({ query: UPDATE_TEMPLATE, variables: { id: await couponTemplate(), input: { name: `审计券改 ${++seq}` } }, targetType: 'reward', before: true }),
    issueCoupons: async () => {
      const m = await member();
      return { query: ISSUE, variables: { input: { templateId: await couponTemplate(), memberNos: [m.memberNo], idempotencyKey: randomUUID() } }, targetType: 'reward', before: false };
    },
    requestPointsAdjustment: async () => {
      const m = await member();
      return {
        query: 'mutation($input: PointsAdjustmentInput!) { requestPointsAdjustment(input: $input) { adjustment { id } } }',
        variables: { input: { memberId: String(m.memberId), delta: 10, reason: '补录', storeId: String(t.org.guomao), idempotencyKey: randomUUID() } },
        targetType: 'points_adjustment',
        before: false,
      };
    },
    approvePointsAdjustment: async () => ({ query: 'mutation($id: ID!) { approvePointsAdjustment(id: $id) { id } }', variables: { id: await pendingAdjustment() }, targetType: 'points_adjustment', before: true }),
    rejectPointsAdjustment: async () => ({ query: 'mutation($id: ID!) { rejectPointsAdjustment(id: $id, note: "理由不足") { id } }', variables: { id: await pendingAdjustment() }, targetType: 'points_adjustment', before: true }),
    acknowledgeRating: async () => ({ query: 'mutation($id: ID!) { acknowledgeRating(id: $id) { id } }', variables: { id: await lowRating() }, targetType: 'rating', before: true }),
    resolveRating: async () => ({ query: 'mutation($id: ID!) { resolveRating(id: $id, note: "已致电会员道歉") { id } }', variables: { id: await lowRating() }, targetType: 'rating', before: true }),
    createCampaign: async () => ({
      query: 'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      variables: { input: { name: `审计活动 ${++seq}`, conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: await couponTemplate(), startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
      targetType: 'campaign',
      before: false,
    }),
    updateCampaign: async () => ({ query: 'mutation($id: ID!) { updateCampaign(id: $id, input: { holdoutPct: 20 }) { id } }', variables: { id: await campaign() }, targetType: 'campaign', before: true }),
    scheduleCampaign: async () => ({ query: 'mutation($id: ID!) { scheduleCampaign(id: $id) { id } }', variables: { id: await campaign() }, targetType: 'campaign', before: true }),
    cancelCampaign: async () => ({ query: 'mutation($id: ID!) { cancelCampaign(id: $id) { id } }', variables: { id: await campaign() }, targetType: 'campaign', before: true }),
    acknowledgeDeadLetter: async () => {
      const now = q().ts(new Date());
      const id = (await q().run("INSERT INTO outbox (topic, ref, status, attempts, available_at, created_at, updated_at) VALUES ('audit.test', ?, 'DEAD', 5, ?, ?, ?)", [`aud-${++seq}`, now, now, now])).insertId;
      return { query: 'mutation($id: ID!) { acknowledgeDeadLetter(id: $id) { id } }', variables: { id: String(id) }, targetType: 'outbox', before: true };
    },
    resolvePayAnomaly: async () => ({ query: 'mutation($id: ID!) { resolvePayAnomaly(id: $id, note: "已联系微信支付核实") { id } }', variables: { id: await anomaly() }, targetType: 'pay_anomaly', before: true }),
    refundPayment: async () => ({
      query: 'mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { status } }',
      variables: { input: { outTradeNo: await paidOrder(), amountFen: 3_000, reason: '退货一件', idempotencyKey: randomUUID() } },
      targetType: 'pay_refund',
      before: true,
    }),
    setClubOrganizer: async () => {
      const u = await t.signIn(`audcov-organizer-${++seq}`);
      return { query: SET_ORGANIZER, variables: { clubId: await club(), userId: String(u.userId), on: true }, targetType: 'club', before: false };
    },
  };

  test('every mutation of the schema is audited here or exempt with a reason, never both', async () => {
    const schema = await schemaShape();
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
    expect(mutations.length).toBeGreaterThan(50);
    const unclassified = mutations.filter((m) => !(m in AUDITED) && !(m in EXEMPT));
    expect(unclassified).toEqual([]);
    expect(Object.keys(AUDITED).filter((m) => m in EXEMPT)).toEqual([]);
    // Nothing listed that the schema no longer has (a stale list would hide a rename).
    expect([...Object.keys(AUDITED), ...Object.keys(EXEMPT)].filter((m) => !mutations.includes(m))).toEqual([]);
  });

  test('every action a manager holds in the policy is classified: the audited mutations it guards, or why none', () => {
    const manager: RoleGrant = { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null };
    const targets = [{ kind: 'HQ' as const }, { kind: 'REGION' as const, regionId: 1 }, { kind: 'STORE' as const, storeId: 1, regionId: 1 }];
    // Managers hold every club action on the clubs they cover (CLUB_POLICY), so those are all theirs.
    const held: string[] = [...ACTIONS.filter((a: Action) => targets.some((tg) => allows([manager], a, tg))), ...CLUB_ACTIONS];
    expect(held.length).toBeGreaterThan(20);
    expect(held.filter((a) => !(a in MANAGER_ACTIONS))).toEqual([]);
    expect(Object.keys(MANAGER_ACTIONS).filter((a) => !held.includes(a))).toEqual([]);
    for (const guarded of Object.values(MANAGER_ACTIONS)) if (Array.isArray(guarded)) for (const m of guarded) expect(AUDITED).toHaveProperty([m]);
    // …and every audited mutation is guarded by some manager action.
    const guardedAll = new Set(Object.values(MANAGER_ACTIONS).flatMap((g) => (Array.isArray(g) ? g : [])));
    expect(Object.keys(AUDITED).filter((m) => !guardedAll.has(m))).toEqual([]);
  });

  test('the console’s audit log names every audited mutation and target in Chinese', () => {
    const labels = readFileSync(join(__dirname, '../../console/src/sections/audit-labels.ts'), 'utf8');
    expect([...Object.keys(AUDITED), ...AUDIT_TARGETS].filter((k) => !new RegExp(`\\b${k}: '`).test(labels))).toEqual([]);
  });

  test.each(Object.keys(AUDITED))('%s as a manager writes one audit row: who, what, before/after', async (name) => {
    const c = await AUDITED[name]!();
    const caller = c.as ?? hq;
    const maxId = await n('SELECT COALESCE(MAX(id), 0) AS n FROM audit_log');
    const r = await t.gql(c.query, c.variables, caller.token);
    expect(r.errors).toBeUndefined();
    const rows = await q().all<Record<string, unknown>>('SELECT actor_user_id, action, target_type, target_id, before_json, after_json, created_at FROM audit_log WHERE id > ? ORDER BY id', [maxId]);
    expect(rows.map((x) => x.action)).toEqual([name]);
    const row = rows[0]!;
    expect(toInt(row.actor_user_id)).toBe(caller.userId);
    expect(row.target_type).toBe(c.targetType);
    expect(row.target_id).not.toBeNull();
    expect(row.created_at).not.toBeNull();
    // A revocation's after is the absence of the grant; every other change records what it left.
    if (name !== 'revokeRole') expect(JSON.parse(String(row.after_json))).toBeTruthy();
    if (c.before) expect(JSON.parse(String(row.before_json))).toBeTruthy();
  });

  test.each<[string, () => Promise<{ query: string; variables: Record<string, unknown> }>]>([
    ['createStore with an unknown region', async () => ({ query: 'mutation { createStore(input: { regionId: "999999", code: "aud-bad", name: "坏店" }) { id } }', variables: {} })],
    ['createRewardPartner with a bad code', async () => ({ query: CREATE_PARTNER, variables: { input: { code: 'Bad Code!', name: '坏商家' } } })],
    ['updateReward ending before it starts', async () => ({ query: UPDATE_REWARD, variables: { id: (await kit.reward({ kind: 'OWN_PRODUCT' })).id, input: { startsAt: '2030-02-01T00:00:00.000Z', endsAt: '2030-01-01T00:00:00.000Z' } } })],
    ['refundPayment of more than was paid', async () => ({ query: 'mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { status } }', variables: { input: { outTradeNo: await paidOrder(), amountFen: 20_000, idempotencyKey: randomUUID() } } })],
    ['resolvePayAnomaly without a note', async () => ({ query: 'mutation($id: ID!) { resolvePayAnomaly(id: $id, note: " ") { id } }', variables: { id: await anomaly() } })],
    ['setClubOrganizer of an unknown user', async () => ({ query: SET_ORGANIZER, variables: { clubId: await club(), userId: '999999', on: true } })],
  ])('a failed mutation writes no audit row: %s', async (_name, build) => {
    const c = await build();
    const before = await n('SELECT COUNT(*) AS n FROM audit_log');
    const r = await t.gql(c.query, c.variables, hq.token);
    expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(r.errors?.[0]?.extensions?.code);
    expect(await n('SELECT COUNT(*) AS n FROM audit_log')).toBe(before);
  });
});
