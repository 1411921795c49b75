/**
 * Rewards (F6) through real HTTP on MariaDB: the catalogue managers edit and members browse (what they can afford
 * first), who may do what, redemption with its refusals (each changes nothing), limits, idempotency, one-time codes
 * for high-value rewards, vouchers at the till, and the manager view. (Concurrency: rewards.stock.*.test.ts;
 * the provider: rewards.fulfilment.test.ts.)
 */
import { ErrorCode, errorMessageZhFor, voucherCheckChar } from '@quanzi/shared';
import { allows, type RoleGrant, type Target } from '../src/auth/authz';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';
import {
  ADJUST_STOCK,
  CATALOGUE,
  CREATE_PARTNER,
  CREATE_REWARD,
  errCode,
  MY_REDEMPTIONS,
  NOTIFICATIONS,
  ok,
  REPORT,
  REQUEST_OTP,
  REWARD,
  REWARDS,
  RewardKit,
  UPDATE_REWARD,
  USE_VOUCHER,
  VOUCHER,
  type Persona,
  type RedemptionGql,
  type RewardRowGql,
} from './support/rewards';

const DAY = 86_400_000;

describe('reward permissions (pure policy)', () => {
  const g = (role: RoleGrant['role'], scope: RoleGrant['scope'], storeId: number | null = null, regionId: number | null = null): RoleGrant => ({ role, scope, storeId, regionId });
  const guomao: Target = { kind: 'STORE', storeId: 10, regionId: 1 };
  test.each<[string, RoleGrant, 'reward.manage' | 'reward.report' | 'voucher.use', Target, boolean]>([
    ['HQ managers manage the catalogue', g('MANAGER', 'HQ'), 'reward.manage', { kind: 'HQ' }, true],
    ['region managers do not (points are one currency)', g('MANAGER', 'REGION', null, 1), 'reward.manage', { kind: 'HQ' }, false],
    ['HQ managers read the report', g('MANAGER', 'HQ'), 'reward.report', { kind: 'HQ' }, true],
    ['store managers do not', g('MANAGER', 'STORE', 10, 1), 'reward.report', { kind: 'HQ' }, false],
    ['staff use vouchers at their store', g('STAFF', 'STORE', 10, 1), 'voucher.use', guomao, true],
    ['staff not at another store', g('STAFF', 'STORE', 30, 2), 'voucher.use', guomao, false],
    ["the store's region manager may", g('MANAGER', 'REGION', null, 1), 'voucher.use', guomao, true],
    ['another region manager may not', g('MANAGER', 'REGION', null, 2), 'voucher.use', guomao, false],
    ['organizers may not', g('ORGANIZER', 'HQ'), 'voucher.use', guomao, false],
  ])('%s', (_name, grant, action, target, expected) => {
    expect(allows([grant], action, target)).toBe(expected);
  });
});

