/**
 * Segment conditions (F9) against the hand-built analytics fixture (test/support/analytics-fixture.ts: members A–F,
 * their profiles, purchases and consented locations, NOW = 2026-03-01), and a small campaign sent on that fixture:
 * each condition's members written out by hand from the fixture table, and the sender's once-per-member guarantee
 * with two concurrent runs. Shared by the MariaDB and libsql files.
 */
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import { buildAnalyticsFixture, day, NOW, type Fixture } from './analytics-fixture';
import { errCode, ok } from './coupons';
import { startTestApp, type TestApp } from './harness';
import type { TestDialect } from './db';

const PREVIEW = 'query($conditions: [SegmentConditionInput!]!, $regionId: ID, $storeId: ID) { previewSegment(conditions: $conditions, regionId: $regionId, storeId: $storeId) { count } }';
const CREATE = 'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id status } }';
const SCHEDULE = 'mutation($id: ID!) { scheduleCampaign(id: $id) { id status } }';
const CREATE_TEMPLATE = 'mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }';

type C = Record<string, unknown>;

export function campaignSegmentSuite(dialect: TestDialect): void {
  describe(`segment conditions and sending (${dialect})`, () => {
    let t: TestApp;
    let f: Fixture;
    let hq: string;
    let bj: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      f = await buildAnalyticsFixture(t, `seg-${dialect}`);
      const q = t.app.services.db.q;
      const manager = async (label: string, g: Parameters<TestApp['grant']>[1]): Promise<string> => {
        const p = await t.signIn(label);
        await t.grant(p.userId, g);
        // Managers are members too: date them after NOW so that they are in no segment.
        await q.run('UPDATE member SET created_at = ? WHERE id = ?', [q.ts(new Date(NOW.getTime() + 86_400_000)), p.memberId]);
        return p.token;
      };
      hq = await manager(`seg-${dialect}-hq`, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
      bj = await manager(`seg-${dialect}-bj`, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
      // C also bought fresh food for ¥100 on d3: her preferred category of the year becomes fresh (¥100 > ¥50 general).
      await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, 10000, ?, 0, ?, ?, ?)', [
        f.C.memberId, t.org.sanlitun, JSON.stringify([{ category: 'fresh', amountFen: 10_000 }]), `seg-${dialect}-fresh`, 'x', q.ts(day(3)),
      ]);
    }, 120_000);
    afterAll(async () => {
      clock.reset();
      await t.close();
    });
    beforeEach(() => clock.set(NOW));

    const count = async (conditions: C[], scope: C = {}, token = hq): Promise<number> => ok(await t.gql<{ previewSegment: { count: number } }>(PREVIEW, { conditions, ...scope }, token)).previewSegment.count;

    // Expected members from the fixture's table (day n = NOW − n days; 国贸 G at 39.9088, 116.4600).
    it.each<[string, C[], number]>([
      ['GENDER FEMALE: A, C', [{ field: 'GENDER', genders: ['FEMALE'] }], 2],
      ['GENDER MALE: B', [{ field: 'GENDER', genders: ['MALE'] }], 1],
      ['AGE_BAND 35–44: A (born 1990-05-10, 35 on 2026-03-01)', [{ field: 'AGE_BAND', ageBands: ['AGE_35_44'] }], 1],
      ['AGE_BAND 25–34: B (born 2000-03-02, 25 the day before his birthday)', [{ field: 'AGE_BAND', ageBands: ['AGE_25_34'] }], 1],
      ['SPEND ≥ ¥0.01 in 30 days: A (¥400), C (¥150); F’s −¥20 refund is not spend', [{ field: 'SPEND', days: 30, minFen: 1 }], 2],
      ['SPEND ≥ ¥200 in 30 days: A', [{ field: 'SPEND', days: 30, minFen: 20_000 }], 1],
      ['SPEND ¥1–¥200 in 30 days: C', [{ field: 'SPEND', days: 30, minFen: 1, maxFen: 20_000 }], 1],
      ['SPEND ≥ ¥4000 in a year: B (¥4020)', [{ field: 'SPEND', days: 365, minFen: 400_000 }], 1],
      ['LAST_PURCHASE before d100: B (d110), E (d200); F’s last is d100 itself', [{ field: 'LAST_PURCHASE', before: day(100).toISOString() }], 2],
      ['LAST_PURCHASE after d12: A (d5), C (d3)', [{ field: 'LAST_PURCHASE', after: day(12).toISOString() }], 2],
      ['DISTANCE ≤ 5 km of 国贸: A (≈ 4.6 km)', [{ field: 'DISTANCE', storeId: 'G', maxKm: 5 }], 1],
      ['DISTANCE ≤ 10 km: A, B (≈ 5.2 km)', [{ field: 'DISTANCE', storeId: 'G', maxKm: 10 }], 2],
      ['DISTANCE 5–20 km: B, E (≈ 17 km); F has no location', [{ field: 'DISTANCE', storeId: 'G', minKm: 5, maxKm: 20 }], 2],
      ['LIFECYCLE DECLINING: B, F', [{ field: 'LIFECYCLE', stages: ['DECLINING'] }], 2],
      ['LIFECYCLE NEW or DECLINING: C, D, B, F', [{ field: 'LIFECYCLE', stages: ['NEW', 'DECLINING'] }], 4],
      ['PREFERRED_CATEGORY fresh over a year: C', [{ field: 'PREFERRED_CATEGORY', days: 365, categories: ['fresh'] }], 1],
      ['PREFERRED_CATEGORY general over a year: A, B, D, E, F', [{ field: 'PREFERRED_CATEGORY', days: 365, categories: ['general'] }], 5],
      ['AND: FEMALE and spent in 30 days and DEVELOPING or NEW: C', [{ field: 'GENDER', genders: ['FEMALE'] }, { field: 'SPEND', days: 30, minFen: 1 }, { field: 'LIFECYCLE', stages: ['NEW', 'DEVELOPING'] }], 1],
      ['AND: within 10 km and MALE: B', [{ field: 'DISTANCE', storeId: 'G', maxKm: 10 }, { field: 'GENDER', genders: ['MALE'] }], 1],
    ])('%s', async (_name, conditions, expected) => {
      const fixed = conditions.map((c) => (c.storeId === 'G' ? { ...c, storeId: String(t.org.guomao) } : c));
      expect(await count(fixed)).toBe(expected);
    });

    it('the scope decides whose members count: Beijing has A and C of the women, Xi’an’s store none', async () => {
      expect(await count([{ field: 'GENDER', genders: ['FEMALE'] }], { regionId: String(t.org.beijing) }, bj)).toBe(2);
      expect(await count([{ field: 'SPEND', days: 365, minFen: 1 }], { storeId: String(t.org.zhonglou) })).toBe(1); // D
      expect(errCode(await t.gql(PREVIEW, { conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], storeId: String(t.org.zhonglou) }, bj))).toBe('FORBIDDEN');
    });

    it('a campaign to the women of the last year: two concurrent runs give each treated member one coupon and one notice', async () => {
      const q = t.app.services.db.q;
      const template = ok(await t.gql<{ createCouponTemplate: { id: string } }>(CREATE_TEMPLATE, { input: { kind: 'GIFT', name: '鲜花', giftName: '鲜花一束', validDays: 7, budget: 10 } }, hq)).createCouponTemplate.id;
      const c = ok(
        await t.gql<{ createCampaign: { id: string } }>(CREATE, { input: { name: '女神节', conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: template, startsAt: NOW.toISOString(), holdoutPct: 0 } }, hq),
      ).createCampaign;
      ok(await t.gql(SCHEDULE, { id: c.id }, hq));
      const sender = t.app.services.campaignSender;
      const runs = await Promise.all([sender.run(), sender.run()]);
      expect(runs[0].sent + runs[1].sent).toBe(2);
      await sender.run();
      const n = async (sql: string, p: unknown[]) => toInt((await q.get<{ n: unknown }>(sql, p))?.n);
      for (const m of [f.A, f.C]) {
        expect(await n('SELECT COUNT(*) AS n FROM reward_redemption WHERE member_id = ? AND idempotency_key = ?', [m.memberId, `campaign:${c.id}`])).toBe(1);
        expect(await n("SELECT COUNT(*) AS n FROM notification WHERE member_id = ? AND kind = 'CAMPAIGN' AND ref = ?", [m.memberId, c.id])).toBe(1);
      }
      expect(await n("SELECT COUNT(*) AS n FROM campaign_member WHERE campaign_id = ? AND state = 'SENT'", [Number(c.id)])).toBe(2);
      expect(String((await q.get<{ status: unknown }>('SELECT status FROM campaign WHERE id = ?', [Number(c.id)]))?.status)).toBe('DONE');
      // A's wallet has the gift coupon from the campaign.
      const wallet = ok(await t.gql<{ myCoupons: { source: string; giftName: string }[] }>('{ myCoupons(first: 10) { source giftName } }', {}, f.A.token)).myCoupons;
      expect(wallet).toEqual([{ source: 'CAMPAIGN', giftName: '鲜花一束' }]);
    });

    it('a multiplier window: double points for the treated members only, through the earning engine; cancelling stops it', async () => {
      const q = t.app.services.db.q;
      const c = ok(
        await t.gql<{ createCampaign: { id: string } }>(CREATE, { input: { name: '会员双倍积分', conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], multiplierPct: 200, multiplierDays: 7, startsAt: NOW.toISOString(), holdoutPct: 0 } }, hq),
      ).createCampaign;
      // Both offers, or neither, is bad input.
      expect(errCode(await t.gql(CREATE, { input: { name: 'x', conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], startsAt: NOW.toISOString() } }, hq))).toBe('BAD_USER_INPUT');
      expect(errCode(await t.gql(CREATE, { input: { name: 'x', conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], multiplierPct: 100, multiplierDays: 7, startsAt: NOW.toISOString() } }, hq))).toBe('BAD_USER_INPUT');
      ok(await t.gql(SCHEDULE, { id: c.id }, hq));
      await Promise.all([t.app.services.campaignSender.run(), t.app.services.campaignSender.run()]);
      const rules = await q.all<{ id: unknown }>('SELECT id FROM earning_rule WHERE campaign_id = ?', [Number(c.id)]);
      expect(rules).toHaveLength(1); // created once, at the start
      const points = async (memberId: number) =>
        (await t.app.services.earning.compute({ storeId: String(t.org.guomao), regionId: String(t.org.beijing), at: new Date(NOW.getTime() + 3_600_000), tierMultiplierPct: 100, lines: [{ category: 'food', amountFen: 10_000 }] }, memberId)).points;
      // Beijing's base rate: ¥10 = 1 point, so ¥100 earns 10; A (treated) earns double, B (not in the segment) does not.
      expect(await points(f.A.memberId)).toBe(20);
      expect(await points(f.B.memberId)).toBe(10);
      // The store's public rule view (the till preview) does not show a member's targeted multiplier.
      const view = ok(await t.gql<{ earningRules: { campaigns: { name: string }[] } }>('query($s: ID!) { earningRules(storeId: $s) { campaigns { name } } }', { s: String(t.org.guomao) }, hq)).earningRules;
      expect(view.campaigns.map((x) => x.name)).not.toContain('会员双倍积分');
      const notice = await q.get<{ body: unknown }>("SELECT body FROM notification WHERE member_id = ? AND kind = 'CAMPAIGN' AND ref = ?", [f.A.memberId, c.id]);
      expect(String(notice?.body)).toBe('即日起至 3月8日 08:00，到店消费享 2 倍积分，无需领取，结账时自动计入。') // NOW + 7 days, in Shanghai;
      ok(await t.gql('mutation($id: ID!) { cancelCampaign(id: $id) { status } }', { id: c.id }, hq));
      expect(await points(f.A.memberId)).toBe(10);
    });
  });
}
