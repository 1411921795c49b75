/**
 * Authorization (F12): every role × every guarded operation, over real HTTP on MariaDB.
 *
 * PRODUCT F12: HQ → region → store; staff are bound to stores; managers act within their scope only.
 * src/auth/authz.ts makes that precise:
 * - the till (record a purchase, deduct points, redeem a reward for the member and send its one-time code, look a
 *   member up, list operations) is for staff of that store
 *   and for managers whose scope covers it (the store's manager, its region's manager, HQ managers);
 * - earning rules and staff/organizer roles: managers whose scope covers the rule's or role's scope;
 * - tiers, program settings, regions, stores, manager roles, points expiry and reconciliation, the outbox's dead
 *   letters and retention, WeChat Pay anomalies (list, resolve): HQ managers;
 * - analytics (KPIs, lifecycle inventory, declining members, RFM, radar, cohort retention): managers whose scope covers the store, region
 *   or HQ asked for; the analytics settings: HQ managers;
 * - service ratings (F11): any manager lists the stores in their scope; one store's ratings, per staff member, and the
 *   follow-up of a low rating (acknowledge, resolve) for managers whose scope covers the store; the rating bonus: HQ;
 * - organizers run clubs: none of these; signed-out callers are UNAUTHENTICATED for all of them.
 *
 * An allowed cell must succeed (inputs are made to succeed: fresh members, unique codes and keys) and, for a
 * mutation, change the database. A forbidden cell must answer FORBIDDEN (UNAUTHENTICATED when signed out)
 * and change nothing: row counts, balances, and the rows a forbidden update could have touched.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { allows, managerCovers, managerSees, type Action, type RoleGrant, type Target } from '../src/auth/authz';
import { credit } from '../src/modules/ledger/ledger.service';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';

// ---------------------------------------------------------------------------------------------------------------
// The pure policy.
// ---------------------------------------------------------------------------------------------------------------

describe('allows() and managerCovers() (pure)', () => {
  const BJ = 1;
  const XA = 2;
  const GUOMAO = 10; // in Beijing
  const ZHONGLOU = 30; // in Xi'an
  const g = (role: RoleGrant['role'], scope: RoleGrant['scope'], storeId: number | null = null, regionId: number | null = null): RoleGrant => ({ role, scope, storeId, regionId });
  const guomao: Target = { kind: 'STORE', storeId: GUOMAO, regionId: BJ };
  const zhonglou: Target = { kind: 'STORE', storeId: ZHONGLOU, regionId: XA };
  const beijing: Target = { kind: 'REGION', regionId: BJ };
  const xian: Target = { kind: 'REGION', regionId: XA };
  const hq: Target = { kind: 'HQ' };

  const hqManager = g('MANAGER', 'HQ');
  const bjManager = g('MANAGER', 'REGION', null, BJ);
  const guomaoManager = g('MANAGER', 'STORE', GUOMAO, BJ);
  const guomaoStaff = g('STAFF', 'STORE', GUOMAO, BJ);
  const organizer = g('ORGANIZER', 'HQ');

  test.each<[string, RoleGrant, Target, boolean]>([
    ['HQ manager covers HQ', hqManager, hq, true],
    ['HQ manager covers any region', hqManager, xian, true],
    ['HQ manager covers any store', hqManager, zhonglou, true],
    ['region manager covers its region', bjManager, beijing, true],
    ['region manager covers a store in its region', bjManager, guomao, true],
    ['region manager does not cover another region', bjManager, xian, false],
    ["region manager does not cover another region's store", bjManager, zhonglou, false],
    ['region manager does not cover HQ', bjManager, hq, false],
    ['store manager covers its store', guomaoManager, guomao, true],
    ['store manager does not cover another store', guomaoManager, zhonglou, false],
    ["store manager does not cover its store's region", guomaoManager, beijing, false],
    ['store manager does not cover HQ', guomaoManager, hq, false],
    ['staff are not managers, even at their store', guomaoStaff, guomao, false],
    ['an HQ organizer is not a manager', organizer, hq, false],
  ])('managerCovers: %s', (_name, grant, target, expected) => {
    expect(managerCovers(grant, target)).toBe(expected);
  });

  test.each<[string, RoleGrant, Target, boolean]>([
    ['every manager sees what HQ set', guomaoManager, hq, true],
    ['a store manager sees its region’s settings (they apply at the store)', guomaoManager, beijing, true],
    ['a store manager sees its own store’s', guomaoManager, guomao, true],
    ['a store manager does not see another region’s', guomaoManager, xian, false],
    ['a store manager does not see another store’s', guomaoManager, zhonglou, false],
    ['a region manager sees its stores’', bjManager, guomao, true],
    ['a region manager does not see another region’s store', bjManager, zhonglou, false],
    ['staff are not managers', guomaoStaff, hq, false],
  ])('managerSees: %s', (_name, grant, target, expected) => {
    expect(managerSees(grant, target)).toBe(expected);
  });

  test.each<[string, RoleGrant[], Action, Target, boolean]>([
    ['staff record purchases at their store', [guomaoStaff], 'till.purchase', guomao, true],
    ['staff redeem and look up at their store', [guomaoStaff], 'till.redeem', guomao, true],
    ['staff look members up at their store', [guomaoStaff], 'till.lookup', guomao, true],
    ['staff cannot use another store’s till', [guomaoStaff], 'till.purchase', zhonglou, false],
    ['a staff grant without a store scope allows no till', [g('STAFF', 'REGION', null, BJ)], 'till.purchase', guomao, false],
    ['staff cannot manage earning rules at their store', [guomaoStaff], 'earningRule.manage', guomao, false],
    ['region manager uses a till in its region', [bjManager], 'till.redeem', guomao, true],
    ['region manager manages its region’s rules', [bjManager], 'earningRule.manage', beijing, true],
    ['region manager assigns staff in its region', [bjManager], 'role.assign', guomao, true],
    ['region manager cannot create managers', [bjManager], 'role.assignManager', beijing, false],
    ['region manager cannot manage tiers', [bjManager], 'tier.manage', hq, false],
    ['region manager cannot run expiry', [bjManager], 'points.expire', hq, false],
    ['HQ manager does everything', [hqManager], 'points.reconcile', hq, true],
    ['HQ manager creates managers', [hqManager], 'role.assignManager', hq, true],
    ['HQ manager acknowledges dead letters and runs outbox retention', [hqManager], 'outbox.manage', hq, true],
    ['region manager cannot touch the outbox', [bjManager], 'outbox.manage', hq, false],
    ['store manager cannot touch the outbox', [guomaoManager], 'outbox.manage', hq, false],
    ['HQ organizer manages no org', [organizer], 'org.manage', hq, false],
    ['HQ organizer cannot use a till', [organizer], 'till.lookup', guomao, false],
    ['no grants, nothing', [], 'till.lookup', guomao, false],
    ['any one grant is enough', [g('STAFF', 'STORE', ZHONGLOU, XA), guomaoStaff], 'till.purchase', guomao, true],
    ['any manager may use the console', [guomaoManager], 'console.use', hq, true],
    ['staff may not use the console', [guomaoStaff], 'console.use', hq, false],
    ['an organizer may not use the console', [organizer], 'console.use', hq, false],
    ['a store manager reads the audit trail (its scope filtered by the query)', [guomaoManager], 'audit.read', hq, true],
    ['staff read no audit trail', [guomaoStaff], 'audit.read', hq, false],
    ['a store manager reads and follows up its store’s ratings', [guomaoManager], 'rating.followUp', guomao, true],
    ['a store manager cannot read another store’s ratings', [guomaoManager], 'rating.read', zhonglou, false],
    ['a region manager cannot follow up another region’s ratings', [bjManager], 'rating.followUp', zhonglou, false],
    ['staff do not read ratings, even of their store', [guomaoStaff], 'rating.read', guomao, false],
    ['a store manager adjusts points booked at their store', [guomaoManager], 'points.adjust', guomao, true],
    ["a store manager adjusts no points booked at another store", [guomaoManager], 'points.adjust', zhonglou, false],
    ['a region manager adjusts no points booked at HQ', [bjManager], 'points.adjust', hq, false],
    ['staff adjust no points', [guomaoStaff], 'points.adjust', guomao, false],
    ['a store manager reads members (scoped by the query)', [guomaoManager], 'member.read', hq, true],
    ['a region manager manages its region’s coupon templates', [bjManager], 'coupon.manage', beijing, true],
    ['a region manager manages its stores’ coupon templates', [bjManager], 'coupon.manage', guomao, true],
    ['a store manager does not manage its region’s coupon templates', [guomaoManager], 'coupon.manage', beijing, false],
    ['staff manage no coupon templates', [guomaoStaff], 'coupon.manage', guomao, false],
    ['only HQ managers set the referral programme', [bjManager], 'referral.manage', hq, false],
    ['a region manager reads its region’s referral report', [bjManager], 'referral.report', beijing, true],
    ['a region manager cannot read another region’s referral report', [bjManager], 'referral.report', xian, false],
    ['two grants elsewhere do not add up', [g('STAFF', 'STORE', ZHONGLOU, XA), g('MANAGER', 'REGION', null, XA)], 'till.purchase', guomao, false],
    ['a store manager reads its store’s analytics', [guomaoManager], 'analytics.read', guomao, true],
    ['a store manager reads no other store’s analytics', [guomaoManager], 'analytics.read', zhonglou, false],
    ['a store manager reads no HQ analytics', [guomaoManager], 'analytics.read', hq, false],
    ['a region manager reads its stores’ analytics', [bjManager], 'analytics.read', guomao, true],
    ['a region manager reads no other region’s analytics', [bjManager], 'analytics.read', xian, false],
    ['staff read no analytics', [guomaoStaff], 'analytics.read', guomao, false],
    ['a region manager runs its region’s campaigns', [bjManager], 'campaign.manage', beijing, true],
    ['a region manager runs no other region’s campaigns', [bjManager], 'campaign.manage', zhonglou, false],
    ['a store manager runs no region campaign', [guomaoManager], 'campaign.manage', beijing, false],
    ['staff run no campaigns', [guomaoStaff], 'campaign.manage', guomao, false],
    ['only HQ runs the campaign sender', [bjManager], 'campaign.jobs', hq, false],
  ])('allows: %s', (_name, grants, action, target, expected) => {
    expect(allows(grants, action, target)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The matrix over HTTP.
// ---------------------------------------------------------------------------------------------------------------

const ROLES = ['anonymous', 'member', 'staff@guomao', 'staff@zhonglou', 'organizer@HQ', 'manager@guomao', 'manager@beijing', 'manager@xian', 'manager@HQ'] as const;
type RoleName = (typeof ROLES)[number];

type OpName =
  | 'recordPurchase@guomao'
  | 'redeemPoints@guomao'
  | 'redeemRewardAtTill@guomao'
  | 'requestTillRewardOtp@guomao'
  | 'upsertTier'
  | 'createEarningRule(STORE guomao)'
  | 'createEarningRule(REGION beijing)'
  | 'createEarningRule(HQ)'
  | 'setEarningRuleActive(STORE guomao rule)'
  | 'setEarningRuleActive(REGION beijing rule)'
  | 'setEarningRuleActive(HQ rule)'
  | 'updateEarningRule(STORE guomao rule)'
  | 'updateEarningRule(REGION beijing rule)'
  | 'updateEarningRule(HQ rule)'
  | 'retireEarningRule(STORE guomao rule)'
  | 'retireEarningRule(REGION beijing rule)'
  | 'retireEarningRule(HQ rule)'
  | 'updateProgramSettings'
  | 'createRegion'
  | 'createStore'
  | 'assignRole(STAFF at guomao)'
  | 'assignRole(MANAGER at HQ)'
  | 'runPointsExpiry'
  | 'memberByCode@guomao'
  | 'tillOperations@guomao'
  | 'pointsReconciliation'
  | 'outboxDeadLetters'
  | 'acknowledgeDeadLetter'
  | 'runOutboxRetention'
  | 'confirmConsoleLogin'
  | 'revokeRole(STAFF at guomao)'
  | 'revokeRole(MANAGER at guomao)'
  | 'managerScope'
  | 'roleGrants'
  | 'auditLog'
  | 'payAnomalies'
  | 'resolvePayAnomaly'
  | 'analyticsKpis@guomao'
  | 'analyticsKpis(HQ)'
  | 'decliningMembers(REGION xian)'
  | 'cohortRetention(REGION beijing)'
  | 'updateAnalyticsSettings'
  | 'storeRatings'
  | 'staffRatings@guomao'
  | 'serviceRatings@guomao'
  | 'serviceRating(guomao rating)'
  | 'acknowledgeRating(guomao rating)'
  | 'resolveRating(guomao rating)'
  | 'updateRatingSettings'
  | 'requestPointsAdjustment@guomao'
  | 'approvePointsAdjustment@guomao'
  | 'rejectPointsAdjustment@guomao'
  | 'pointsAdjustments'
  | 'consoleMembers'
  | 'createCouponTemplate(REGION beijing)'
  | 'issueCoupons(STORE guomao template)'
  | 'updateReferralProgram'
  | 'referralProgram'
  | 'referralReport(STORE guomao)'
  | 'referralReport(REGION beijing)'
  | 'referralReport(HQ)'
  | 'runBirthdayBonuses'
  | 'payOrders@guomao'
  | 'createCampaign(REGION beijing)'
  | 'campaignReport(STORE guomao campaign)'
  | 'cancelCampaign(STORE guomao campaign)'
  | 'runCampaignJobs';

/**
 * The expectation, one row per operation, one column per role: A = allowed, F = FORBIDDEN, U = UNAUTHENTICATED.
 */
