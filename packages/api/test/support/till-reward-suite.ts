/**
 * Redeeming a catalogue reward at the till (F6), run against each database (MariaDB and libsql): staff redeem for
 * the member whose code they scanned through the member path's own redemption service, so stock, limits, tier locks
 * and one-time codes are the mall's. Two tills racing for the last unit: one wins, the other gets OUT_OF_STOCK and
 * the books balance; a replayed key answers the first order once; refusals change nothing (the member code included).
 *
 * Time: the suite sets the API's clock to one `now` (the latest noon in Asia/Shanghai, so the limit window's day is
 * the same for every step) and moves it 30 s — one member-code step — whenever a fresh code is needed.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import type { TestDialect } from './db';
import { startTestApp, type GqlResult, type TestApp } from './harness';
import { errCode, ok, REDEMPTION_FIELDS, RewardKit, type Persona, type RedemptionGql } from './rewards';

export const TILL_REDEEM = `mutation($input: TillRedeemRewardInput!) { redeemRewardAtTill(input: $input) { replayed balance memberNo redemption { ${REDEMPTION_FIELDS} storeName } } }`;
export const TILL_OTP = 'mutation($input: TillRewardOtpInput!) { requestTillRewardOtp(input: $input) { sentTo expiresAt resendAfterSeconds } }';
const MEMBER_BY_CODE = 'query($code: String!, $storeId: ID!) { memberByCode(code: $code, storeId: $storeId) { memberNo points tillTicket } }';
const TILL_OPS = 'query($storeId: ID!) { tillOperations(storeId: $storeId, first: 10) { id kind memberNo points rewardName amountFen } }';

type TillRedeemed = { redeemRewardAtTill: { replayed: boolean; balance: number; memberNo: string; redemption: RedemptionGql & { storeName: string | null } } };
const STEP_MS = 30_000;
const DAY = 86_400_000;

export function tillRewardSuite(dialect: TestDialect): void {
  let t: TestApp;
  let kit: RewardKit;
  let staffGm: Persona;
  let staffZl: Persona;
  let at: number;

  beforeAll(async () => {
    // The latest 12:00 in Shanghai (04:00 UTC): the day's limit window stays the same while the suite moves the clock.
    const real = clock.ms();
    at = Math.floor((real - 4 * 3_600_000) / DAY) * DAY + 4 * 3_600_000;
    clock.set(at);
    t = await startTestApp(dialect, { rewards: {} });
    kit = new RewardKit(t, `till-${dialect}`);
    await kit.setUp();
    staffGm = await t.signIn(`till-${dialect}-staff-gm`);
    await t.grant(staffGm.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    staffZl = await t.signIn(`till-${dialect}-staff-zl`);
    await t.grant(staffZl.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  const q = () => t.app.services.db.q;
  /** Moves the clock one member-code step on: the member's phone now shows a fresh code. */
  const tick = () => {
    at += STEP_MS;
    clock.set(at);
  };
  const codeOf = (m: Persona) => t.codeOf(m, clock.ms());
  const ticket = async (staff: Persona, m: Persona, storeId: number) =>
    ok(await t.gql<{ memberByCode: { tillTicket: string } }>(MEMBER_BY_CODE, { code: codeOf(m), storeId: String(storeId) }, staff.token)).memberByCode.tillTicket;
  const redeemAtTill = (staff: Persona, input: Record<string, unknown>): Promise<GqlResult<TillRedeemed>> =>
    t.gql<TillRedeemed>(TILL_REDEEM, { input: { target: null, otp: null, idempotencyKey: kit.key(), ...input } }, staff.token);
  const codeStep = async (memberId: number) => (await q().get<{ s: unknown }>('SELECT code_last_step AS s FROM member WHERE id = ?', [memberId]))?.s ?? null;

  test('two tills at two stores race for the last unit for two members: exactly one wins, the other gets OUT_OF_STOCK and keeps points and code; the books balance', async () => {
    tick();
    const reward = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 400, stock: 1 });
    const [a, b] = await kit.members(2, { points: 1000, phone: null });
    const [ra, rb] = await Promise.all([
      redeemAtTill(staffGm, { memberCode: codeOf(a!), storeId: String(t.org.guomao), rewardId: reward.id }),
      redeemAtTill(staffZl, { memberCode: codeOf(b!), storeId: String(t.org.zhonglou), rewardId: reward.id }),
    ]);
    const results = [ra!, rb!];
    const winners = results.filter((r) => r.data?.redeemRewardAtTill);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => errCode(r) === ErrorCode.OUT_OF_STOCK)).toHaveLength(1);
    const aWon = Boolean(ra!.data?.redeemRewardAtTill);
    const [winner, loser] = aWon ? [a!, b!] : [b!, a!];
    const [winStore, loseStore] = aWon ? [t.org.guomao, t.org.zhonglou] : [t.org.zhonglou, t.org.guomao];
    const won = winners[0]!.data!.redeemRewardAtTill;
    expect(won).toMatchObject({ replayed: false, balance: 600, memberNo: winner.memberNo });
    expect(won.redemption).toMatchObject({ status: 'ISSUED', points: 400, storeName: aWon ? '北京国贸店' : '西安钟楼店' });
    expect(won.redemption.voucherCode).toMatch(/^\w{4} \w{4} \w{4}$/);
    expect(await kit.stock(reward.id)).toBe(0);
    expect(await kit.balance(winner.memberId)).toBe(600);
    expect(await kit.balance(loser.memberId)).toBe(1000);
    // The loser's code step was not consumed (the refusal rolled back), the winner's was.
    expect(await codeStep(loser.memberId)).toBeNull();
    expect(await codeStep(winner.memberId)).not.toBeNull();
    // The order and the ledger entry record the store and the staff user.
    const row = await q().get<Record<string, unknown>>('SELECT store_id, staff_id FROM reward_redemption WHERE reward_id = ?', [reward.id]);
    expect({ store: toInt(row?.store_id), staff: toInt(row?.staff_id) }).toEqual({ store: winStore, staff: aWon ? staffGm.userId : staffZl.userId });
    const entry = await q().get<Record<string, unknown>>("SELECT store_id, actor_id, delta, reason FROM points_entry WHERE source_type = 'reward' AND source_ref = ?", [won.redemption.id]);
    expect({ store: toInt(entry?.store_id), actor: toInt(entry?.actor_id), delta: toInt(entry?.delta) }).toEqual({ store: winStore, actor: row?.staff_id == null ? 0 : toInt(row.staff_id), delta: -400 });
    // The store shows under the row (store_id), so the reason does not repeat it.
    expect(String(entry?.reason)).toBe(`门店兑换 · ${reward.name}`);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
    // The winning till lists the redemption as a reward line; the other till has none.
    const [winStaff, loseStaff] = aWon ? [staffGm, staffZl] : [staffZl, staffGm];
    const ops = ok(await t.gql<{ tillOperations: { id: string; kind: string; memberNo: string; points: number; rewardName: string | null }[] }>(TILL_OPS, { storeId: String(winStore) }, winStaff.token)).tillOperations;
    expect(ops[0]).toMatchObject({ id: `W${won.redemption.id}`, kind: 'REWARD', memberNo: winner.memberNo, points: 400, rewardName: reward.name });
    const other = ok(await t.gql<{ tillOperations: { kind: string }[] }>(TILL_OPS, { storeId: String(loseStore) }, loseStaff.token)).tillOperations;
    expect(other.filter((o) => o.kind === 'REWARD')).toEqual([]);
  }, 60_000);

  test('the same till request sent 4 times at once, then again after the code rotated, redeems once; every answer names the first order', async () => {
    tick();
    const reward = await kit.reward({ kind: 'COUPON', pointsPrice: 200, stock: 5 });
    const m = await kit.member({ points: 1000, phone: null });
    const tillTicket = await ticket(staffGm, m, t.org.guomao);
    const key = kit.key();
    const input = { tillTicket, storeId: String(t.org.guomao), rewardId: reward.id, idempotencyKey: key };
    const results = await Promise.all(Array.from({ length: 4 }, () => redeemAtTill(staffGm, input)));
    expect(results.every((r) => r.data?.redeemRewardAtTill)).toBe(true);
    const ids = new Set(results.map((r) => r.data!.redeemRewardAtTill.redemption.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.data!.redeemRewardAtTill.replayed === false)).toHaveLength(1);
    // Minutes later (the code has rotated and its step is spent), a retry with the first code still gets the first order.
    tick();
    tick();
    const again = ok(await redeemAtTill(staffGm, input)).redeemRewardAtTill;
    expect(again).toMatchObject({ replayed: true, balance: 800 });
    expect(again.redemption.id).toBe([...ids][0]);
    expect(await kit.balance(m.memberId)).toBe(800);
    expect(await kit.stock(reward.id)).toBe(4);
    const n = await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM reward_redemption WHERE member_id = ?', [m.memberId]);
    expect(toInt(n?.n)).toBe(1);
    // The key used for another reward, or replayed at another store, is a conflict that changes nothing.
    const other = await kit.reward({ kind: 'COUPON', pointsPrice: 100, stock: 5 });
    const before = await kit.counts();
    expect(errCode(await redeemAtTill(staffGm, { ...input, rewardId: other.id }))).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
    expect(errCode(await redeemAtTill(staffZl, { memberCode: codeOf(m), storeId: String(t.org.zhonglou), rewardId: reward.id, idempotencyKey: key }))).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
    expect(await kit.counts()).toEqual(before);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('the mall’s tier lock and limits refuse at the till too, and a refusal changes nothing (the code stays usable)', async () => {
    tick();
    const gold = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, stock: 10, minTierCode: 'GOLD' });
    const limited = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, stock: 10, limitPerDay: 1 });
    const m = await kit.member({ points: 1000, phone: null });
    const code = codeOf(m);
    let before = await kit.counts();
    const locked = await redeemAtTill(staffGm, { memberCode: code, storeId: String(t.org.guomao), rewardId: gold.id });
    expect(errCode(locked)).toBe(ErrorCode.TIER_REQUIRED);
    expect(locked.errors?.[0]?.extensions?.minTier).toBe('GOLD');
    expect(await kit.counts()).toEqual(before);
    expect(await codeStep(m.memberId)).toBeNull();
    // The same code then redeems the limited reward once (a redemption in the app would count the same) …
    ok(await redeemAtTill(staffGm, { memberCode: code, storeId: String(t.org.guomao), rewardId: limited.id }));
    // … and the next one, with a fresh code, is over the day's limit.
    tick();
    before = await kit.counts();
    const stepBefore = await codeStep(m.memberId);
    const over = await redeemAtTill(staffGm, { memberCode: codeOf(m), storeId: String(t.org.guomao), rewardId: limited.id });
    expect(errCode(over)).toBe(ErrorCode.LIMIT_REACHED);
    expect(over.errors?.[0]?.extensions).toMatchObject({ window: 'DAY', limit: 1 });
    expect(await kit.counts()).toEqual(before);
    expect(await codeStep(m.memberId)).toEqual(stepBefore);
    // The limit is the member's, wherever they redeem: the app refuses too.
    expect(errCode(await kit.redeem(m, limited.id))).toBe(ErrorCode.LIMIT_REACHED);
    expect(await kit.balance(m.memberId)).toBe(900);
  }, 60_000);

  test('staff of another store are FORBIDDEN, and a ticket from another till is refused; nothing changes', async () => {
    tick();
    const reward = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, stock: 10 });
    const m = await kit.member({ points: 1000, phone: null });
    const before = await kit.counts();
    const cross = await redeemAtTill(staffZl, { memberCode: codeOf(m), storeId: String(t.org.guomao), rewardId: reward.id });
    expect(errCode(cross)).toBe(ErrorCode.FORBIDDEN);
    const crossOtp = await t.gql(TILL_OTP, { input: { memberCode: codeOf(m), storeId: String(t.org.guomao), rewardId: reward.id } }, staffZl.token);
    expect(errCode(crossOtp)).toBe(ErrorCode.FORBIDDEN);
    const gmTicket = await ticket(staffGm, m, t.org.guomao);
    expect(errCode(await redeemAtTill(staffZl, { tillTicket: gmTicket, storeId: String(t.org.zhonglou), rewardId: reward.id }))).toBe(ErrorCode.CODE_INVALID);
    expect(errCode(await redeemAtTill(m, { memberCode: codeOf(m), storeId: String(t.org.guomao), rewardId: reward.id }))).toBe(ErrorCode.FORBIDDEN);
    expect(await kit.counts()).toEqual(before);
    expect(await codeStep(m.memberId)).toBeNull();
  }, 60_000);

  test('a high-value reward at the till: staff send the code to the member’s bound phone, the member reads it out, staff enter it', async () => {
    tick();
    const reward = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 12_000, stock: 3 });
    expect(reward.needsOtp).toBe(true);
    const m = await kit.member({ points: 20_000 });
    const tillTicket = await ticket(staffGm, m, t.org.guomao);
    const base = { tillTicket, storeId: String(t.org.guomao), rewardId: reward.id };
    let before = await kit.counts();
    expect(errCode(await redeemAtTill(staffGm, base))).toBe(ErrorCode.OTP_REQUIRED);
    expect(await kit.counts()).toEqual(before);
    const sent = ok(await t.gql<{ requestTillRewardOtp: { sentTo: string; resendAfterSeconds: number } }>(TILL_OTP, { input: base }, staffGm.token)).requestTillRewardOtp;
    expect(sent.sentTo).toBe(`${m.phone!.slice(0, 3)}****${m.phone!.slice(-4)}`);
    const inbox = ok(await t.gql<{ myNotifications: { kind: string; body: string }[] }>('{ myNotifications(first: 5) { kind body } }', {}, m.token)).myNotifications;
    expect(inbox.find((x) => x.kind === 'REWARD_OTP')?.body).toContain('在北京国贸店兑换');
    const otp = await kit.lastOtp(m);
    const wrong = otp === '000000' ? '111111' : '000000';
    before = await kit.counts();
    const bad = await redeemAtTill(staffGm, { ...base, otp: wrong });
    expect(errCode(bad)).toBe(ErrorCode.OTP_INVALID);
    expect(await kit.counts()).toEqual(before);
    const done = ok(await redeemAtTill(staffGm, { ...base, otp })).redeemRewardAtTill;
    expect(done).toMatchObject({ replayed: false, balance: 8000 });
    expect(done.redemption.status).toBe('ISSUED');
    // A member without a bound phone cannot get a code.
    const noPhone = await kit.member({ points: 20_000, phone: null });
    expect(errCode(await t.gql(TILL_OTP, { input: { memberCode: codeOf(noPhone), storeId: String(t.org.guomao), rewardId: reward.id } }, staffGm.token))).toBe(ErrorCode.PHONE_REQUIRED);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);
}
