/**
 * Coupons (F9) over real HTTP on MariaDB: templates in a manager's scope (validation the same on create and update,
 * bad input changing nothing), the welcome coupon at first sign-in (valid 3 calendar days, refused on day 4 with
 * VOUCHER_EXPIRED, the clock set, never slept), issuing to a list (all or none, once per key), the wallet, and the
 * till: the voucher scan and a coupon applied to recordPurchase (the discount comes off before the points; used
 * once, also when two tills race). Races on budgets and points-to-voucher: coupons.race.*.test.ts.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';
import { CouponKit, errCode, ok, TEMPLATE, TEMPLATES, UPDATE_TEMPLATE, USE_VOUCHER, VOUCHER, type CouponGql, type TemplateGql } from './support/coupons';

/** Monday 2 March 2026, 10:00 in Shanghai: every date below derives from it. */
const NOW = new Date('2026-03-02T02:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('coupons (F9)', () => {
  let t: TestApp;
  let kit: CouponKit;
  const q = () => t.app.services.db.q;
  const at = (ms: number) => clock.set(NOW.getTime() + ms);

  beforeAll(async () => {
    clock.set(NOW);
    t = await startTestApp('mariadb');
    kit = new CouponKit(t, 'cp');
    await kit.setUp();
  }, 60_000);
  beforeEach(() => clock.set(NOW));
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  describe('templates', () => {
    test('the three kinds, in HQ, a region and a store; percentages as per cent off', async () => {
      const amount = await kit.template({ name: '满100减20', amountOffFen: 2000, minSpendFen: 10_000 });
      expect(amount).toMatchObject({ kind: 'AMOUNT_OFF', amountOffFen: 2000, percentOff: null, minSpendFen: 10_000, validDays: 30, budget: 100, issued: 0, remaining: 100, pointsPrice: null, active: true, welcome: false, scopeRegionId: null });
      const pct = await kit.template({ kind: 'PERCENT_OFF', name: '北京 85 折', amountOffFen: null, percentOff: 15, minSpendFen: 0, scopeRegionId: String(t.org.beijing), storeIds: [String(t.org.guomao)] }, kit.beijing);
      expect(pct).toMatchObject({ kind: 'PERCENT_OFF', percentOff: 15, scopeRegionId: String(t.org.beijing), storeIds: [String(t.org.guomao)] });
      const gift = await kit.template({ kind: 'GIFT', name: '赠饮', amountOffFen: null, giftName: '美式咖啡一杯', minSpendFen: 0, scopeStoreId: String(t.org.zhonglou), validUntil: new Date(NOW.getTime() + 10 * DAY).toISOString(), validDays: null, pointsPrice: 300 }, kit.xian);
      expect(gift).toMatchObject({ kind: 'GIFT', giftName: '美式咖啡一杯', scopeStoreId: String(t.org.zhonglou), scopeRegionId: String(t.org.xian), validDays: null, pointsPrice: 300 });
      // Each manager lists its own scope's templates (HQ sees all of them).
      const ids = async (as: typeof kit.hq) => ok(await t.gql<{ couponTemplates: TemplateGql[] }>(TEMPLATES, {}, as.token)).couponTemplates.map((x) => x.id);
      expect(await ids(kit.hq)).toEqual(expect.arrayContaining([amount.id, pct.id, gift.id]));
      expect(await ids(kit.beijing)).toContain(pct.id);
      expect(await ids(kit.beijing)).not.toContain(gift.id);
      expect(await ids(kit.beijing)).not.toContain(amount.id);
      expect(await ids(kit.xian)).toEqual(expect.arrayContaining([gift.id]));
    });

    test('bad input is BAD_USER_INPUT on create and on update alike, and changes nothing', async () => {
      const pct = await kit.template({ kind: 'PERCENT_OFF', amountOffFen: null, percentOff: 10 });
      const cases: [string, Record<string, unknown>][] = [
        ['a negative amount', { amountOffFen: -100 }],
        ['percent 0', { kind: 'PERCENT_OFF', amountOffFen: null, percentOff: 0 }],
        ['percent 100', { kind: 'PERCENT_OFF', amountOffFen: null, percentOff: 100 }],
        ['a percent on an amount-off coupon', { percentOff: 10 }],
        ['a gift without its item', { kind: 'GIFT', amountOffFen: null }],
        ['a negative minimum spend', { minSpendFen: -1 }],
        ['no budget', { budget: 0 }],
        ['both validities', { validUntil: new Date(NOW.getTime() + DAY).toISOString() }],
        ['no validity', { validDays: null }],
        ['validFrom after validUntil', { validDays: null, validFrom: new Date(NOW.getTime() + 2 * DAY).toISOString(), validUntil: new Date(NOW.getTime() + DAY).toISOString() }],
        ['a limit of 0', { limitPerMember: 0 }],
        ['a negative price', { pointsPrice: -5 }],
        ['a name too long', { name: '券'.repeat(65) }],
        ["a region's template naming another region's store", { scopeRegionId: String(t.org.beijing), storeIds: [String(t.org.zhonglou)] }],
        ["a store's template naming a region", { scopeStoreId: String(t.org.guomao), regionIds: [String(t.org.beijing)] }],
        ["a region's template as the welcome coupon", { scopeRegionId: String(t.org.beijing), welcome: true }],
      ];
      for (const [why, input] of cases) {
        const before = await kit.state();
        const r = await t.gql(
          'mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }',
          { input: { kind: 'AMOUNT_OFF', name: 'x', amountOffFen: 500, validDays: 7, budget: 10, ...input } },
          kit.hq.token,
        );
        expect([why, errCode(r)]).toEqual([why, ErrorCode.BAD_USER_INPUT]);
        expect(await kit.state()).toEqual(before);
      }
      // The same rules on update (the kind is fixed: percentOff on the percent template, amountOffFen refused there).
      const patches: [string, Record<string, unknown>][] = [
        ['percent 0', { percentOff: 0 }],
        ['percent 100', { percentOff: 100 }],
        ['an amount on a percent coupon', { amountOffFen: 500 }],
        ['both validities', { validUntil: new Date(NOW.getTime() + DAY).toISOString() }],
        ['no budget', { budget: 0 }],
      ];
      for (const [why, input] of patches) {
        const before = await kit.state();
        const r = await t.gql(UPDATE_TEMPLATE, { id: pct.id, input }, kit.hq.token);
        expect([why, errCode(r)]).toEqual([why, ErrorCode.BAD_USER_INPUT]);
        expect(await kit.state()).toEqual(before);
      }
      const before = await kit.state();
      expect(errCode(await t.gql(UPDATE_TEMPLATE, { id: '99999999', input: { name: 'x' } }, kit.hq.token))).toBe(ErrorCode.NOT_FOUND);
      expect(errCode(await kit.issue('99999999', [kit.hq]))).toBe(ErrorCode.NOT_FOUND);
      expect(errCode(await kit.buy(kit.hq, '99999999'))).toBe(ErrorCode.NOT_FOUND);
      expect(errCode(await kit.buy(kit.hq, pct.id, 'short'))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await kit.record(kit.staffGuomao, t.org.guomao, kit.hq, 5000, { couponCode: 'A'.repeat(33) }))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql(USE_VOUCHER, { code: 'ABCD EFGH JKLM', storeId: String(t.org.guomao), spendFen: -1 }, kit.staffGuomao.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(await kit.state()).toEqual(before);
      // A reward of the catalogue is not a template, and a template is not edited as a reward.
      expect(errCode(await t.gql('mutation($id: ID!) { adjustRewardStock(id: $id, delta: 5) { id } }', { id: pct.id }, kit.hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(await kit.state()).toEqual(before);
    });

    test("another region's manager may not create, edit or issue a region's template; nothing changes", async () => {
      const bj = await kit.template({ scopeRegionId: String(t.org.beijing) }, kit.beijing);
      const m = await kit.member();
      const before = await kit.state();
      expect(errCode(await t.gql(UPDATE_TEMPLATE, { id: bj.id, input: { budget: 5 } }, kit.xian.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await kit.issue(bj.id, [m], { as: kit.xian }))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(TEMPLATE, { id: bj.id }, kit.xian.token))).toBe(ErrorCode.FORBIDDEN);
      const created = await t.gql('mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }', { input: { kind: 'AMOUNT_OFF', name: 'x', amountOffFen: 100, validDays: 1, budget: 1, scopeRegionId: String(t.org.beijing) } }, kit.xian.token);
      expect(errCode(created)).toBe(ErrorCode.FORBIDDEN);
      const hq = await t.gql('mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }', { input: { kind: 'AMOUNT_OFF', name: 'x', amountOffFen: 100, validDays: 1, budget: 1 } }, kit.beijing.token);
      expect(errCode(hq)).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(UPDATE_TEMPLATE, { id: bj.id, input: { budget: 5 } }, m.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(UPDATE_TEMPLATE, { id: bj.id, input: { budget: 5 } }, null))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(await kit.state()).toEqual(before);
      // Its own manager edits it; the budget cannot drop below what was issued.
      ok(await kit.issue(bj.id, [m], { as: kit.beijing }));
      expect(errCode(await t.gql(UPDATE_TEMPLATE, { id: bj.id, input: { budget: 0 } }, kit.beijing.token))).toBe(ErrorCode.BAD_USER_INPUT);
      const edited = ok(await t.gql<{ updateCouponTemplate: TemplateGql }>(UPDATE_TEMPLATE, { id: bj.id, input: { budget: 1, name: '北京专享' } }, kit.beijing.token)).updateCouponTemplate;
      expect(edited).toMatchObject({ budget: 1, issued: 1, remaining: 0, name: '北京专享' });
    });
  });

  describe('the welcome coupon', () => {
    test('issued once at first sign-in; valid 3 days: usable on day 3, refused on day 4 with VOUCHER_EXPIRED', async () => {
      const welcome = await kit.template({ kind: 'PERCENT_OFF', name: '新人 85 折', amountOffFen: null, percentOff: 15, minSpendFen: 0, validDays: 3, welcome: true, budget: 1000 });
      try {
        const m = await t.signIn('cp-welcome'); // Monday 10:00 Shanghai: the first sign-in
        const [c] = await kit.wallet(m);
        expect(c).toMatchObject({ templateId: welcome.id, kind: 'PERCENT_OFF', percentOff: 15, state: 'VALID', source: 'WELCOME', points: 0, expiresAt: '2026-03-04T16:00:00.000Z', expiresInDays: 2, expiryLabel: '2 天后到期' });
        expect(c?.qrPayload).toBe(c?.code.replace(/ /g, ''));
        // Signing in again issues nothing more.
        expect((await t.signIn('cp-welcome')).memberId).toBe(m.memberId);
        expect(await kit.wallet(m)).toHaveLength(1);
        const code = c?.code as string;

        // Day 3, 23:00 in Shanghai: still valid, today is its last day.
        at(2 * DAY + 13 * HOUR);
        expect(await kit.wallet(m)).toMatchObject([{ state: 'VALID', expiresInDays: 0, expiryLabel: '今天到期' }]);
        expect(ok(await t.gql<{ voucher: { usableHere: boolean } }>(VOUCHER, { code, storeId: String(t.org.guomao) }, kit.staffGuomao.token)).voucher.usableHere).toBe(true);

        // Day 4, 09:00: expired, for the scan and for a purchase alike; nothing changes.
        at(2 * DAY + 23 * HOUR);
        const before = await kit.state();
        const use = await t.gql(USE_VOUCHER, { code, storeId: String(t.org.guomao), spendFen: 5000 }, kit.staffGuomao.token);
        expect(errCode(use)).toBe(ErrorCode.VOUCHER_EXPIRED);
        expect(errCode(await kit.record(kit.staffGuomao, t.org.guomao, m, 5000, { couponCode: code }))).toBe(ErrorCode.VOUCHER_EXPIRED);
        expect(await kit.state()).toEqual(before);
        expect(await kit.wallet(m)).toMatchObject([{ state: 'EXPIRED', expiresInDays: null, expiryLabel: null }]);
        expect(await kit.wallet(m, 'VALID')).toEqual([]);
      } finally {
        clock.set(NOW);
        ok(await t.gql(UPDATE_TEMPLATE, { id: welcome.id, input: { active: false } }, kit.hq.token));
      }
    });

    test('a used-up welcome budget never fails a sign-in', async () => {
      const welcome = await kit.template({ name: '新人礼', validDays: 7, welcome: true, budget: 1 });
      try {
        const first = await kit.member();
        const second = await kit.member();
        expect((await kit.wallet(first)).map((c) => c.templateId)).toEqual([welcome.id]);
        expect(await kit.wallet(second)).toEqual([]);
        expect(ok(await t.gql<{ couponTemplate: TemplateGql }>(TEMPLATE, { id: welcome.id }, kit.hq.token)).couponTemplate).toMatchObject({ issued: 1, remaining: 0 });
      } finally {
        ok(await t.gql(UPDATE_TEMPLATE, { id: welcome.id, input: { active: false } }, kit.hq.token));
      }
    });
  });

  describe('issuing to a list', () => {
    test('all or none, once per key; the limit and the budget stop it at a named member and change nothing', async () => {
      const tpl = await kit.template({ limitPerMember: 1, budget: 3 });
      const [a, b, c, d] = await kit.members(4);
      const key = kit.key();
      expect(ok(await kit.issue(tpl.id, [a!, b!], { key })).issueCoupons).toEqual({ issued: 2, alreadyIssued: 0, remaining: 1 });
      expect(ok(await kit.issue(tpl.id, [a!, b!], { key })).issueCoupons).toEqual({ issued: 0, alreadyIssued: 2, remaining: 1 });
      expect(await kit.wallet(a!)).toMatchObject([{ source: 'MANAGER', state: 'VALID', expiresInDays: 29 }]);

      let before = await kit.state();
      const limited = await kit.issue(tpl.id, [c!, a!]);
      expect(errCode(limited)).toBe(ErrorCode.LIMIT_REACHED);
      expect(limited.errors?.[0]?.extensions).toMatchObject({ memberNo: a!.memberNo, window: 'MEMBER', limit: 1 });
      expect(await kit.state()).toEqual(before);
      const over = await kit.issue(tpl.id, [c!, d!]);
      expect(errCode(over)).toBe(ErrorCode.OUT_OF_STOCK);
      expect(await kit.state()).toEqual(before);

      // Bad lists: empty, too long, an unknown number, a malformed one, a bad key; a switched-off template.
      const bad: [string, Record<string, unknown>, string][] = [
        ['no members', { memberNos: [] }, ErrorCode.BAD_USER_INPUT],
        ['201 members', { memberNos: Array.from({ length: 201 }, () => a!.memberNo) }, ErrorCode.BAD_USER_INPUT],
        ['an unknown member', { memberNos: ['0000000000'] }, ErrorCode.NOT_FOUND],
        ['not a member number', { memberNos: ['12ab'] }, ErrorCode.BAD_USER_INPUT],
        ['a short key', { memberNos: [c!.memberNo], idempotencyKey: 'short' }, ErrorCode.BAD_USER_INPUT],
      ];
      for (const [why, input, code] of bad) {
        const r = await t.gql('mutation($input: IssueCouponsInput!) { issueCoupons(input: $input) { issued } }', { input: { templateId: tpl.id, idempotencyKey: kit.key(), ...input } }, kit.hq.token);
        expect([why, errCode(r)]).toEqual([why, code]);
      }
      expect(await kit.state()).toEqual(before);
      ok(await t.gql(UPDATE_TEMPLATE, { id: tpl.id, input: { active: false } }, kit.hq.token));
      before = await kit.state();
      expect(errCode(await kit.issue(tpl.id, [c!]))).toBe(ErrorCode.REWARD_UNAVAILABLE);
      expect(await kit.state()).toEqual(before);
    });
  });

  describe('at the till', () => {
    test('the scan checks store, minimum spend and start; recordPurchase takes the discount off before the points', async () => {
      const tpl = await kit.template({ name: '国贸满100减20', storeIds: [String(t.org.guomao)] });
      const [m, other] = await kit.members(2);
      ok(await kit.issue(tpl.id, [m!, other!]));
      const [c] = await kit.wallet(m!);
      const code = (c as CouponGql).code;
      const [oc] = await kit.wallet(other!);

      const before = await kit.state();
      expect(errCode(await t.gql(USE_VOUCHER, { code, storeId: String(t.org.zhonglou), spendFen: 20_000 }, kit.staffZhonglou.token))).toBe(ErrorCode.VOUCHER_WRONG_STORE);
      expect(errCode(await t.gql(USE_VOUCHER, { code, storeId: String(t.org.guomao), spendFen: 9_999 }, kit.staffGuomao.token))).toBe(ErrorCode.VOUCHER_MIN_SPEND);
      expect(errCode(await kit.record(kit.staffGuomao, t.org.guomao, m!, 8_000, { couponCode: code }))).toBe(ErrorCode.VOUCHER_MIN_SPEND);
      at(31_000);
      expect(errCode(await kit.record(kit.staffGuomao, t.org.guomao, m!, 20_000, { couponCode: (oc as CouponGql).code }))).toBe(ErrorCode.VOUCHER_NOT_OWNER);
      at(62_000);
      expect(errCode(await kit.record(kit.staffGuomao, t.org.guomao, m!, 20_000, { couponCode: 'ABCD EFGH JKLM' }))).toBe(ErrorCode.VOUCHER_INVALID);
      expect(await kit.state()).toEqual(before);

      // ¥120 with ¥20 off: ¥100 paid, which earns Beijing's ¥10 = 1 point: 10 points (¥120 would have earned 12).
      at(93_000);
      const key = kit.key();
      const receipt = ok(await kit.record(kit.staffGuomao, t.org.guomao, m!, 12_000, { couponCode: code.toLowerCase(), key })).recordPurchase;
      expect(receipt).toMatchObject({ discountFen: 2000, paidFen: 10_000, points: 10, replayed: false });
      const row = await q().get<Record<string, unknown>>('SELECT amount_fen, discount_fen, points FROM purchase WHERE id = ?', [receipt.id]);
      expect({ amount: toInt(row?.amount_fen), discount: toInt(row?.discount_fen), points: toInt(row?.points) }).toEqual({ amount: 10_000, discount: 2000, points: 10 });
      expect(await kit.wallet(m!)).toMatchObject([{ state: 'USED', discountFen: 2000, usedStoreName: '北京国贸店', expiresInDays: null }]);
      // The same request again is a replay; the coupon again on a new purchase is VOUCHER_USED and changes nothing.
      at(124_000);
      expect(ok(await kit.record(kit.staffGuomao, t.org.guomao, m!, 12_000, { couponCode: code, key })).recordPurchase).toMatchObject({ id: receipt.id, replayed: true, discountFen: 2000, paidFen: 10_000 });
      const after = await kit.state();
      expect(errCode(await kit.record(kit.staffGuomao, t.org.guomao, m!, 12_000, { couponCode: code }))).toBe(ErrorCode.VOUCHER_USED);
      expect(errCode(await t.gql(USE_VOUCHER, { code, storeId: String(t.org.guomao) }, kit.staffGuomao.token))).toBe(ErrorCode.VOUCHER_USED);
      expect(await kit.state()).toEqual(after);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('fixed dates: UPCOMING and VOUCHER_NOT_STARTED before the first day, then usable by scan with the discount', async () => {
      const tpl = await kit.template({ kind: 'PERCENT_OFF', amountOffFen: null, percentOff: 20, minSpendFen: 0, validDays: null, validFrom: new Date(NOW.getTime() + DAY).toISOString(), validUntil: new Date(NOW.getTime() + 10 * DAY).toISOString() });
      const m = await kit.member();
      ok(await kit.issue(tpl.id, [m]));
      const [c] = await kit.wallet(m);
      expect(c).toMatchObject({ state: 'UPCOMING', expiresInDays: 10 }); // until 10:00 on day 11: that day is its last
      const before = await kit.state();
      expect(errCode(await t.gql(USE_VOUCHER, { code: c?.code, storeId: String(t.org.zhonglou), spendFen: 5000 }, kit.staffZhonglou.token))).toBe(ErrorCode.VOUCHER_NOT_STARTED);
      expect(await kit.state()).toEqual(before);
      at(DAY);
      const used = ok(await t.gql<{ useVoucher: { discountFen: number } }>(USE_VOUCHER, { code: c?.code, storeId: String(t.org.zhonglou), spendFen: 5000 }, kit.staffZhonglou.token)).useVoucher;
      expect(used.discountFen).toBe(1000);
      expect(await kit.wallet(m)).toMatchObject([{ state: 'USED', discountFen: 1000, usedStoreName: '西安钟楼店' }]);
    });

    test('a coupon redeemed twice at once is used once: six scans, or a scan against a purchase', async () => {
      const tpl = await kit.template({ minSpendFen: 0 });
      const [m, n] = await kit.members(2, 0);
      ok(await kit.issue(tpl.id, [m!, n!]));
      const code = (await kit.wallet(m!))[0]?.code as string;
      const scans = await Promise.all(
        Array.from({ length: 6 }, (_, i) => t.gql(USE_VOUCHER, { code, storeId: String(i % 2 ? t.org.guomao : t.org.zhonglou), spendFen: 5000 }, i % 2 ? kit.staffGuomao.token : kit.staffZhonglou.token)),
      );
      expect(scans.filter((r) => !r.errors)).toHaveLength(1);
      expect(scans.filter((r) => errCode(r) === ErrorCode.VOUCHER_USED)).toHaveLength(5);

      const codeN = (await kit.wallet(n!))[0]?.code as string;
      const purchasesBefore = toInt((await q().get<{ c: unknown }>('SELECT COUNT(*) AS c FROM purchase'))?.c);
      const [scan, purchase] = await Promise.all([
        t.gql(USE_VOUCHER, { code: codeN, storeId: String(t.org.zhonglou), spendFen: 5000 }, kit.staffZhonglou.token),
        kit.record(kit.staffGuomao, t.org.guomao, n!, 5000, { couponCode: codeN }),
      ]);
      const wins = [scan, purchase].filter((r) => !r.errors);
      expect(wins).toHaveLength(1);
      expect([scan, purchase].map(errCode).filter(Boolean)).toEqual([ErrorCode.VOUCHER_USED]);
      const purchases = toInt((await q().get<{ c: unknown }>('SELECT COUNT(*) AS c FROM purchase'))?.c);
      expect(purchases - purchasesBefore).toBe(purchase.errors ? 0 : 1);
      expect(await kit.balance(n!.memberId)).toBe(purchase.errors ? 0 : 3); // ¥50 − ¥20 paid: 3 points at ¥10 = 1
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });
  });
});