// prettier-ignore
const MATRIX: [OpName, string][] = [
  //                                          anon member staff staff organ mgr   mgr   mgr   mgr
  //                                                      @gm   @zl   @HQ   @gm   @bj   @xa   @HQ
  ['recordPurchase@guomao',                    'U    F      A     F     F     A     A     F     A'],
  ['redeemPoints@guomao',                      'U    F      A     F     F     A     A     F     A'],
  ['redeemRewardAtTill@guomao',                'U    F      A     F     F     A     A     F     A'],
  ['requestTillRewardOtp@guomao',              'U    F      A     F     F     A     A     F     A'],
  ['upsertTier',                               'U    F      F     F     F     F     F     F     A'],
  ['createEarningRule(STORE guomao)',          'U    F      F     F     F     A     A     F     A'],
  ['createEarningRule(REGION beijing)',        'U    F      F     F     F     F     A     F     A'],
  ['createEarningRule(HQ)',                    'U    F      F     F     F     F     F     F     A'],
  ['setEarningRuleActive(STORE guomao rule)',  'U    F      F     F     F     A     A     F     A'],
  ['setEarningRuleActive(REGION beijing rule)','U    F      F     F     F     F     A     F     A'],
  ['setEarningRuleActive(HQ rule)',            'U    F      F     F     F     F     F     F     A'],
  ['updateEarningRule(STORE guomao rule)',     'U    F      F     F     F     A     A     F     A'],
  ['updateEarningRule(REGION beijing rule)',   'U    F      F     F     F     F     A     F     A'],
  ['updateEarningRule(HQ rule)',               'U    F      F     F     F     F     F     F     A'],
  ['retireEarningRule(STORE guomao rule)',     'U    F      F     F     F     A     A     F     A'],
  ['retireEarningRule(REGION beijing rule)',   'U    F      F     F     F     F     A     F     A'],
  ['retireEarningRule(HQ rule)',               'U    F      F     F     F     F     F     F     A'],
  ['updateProgramSettings',                    'U    F      F     F     F     F     F     F     A'],
  ['createRegion',                             'U    F      F     F     F     F     F     F     A'],
  ['createStore',                              'U    F      F     F     F     F     F     F     A'],
  ['assignRole(STAFF at guomao)',              'U    F      F     F     F     A     A     F     A'],
  ['assignRole(MANAGER at HQ)',                'U    F      F     F     F     F     F     F     A'],
  ['runPointsExpiry',                          'U    F      F     F     F     F     F     F     A'],
  ['memberByCode@guomao',                      'U    F      A     F     F     A     A     F     A'],
  ['tillOperations@guomao',                    'U    F      A     F     F     A     A     F     A'],
  ['pointsReconciliation',                     'U    F      F     F     F     F     F     F     A'],
  ['outboxDeadLetters',                        'U    F      F     F     F     F     F     F     A'],
  ['acknowledgeDeadLetter',                    'U    F      F     F     F     F     F     F     A'],
  ['runOutboxRetention',                       'U    F      F     F     F     F     F     F     A'],
  ['confirmConsoleLogin',                      'U    F      F     F     F     A     A     A     A'],
  ['revokeRole(STAFF at guomao)',              'U    F      F     F     F     A     A     F     A'],
  ['revokeRole(MANAGER at guomao)',            'U    F      F     F     F     F     F     F     A'],
  ['managerScope',                             'U    F      F     F     F     A     A     A     A'],
  ['roleGrants',                               'U    F      F     F     F     A     A     A     A'],
  ['auditLog',                                 'U    F      F     F     F     A     A     A     A'],
  ['payAnomalies',                             'U    F      F     F     F     F     F     F     A'],
  ['resolvePayAnomaly',                        'U    F      F     F     F     F     F     F     A'],
  ['analyticsKpis@guomao',                     'U    F      F     F     F     A     A     F     A'],
  ['analyticsKpis(HQ)',                        'U    F      F     F     F     F     F     F     A'],
  ['decliningMembers(REGION xian)',            'U    F      F     F     F     F     F     A     A'],
  ['cohortRetention(REGION beijing)',          'U    F      F     F     F     F     A     F     A'],
  ['updateAnalyticsSettings',                  'U    F      F     F     F     F     F     F     A'],
  ['storeRatings',                             'U    F      F     F     F     A     A     A     A'],
  ['staffRatings@guomao',                      'U    F      F     F     F     A     A     F     A'],
  ['serviceRatings@guomao',                    'U    F      F     F     F     A     A     F     A'],
  ['serviceRating(guomao rating)',             'U    F      F     F     F     A     A     F     A'],
  ['acknowledgeRating(guomao rating)',         'U    F      F     F     F     A     A     F     A'],
  ['resolveRating(guomao rating)',             'U    F      F     F     F     A     A     F     A'],
  ['updateRatingSettings',                     'U    F      F     F     F     F     F     F     A'],
  ['requestPointsAdjustment@guomao',           'U    F      F     F     F     A     A     F     A'],
  ['approvePointsAdjustment@guomao',           'U    F      F     F     F     A     A     F     A'],
  ['rejectPointsAdjustment@guomao',            'U    F      F     F     F     A     A     F     A'],
  ['pointsAdjustments',                        'U    F      F     F     F     A     A     A     A'],
  ['consoleMembers',                           'U    F      F     F     F     A     A     A     A'],
  ['createCouponTemplate(REGION beijing)',     'U    F      F     F     F     F     A     F     A'],
  ['issueCoupons(STORE guomao template)',      'U    F      F     F     F     A     A     F     A'],
  ['updateReferralProgram',                    'U    F      F     F     F     F     F     F     A'],
  ['referralProgram',                          'U    F      F     F     F     A     A     A     A'],
  ['referralReport(STORE guomao)',             'U    F      F     F     F     A     A     F     A'],
  ['referralReport(REGION beijing)',           'U    F      F     F     F     F     A     F     A'],
  ['referralReport(HQ)',                       'U    F      F     F     F     F     F     F     A'],
  ['runBirthdayBonuses',                       'U    F      F     F     F     F     F     F     A'],
  ['payOrders@guomao',                         'U    F      A     F     F     A     A     F     A'],
  ['createCampaign(REGION beijing)',           'U    F      F     F     F     F     A     F     A'],
  ['campaignReport(STORE guomao campaign)',    'U    F      F     F     F     A     A     F     A'],
  ['cancelCampaign(STORE guomao campaign)',    'U    F      F     F     F     A     A     F     A'],
  ['runCampaignJobs',                          'U    F      F     F     F     F     F     F     A'],
];