describe('rewards', () => {
  let t: TestApp;
  let kit: RewardKit;
  let staffGuomao: Persona;
  let staffZhonglou: Persona;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { rewards: {} });
    kit = new RewardKit(t, 'rw');
    await kit.setUp();
    staffGuomao = await t.signIn('rw-staff-guomao');
    await t.grant(staffGuomao.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    staffZhonglou = await t.signIn('rw-staff-zhonglou');
    await t.grant(staffZhonglou.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
  }, 60_000);
  afterAll(async () => t?.close());

  const q = () => t.app.services.db.q;

  describe('the catalogue', () => {
    test('HQ managers add the four kinds; members see no economics; managers see cost and provider', async () => {
      const topup = await kit.reward({ name: '¥30 中国移动话费', pointsPrice: 3000, faceValueFen: 3000, brand: 'CMCC', costFen: 2950, limitPerDay: 1, limitPerMonth: 3 });
      expect(topup).toMatchObject({ kind: 'MOBILE_TOPUP', brandName: '中国移动', faceValueFen: 3000, costFen: 2950, provider: 'recharge', needsOtp: false, partner: { name: '中国移动' } });
      const fuel = await kit.reward({ kind: 'FUEL_CARD', name: '¥100 中国石油加油卡', pointsPrice: 10_000, brand: 'CNPC', faceValueFen: 10_000 });
      expect(fuel).toMatchObject({ kind: 'FUEL_CARD', needsOtp: true, brandName: '中国石油' });
      const coffee = await kit.reward({ kind: 'OWN_PRODUCT', name: '招牌拿铁', pointsPrice: 800, cashFen: 500, storeIds: [String(t.org.guomao)], voucherValidDays: 30 });
      expect(coffee).toMatchObject({ kind: 'OWN_PRODUCT', cashFen: 500, storeIds: [String(t.org.guomao)], partner: null });
      const coupon = await kit.reward({ kind: 'COUPON', name: '8.5 折券', pointsPrice: 600, amountOffFen: null, discountPct: 85, minSpendFen: 0 });
      expect(coupon).toMatchObject({ kind: 'COUPON', discountPct: 85, amountOffFen: null });
      const m = await kit.member({ points: 100 });
      const seen = ok(await t.gql<{ reward: RewardRowGql }>(REWARD, { id: topup.id }, m.token)).reward;
      expect(seen).toMatchObject({ costFen: null, provider: null, affordable: false });
      const all = ok(await t.gql<{ rewardCatalogue: RewardRowGql[] }>(CATALOGUE, {}, kit.manager.token)).rewardCatalogue;
      expect(all.map((r) => r.id)).toEqual(expect.arrayContaining([topup.id, fuel.id, coffee.id, coupon.id]));
    });

    test('members browse by category with what they can afford first; signed out, nothing is affordable', async () => {
      // A category of its own for this test: coupons made here only.
      const made: Record<string, RewardRowGql> = {};
      await q().run("UPDATE reward SET active = ? WHERE kind = 'COUPON'", [false]);
      made.c3000 = await kit.reward({ kind: 'COUPON', pointsPrice: 3000 });
      made.c500 = await kit.reward({ kind: 'COUPON', pointsPrice: 500 });
      made.c5000 = await kit.reward({ kind: 'COUPON', pointsPrice: 5000 });
      made.gold1000 = await kit.reward({ kind: 'COUPON', pointsPrice: 1000, minTierCode: 'GOLD' });
      made.soldOut800 = await kit.reward({ kind: 'COUPON', pointsPrice: 800, stock: 0 });
      made.future = await kit.reward({ kind: 'COUPON', pointsPrice: 10, startsAt: new Date(Date.now() + DAY).toISOString() });
      made.off = await kit.reward({ kind: 'COUPON', pointsPrice: 10, active: false });
      const m = await kit.member({ points: 4000 });
      const list = ok(await t.gql<{ rewards: RewardRowGql[] }>(REWARDS, { kind: 'COUPON' }, m.token)).rewards;
      const name = (id: string) => Object.keys(made).find((k) => made[k]!.id === id);
      expect(list.map((r) => name(r.id))).toEqual(['c500', 'c3000', 'gold1000', 'c5000', 'soldOut800']);
      expect(list.map((r) => r.affordable)).toEqual([true, true, false, false, false]);
      // A gold member can afford the gold coupon.
      const gold = await kit.member({ points: 4000, tier: 'GOLD' });
      const goldList = ok(await t.gql<{ rewards: RewardRowGql[] }>(REWARDS, { kind: 'COUPON' }, gold.token)).rewards;
      expect(goldList.map((r) => name(r.id))).toEqual(['c500', 'gold1000', 'c3000', 'c5000', 'soldOut800']);
      const anon = ok(await t.gql<{ rewards: RewardRowGql[] }>(REWARDS, { kind: 'COUPON' }, null)).rewards;
      expect(anon.every((r) => !r.affordable)).toBe(true);
      // Switched-off rewards are not found by members; managers still see them.
      expect(errCode(await t.gql(REWARD, { id: made.off.id }, m.token))).toBe(ErrorCode.NOT_FOUND);
      expect(ok(await t.gql<{ reward: RewardRowGql }>(REWARD, { id: made.off.id }, kit.manager.token)).reward.active).toBe(false);
    });

    test('bad definitions are BAD_USER_INPUT and create nothing', async () => {
      const before = await kit.counts();
      const bad: [string, Record<string, unknown>][] = [
        ['a face value the operators do not sell', { faceValueFen: 3500 }],
        ['a fuel company as an operator', { brand: 'CNPC' }],
        ['a top-up without a partner', { partnerId: null }],
        ['a cash part on a top-up', { cashFen: 100 }],
        ['an unknown provider', { provider: 'nobody' }],
        ['a fuel card of ¥30', { kind: 'FUEL_CARD', faceValueFen: 3000 }],
        ['a coupon with both kinds of discount', { kind: 'COUPON', amountOffFen: 1000, discountPct: 90 }],
        ['a coupon with neither', { kind: 'COUPON', amountOffFen: null, discountPct: null }],
        ['a discount of 100%', { kind: 'COUPON', amountOffFen: null, discountPct: 0 }],
        ['a voucher with a face value', { kind: 'OWN_PRODUCT', faceValueFen: 3000 }],
        ['an unknown tier', { minTierCode: 'MITHRIL' }],
        ['an end before the start', { startsAt: new Date(Date.now() + 2 * DAY).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString() }],
        ['a monthly limit below the daily one', { limitPerDay: 5, limitPerMonth: 2 }],
        ['no points price', { pointsPrice: 0 }],
        ['negative stock', { stock: -1 }],
        ['an unknown store', { kind: 'OWN_PRODUCT', storeIds: ['999999'] }],
        ['a plain http image', { imageUrl: 'http://example.com/a.png' }],
      ];
      for (const [why, input] of bad) {
        const kind = (input.kind as string) ?? 'MOBILE_TOPUP';
        const base =
          kind === 'MOBILE_TOPUP' ? { brand: 'CMCC', faceValueFen: 3000, partnerId: kit.partners.cmcc } : kind === 'FUEL_CARD' ? { brand: 'CNPC', faceValueFen: 10_000, partnerId: kit.partners.cnpc } : kind === 'COUPON' ? { amountOffFen: 1000 } : {};
        const r = await t.gql(CREATE_REWARD, { input: { kind, name: '坏礼品', pointsPrice: 100, stock: 1, ...base, ...input } }, kit.manager.token);
        expect([why, errCode(r)]).toEqual([why, why === 'an unknown store' ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT]);
      }
      expect(await kit.counts()).toEqual(before);
    });

    test('editing: the price changes for later redemptions; stock moves only atomically and never below 0', async () => {
      const r = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 300, stock: 5 });
      const m = await kit.member({ points: 1000 });
      const first = ok(await kit.redeem(m, r.id)).redeemReward.redemption;
      const edited = ok(await t.gql<{ updateReward: RewardRowGql }>(UPDATE_REWARD, { id: r.id, input: { pointsPrice: 400, name: '新名字' } }, kit.manager.token)).updateReward;
      expect(edited).toMatchObject({ pointsPrice: 400, name: '新名字', stock: 4 });
      const second = ok(await kit.redeem(m, r.id)).redeemReward.redemption;
      expect([first.points, second.points]).toEqual([300, 400]);
      expect(ok(await t.gql<{ adjustRewardStock: { stock: number } }>(ADJUST_STOCK, { id: r.id, delta: 10 }, kit.manager.token)).adjustRewardStock.stock).toBe(13);
      expect(errCode(await t.gql(ADJUST_STOCK, { id: r.id, delta: -14 }, kit.manager.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(await kit.stock(r.id)).toBe(13);
      // The kind cannot be changed, and vouchers cannot take top-up fields.
      expect(errCode(await t.gql(UPDATE_REWARD, { id: r.id, input: { brand: 'CMCC' } }, kit.manager.token))).toBe(ErrorCode.BAD_USER_INPUT);
    });

    test('editing the sale window and the provider adapter: audited with before/after; an end before the start or an unknown adapter changes nothing', async () => {
      const r = await kit.reward();
      const now = Date.now();
      const window = { startsAt: new Date(now + DAY).toISOString(), endsAt: new Date(now + 10 * DAY).toISOString() };
      const edited = ok(await t.gql<{ updateReward: RewardRowGql }>(UPDATE_REWARD, { id: r.id, input: { ...window, provider: 'recharge' } }, kit.manager.token)).updateReward;
      expect(edited).toMatchObject({ ...window, provider: 'recharge' });
      const q = t.app.services.db.q;
      const audit = await q.all<Record<string, unknown>>("SELECT before_json, after_json FROM audit_log WHERE action = 'updateReward' AND target_id = ?", [r.id]);
      expect(audit).toHaveLength(1);
      expect(JSON.parse(String(audit[0]?.before_json))).toMatchObject({ startsAt: null, endsAt: null, provider: 'recharge' });
      expect(JSON.parse(String(audit[0]?.after_json))).toMatchObject({ ...window, provider: 'recharge' });
      const before = await kit.counts();
      const auditRows = async () => (await q.all("SELECT id FROM audit_log WHERE target_id = ?", [r.id])).length;
      const rows = await auditRows();
      // An end before the stored start (only endsAt sent), an end before a new start, an adapter the code does not know.
      for (const input of [{ endsAt: new Date(now + DAY / 2).toISOString() }, { startsAt: new Date(now + 20 * DAY).toISOString() }, { provider: 'nobody' }]) {
        expect(errCode(await t.gql(UPDATE_REWARD, { id: r.id, input }, kit.manager.token))).toBe(ErrorCode.BAD_USER_INPUT);
      }
      expect(ok(await t.gql<{ reward: RewardRowGql }>(REWARD, { id: r.id }, kit.manager.token)).reward).toMatchObject({ ...window, provider: 'recharge' });
      expect(await kit.counts()).toEqual(before);
      expect(await auditRows()).toBe(rows);
      // Clearing the start puts it on sale at once.
      expect(ok(await t.gql<{ updateReward: RewardRowGql }>(UPDATE_REWARD, { id: r.id, input: { startsAt: null } }, kit.manager.token)).updateReward.startsAt).toBeNull();
    });

    test('who may do what: HQ managers edit the catalogue and read the report; everyone else is refused and nothing changes', async () => {
      const region = await t.signIn('rw-mgr-bj');
      await t.grant(region.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
      const member = await kit.member({ points: 10 });
      const r = await kit.reward({ kind: 'OWN_PRODUCT' });
      const ops: [string, string, Record<string, unknown>][] = [
        ['createReward', CREATE_REWARD, { input: { kind: 'OWN_PRODUCT', name: '越权', pointsPrice: 1, stock: 1 } }],
        ['updateReward', UPDATE_REWARD, { id: r.id, input: { pointsPrice: 1 } }],
        ['adjustRewardStock', ADJUST_STOCK, { id: r.id, delta: 5 }],
        ['createRewardPartner', CREATE_PARTNER, { input: { code: 'sneaky', name: '越权' } }],
        ['rewardCatalogue', CATALOGUE, {}],
        ['rewardReport', REPORT, {}],
        ['runRewardJobs', 'mutation { runRewardJobs { done } }', {}],
      ];
      for (const [name, doc, vars] of ops) {
        for (const [who, token, code] of [
          ['anonymous', null, ErrorCode.UNAUTHENTICATED],
          ['member', member.token, ErrorCode.FORBIDDEN],
          ['staff', staffGuomao.token, ErrorCode.FORBIDDEN],
          ['region manager', region.token, ErrorCode.FORBIDDEN],
        ] as const) {
          const before = await kit.counts();
          const res = await t.gql(doc, vars, token);
          expect([name, who, errCode(res)]).toEqual([name, who, code]);
          expect(await kit.counts()).toEqual(before);
        }
        expect([name, (await t.gql(doc, vars, kit.manager.token)).errors]).toEqual([name, undefined]);
      }
    });
  });

  describe('redemption', () => {
    test('a voucher reward: points debited oldest lots first, stock taken, an order with a voucher code', async () => {
      const r = await kit.reward({ kind: 'OWN_PRODUCT', name: '招牌拿铁 · 自取', pointsPrice: 800, stock: 3, voucherValidDays: 7 });
      const m = await kit.member({ points: 500 });
      await kit.givePoints(m.memberId, 600);
      const res = ok(await kit.redeem(m, r.id)).redeemReward;
      expect(res).toMatchObject({ replayed: false, balance: 300, redemption: { status: 'ISSUED', points: 800, target: null, voucherCode: expect.stringMatching(/^[A-Z2-9]{4} [A-Z2-9]{4} [A-Z2-9]{4}$/) } });
      expect(await kit.stock(r.id)).toBe(2);
      // Oldest lot first: the 500 lot is used up, 300 taken from the 600 lot.
      const lots = await q().all<{ points: unknown; remaining: unknown }>('SELECT points, remaining FROM points_lot WHERE member_id = ? ORDER BY id', [m.memberId]);
      expect(lots.map((l) => [toInt(l.points), toInt(l.remaining)])).toEqual([[500, 0], [600, 300]]);
      const mine = ok(await t.gql<{ myRedemptions: RedemptionGql[] }>(MY_REDEMPTIONS, {}, m.token)).myRedemptions;
      expect(mine[0]).toMatchObject({ id: res.redemption.id, status: 'ISSUED', voucherCode: res.redemption.voucherCode });
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('a top-up goes to the bound phone by default, or to a number given; the order waits for the provider', async () => {
      const r = await kit.reward();
      const m = await kit.member({ points: 7000, phone: '13812345678' });
      const a = ok(await kit.redeem(m, r.id)).redeemReward.redemption;
      expect(a).toMatchObject({ status: 'PENDING', target: '138****5678' });
      const b = ok(await kit.redeem(m, r.id, { target: '+86 139-0000-1111' })).redeemReward.redemption;
      expect(b).toMatchObject({ status: 'PENDING', target: '139****1111' });
      const jobs = await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'reward.fulfil' AND ref IN (?, ?)", [a.id, b.id]);
      expect(toInt(jobs?.n)).toBe(2);
      await kit.work();
    });

    test('the same key twice redeems once; the same key for something else is IDEMPOTENCY_CONFLICT', async () => {
      const r = await kit.reward({ kind: 'COUPON', pointsPrice: 100 });
      const other = await kit.reward({ kind: 'COUPON', pointsPrice: 100 });
      const m = await kit.member({ points: 1000 });
      const key = kit.key();
      const first = ok(await kit.redeem(m, r.id, { key })).redeemReward;
      const before = await kit.counts();
      const again = ok(await kit.redeem(m, r.id, { key })).redeemReward;
      expect(again).toMatchObject({ replayed: true, balance: 900, redemption: { id: first.redemption.id } });
      expect(errCode(await kit.redeem(m, other.id, { key }))).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
      expect(await kit.counts()).toEqual(before);
    });

    test('bad input gets a clear error and changes nothing (points, stock, orders, outbox, codes)', async () => {
      const topup = await kit.reward();
      const fuel = await kit.reward({ kind: 'FUEL_CARD', pointsPrice: 2000, brand: 'SINOPEC', faceValueFen: 20_000, partnerId: kit.partners.sinopec });
      const gold = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, minTierCode: 'GOLD' });
      const future = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, startsAt: new Date(Date.now() + DAY).toISOString() });
      const past = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, startsAt: new Date(Date.now() - 3 * DAY).toISOString(), endsAt: new Date(Date.now() - DAY).toISOString() });
      const off = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, active: false });
      const soldOut = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, stock: 0 });
      const pricey = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 9000 });
      const coffee = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100 });
      const m = await kit.member({ points: 5000 });
      const noPhone = await kit.member({ points: 5000, phone: null });
      const cases: [string, Persona, string, { target?: string | null; key?: string }, string][] = [
        ['an unknown reward', m, '999999', {}, ErrorCode.NOT_FOUND],
        ['a Sinopec card number of 18 digits', m, fuel.id, { target: '100011320001234567' }, ErrorCode.TARGET_INVALID],
        ['a CNPC number for a Sinopec card', m, fuel.id, { target: '9030123456789012' }, ErrorCode.TARGET_INVALID],
        ['a fuel card without a number', m, fuel.id, {}, ErrorCode.TARGET_INVALID],
        ['a phone number of 10 digits', m, topup.id, { target: '1381234567' }, ErrorCode.TARGET_INVALID],
        ['a landline', m, topup.id, { target: '01065529988' }, ErrorCode.TARGET_INVALID],
        ['a top-up with no number and no bound phone', noPhone, topup.id, {}, ErrorCode.TARGET_INVALID],
        ['a tier-locked reward', m, gold.id, {}, ErrorCode.TIER_REQUIRED],
        ['before its window', m, future.id, {}, ErrorCode.REWARD_UNAVAILABLE],
        ['after its window', m, past.id, {}, ErrorCode.REWARD_UNAVAILABLE],
        ['a switched-off reward', m, off.id, {}, ErrorCode.REWARD_UNAVAILABLE],
        ['sold out', m, soldOut.id, {}, ErrorCode.OUT_OF_STOCK],
        ['not enough points', m, pricey.id, {}, ErrorCode.INSUFFICIENT_POINTS],
        ['a voucher with a target', m, coffee.id, { target: '13812345678' }, ErrorCode.BAD_USER_INPUT],
        ['a malformed idempotency key', m, coffee.id, { key: 'short' }, ErrorCode.BAD_USER_INPUT],
        ['a malformed reward id', m, 'abc', {}, ErrorCode.BAD_USER_INPUT],
      ];
      for (const [why, who, rewardId, opts, code] of cases) {
        const before = await kit.counts();
        const balance = await kit.balance(who.memberId);
        const res = await kit.redeem(who, rewardId, opts);
        expect([why, errCode(res)]).toEqual([why, code]);
        expect([why, await kit.counts()]).toEqual([why, before]);
        expect(await kit.balance(who.memberId)).toBe(balance);
      }
      expect(errCode(await t.gql('mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { replayed } }', { input: { rewardId: coffee.id, idempotencyKey: kit.key() } }, null))).toBe(ErrorCode.UNAUTHENTICATED);
      // The refused target carries the field and the problem for the mini-program.
      const refused = await kit.redeem(m, fuel.id, { target: '100011320001234567' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ field: 'target', problem: 'LENGTH' });
      // A reward's tier requirement reads 兑换 (redeem), not 参加 (take part).
      const tier = await kit.redeem(m, gold.id, {});
      expect(tier.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.TIER_REQUIRED, context: 'REWARD' });
      expect(errorMessageZhFor(ErrorCode.TIER_REQUIRED, tier.errors?.[0]?.extensions)).toBe('会员等级不足，升级后即可兑换');
    });

    test('limits per day and per month: LIMIT_REACHED changes nothing; a failed (refunded) order does not count', async () => {
      const daily = await kit.reward({ kind: 'COUPON', pointsPrice: 100, limitPerDay: 2 });
      const monthly = await kit.reward({ kind: 'COUPON', pointsPrice: 100, limitPerMonth: 3 });
      const m = await kit.member({ points: 5000 });
      for (let i = 0; i < 2; i++) ok(await kit.redeem(m, daily.id));
      let before = await kit.counts();
      const day = await kit.redeem(m, daily.id);
      expect(errCode(day)).toBe(ErrorCode.LIMIT_REACHED);
      expect(day.errors?.[0]?.extensions).toMatchObject({ window: 'DAY', limit: 2 });
      expect(await kit.counts()).toEqual(before);
      // Yesterday's redemptions (still this month, unless today is the 1st in Beijing) no longer count for the day.
      await q().run('UPDATE reward_redemption SET created_at = ? WHERE member_id = ? AND reward_id = ?', [q().ts(new Date(Date.now() - DAY - 60_000)), m.memberId, daily.id]);
      ok(await kit.redeem(m, daily.id));
      for (let i = 0; i < 3; i++) ok(await kit.redeem(m, monthly.id));
      before = await kit.counts();
      const month = await kit.redeem(m, monthly.id);
      expect(month.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.LIMIT_REACHED, window: 'MONTH', limit: 3 });
      expect(await kit.counts()).toEqual(before);
      // A failed top-up gives its place back.
      const topup = await kit.reward({ limitPerDay: 1 });
      const phone = '13700009999';
      t.rechargeSim!.behave(phone, 'fail');
      try {
        ok(await kit.redeem(m, topup.id, { target: phone }));
        expect(errCode(await kit.redeem(m, topup.id, { target: phone }))).toBe(ErrorCode.LIMIT_REACHED);
        await kit.work();
        t.rechargeSim!.behave(phone, null);
        expect(ok(await kit.redeem(m, topup.id, { target: phone })).redeemReward.redemption.status).toBe('PENDING');
        await kit.work();
      } finally {
        t.rechargeSim!.behave(phone, null);
      }
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });
  });

  describe('one-time codes for high-value rewards', () => {
    let fuel: RewardRowGql;
    const CARD = '9030123456780001';
    beforeAll(async () => {
      fuel = await kit.reward({ kind: 'FUEL_CARD', name: '¥100 加油卡（验证）', pointsPrice: 10_000, stock: 50 });
    });

    const otpRequest = (m: Persona, target: string | null = CARD) => t.gql<{ requestRewardOtp: { sentTo: string; resendAfterSeconds: number; expiresAt: string } }>(REQUEST_OTP, { rewardId: fuel.id, target }, m.token);

    test('without a code: OTP_REQUIRED; with the code sent to the bound phone: redeemed, and the code works once', async () => {
      const m = await kit.member({ points: 25_000, phone: '13911112222' });
      const before = await kit.counts();
      const none = await kit.redeem(m, fuel.id, { target: CARD });
      expect(errCode(none)).toBe(ErrorCode.OTP_REQUIRED);
      expect(none.errors?.[0]?.extensions).toMatchObject({ sentTo: '139****2222', requested: false });
      expect(await kit.counts()).toEqual(before);
      const sent = ok(await otpRequest(m)).requestRewardOtp;
      expect(sent).toMatchObject({ sentTo: '139****2222', resendAfterSeconds: 60 });
      expect(new Date(sent.expiresAt).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
      const code = await kit.lastOtp(m);
      // Only an HMAC is stored.
      const row = await q().get<{ code_hash: unknown }>('SELECT code_hash FROM otp_challenge WHERE member_id = ? ORDER BY id DESC LIMIT 1', [m.memberId]);
      expect(String(row?.code_hash)).toMatch(/^[0-9a-f]{64}$/);
      expect(String(row?.code_hash)).not.toContain(code);
      const done = ok(await kit.redeem(m, fuel.id, { target: CARD, otp: code })).redeemReward;
      expect(done.redemption).toMatchObject({ status: 'PENDING', points: 10_000 });
      // The same code again, for a second card: refused, nothing changes.
      const after = await kit.counts();
      const reused = await kit.redeem(m, fuel.id, { target: CARD, otp: code });
      expect(reused.errors?.[0]).toMatchObject({ message: 'This code was already used: request a new one', extensions: { code: ErrorCode.OTP_INVALID, attemptsLeft: 0, reason: 'USED' } });
      expect(errorMessageZhFor(ErrorCode.OTP_INVALID, reused.errors?.[0]?.extensions)).toBe('该验证码已使用，请重新获取验证码');
      expect(await kit.counts()).toEqual(after);
      await kit.work();
    });

    test('a wrong code, a code for another card, an expired code and a code after five wrong tries change nothing', async () => {
      const m = await kit.member({ points: 25_000 });
      ok(await otpRequest(m));
      const code = await kit.lastOtp(m);
      const wrong = code === '000000' ? '000001' : '000000';
      const before = await kit.counts();
      const w = await kit.redeem(m, fuel.id, { target: CARD, otp: wrong });
      expect(w.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.OTP_INVALID, attemptsLeft: 4 });
      // The code is bound to the card it was sent for.
      expect(errCode(await kit.redeem(m, fuel.id, { target: '9030123456780002', otp: code }))).toBe(ErrorCode.OTP_INVALID);
      expect(await kit.counts()).toEqual(before);
      // Expired.
      await q().run('UPDATE otp_challenge SET expires_at = ? WHERE member_id = ?', [q().ts(new Date(Date.now() - 1000)), m.memberId]);
      expect(errCode(await kit.redeem(m, fuel.id, { target: CARD, otp: code }))).toBe(ErrorCode.OTP_EXPIRED);
      expect(await kit.counts()).toEqual(before);
      // A fresh code (the last one is over a minute old), then five wrong tries lock it.
      await q().run('UPDATE otp_challenge SET created_at = ? WHERE member_id = ?', [q().ts(new Date(Date.now() - 2 * 60_000)), m.memberId]);
      ok(await otpRequest(m));
      const fresh = await kit.lastOtp(m);
      const bad = fresh === '000000' ? '000001' : '000000';
      const sent = await kit.counts(); // the new code's notice is all that changed
      for (let i = 4; i >= 0; i--) expect((await kit.redeem(m, fuel.id, { target: CARD, otp: bad })).errors?.[0]?.extensions).toMatchObject({ attemptsLeft: i });
      const locked = await kit.redeem(m, fuel.id, { target: CARD, otp: fresh });
      expect(locked.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.OTP_INVALID, attemptsLeft: 0 });
      expect(errorMessageZhFor(ErrorCode.OTP_INVALID, locked.errors?.[0]?.extensions)).toBe('验证码错误次数过多，请重新获取验证码');
      expect(await kit.counts()).toEqual(sent);
      expect(sent).toEqual({ ...before, notification: before.notification! + 1 });
      expect(await kit.balance(m.memberId)).toBe(25_000);
    });

    test('asking again within a minute sends nothing new; no bound phone is PHONE_REQUIRED; cheap rewards need no code', async () => {
      const m = await kit.member({ points: 25_000 });
      ok(await otpRequest(m));
      const notices = async () => ok(await t.gql<{ myNotifications: { kind: string }[] }>(NOTIFICATIONS, {}, m.token)).myNotifications.filter((n) => n.kind === 'REWARD_OTP').length;
      expect(await notices()).toBe(1);
      const again = ok(await otpRequest(m)).requestRewardOtp;
      expect(again.resendAfterSeconds).toBeGreaterThan(0);
      expect(await notices()).toBe(1);
      const noPhone = await kit.member({ points: 25_000, phone: null });
      expect(errCode(await otpRequest(noPhone))).toBe(ErrorCode.PHONE_REQUIRED);
      expect(errCode(await otpRequest(m, '123'))).toBe(ErrorCode.TARGET_INVALID);
      const cheap = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100 });
      expect(errCode(await t.gql(REQUEST_OTP, { rewardId: cheap.id, target: null }, m.token))).toBe(ErrorCode.BAD_USER_INPUT);
    });
  });

  describe('vouchers at the till', () => {
    type V = { voucher: { code: string; status: string; usableHere: boolean; rewardName: string; memberNo: string; cashFen: number } };
    type U = { useVoucher: { discountFen: number | null; voucher: { status: string; usedStoreName: string | null } } };

    test('staff of an allowed store look it up and mark it used once; a second scan is VOUCHER_USED and changes nothing', async () => {
      const coffee = await kit.reward({ kind: 'OWN_PRODUCT', name: '手冲咖啡', pointsPrice: 500, cashFen: 300, storeIds: [String(t.org.guomao)] });
      const m = await kit.member({ points: 1000 });
      const code = ok(await kit.redeem(m, coffee.id)).redeemReward.redemption.voucherCode as string;
      const seen = ok(await t.gql<V>(VOUCHER, { code, storeId: String(t.org.guomao) }, staffGuomao.token)).voucher;
      expect(seen).toMatchObject({ code, status: 'ISSUED', usableHere: true, rewardName: '手冲咖啡', memberNo: m.memberNo, cashFen: 300 });
      // Typed in lower case without spaces, as staff do.
      const used = ok(await t.gql<U>(USE_VOUCHER, { code: code.replace(/ /g, '').toLowerCase(), storeId: String(t.org.guomao) }, staffGuomao.token)).useVoucher;
      expect(used).toMatchObject({ discountFen: null, voucher: { status: 'USED', usedStoreName: '北京国贸店' } });
      const before = await kit.counts();
      const again = await t.gql(USE_VOUCHER, { code, storeId: String(t.org.guomao) }, staffGuomao.token);
      expect(errCode(again)).toBe(ErrorCode.VOUCHER_USED);
      expect(again.errors?.[0]?.extensions).toMatchObject({ usedStore: '北京国贸店' });
      expect(await kit.counts()).toEqual(before);
      const mine = ok(await t.gql<{ myRedemptions: RedemptionGql[] }>(MY_REDEMPTIONS, {}, m.token)).myRedemptions[0];
      expect(mine).toMatchObject({ status: 'USED', usedStoreName: '北京国贸店' });
    });

    test('two tills scanning the same voucher at once: exactly one marks it used', async () => {
      const cup = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100 });
      const m = await kit.member({ points: 1000 });
      const code = ok(await kit.redeem(m, cup.id)).redeemReward.redemption.voucherCode as string;
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => t.gql(USE_VOUCHER, { code, storeId: String(i % 2 ? t.org.guomao : t.org.zhonglou) }, i % 2 ? staffGuomao.token : staffZhonglou.token)));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      expect(results.filter((r) => errCode(r) === ErrorCode.VOUCHER_USED)).toHaveLength(5);
    });

    test('wrong store, staff elsewhere, a typo, an unknown code and an expired voucher are refused and change nothing', async () => {
      const coffee = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, storeIds: [String(t.org.guomao)], voucherValidDays: 1 });
      const m = await kit.member({ points: 1000 });
      const code = ok(await kit.redeem(m, coffee.id)).redeemReward.redemption.voucherCode as string;
      const flat = code.replace(/ /g, '');
      const typo = flat.slice(0, 5) + (flat[5] === 'A' ? 'B' : 'A') + flat.slice(6);
      const before = await kit.counts();
      const cases: [string, string, string, Persona, string][] = [
        ['a store the reward does not allow', code, String(t.org.zhonglou), staffZhonglou, ErrorCode.VOUCHER_WRONG_STORE],
        ['staff of another store', code, String(t.org.guomao), staffZhonglou, ErrorCode.FORBIDDEN],
        ['a member', code, String(t.org.guomao), m, ErrorCode.FORBIDDEN],
        ['a typo (the check character catches it)', typo, String(t.org.guomao), staffGuomao, ErrorCode.VOUCHER_INVALID],
        ['an unknown but well-formed code', 'ABCDEFGHJKL' + voucherCheckChar('ABCDEFGHJKL'), String(t.org.guomao), staffGuomao, ErrorCode.VOUCHER_INVALID],
        ['garbage', 'hello', String(t.org.guomao), staffGuomao, ErrorCode.VOUCHER_INVALID],
      ];
      for (const [why, c, storeId, who, expected] of cases) {
        const res = await t.gql(USE_VOUCHER, { code: c, storeId }, who.token);
        expect([why, errCode(res)]).toEqual([why, expected]);
      }
      expect(ok(await t.gql<V>(VOUCHER, { code, storeId: String(t.org.zhonglou) }, staffZhonglou.token)).voucher.usableHere).toBe(false);
      await q().run('UPDATE reward_redemption SET voucher_expires_at = ? WHERE voucher_code = ?', [q().ts(new Date(Date.now() - 1000)), flat]);
      expect(errCode(await t.gql(USE_VOUCHER, { code, storeId: String(t.org.guomao) }, staffGuomao.token))).toBe(ErrorCode.VOUCHER_EXPIRED);
      expect(await kit.counts()).toEqual(before);
    });

    test('a coupon at the till: ¥20 off a spend of ¥100 or more', async () => {
      const coupon = await kit.reward({ kind: 'COUPON', name: '满100减20', pointsPrice: 200, amountOffFen: 2000, minSpendFen: 10_000 });
      const m = await kit.member({ points: 1000 });
      const code = ok(await kit.redeem(m, coupon.id)).redeemReward.redemption.voucherCode as string;
      const used = ok(await t.gql<U>(USE_VOUCHER, { code, storeId: String(t.org.zhonglou), spendFen: 12_800 }, staffZhonglou.token)).useVoucher;
      expect(used).toMatchObject({ discountFen: 2000, voucher: { status: 'USED', usedStoreName: '西安钟楼店' } });
    });
  });

  test('the manager view: per reward, per partner, own vs partner, failure rate per provider', async () => {
    const since = new Date().toISOString(); // only this test's redemptions
    const own = await kit.reward({ kind: 'OWN_PRODUCT', name: '报表咖啡', pointsPrice: 300, costFen: 700 });
    const partnerCoupon = await kit.reward({ kind: 'COUPON', name: '豆子咖啡券', pointsPrice: 200, amountOffFen: 1000, partnerId: kit.partners.cafe, costFen: 400 });
    const topup = await kit.reward({ name: '报表话费', pointsPrice: 1000, costFen: 2950 });
    const m = await kit.member({ points: 20_000 });
    for (let i = 0; i < 3; i++) ok(await kit.redeem(m, own.id));
    ok(await kit.redeem(m, partnerCoupon.id));
    const failPhone = '13700001234';
    t.rechargeSim!.behave(failPhone, 'fail');
    try {
      ok(await kit.redeem(m, topup.id, { target: '13700004321' }));
      ok(await kit.redeem(m, topup.id, { target: failPhone }));
      await kit.work();
    } finally {
      t.rechargeSim!.behave(failPhone, null);
    }
    type Report = {
      rewardReport: {
        own: number;
        partner: number;
        ownRatio: number;
        rewards: { rewardId: string; redemptions: number; fulfilled: number; failed: number; unused: number; points: number; costFen: number }[];
        partners: { partnerId: string | null; name: string; redemptions: number; failed: number }[];
        providers: { provider: string; orders: number; delivered: number; failed: number; failureRate: number }[];
      };
    };
    const r = ok(await t.gql<Report>(REPORT, { since }, kit.manager.token)).rewardReport;
    expect(r).toMatchObject({ own: 3, partner: 2, ownRatio: 0.6 });
    expect(r.rewards.find((x) => x.rewardId === own.id)).toMatchObject({ redemptions: 3, unused: 3, points: 900, costFen: 2100 });
    expect(r.rewards.find((x) => x.rewardId === topup.id)).toMatchObject({ redemptions: 2, fulfilled: 1, failed: 1, points: 1000, costFen: 2950 });
    expect(r.partners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partnerId: null, name: '自有', redemptions: 3 }),
        expect.objectContaining({ name: '豆子咖啡', redemptions: 1 }),
        expect.objectContaining({ name: '中国移动', redemptions: 2, failed: 1 }),
      ]),
    );
    expect(r.providers).toEqual([expect.objectContaining({ provider: 'recharge', orders: 2, delivered: 1, failed: 1, failureRate: 0.5 })]);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });
});
