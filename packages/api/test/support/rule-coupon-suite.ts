/**
 * Coupons issued by rule (issue #14, F9): the birthday-month coupon and the tier-upgrade coupons named in the
 * programme settings, run against each database with the clock set (never slept). The birthday coupon comes with the
 * birthday-month claim (once per birthday month, 20 concurrent triggers → one); a tier's coupon once per
 * (member, tier) ever — a downgrade and a rise back give none, a jump gives the reached tier's only, 10 concurrent
 * re-evaluations → one; budgets hold (a used-up budget gives no coupon and fails nothing). Bad settings: a clear code,
 * nothing changed.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import { CouponKit, errCode, ok, type Persona } from './coupons';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';

const SET = 'mutation($input: ProgramSettingsInput!) { updateProgramSettings(input: $input) { birthdayBonusPoints birthdayCouponTemplateId tierUpgradeCoupons { tierId templateId } } }';
const SETTINGS = '{ programSettings { birthdayBonusPoints birthdayCouponTemplateId tierUpgradeCoupons { tierId templateId } } }';
const PROFILE = 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { birthday } }';
const RUN = 'mutation { runBirthdayBonuses { members points failed } }';
const LOGIN = 'mutation($code: String!) { login(code: $code) { token } }';

const APRIL_10 = new Date('2026-04-10T02:00:00.000Z');
const MAY_1 = new Date('2026-05-01T02:00:00.000Z');
const MAY_14 = new Date('2026-05-14T02:00:00.000Z');
const MAY_NEXT = new Date('2027-05-12T02:00:00.000Z');
const JULY_NEXT = new Date('2027-07-20T02:00:00.000Z');

export function ruleCouponSuite(dialect: TestDialect): void {
  let t: TestApp;
  let kit: CouponKit;
  const tier = async (code: string) => toInt((await t.app.services.db.q.get<{ id: unknown }>('SELECT id FROM tier WHERE code = ?', [code]))?.id);
  const q = () => t.app.services.db.q;

  beforeAll(async () => {
    clock.set(MAY_14);
    t = await startTestApp(dialect, { limits: { loginPerOpenidPerMinute: 0, loginPerIpPerMinute: 0 } });
    kit = new CouponKit(t, `rule-${dialect}`);
    await kit.setUp();
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  /** A token minted at the current (test) clock for a persona signed in under `label` (tokens expire as the clock moves). */
  const token = async (label: string) => (await t.signIn(label)).token;
  const hq = async () => {
    kit.hq = { ...kit.hq, token: await token(`rule-${dialect}-hq`) };
    return kit.hq.token;
  };
  const settings = async (input: Record<string, unknown>) => ok(await t.gql<{ updateProgramSettings: Record<string, unknown> }>(SET, { input }, await hq())).updateProgramSettings;
  /** The member's coupons of a source: template id and key. */
  const coupons = async (memberId: number, source: string) =>
    (await q().all<{ reward_id: unknown; idempotency_key: unknown }>('SELECT reward_id, idempotency_key FROM reward_redemption WHERE member_id = ? AND issue_source = ? ORDER BY id', [memberId, source])).map((r) => ({
      templateId: String(r.reward_id),
      key: String(r.idempotency_key),
    }));
  /** A purchase at 钟楼's till (HQ rate ¥1 = 1 point), the clock a minute on so each takes a fresh member code. */
  const buy = async (m: Parameters<CouponKit['record']>[2], fen: number) => {
    clock.set(clock.ms() + 60_000);
    kit.staffZhonglou = { ...kit.staffZhonglou, token: await token(`rule-${dialect}-s-zl`) };
    ok(await kit.record(kit.staffZhonglou, t.org.zhonglou, m, fen));
  };
  const memberTier = async (memberId: number) => toInt((await q().get<{ tier_id: unknown }>('SELECT tier_id FROM member WHERE id = ?', [memberId]))?.tier_id);

  describe('birthday-month coupon', () => {
    test('issued with the birthday claim once per birthday month (job, sign-in, profile save), again the next year; shown in the wallet', async () => {
      clock.set(APRIL_10);
      const tmpl = await kit.template({ name: '生日券', validDays: 31, budget: 50 });
      expect(await settings({ birthdayBonusPoints: 0, birthdayCouponTemplateId: tmpl.id })).toMatchObject({ birthdayBonusPoints: 0, birthdayCouponTemplateId: tmpl.id });
      const label = `rule-${dialect}-bday`;
      const m = await t.signIn(label);
      ok(await t.gql(PROFILE, { input: { birthday: '1990-05-20' } }, m.token));
      expect(await coupons(m.memberId, 'BIRTHDAY')).toEqual([]); // April

      clock.set(MAY_14);
      await t.app.services.birthdayBonus.runDue();
      await t.app.services.birthdayBonus.runDue();
      ok(await t.gql(LOGIN, { code: t.sim.login(label) }));
      expect(await coupons(m.memberId, 'BIRTHDAY')).toEqual([{ templateId: tmpl.id, key: 'birthday:2026-05' }]);
      const wallet = await kit.wallet({ ...m, token: await token(label) });
      expect(wallet).toMatchObject([{ templateId: tmpl.id, source: 'BIRTHDAY', state: 'VALID', points: 0 }]);
      expect(await kit.balance(m.memberId)).toBe(0); // no bonus points set: the coupon alone

      clock.set(MAY_NEXT);
      await t.app.services.birthdayBonus.runDue();
      expect((await coupons(m.memberId, 'BIRTHDAY')).map((c) => c.key)).toEqual(['birthday:2026-05', 'birthday:2027-05']);
      expect(ok(await t.gql<{ couponTemplate: { issued: number } }>(`query($id: ID!) { couponTemplate(id: $id) { issued } }`, { id: tmpl.id }, await hq())).couponTemplate.issued).toBe(2);
    });

    test('20 concurrent triggers in the birthday month: one coupon and one bonus', async () => {
      clock.set(APRIL_10);
      const tmpl = await kit.template({ name: '生日券 race', validDays: 31, budget: 50 });
      await settings({ birthdayBonusPoints: 30, birthdayCouponTemplateId: tmpl.id });
      const label = `rule-${dialect}-race`;
      const m = await t.signIn(label);
      ok(await t.gql(PROFILE, { input: { birthday: '1992-05-09' } }, m.token));
      clock.set(MAY_1);
      const manager = await hq();
      const own = await token(label);
      const calls = [
        ...Array.from({ length: 8 }, () => t.gql(RUN, {}, manager)),
        ...Array.from({ length: 6 }, () => t.gql(LOGIN, { code: t.sim.login(label) })),
        ...Array.from({ length: 6 }, () => t.gql(PROFILE, { input: { gender: 'FEMALE' } }, own)),
      ];
      for (const r of await Promise.all(calls)) expect(r.errors).toBeUndefined();
      expect(await coupons(m.memberId, 'BIRTHDAY')).toEqual([{ templateId: tmpl.id, key: 'birthday:2026-05' }]);
      expect(await kit.balance(m.memberId)).toBe(30);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('a used-up budget: the bonus points are paid, no coupon, nothing fails', async () => {
      clock.set(APRIL_10);
      const tmpl = await kit.template({ name: '生日券 1', validDays: 31, budget: 1 });
      await settings({ birthdayBonusPoints: 40, birthdayCouponTemplateId: tmpl.id });
      const [a, b] = (await kit.members(2)) as [Persona, Persona];
      for (const m of [a, b]) ok(await t.gql(PROFILE, { input: { birthday: '1985-05-01' } }, m.token));
      clock.set(MAY_14);
      const run = await t.app.services.birthdayBonus.runDue();
      expect(run.failed).toBe(0);
      const got = [...(await coupons(a.memberId, 'BIRTHDAY')), ...(await coupons(b.memberId, 'BIRTHDAY'))];
      expect(got).toHaveLength(1);
      expect(await kit.balance(a.memberId)).toBe(40);
      expect(await kit.balance(b.memberId)).toBe(40);
      expect(toInt((await q().get<{ stock: unknown }>('SELECT stock FROM reward WHERE id = ?', [tmpl.id]))?.stock)).toBe(0);
      await settings({ birthdayBonusPoints: 0, birthdayCouponTemplateId: null });
    });
  });

  describe('tier-upgrade coupons', () => {
    let silverCoupon: string;
    let goldCoupon: string;
    beforeAll(async () => {
      clock.set(MAY_14);
      silverCoupon = (await kit.template({ name: '升银卡礼', validDays: 30, budget: 100, minSpendFen: 0 })).id;
      goldCoupon = (await kit.template({ name: '升金卡礼', validDays: 30, budget: 100, minSpendFen: 0 })).id;
      const s = await settings({ tierUpgradeCoupons: [{ tierId: String(await tier('GOLD')), templateId: goldCoupon }, { tierId: String(await tier('SILVER')), templateId: silverCoupon }] });
      expect(s.tierUpgradeCoupons).toEqual([
        { tierId: String(await tier('SILVER')), templateId: silverCoupon },
        { tierId: String(await tier('GOLD')), templateId: goldCoupon },
      ]);
    });

    test("rising into silver issues silver's coupon once; a downgrade and a rise back give none; gold gives gold's", async () => {
      clock.set(MAY_14);
      const m = await kit.member();
      await buy(m, 60_000);
      expect(await coupons(m.memberId, 'TIER_UPGRADE')).toEqual([]);
      await buy(m, 50_000); // ¥1,100 in 12 months: silver
      expect(await memberTier(m.memberId)).toBe(await tier('SILVER'));
      expect(await coupons(m.memberId, 'TIER_UPGRADE')).toEqual([{ templateId: silverCoupon, key: `tier_upgrade:${await tier('SILVER')}` }]);
      expect(await kit.wallet(m)).toMatchObject([{ templateId: silverCoupon, source: 'TIER_UPGRADE', state: 'VALID' }]);
      await buy(m, 1_000); // still silver: nothing
      expect(await coupons(m.memberId, 'TIER_UPGRADE')).toHaveLength(1);

      // Fourteen months on, the spend has left the window and the period is over: back to 普通 …
      clock.set(JULY_NEXT);
      await buy(m, 1_000);
      expect(await memberTier(m.memberId)).toBe(await tier('NORMAL'));
      // … and up again: silver once more, but no second silver coupon.
      await buy(m, 100_000);
      expect(await memberTier(m.memberId)).toBe(await tier('SILVER'));
      expect(await coupons(m.memberId, 'TIER_UPGRADE')).toHaveLength(1);
      // Then gold: gold's coupon.
      await buy(m, 400_000);
      expect(await memberTier(m.memberId)).toBe(await tier('GOLD'));
      expect((await coupons(m.memberId, 'TIER_UPGRADE')).map((c) => c.templateId)).toEqual([silverCoupon, goldCoupon]);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test("a jump over silver straight to gold gives gold's coupon only", async () => {
      clock.set(MAY_14);
      const m = await kit.member();
      await buy(m, 520_000);
      expect(await memberTier(m.memberId)).toBe(await tier('GOLD'));
      expect(await coupons(m.memberId, 'TIER_UPGRADE')).toEqual([{ templateId: goldCoupon, key: `tier_upgrade:${await tier('GOLD')}` }]);
    });

    test('10 concurrent re-evaluations that all see the member below silver: one rise, one coupon', async () => {
      clock.set(MAY_14);
      const m = await kit.member();
      await q().run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, discount_fen, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, 0, ?)', [
        m.memberId, t.org.zhonglou, 150_000, '[]', `rule-race-${m.memberId}`, 'x', q().ts(clock.now()),
      ]);
      const s = { ...(await t.app.services.earning.settings()), tiers: await t.app.services.tiers.list() };
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => t.app.services.db.tx((tq) => t.app.services.tiers.reevaluate(tq, m.memberId, clock.now(), s))));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await memberTier(m.memberId)).toBe(await tier('SILVER'));
      expect(await coupons(m.memberId, 'TIER_UPGRADE')).toHaveLength(1);
    });

    test("a used-up budget: the member rises, no coupon, the purchase stands", async () => {
      clock.set(MAY_14);
      const tiny = (await kit.template({ name: '升白金礼', validDays: 30, budget: 1, minSpendFen: 0 })).id;
      await settings({ tierUpgradeCoupons: [{ tierId: String(await tier('PLATINUM')), templateId: tiny }] });
      const [a, b] = (await kit.members(2)) as [Persona, Persona];
      for (const m of [a, b]) {
        await buy(m, 2_000_000);
        expect(await memberTier(m.memberId)).toBe(await tier('PLATINUM'));
      }
      expect((await coupons(a.memberId, 'TIER_UPGRADE')).length + (await coupons(b.memberId, 'TIER_UPGRADE')).length).toBe(1);
      await settings({ tierUpgradeCoupons: [] });
      expect(ok(await t.gql<{ programSettings: { tierUpgradeCoupons: unknown[] } }>(SETTINGS)).programSettings.tierUpgradeCoupons).toEqual([]);
    });
  });

  describe('settings: bad input changes nothing', () => {
    const cases: [string, () => Promise<Record<string, unknown>>, string][] = [
      ['an unknown birthday template', async () => ({ birthdayCouponTemplateId: '999999' }), ErrorCode.NOT_FOUND],
      ['a region template for the birthday', async () => ({ birthdayCouponTemplateId: (await kit.template({ scopeRegionId: String(t.org.beijing) }, kit.beijing)).id }), ErrorCode.BAD_USER_INPUT],
      ['a switched-off template', async () => ({ birthdayCouponTemplateId: (await kit.template({ active: false })).id }), ErrorCode.REWARD_UNAVAILABLE],
      ['a reward that is not a coupon template', async () => ({ birthdayCouponTemplateId: 'abc' }), ErrorCode.BAD_USER_INPUT],
      ['an unknown tier', async () => ({ tierUpgradeCoupons: [{ tierId: '999999', templateId: (await kit.template()).id }] }), ErrorCode.NOT_FOUND],
      ['the entry tier', async () => ({ tierUpgradeCoupons: [{ tierId: String(await tier('NORMAL')), templateId: (await kit.template()).id }] }), ErrorCode.BAD_USER_INPUT],
      ['a tier twice', async () => {
        const id = (await kit.template()).id;
        return { tierUpgradeCoupons: [{ tierId: String(await tier('GOLD')), templateId: id }, { tierId: String(await tier('GOLD')), templateId: id }] };
      }, ErrorCode.BAD_USER_INPUT],
      ['an unknown tier-upgrade template', async () => ({ tierUpgradeCoupons: [{ tierId: String(await tier('GOLD')), templateId: '999999' }] }), ErrorCode.NOT_FOUND],
    ];
    test.each(cases)('%s', async (_name, input, code) => {
      const body = await input();
      const before = ok(await t.gql(SETTINGS));
      const audits = toInt((await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'updateProgramSettings'"))?.n);
      const r = await t.gql(SET, { input: { ...body, birthdayBonusPoints: 77 } }, await hq());
      expect(errCode(r)).toBe(code);
      expect(ok(await t.gql(SETTINGS))).toEqual(before);
      expect(toInt((await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'updateProgramSettings'"))?.n)).toBe(audits);
    });

    test('a region manager or a member may not set them (FORBIDDEN)', async () => {
      const tmpl = await kit.template();
      const m = await kit.member();
      for (const who of [kit.beijing, m]) expect(errCode(await t.gql(SET, { input: { birthdayCouponTemplateId: tmpl.id } }, who.token))).toBe(ErrorCode.FORBIDDEN);
      expect(ok(await t.gql<{ programSettings: { birthdayCouponTemplateId: string | null } }>(SETTINGS)).programSettings.birthdayCouponTemplateId).toBeNull();
    });
  });
}