type Expected = 'ALLOWED' | 'FORBIDDEN' | 'UNAUTHENTICATED';
const CELLS: [OpName, RoleName, Expected][] = MATRIX.flatMap(([op, row]) => {
  const marks = row.trim().split(/\s+/);
  if (marks.length !== ROLES.length) throw new Error(`matrix row ${op} has ${marks.length} columns`);
  return marks.map((m, i): [OpName, RoleName, Expected] => [op, ROLES[i] as RoleName, m === 'A' ? 'ALLOWED' : m === 'F' ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
});

const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points replayed } }';
const REDEEM = 'mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { id balance replayed } }';
const UPSERT_TIER = 'mutation($input: TierInput!) { upsertTier(input: $input) { code rank } }';
const CREATE_RULE = 'mutation($input: CreateEarningRuleInput!) { createEarningRule(input: $input) { id scope scopeId active } }';
const SET_ACTIVE = 'mutation($id: ID!, $active: Boolean!) { setEarningRuleActive(id: $id, active: $active) { id active } }';
const UPDATE_RULE = 'mutation($id: ID!, $input: UpdateEarningRuleInput!) { updateEarningRule(id: $id, input: $input) { id replacesId } }';
const RETIRE_RULE = 'mutation($id: ID!) { retireEarningRule(id: $id) { id retiredAt } }';
const UPDATE_SETTINGS = 'mutation($input: ProgramSettingsInput!) { updateProgramSettings(input: $input) { pointsValidityMonths } }';
const CREATE_REGION = 'mutation($input: CreateRegionInput!) { createRegion(input: $input) { id code } }';
const CREATE_STORE = 'mutation($input: CreateStoreInput!) { createStore(input: $input) { id code regionId } }';
const ASSIGN_ROLE = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { role scope storeId regionId } }';
const RUN_EXPIRY = 'mutation { runPointsExpiry { members lots points } }';
const MEMBER_BY_CODE = 'query($code: String!, $storeId: ID!) { memberByCode(code: $code, storeId: $storeId) { memberNo points } }';
const TILL_OPS = 'query($storeId: ID!) { tillOperations(storeId: $storeId, first: 5) { id kind } }';
const RECONCILE = '{ pointsReconciliation { memberId } }';
const CREATE_REWARD = 'mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }';
const TILL_REWARD = 'mutation($input: TillRedeemRewardInput!) { redeemRewardAtTill(input: $input) { replayed balance redemption { id } } }';
const TILL_OTP = 'mutation($input: TillRewardOtpInput!) { requestTillRewardOtp(input: $input) { sentTo } }';
const CONFIRM_CONSOLE = 'mutation($t: String!) { confirmConsoleLogin(ticket: $t) }';
const REVOKE_ROLE = 'mutation($id: ID!) { revokeRole(id: $id) { id } }';
const BIND_PHONE = 'mutation($code: String!) { bindPhone(code: $code) { phone } }';
const DEAD_LETTERS = '{ outboxDeadLetters(first: 5) { id topic } }';
const ACK_DEAD_LETTER = 'mutation($id: ID!) { acknowledgeDeadLetter(id: $id) { id acknowledgedAt } }';
const RUN_RETENTION = 'mutation { runOutboxRetention { delivered deadLetters } }';
const PAY_ANOMALIES = '{ payAnomalies(resolved: false, first: 5) { id kind timesSeen } }';
const ANALYTICS_KPIS = 'query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { analyticsKpis(from: $from, to: $to, storeId: $storeId) { current { newMembers visits } } }';
const COHORTS = 'query($from: DateTimeISO!, $to: DateTimeISO!, $regionId: ID) { cohortRetention(from: $from, to: $to, regionId: $regionId) { cohorts { month members } } }';
const DECLINING = 'query($regionId: ID) { decliningMembers(first: 5, regionId: $regionId) { total } }';
const UPDATE_ANALYTICS = 'mutation($input: AnalyticsSettingsInput!) { updateAnalyticsSettings(input: $input) { activeDays } }';
const CREATE_COUPON_TEMPLATE = 'mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }';
const ISSUE_COUPONS = 'mutation($input: IssueCouponsInput!) { issueCoupons(input: $input) { issued } }';
const RUN_BIRTHDAY_BONUSES = 'mutation { runBirthdayBonuses { members points failed } }';
const CREATE_CAMPAIGN = 'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id status } }';
const CAMPAIGN_REPORT = 'query($id: ID!) { campaignReport(id: $id) { treated { members } holdout { members } } }';
const CANCEL_CAMPAIGN = 'mutation($id: ID!) { cancelCampaign(id: $id) { id status } }';
const RESOLVE_ANOMALY = 'mutation($id: ID!, $note: String!) { resolvePayAnomaly(id: $id, note: $note) { id resolvedAt } }';
const STORE_RATINGS = '{ storeRatings { storeId count average } }';
const STAFF_RATINGS = 'query($storeId: ID!) { staffRatings(storeId: $storeId) { staffUserId count } }';
const SERVICE_RATINGS = 'query($storeId: ID!) { serviceRatings(filter: { storeId: $storeId, lowOnly: true }, first: 5) { total items { id stars } } }';
const SERVICE_RATING = 'query($id: ID!) { serviceRating(id: $id) { id stars followUp } }';
const ACK_RATING = 'mutation($id: ID!) { acknowledgeRating(id: $id) { id followUp } }';
const RESOLVE_RATING = 'mutation($id: ID!, $note: String!) { resolveRating(id: $id, note: $note) { id followUp } }';
const RATING_SETTINGS = 'mutation($n: Int!) { updateRatingSettings(bonusPoints: $n) { bonusPoints } }';
const REQUEST_ADJUSTMENT = 'mutation($input: PointsAdjustmentInput!) { requestPointsAdjustment(input: $input) { replayed adjustment { id status } } }';
const APPROVE_ADJUSTMENT = 'mutation($id: ID!) { approvePointsAdjustment(id: $id) { id status } }';
const REJECT_ADJUSTMENT = 'mutation($id: ID!, $note: String!) { rejectPointsAdjustment(id: $id, note: $note) { id status } }';
const UPDATE_REFERRAL = 'mutation($input: ReferralProgramInput!) { updateReferralProgram(input: $input) { referrerBonus } }';
const REFERRAL_REPORT = 'query($regionId: ID, $storeId: ID) { referralReport(regionId: $regionId, storeId: $storeId) { storeId signUps } }';

const MONTH = 30 * 86_400_000;

describe('F12 authorization matrix: role × operation over HTTP', () => {
  let t: TestApp;
  const tokens = {} as Record<RoleName, string | null>;
  const rules = {} as Record<'store' | 'region' | 'hq', number>;
  const rewards = {} as Record<'latte' | 'highValue', string>;
  let guomaoCoupon = '';
  let beijingCoupon = '';
  let ruleInsert: (scope: string, scopeId: number | null, category: string) => Promise<number>;
  let seq = 0;
  /** A second HQ manager who requests the adjustments the matrix approves or rejects (four eyes). */
  let requester: string;

  beforeAll(async () => {
    t = await startTestApp('mariadb');
    const { guomao, zhonglou, beijing, xian } = t.org;
    const grants: Partial<Record<RoleName, RoleGrant>> = {
      'staff@guomao': { role: 'STAFF', scope: 'STORE', storeId: guomao, regionId: beijing },
      'staff@zhonglou': { role: 'STAFF', scope: 'STORE', storeId: zhonglou, regionId: xian },
      'organizer@HQ': { role: 'ORGANIZER', scope: 'HQ', storeId: null, regionId: null },
      'manager@guomao': { role: 'MANAGER', scope: 'STORE', storeId: guomao, regionId: beijing },
      'manager@beijing': { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: beijing },
      'manager@xian': { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: xian },
      'manager@HQ': { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null },
    };
    tokens.anonymous = null;
    for (const role of ROLES.slice(1)) {
      const u = await t.signIn(`authz-${role}`);
      const g = grants[role];
      if (g) await t.grant(u.userId, g);
      tokens[role] = u.token;
    }
    // One rule per scope for setEarningRuleActive (harmless category multipliers).
    const q = t.app.services.db.q;
    const rule = async (scope: string, scopeId: number | null, category: string) =>
      (
        await q.run("INSERT INTO earning_rule (kind, name, scope, scope_id, multiplier_pct, category, active, active_slot, created_at) VALUES ('CATEGORY', ?, ?, ?, 100, ?, ?, ?, ?)", [
          `authz ${category}`, scope, scopeId, category, q.bool(true), `CATEGORY:${scope}:${scopeId ?? ''}:${category}`, q.ts(new Date()),
        ])
      ).insertId;
    rules.store = await rule('STORE', guomao, 'authz-store');
    rules.region = await rule('REGION', beijing, 'authz-region');
    rules.hq = await rule('HQ', null, 'authz-hq');
    for (const [scope, scopeId, category] of [['STORE', guomao, 'authz-upd-store'], ['REGION', beijing, 'authz-upd-region'], ['HQ', null, 'authz-upd-hq']] as const) await rule(scope, scopeId, category);
    ruleInsert = rule;
    (t.app.services.earning as unknown as { cache: { invalidate(): void } }).cache.invalidate();
    // Rewards for the till cells: a cheap one, and one that needs a one-time code (REWARD_OTP_THRESHOLD_POINTS 10000).
    const reward = async (name: string, pointsPrice: number) => {
      const r = await t.gql<{ createReward: { id: string } }>(CREATE_REWARD, { input: { kind: 'OWN_PRODUCT', name, pointsPrice, stock: 1000 } }, tokens['manager@HQ']);
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      return r.data.createReward.id;
    };
    const req = await t.signIn('authz-adjustment-requester');
    await t.grant(req.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    requester = req.token;
    rewards.latte = await reward('权限测试拿铁', 30);
    rewards.highValue = await reward('权限测试大奖', 10_000);
    // A coupon template of 国贸 for the issue cells.
    const tpl = await t.gql<{ createCouponTemplate: { id: string } }>(
      CREATE_COUPON_TEMPLATE,
      { input: { kind: 'AMOUNT_OFF', name: '权限测试券', amountOffFen: 500, validDays: 7, budget: 10_000, scopeStoreId: String(t.org.guomao) } },
      tokens['manager@HQ'],
    );
    if (!tpl.data) throw new Error(JSON.stringify(tpl.errors));
    guomaoCoupon = tpl.data.createCouponTemplate.id;
    // Campaigns: a Beijing template, and a member whose home store is 国贸 (so 国贸's and Beijing's segments are not empty).
    const bjTpl = await t.gql<{ createCouponTemplate: { id: string } }>(
      CREATE_COUPON_TEMPLATE,
      { input: { kind: 'AMOUNT_OFF', name: '权限测试区域券', amountOffFen: 500, validDays: 7, budget: 10_000, scopeRegionId: String(t.org.beijing) } },
      tokens['manager@HQ'],
    );
    if (!bjTpl.data) throw new Error(JSON.stringify(bjTpl.errors));
    beijingCoupon = bjTpl.data.createCouponTemplate.id;
    const local = await t.signIn('authz-campaign-member');
    await q.run("INSERT INTO member_profile (member_id, gender, home_store_id, location_consent, updated_at) VALUES (?, 'FEMALE', ?, ?, ?)", [local.memberId, guomao, q.bool(false), q.ts(new Date())]);
  }, 60_000);
  afterAll(async () => t?.close());

  /** A fresh member (member codes are single-use per 30 s step, so each till call gets its own member). */
  const freshMember = () => t.signIn(`authz-m-${++seq}`);
  /** Credits points directly through the ledger (setup, bypassing authorization). */
  const givePoints = (memberId: number, points: number, at = new Date()) =>
    t.app.services.db.tx(async (q) =>
      credit(q, { memberId, kind: 'EARN', reason: 'authz setup', actorId: null, storeId: null, sourceType: 'test', sourceRef: `authz-${++seq}-${randomUUID()}`, requestHash: null, now: at }, points, 24),
    );
  /** The current (not retired) version of a rule, found by its category (an edit gives it a new id). */
  const currentRule = async (category: string) => toInt((await t.app.services.db.q.get<{ id: unknown }>('SELECT id FROM earning_rule WHERE category = ? AND retired_at IS NULL', [category]))?.id);
  const editRule = async (category: string): Promise<Call> => ({ query: UPDATE_RULE, variables: { id: String(await currentRule(category)), input: { multiplierPct: 100 + (++seq % 50) } }, mutates: true });
  /** A fresh rule to retire (setup), so an allowed call always changes something. */
  const retireRule = async (scope: string, scopeId: number | null): Promise<Call> => {
    const id = await ruleInsert(scope, scopeId, `authz-retire-${++seq}`);
    (t.app.services.earning as unknown as { cache: { invalidate(): void } }).cache.invalidate();
    return { query: RETIRE_RULE, variables: { id: String(id) }, mutates: true };
  };
  /** Writes an outbox row as the worker would have left it (setup). */
  const outboxRow = async (status: 'DONE' | 'DEAD', at: Date) => {
    const q = t.app.services.db.q;
    return (
      await q.run("INSERT INTO outbox (topic, ref, status, attempts, available_at, created_at, updated_at) VALUES ('authz.test', ?, ?, 1, ?, ?, ?)", [
        `authz-${++seq}`, status, q.ts(at), q.ts(at), q.ts(at),
      ])
    ).insertId;
  };
  const ruleActive = async (id: number) => Boolean(toInt((await t.app.services.db.q.get<{ a: unknown }>('SELECT active AS a FROM earning_rule WHERE id = ?', [id]))?.a));

  /** Everything a guarded operation could change: counts and balances, plus rows an update could touch. */
  async function state(): Promise<Record<string, unknown>> {
    const q = t.app.services.db.q;
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v == null ? null : String(v)])));
    const count = async (table: string) => toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    return {
      counts: await t.counts(),
      rewardRows: { redemptions: await count('reward_redemption'), otps: await count('otp_challenge'), notifications: await count('notification'), outbox: await count('outbox') },
      stock: norm(await q.all('SELECT id, stock FROM reward ORDER BY id')),
      tiers: norm(await q.all('SELECT code, name, `rank`, threshold_fen, multiplier_pct, benefits FROM tier ORDER BY code')),
      rules: norm(await q.all('SELECT id, active, active_slot, retired_at FROM earning_rule ORDER BY id')),
      program: norm(await q.all('SELECT rounding, cap_per_purchase, points_validity_months, tier_period_months FROM loyalty_program')),
      codeSteps: norm(await q.all('SELECT id, code_last_step FROM member ORDER BY id')),
      regions: norm(await q.all('SELECT id, code, name FROM region ORDER BY id')),
      stores: norm(await q.all('SELECT id, region_id, code, name FROM store ORDER BY id')),
      outbox: norm(await q.all('SELECT id, status, acknowledged_at, acknowledged_by_id FROM outbox ORDER BY id')),
      consoleLogins: norm(await q.all('SELECT id, status, user_id FROM console_login ORDER BY id')),
      roles: norm(await q.all('SELECT id, user_id, role, scope_key FROM role_assignment ORDER BY id')),
      audit: await count('audit_log'),
      anomalies: norm(await q.all('SELECT id, resolved_at, resolved_by_id, resolution_note FROM pay_anomaly ORDER BY id')),
      analyticsSettings: norm(await q.all('SELECT active_days, point_value_fen_per100, lifecycle FROM analytics_settings')),
      ratings: norm(await q.all('SELECT id, follow_up, acknowledged_by_id, resolved_by_id, resolution_note FROM service_rating ORDER BY id')),
      ratingProgram: norm(await q.all('SELECT id, bonus_points FROM rating_program')),
      adjustments: norm(await q.all('SELECT id, status, decided_by_id, entry_id FROM points_adjustment ORDER BY id')),
      referralProgram: norm(await q.all('SELECT enabled, referrer_bonus, referee_bonus, share_pct, share_months, monthly_cap, qualifying_min_fen FROM referral_program')),
      campaigns: norm(await q.all('SELECT id, status, updated_at FROM campaign ORDER BY id')),
      campaignMembers: await count('campaign_member'),
    };
  }

  interface Call { query: string; variables: Record<string, unknown>; mutates: boolean }

  /** Builds the call for an operation; any setup (members, points, target users) happens here, before the snapshot. */
  const OPS: Record<OpName, () => Promise<Call>> = {
    'recordPurchase@guomao': async () => {
      const m = await freshMember();
      return {
        query: RECORD,
        variables: { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), amountFen: 5000, lines: [{ category: 'general', amountFen: 5000 }], idempotencyKey: randomUUID() } },
        mutates: true,
      };
    },
    'redeemPoints@guomao': async () => {
      const m = await freshMember();
      await givePoints(m.memberId, 100);
      return { query: REDEEM, variables: { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), points: 30, reason: '兑换咖啡', idempotencyKey: randomUUID() } }, mutates: true };
    },
    'redeemRewardAtTill@guomao': async () => {
      const m = await freshMember();
      await givePoints(m.memberId, 100);
      return { query: TILL_REWARD, variables: { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), rewardId: rewards.latte, idempotencyKey: randomUUID() } }, mutates: true };
    },
    'requestTillRewardOtp@guomao': async () => {
      const m = await freshMember();
      const phone = `139${String(10_000_000 + m.memberId).slice(-8)}`;
      const bound = await t.gql(BIND_PHONE, { code: t.sim.phoneCode(phone) }, m.token);
      if (bound.errors) throw new Error(JSON.stringify(bound.errors));
      return { query: TILL_OTP, variables: { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), rewardId: rewards.highValue } }, mutates: true };
    },
    upsertTier: async () => {
      const n = ++seq;
      return { query: UPSERT_TIER, variables: { input: { code: `AUTHZ${n}`, name: `权限测试${n}`, rank: 10, thresholdFen: 90_000_000, multiplierPct: 300 } }, mutates: true };
    },
    'createEarningRule(STORE guomao)': async () => ({
      query: CREATE_RULE,
      variables: { input: { kind: 'CATEGORY', name: `store rule ${++seq}`, scope: 'STORE', scopeId: String(t.org.guomao), category: `c${seq}`, multiplierPct: 100 } },
      mutates: true,
    }),
    'createEarningRule(REGION beijing)': async () => ({
      query: CREATE_RULE,
      variables: { input: { kind: 'CATEGORY', name: `region rule ${++seq}`, scope: 'REGION', scopeId: String(t.org.beijing), category: `c${seq}`, multiplierPct: 100 } },
      mutates: true,
    }),
    'createEarningRule(HQ)': async () => ({
      query: CREATE_RULE,
      variables: { input: { kind: 'CATEGORY', name: `hq rule ${++seq}`, scope: 'HQ', category: `c${seq}`, multiplierPct: 100 } },
      mutates: true,
    }),
    // Each call flips the rule, so an allowed call always changes it and a forbidden one is seen if it did.
    'setEarningRuleActive(STORE guomao rule)': async () => ({ query: SET_ACTIVE, variables: { id: String(rules.store), active: !(await ruleActive(rules.store)) }, mutates: true }),
    'setEarningRuleActive(REGION beijing rule)': async () => ({ query: SET_ACTIVE, variables: { id: String(rules.region), active: !(await ruleActive(rules.region)) }, mutates: true }),
    'setEarningRuleActive(HQ rule)': async () => ({ query: SET_ACTIVE, variables: { id: String(rules.hq), active: !(await ruleActive(rules.hq)) }, mutates: true }),
    'updateEarningRule(STORE guomao rule)': () => editRule('authz-upd-store'),
    'updateEarningRule(REGION beijing rule)': () => editRule('authz-upd-region'),
    'updateEarningRule(HQ rule)': () => editRule('authz-upd-hq'),
    'retireEarningRule(STORE guomao rule)': () => retireRule('STORE', t.org.guomao),
    'retireEarningRule(REGION beijing rule)': () => retireRule('REGION', t.org.beijing),
    'retireEarningRule(HQ rule)': () => retireRule('HQ', null),
    updateProgramSettings: async () => {
      const cur = await t.app.services.earning.settings();
      return { query: UPDATE_SETTINGS, variables: { input: { pointsValidityMonths: cur.pointsValidityMonths === 24 ? 36 : 24 } }, mutates: true };
    },
    createRegion: async () => ({ query: CREATE_REGION, variables: { input: { code: `authz-r${++seq}`, name: `权限区域${seq}` } }, mutates: true }),
    createStore: async () => ({
      query: CREATE_STORE,
      variables: { input: { regionId: String(t.org.beijing), code: `authz-s${++seq}`, name: `权限门店${seq}`, lat: 39.9, lng: 116.4 } },
      mutates: true,
    }),
    'assignRole(STAFF at guomao)': async () => {
      const target = await t.signIn(`authz-target-${++seq}`);
      return { query: ASSIGN_ROLE, variables: { input: { userId: String(target.userId), role: 'STAFF', scope: 'STORE', storeId: String(t.org.guomao) } }, mutates: true };
    },
    'assignRole(MANAGER at HQ)': async () => {
      const target = await t.signIn(`authz-target-${++seq}`);
      return { query: ASSIGN_ROLE, variables: { input: { userId: String(target.userId), role: 'MANAGER', scope: 'HQ' } }, mutates: true };
    },
    runPointsExpiry: async () => {
      // A lot earned 25 months ago with 24 months' validity is due: an allowed run expires it.
      const m = await freshMember();
      await givePoints(m.memberId, 40, new Date(Date.now() - 25 * MONTH));
      return { query: RUN_EXPIRY, variables: {}, mutates: true };
    },
    'memberByCode@guomao': async () => {
      const m = await freshMember();
      return { query: MEMBER_BY_CODE, variables: { code: t.codeOf(m), storeId: String(t.org.guomao) }, mutates: false };
    },
    'tillOperations@guomao': async () => ({ query: TILL_OPS, variables: { storeId: String(t.org.guomao) }, mutates: false }),
    pointsReconciliation: async () => ({ query: RECONCILE, variables: {}, mutates: false }),
    outboxDeadLetters: async () => ({ query: DEAD_LETTERS, variables: {}, mutates: false }),
    acknowledgeDeadLetter: async () => {
      // A fresh dead letter each time: an allowed call acknowledges it.
      const id = await outboxRow('DEAD', new Date());
      return { query: ACK_DEAD_LETTER, variables: { id: String(id) }, mutates: true };
    },
    runOutboxRetention: async () => {
      // A row delivered 30 days ago (retention: 14 days): an allowed run deletes it.
      await outboxRow('DONE', new Date(Date.now() - MONTH));
      return { query: RUN_RETENTION, variables: {}, mutates: true };
    },
    confirmConsoleLogin: async () => {
      const { ticket } = await t.app.services.consoleLogin.create();
      return { query: CONFIRM_CONSOLE, variables: { t: ticket }, mutates: true };
    },
    'revokeRole(STAFF at guomao)': async () => ({ query: REVOKE_ROLE, variables: { id: String(await grantToRevoke('STAFF')) }, mutates: true }),
    'revokeRole(MANAGER at guomao)': async () => ({ query: REVOKE_ROLE, variables: { id: String(await grantToRevoke('MANAGER')) }, mutates: true }),
    managerScope: async () => ({ query: '{ managerScope { hq stores { id } } }', variables: {}, mutates: false }),
    roleGrants: async () => ({ query: '{ roleGrants(first: 5) { total items { id } } }', variables: {}, mutates: false }),
    auditLog: async () => ({ query: '{ auditLog(first: 5) { total items { id action } } }', variables: {}, mutates: false }),
    payAnomalies: async () => ({ query: PAY_ANOMALIES, variables: {}, mutates: false }),
    resolvePayAnomaly: async () => ({ query: RESOLVE_ANOMALY, variables: { id: String(await anomaly()), note: '已联系微信支付核实并退款' }, mutates: true }),
    'analyticsKpis@guomao': async () => ({ query: ANALYTICS_KPIS, variables: { from: new Date(Date.now() - MONTH).toISOString(), to: new Date().toISOString(), storeId: String(t.org.guomao) }, mutates: false }),
    'analyticsKpis(HQ)': async () => ({ query: ANALYTICS_KPIS, variables: { from: new Date(Date.now() - MONTH).toISOString(), to: new Date().toISOString() }, mutates: false }),
    'decliningMembers(REGION xian)': async () => ({ query: DECLINING, variables: { regionId: String(t.org.xian) }, mutates: false }),
    'cohortRetention(REGION beijing)': async () => ({ query: COHORTS, variables: { from: new Date(Date.now() - 12 * MONTH).toISOString(), to: new Date().toISOString(), regionId: String(t.org.beijing) }, mutates: false }),
    updateAnalyticsSettings: async () => {
      // Flips the active-member window, so an allowed call always changes the settings.
      const cur = await t.app.services.analyticsSettings.get();
      return { query: UPDATE_ANALYTICS, variables: { input: { activeDays: cur.activeDays === 90 ? 60 : 90 } }, mutates: true };
    },
    storeRatings: async () => ({ query: STORE_RATINGS, variables: {}, mutates: false }),
    'staffRatings@guomao': async () => ({ query: STAFF_RATINGS, variables: { storeId: String(t.org.guomao) }, mutates: false }),
    'serviceRatings@guomao': async () => ({ query: SERVICE_RATINGS, variables: { storeId: String(t.org.guomao) }, mutates: false }),
    'serviceRating(guomao rating)': async () => ({ query: SERVICE_RATING, variables: { id: String(await lowRating()) }, mutates: false }),
    'acknowledgeRating(guomao rating)': async () => ({ query: ACK_RATING, variables: { id: String(await lowRating()) }, mutates: true }),
    'resolveRating(guomao rating)': async () => ({ query: RESOLVE_RATING, variables: { id: String(await lowRating()), note: '已致电会员道歉' }, mutates: true }),
    updateRatingSettings: async () => {
      const cur = await t.app.services.ratings.bonusPoints();
      return { query: RATING_SETTINGS, variables: { n: cur === 5 ? 10 : 5 }, mutates: true };
    },
    'requestPointsAdjustment@guomao': async () => {
      const m = await memberAtGuomao();
      return { query: REQUEST_ADJUSTMENT, variables: { input: { memberId: String(m.memberId), delta: 10, reason: '补录', storeId: String(t.org.guomao), idempotencyKey: randomUUID() } }, mutates: true };
    },
    'approvePointsAdjustment@guomao': async () => ({ query: APPROVE_ADJUSTMENT, variables: { id: await pendingAdjustment() }, mutates: true }),
    'rejectPointsAdjustment@guomao': async () => ({ query: REJECT_ADJUSTMENT, variables: { id: await pendingAdjustment(), note: '理由不足' }, mutates: true }),
    pointsAdjustments: async () => ({ query: '{ pointsAdjustments(first: 5) { items { id } pageInfo { hasNextPage } } }', variables: {}, mutates: false }),
    consoleMembers: async () => ({ query: '{ consoleMembers(query: "0000000000", first: 5) { total items { id } } }', variables: {}, mutates: false }),
    'payOrders@guomao': async () => ({ query: 'query($s: ID!) { payOrders(filter: { storeId: $s }, first: 5) { total items { outTradeNo } } }', variables: { s: String(t.org.guomao) }, mutates: false }),
    'createCouponTemplate(REGION beijing)': async () => ({
      query: CREATE_COUPON_TEMPLATE,
      variables: { input: { kind: 'PERCENT_OFF', name: `区域券 ${++seq}`, percentOff: 10, validDays: 3, budget: 100, scopeRegionId: String(t.org.beijing) } },
      mutates: true,
    }),
    'createCampaign(REGION beijing)': async () => ({
      query: CREATE_CAMPAIGN,
      variables: { input: { name: `区域活动 ${++seq}`, scopeRegionId: String(t.org.beijing), conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: beijingCoupon, startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
      mutates: true,
    }),
    'campaignReport(STORE guomao campaign)': async () => ({ query: CAMPAIGN_REPORT, variables: { id: await guomaoCampaign() }, mutates: false }),
    'cancelCampaign(STORE guomao campaign)': async () => ({ query: CANCEL_CAMPAIGN, variables: { id: await guomaoCampaign() }, mutates: true }),
    runCampaignJobs: async () => ({ query: 'mutation { runCampaignJobs { started sent } }', variables: {}, mutates: false }),
    'issueCoupons(STORE guomao template)': async () => {
      const m = await freshMember();
      return { query: ISSUE_COUPONS, variables: { input: { templateId: guomaoCoupon, memberNos: [m.memberNo], idempotencyKey: randomUUID() } }, mutates: true };
    },
    updateReferralProgram: async () => {
      // A different bonus each time: an allowed call changes the row.
      const cur = await t.app.services.referralSettings.get();
      const input = { enabled: true, referrerBonus: cur.referrerBonus === 500 ? 800 : 500, refereeBonus: 0, sharePct: 10, shareMonths: 12, monthlyCap: 0, qualifyingMinFen: 0 };
      return { query: UPDATE_REFERRAL, variables: { input }, mutates: true };
    },
    referralProgram: async () => ({ query: '{ referralProgram { enabled referrerBonus } }', variables: {}, mutates: false }),
    'referralReport(STORE guomao)': async () => ({ query: REFERRAL_REPORT, variables: { storeId: String(t.org.guomao) }, mutates: false }),
    'referralReport(REGION beijing)': async () => ({ query: REFERRAL_REPORT, variables: { regionId: String(t.org.beijing) }, mutates: false }),
    'referralReport(HQ)': async () => ({ query: REFERRAL_REPORT, variables: {}, mutates: false }),
    runBirthdayBonuses: async () => {
      // A birthday bonus on offer and a fresh member whose birthday month it is (Shanghai): an allowed run pays them.
      const q = t.app.services.db.q;
      await q.run('UPDATE loyalty_program SET birthday_bonus_points = 10 WHERE id = 1');
      (t.app.services.earning as unknown as { cache: { invalidate(): void } }).cache.invalidate();
      const m = await freshMember();
      const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(5, 7);
      await q.run('INSERT INTO member_profile (member_id, birthday, location_consent, updated_at) VALUES (?, ?, ?, ?)', [m.memberId, `1990-${month}-01`, q.bool(false), q.ts(new Date())]);
      return { query: RUN_BIRTHDAY_BONUSES, variables: {}, mutates: true };
    },
  };

  /** A fresh DRAFT campaign of 国贸 (created by an HQ manager, setup); its id. */
  async function guomaoCampaign(): Promise<string> {
    const r = await t.gql<{ createCampaign: { id: string } }>(
      CREATE_CAMPAIGN,
      { input: { name: `权限测试活动 ${++seq}`, scopeStoreId: String(t.org.guomao), conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: guomaoCoupon, startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
      tokens['manager@HQ'],
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createCampaign.id;
  }

  /** A fresh open 1-star rating of a purchase at 国贸 (setup by SQL, bypassing the member's mutation). */
  async function lowRating(): Promise<number> {
    const m = await freshMember();
    const q = t.app.services.db.q;
    const now = q.ts(new Date());
    const r = await q.run(
      "INSERT INTO service_rating (member_id, kind, operation_id, summary, store_id, region_id, staff_id, stars, comment, operation_at, points_awarded, follow_up, created_at) VALUES (?, 'PURCHASE', ?, '门店消费 ¥50.00', ?, ?, NULL, 1, '太慢', ?, 0, 'OPEN', ?)",
      [m.memberId, 1_000_000 + ++seq, t.org.guomao, t.org.beijing, now, now],
    );
    return r.insertId;
  }

  /** A fresh member with points earned at 国贸 (so 国贸's managers see them). */
  async function memberAtGuomao() {
    const m = await freshMember();
    await t.app.services.db.tx(async (q) =>
      credit(q, { memberId: m.memberId, kind: 'EARN', reason: 'authz setup', actorId: null, storeId: t.org.guomao, sourceType: 'test', sourceRef: `authz-${++seq}-${randomUUID()}`, requestHash: null, now: new Date() }, 100, 24),
    );
    return m;
  }

  /** An adjustment above the threshold at 国贸, requested by another HQ manager: PENDING; its id. */
  async function pendingAdjustment(): Promise<string> {
    const m = await memberAtGuomao();
    const r = await t.gql<{ requestPointsAdjustment: { adjustment: { id: string; status: string } } }>(
      REQUEST_ADJUSTMENT,
      { input: { memberId: String(m.memberId), delta: 5000, reason: '活动补偿', storeId: String(t.org.guomao), idempotencyKey: randomUUID() } },
      requester,
    );
    if (r.data?.requestPointsAdjustment.adjustment.status !== 'PENDING') throw new Error(JSON.stringify(r));
    return r.data.requestPointsAdjustment.adjustment.id;
  }

  /** A fresh user holding a grant at 国贸 (setup, bypassing authorization); its id. */
  async function grantToRevoke(role: 'STAFF' | 'MANAGER'): Promise<number> {
    const u = await t.signIn(`authz-revoke-${++seq}`);
    await t.grant(u.userId, { role, scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    return toInt((await t.app.services.db.q.get<{ id: unknown }>('SELECT id FROM role_assignment WHERE user_id = ?', [u.userId]))?.id);
  }

  /** A WeChat Pay anomaly on an order of its own (setup by SQL: this app runs without WeChat Pay). */
  async function anomaly(): Promise<number> {
    const q = t.app.services.db.q;
    const now = new Date();
    const no = `QZAUTHZ${++seq}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const o = await q.run(
      "INSERT INTO pay_order (out_trade_no, store_id, amount_fen, description, `lines`, state, refunded_fen, points_reversed, expires_at, created_at) VALUES (?, ?, 1000, 'authz', '[]', 'PENDING', 0, 0, ?, ?)",
      [no, t.org.guomao, q.ts(now), q.ts(now)],
    );
    await t.app.services.payAnomalies.record(o.insertId, `42000${seq}`, [{ kind: 'AMOUNT_MISMATCH', expected: '1000', received: '1' }], 'notify', now);
    return toInt((await q.get<{ id: unknown }>('SELECT id FROM pay_anomaly WHERE order_id = ?', [o.insertId]))?.id);
  }

  test('the matrix covers every role and operation exactly once', () => {
    expect(MATRIX.map(([op]) => op).sort()).toEqual(Object.keys(OPS).sort());
    expect(CELLS).toHaveLength(Object.keys(OPS).length * ROLES.length);
  });

  test.each(CELLS)('%s as %s: %s', async (op, role, expected) => {
    const call = await OPS[op]();
    const before = await state();
    const r = await t.gql(call.query, call.variables, tokens[role]);
    const code = r.errors?.[0]?.extensions?.code;
    if (expected === 'ALLOWED') {
      expect(code).not.toBe(ErrorCode.FORBIDDEN);
      expect(code).not.toBe(ErrorCode.UNAUTHENTICATED);
      // The inputs are built to succeed, so anything else is a failure worth seeing.
      expect(r.errors).toBeUndefined();
      expect(r.data).toBeTruthy();
      if (call.mutates) expect(await state()).not.toEqual(before);
    } else {
      expect(code).toBe(expected === 'FORBIDDEN' ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHENTICATED);
      expect(r.errors).toHaveLength(1);
      expect(r.data ?? null).toBeNull();
      const after = await state();
      expect(after.counts).toEqual(before.counts);
      expect(after).toEqual(before);
    }
  });

  test('after the whole matrix the books still balance', async () => {
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });
});
