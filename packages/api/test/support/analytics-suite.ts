/**
 * Analytics (issue #15) on one dialect: every KPI, stage count, RFM cell and radar sector of the hand-built fixture
 * (test/support/analytics-fixture.ts) equals a figure computed by hand below; scope is enforced (a store manager
 * sees only their store, another region's manager is FORBIDDEN); bad input is refused with a clear code.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { startTestApp, type TestApp } from './harness';
import type { TestDialect } from './db';
import { buildAnalyticsFixture, day, NOW, type Fixture, type Persona } from './analytics-fixture';

const KPI_FIELDS = `from to newMembers referrals activeMembers churnBase churned churnRate visits visitors spendFen avgSpendPerVisitFen visitFrequency
  pointsIssued pointsRedeemed pointsExpired redemptionRate liabilityPoints liabilityFen ownRedemptions partnerRedemptions ownRedemptionRatio clubAttendees clubParticipationRate`;
const KPIS = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID, $regionId: ID, $activeDays: Int) {
  analyticsKpis(from: $from, to: $to, storeId: $storeId, regionId: $regionId, activeDays: $activeDays) {
    scope { kind regionId storeId } activeDays pointValueFenPer100 current { ${KPI_FIELDS} } previous { ${KPI_FIELDS} } } }`;
const INVENTORY = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID, $regionId: ID) {
  customerInventory(from: $from, to: $to, storeId: $storeId, regionId: $regionId) { scope { kind } weeks { at counts { stage members } } trend { stage first last change } } }`;
const DECLINING = `query($first: Int!, $after: String, $storeId: ID, $regionId: ID) {
  decliningMembers(first: $first, after: $after, storeId: $storeId, regionId: $regionId) {
    total pageInfo { hasNextPage endCursor } items { memberId memberNo tierName joinedAt lastPurchaseAt visitsRecent visitsPrevious spendRecentFen spendPreviousFen reasons reason } } }`;
const RFM = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID, $regionId: ID) {
  rfmReport(from: $from, to: $to, storeId: $storeId, regionId: $regionId) { scoredMembers spendFen topSpendShare cells { r f members spendFen } } }`;
const RADAR = `query($storeId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  tradeAreaRadar(storeId: $storeId, from: $from, to: $to) { storeId located unlocated
    sectors { ring direction members spendFen points byGender { gender members spendFen points } byAgeBand { ageBand members spendFen points } } } }`;
const PROFILE = 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { gender birthday ageBand homeStore { id } location { lat lng } locationConsent locationConsentAt } }';

type Gql = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; field?: string } }[] };
const code = (r: Gql): string | undefined => r.errors?.[0]?.extensions?.code;
function ok<T = Record<string, unknown>>(r: Gql): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

/** The period under test: February 2026 (28 days); the previous period is the 28 days before. */
const FROM = day(28).toISOString();
const TO = NOW.toISOString();

/** A KPI record with every figure zero/null, to spell out only what differs. */
const zeroKpis = (from: Date, to: Date) => ({
  from: from.toISOString(), to: to.toISOString(), newMembers: 0, referrals: 0, activeMembers: 0, churnBase: 0, churned: 0, churnRate: null, visits: 0, visitors: 0, spendFen: 0,
  avgSpendPerVisitFen: null, visitFrequency: null, pointsIssued: 0, pointsRedeemed: 0, pointsExpired: 0, redemptionRate: null, liabilityPoints: 0, liabilityFen: 0,
  ownRedemptions: 0, partnerRedemptions: 0, ownRedemptionRatio: null, clubAttendees: 0, clubParticipationRate: null,
});

export function analyticsSuite(dialect: TestDialect): void {
  describe(`analytics (${dialect})`, () => {
    let t: TestApp;
    let f: Fixture;
    let hq: Persona;
    let guomaoManager: Persona;
    let xianManager: Persona;
    let beijingManager: Persona;
    const as = (p: Persona) => (query: string, variables: Record<string, unknown> = {}) => t.gql(query, variables, p.token) as Promise<Gql>;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      f = await buildAnalyticsFixture(t, dialect);
      const manager = async (label: string, g: Parameters<TestApp['grant']>[1]): Promise<Persona> => {
        const p = await t.signIn(label);
        await t.grant(p.userId, g);
        // Every user is also a member: date the managers' own memberships after NOW so they stay out of every figure.
        await t.app.services.db.q.run('UPDATE member SET created_at = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(NOW.getTime() + 86_400_000)), p.memberId]);
        return p;
      };
      hq = await manager(`${dialect}-hq`, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
      guomaoManager = await manager(`${dialect}-guomao`, { role: 'MANAGER', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
      xianManager = await manager(`${dialect}-xian`, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
      beijingManager = await manager(`${dialect}-beijing`, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
    });
    afterAll(async () => {
      clock.reset();
      await t.close();
    });
    beforeEach(() => clock.set(NOW));

    describe('KPIs (hand computations from the fixture table)', () => {
      it('HQ: February against the 28 days before', async () => {
        const r = ok<{ analyticsKpis: Record<string, unknown> }>(await as(hq)(KPIS, { from: FROM, to: TO })).analyticsKpis;
        expect(r.scope).toEqual({ kind: 'HQ', regionId: null, storeId: null });
        expect(r.activeDays).toBe(90);
        expect(r.pointValueFenPer100).toBe(100);
        expect(r.current).toEqual({
          ...zeroKpis(day(28), NOW),
          newMembers: 1, // C joined d20 (D joined d40: the previous period)
          referrals: 0,
          activeMembers: 3, // a visit in [d90, NOW): A (d80…d5), C (d10), D (d35); B's last is d110, F's d100, E's d200
          churnBase: 4, // a visit in [d118, d28): A, B (d110), F (d100), D (d35)
          churned: 2, // of them none in [d90, NOW): B and F
          churnRate: 0.5,
          visits: 3, // A d20, A d5, C d10 (F's d15 refund is not a visit)
          visitors: 2, // A, C
          spendFen: 43_000, // 30,000 + 10,000 + 5,000 − 2,000
          avgSpendPerVisitFen: 14_333, // 43,000 / 3 = 14,333.3
          visitFrequency: 1.5, // 3 visits / 2 visitors
          pointsIssued: 430, // EARN 300 + 100 + 50, less F's clawback 20
          pointsRedeemed: 1_150, // REDEEM 150 + 1,000 + 200, less E's refund 200
          pointsExpired: 300, // E d3
          redemptionRate: 2.6744, // 1,150 / 430 = 2.67442 (4 decimals)
          liabilityPoints: 3_820, // balances at NOW: A 450 + B 3,000 + C 50 + D 80 + E 200 + F 40
          liabilityFen: 3_820, // × 100 fen per 100 points
          ownRedemptions: 1, // A's coffee
          partnerRedemptions: 1, // B's fuel card (E's failed one does not count)
          ownRedemptionRatio: 0.5,
          clubAttendees: 2, // A at 国贸's event, C at the organisation-wide one
          clubParticipationRate: 0.6667, // 2 / 3 active
        });
        expect(r.previous).toEqual({
          ...zeroKpis(day(56), day(28)),
          newMembers: 1, // D joined d40
          referrals: 1, // D came through a referral
          activeMembers: 4, // a visit in [d118, d28): A, B, F, D
          churnBase: 3, // a visit in [d146, d56): A (d120…d80), B (d120, d110), F (d100)
          churned: 0, // all three visited in [d118, d28)
          churnRate: 0,
          visits: 2, // A d50, D d35
          visitors: 2,
          spendFen: 28_000, // 20,000 + 8,000
          avgSpendPerVisitFen: 14_000,
          visitFrequency: 1,
          pointsIssued: 280, // A +200 (d50), D +80 (d35)
          redemptionRate: 0,
          liabilityPoints: 4_840, // balances at d28: A 200 + B 4,000 + D 80 + E 500 + F 60
          liabilityFen: 4_840,
          clubParticipationRate: 0, // 0 / 4
        });
      });

      it('store 国贸 (its manager): its activities and its members only', async () => {
        const r = ok<{ analyticsKpis: Record<string, unknown> }>(await as(guomaoManager)(KPIS, { from: FROM, to: TO, storeId: String(t.org.guomao) })).analyticsKpis;
        expect(r.scope).toEqual({ kind: 'STORE', regionId: String(t.org.beijing), storeId: String(t.org.guomao) });
        expect(r.current).toEqual({
          ...zeroKpis(day(28), NOW),
          newMembers: 0, // C's store is 三里屯 (first purchase), D's 钟楼 (home)
          activeMembers: 1, // A (C bought at 三里屯, D at 钟楼)
          churnBase: 3, // A, B, F visited 国贸 in [d118, d28)
          churned: 2, // B, F
          churnRate: 0.6667,
          visits: 2, // A d20, d5
          visitors: 1,
          spendFen: 38_000, // 30,000 + 10,000 − F's 2,000 refund
          avgSpendPerVisitFen: 19_000,
          visitFrequency: 2,
          pointsIssued: 380, // A 300 + 100, less F's 20 (C's 50 was earned at 三里屯)
          pointsRedeemed: 1_150, // A's in-app 150 and E's 200 (no store: their store, 国贸), B's 1,000 at 国贸, less E's refund 200
          pointsExpired: 300, // E (no store: E's store, 国贸)
          redemptionRate: 3.0263, // 1,150 / 380
          liabilityPoints: 3_690, // A 450 + B 3,000 + E 200 + F 40
          liabilityFen: 3_690,
          ownRedemptions: 1,
          partnerRedemptions: 1,
          ownRedemptionRatio: 0.5,
          clubAttendees: 1, // A (the organisation-wide club's event has no store)
          clubParticipationRate: 1,
        });
        expect(r.previous).toMatchObject({ newMembers: 0, activeMembers: 3, churnBase: 3, churned: 0, visits: 1, spendFen: 20_000, pointsIssued: 200, liabilityPoints: 4_760 });
      });

      it('region 北京 and store 钟楼', async () => {
        const bj = ok<{ analyticsKpis: { current: Record<string, unknown> } }>(await as(beijingManager)(KPIS, { from: FROM, to: TO, regionId: String(t.org.beijing) })).analyticsKpis;
        // Beijing's members: A, B, E, F (国贸) and C (三里屯); D is Xi'an's.
        expect(bj.current).toMatchObject({ newMembers: 1, activeMembers: 2, churnBase: 3, churned: 2, visits: 3, spendFen: 43_000, pointsIssued: 430, liabilityPoints: 3_740, clubAttendees: 1, clubParticipationRate: 0.5 });
        const xa = ok<{ analyticsKpis: { current: Record<string, unknown>; previous: Record<string, unknown> } }>(
          await as(xianManager)(KPIS, { from: FROM, to: TO, storeId: String(t.org.zhonglou) }),
        ).analyticsKpis;
        expect(xa.current).toMatchObject({ newMembers: 0, activeMembers: 1, churnBase: 1, churned: 0, churnRate: 0, visits: 0, liabilityPoints: 80 });
        expect(xa.previous).toMatchObject({ newMembers: 1, referrals: 1, visits: 1, spendFen: 8_000, pointsIssued: 80 });
      });

      it('activeDays is a parameter: 30 days → only A and C are active at HQ', async () => {
        const r = ok<{ analyticsKpis: { activeDays: number; current: Record<string, unknown> } }>(await as(hq)(KPIS, { from: FROM, to: TO, activeDays: 30 })).analyticsKpis;
        expect(r.activeDays).toBe(30);
        // Active: a visit in [d30, NOW): A (d20, d5), C (d10). Churn base: a visit in [d58, d28): A (d50), D (d35); neither in [d30, NOW)? A did.
        expect(r.current).toMatchObject({ activeMembers: 2, churnBase: 2, churned: 1, churnRate: 0.5 });
      });
    });

    describe('customer inventory', () => {
      it('HQ: stage counts at the end of each February week, and the trend', async () => {
        const r = ok<{ customerInventory: { weeks: { at: string; counts: { stage: string; members: number }[] }[]; trend: unknown[] } }>(
          await as(hq)(INVENTORY, { from: FROM, to: TO }),
        ).customerInventory;
        const counts = (w: { counts: { stage: string; members: number }[] }) => Object.fromEntries(w.counts.map((c) => [c.stage, c.members]));
        expect(r.weeks.map((w) => w.at)).toEqual([day(21), day(14), day(7), NOW].map((d) => d.toISOString()));
        // d21: A DEVELOPING (5 visits in the year), B/E/F DECLINING (quiet; E idle 179 days, not yet lost), D NEW; C not yet joined.
        expect(counts(r.weeks[0]!)).toEqual({ NEW: 1, DEVELOPING: 1, MATURE: 0, DECLINING: 3, LOST: 0 });
        // d14: A MATURE (6 visits), C and D NEW, B and F DECLINING, E LOST (idle 186 days).
        expect(counts(r.weeks[1]!)).toEqual({ NEW: 2, DEVELOPING: 0, MATURE: 1, DECLINING: 2, LOST: 1 });
        expect(counts(r.weeks[2]!)).toEqual({ NEW: 2, DEVELOPING: 0, MATURE: 1, DECLINING: 2, LOST: 1 });
        expect(counts(r.weeks[3]!)).toEqual({ NEW: 2, DEVELOPING: 0, MATURE: 1, DECLINING: 2, LOST: 1 });
        expect(r.trend).toEqual([
          { stage: 'NEW', first: 1, last: 2, change: 1 },
          { stage: 'DEVELOPING', first: 1, last: 0, change: -1 },
          { stage: 'MATURE', first: 0, last: 1, change: 1 },
          { stage: 'DECLINING', first: 3, last: 2, change: -1 },
          { stage: 'LOST', first: 0, last: 1, change: 1 },
        ]);
      });

      it("store 国贸: only its members (A, B, E, F)", async () => {
        const r = ok<{ customerInventory: { weeks: { counts: { stage: string; members: number }[] }[] } }>(
          await as(guomaoManager)(INVENTORY, { from: day(7).toISOString(), to: TO, storeId: String(t.org.guomao) }),
        ).customerInventory;
        expect(r.weeks).toHaveLength(1);
        expect(Object.fromEntries(r.weeks[0]!.counts.map((c) => [c.stage, c.members]))).toEqual({ NEW: 0, DEVELOPING: 0, MATURE: 1, DECLINING: 2, LOST: 1 });
      });
    });

    describe('declining members', () => {
      it("lists B (seed 000's gym card) and F with their reasons, paginated, without phone or location", async () => {
        const first = ok<{ decliningMembers: { total: number; pageInfo: { hasNextPage: boolean; endCursor: string }; items: Record<string, unknown>[] } }>(await as(hq)(DECLINING, { first: 1 })).decliningMembers;
        expect(first.total).toBe(2);
        expect(first.pageInfo.hasNextPage).toBe(true);
        expect(first.items).toEqual([
          {
            memberId: String(f.B.memberId), memberNo: f.B.memberNo, tierName: '普通', joinedAt: day(130).toISOString(), lastPurchaseAt: day(110).toISOString(),
            visitsRecent: 0, visitsPrevious: 2, spendRecentFen: 0, spendPreviousFen: 402_000,
            reasons: ['QUIET', 'VISITS_DROP', 'SPEND_DROP'],
            reason: '已 110 天未消费；近 90 天到店 0 次（此前 90 天 2 次）；近 90 天消费 ¥0.00（此前 ¥4020.00）',
          },
        ]);
        const next = ok<{ decliningMembers: { pageInfo: { hasNextPage: boolean }; items: Record<string, unknown>[] } }>(await as(hq)(DECLINING, { first: 1, after: first.pageInfo.endCursor })).decliningMembers;
        expect(next.pageInfo.hasNextPage).toBe(false);
        // F: last visit d100; the d15 refund lowers recent spend but a one-visit baseline is too thin for a drop.
        expect(next.items).toMatchObject([{ memberId: String(f.F.memberId), reasons: ['QUIET'], reason: '已 100 天未消费', spendRecentFen: -2_000, visitsPrevious: 1 }]);
        const xa = ok<{ decliningMembers: { total: number } }>(await as(xianManager)(DECLINING, { first: 10, regionId: String(t.org.xian) })).decliningMembers;
        expect(xa.total).toBe(0);
      });

      it('is a campaign segment: the members in a stage, by id', async () => {
        const members = t.app.services.analyticsMembers;
        expect(await members.membersInStage({ target: { kind: 'HQ' }, storeIds: null }, 'DECLINING', NOW)).toEqual([f.B.memberId, f.F.memberId]);
        expect(await members.membersInStage({ target: { kind: 'HQ' }, storeIds: null }, 'NEW', NOW)).toEqual([f.C.memberId, f.D.memberId]);
        expect(await members.membersInStage({ target: { kind: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian }, storeIds: [t.org.zhonglou] }, 'NEW', NOW)).toEqual([f.D.memberId]);
      });
    });

    describe('RFM', () => {
      it('HQ over the last 365 days: quintile scores, the 5 × 5 grid and the top-20 % spend share', async () => {
        const r = ok<{ rfmReport: { scoredMembers: number; spendFen: number; topSpendShare: number; cells: { r: number; f: number; members: number; spendFen: number }[] } }>(
          await as(hq)(RFM, { from: day(365).toISOString(), to: TO }),
        ).rfmReport;
        // n = 6. R by last visit E d200 < B d110 < F d100 < D d35 < C d10 < A d5 → 1 + ⌊5·(0…5)/6⌋ = 1, 1, 2, 3, 4, 5.
        // F by visits C = D = E = F = 1 (below 0 → 1), B 2 (below 4 → 4), A 7 (below 5 → 5).
        expect(r.scoredMembers).toBe(6);
        expect(r.spendFen).toBe(569_000); // A 100,000 + B 402,000 + C 5,000 + D 8,000 + E 50,000 + F 4,000
        const nonEmpty = r.cells.filter((c) => c.members > 0);
        expect(nonEmpty).toEqual([
          { r: 1, f: 1, members: 1, spendFen: 50_000 }, // E
          { r: 1, f: 4, members: 1, spendFen: 402_000 }, // B
          { r: 2, f: 1, members: 1, spendFen: 4_000 }, // F
          { r: 3, f: 1, members: 1, spendFen: 8_000 }, // D
          { r: 4, f: 1, members: 1, spendFen: 5_000 }, // C
          { r: 5, f: 5, members: 1, spendFen: 100_000 }, // A
        ]);
        expect(r.cells).toHaveLength(25);
        // Top 20 % of 6 = ⌈1.2⌉ = 2 members: B + A = 502,000 of 569,000.
        expect(r.topSpendShare).toBeCloseTo(502_000 / 569_000, 9);
        expect(r.topSpendShare).toBeCloseTo(0.88225, 5);
      });

      it('store 国贸: scored among its members A, B, E, F only', async () => {
        const r = ok<{ rfmReport: { scoredMembers: number; topSpendShare: number; cells: { r: number; f: number; members: number; spendFen: number }[] } }>(
          await as(guomaoManager)(RFM, { from: day(365).toISOString(), to: TO, storeId: String(t.org.guomao) }),
        ).rfmReport;
        // n = 4. R: E 1, B 1 + ⌊5/4⌋ = 2, F 1 + ⌊10/4⌋ = 3, A 1 + ⌊15/4⌋ = 4. F: E, F 1; B 1 + ⌊10/4⌋ = 3; A 1 + ⌊15/4⌋ = 4.
        expect(r.scoredMembers).toBe(4);
        expect(r.cells.filter((c) => c.members > 0)).toEqual([
          { r: 1, f: 1, members: 1, spendFen: 50_000 },
          { r: 2, f: 3, members: 1, spendFen: 402_000 },
          { r: 3, f: 1, members: 1, spendFen: 4_000 },
          { r: 4, f: 4, members: 1, spendFen: 100_000 },
        ]);
        expect(r.topSpendShare).toBeCloseTo(402_000 / 556_000, 9); // ⌈0.8⌉ = 1 member: B
      });
    });

    describe('trade-area radar', () => {
      it('国贸 in February: A N of the store within 5 km, B W 5–10 km, E SE 10–20 km; F has no location', async () => {
        const r = ok<{ tradeAreaRadar: { located: number; unlocated: number; sectors: Record<string, unknown>[] } }>(
          await as(guomaoManager)(RADAR, { storeId: String(t.org.guomao), from: FROM, to: TO }),
        ).tradeAreaRadar;
        expect(r.sectors).toHaveLength(32);
        expect(r.located).toBe(3);
        expect(r.unlocated).toBe(1);
        const filled = r.sectors.filter((s) => (s.members as number) > 0);
        const slim = (s: Record<string, unknown>) => ({
          ring: s.ring, direction: s.direction, members: s.members, spendFen: s.spendFen, points: s.points,
          byGender: (s.byGender as { gender: string; members: number }[]).filter((g) => g.members > 0),
          byAgeBand: (s.byAgeBand as { ageBand: string | null; members: number }[]).filter((a) => a.members > 0),
        });
        expect(filled.map(slim)).toEqual([
          // A at 39.95/116.46 (coarsened from 39.9512/116.4598): 0.0412° north = 0.0412 × 111.195 = 4.58 km; spend at 国贸 in
          // February 30,000 + 10,000; balance 450; born 1990-05-10 → 35 on 2026-03-01.
          { ring: 'KM_0_5', direction: 'N', members: 1, spendFen: 40_000, points: 450, byGender: [{ gender: 'FEMALE', members: 1, spendFen: 40_000, points: 450 }], byAgeBand: [{ ageBand: 'AGE_35_44', members: 1, spendFen: 40_000, points: 450 }] },
          // B at 39.90/116.40: 0.06° west × 111.195 × cos 39.90° = 5.12 km, 0.0088° south = 0.98 km → 5.21 km at 259° (W);
          // home store only (no February visit), balance 3,000; born 2000-03-02 → 25.
          { ring: 'KM_5_10', direction: 'W', members: 1, spendFen: 0, points: 3_000, byGender: [{ gender: 'MALE', members: 1, spendFen: 0, points: 3_000 }], byAgeBand: [{ ageBand: 'AGE_25_34', members: 1, spendFen: 0, points: 3_000 }] },
          // E at 39.80/116.60: 0.1088° south = 12.10 km, 0.14° east × 111.195 × cos 39.85° = 11.95 km → 17.0 km at 135° (SE);
          // balance 200; no gender or birthday given.
          { ring: 'KM_10_20', direction: 'SE', members: 1, spendFen: 0, points: 200, byGender: [{ gender: 'UNKNOWN', members: 1, spendFen: 0, points: 200 }], byAgeBand: [{ ageBand: null, members: 1, spendFen: 0, points: 200 }] },
        ]);
        expect(JSON.stringify(r)).not.toMatch(/39\.9|116\.4|memberId|phone/); // aggregates only
      });

      it('a store without coordinates is refused; so is a store the manager does not cover', async () => {
        expect(code(await as(hq)(RADAR, { storeId: String(t.org.sanlitun), from: FROM, to: TO }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await as(xianManager)(RADAR, { storeId: String(t.org.guomao), from: FROM, to: TO }))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await as(guomaoManager)(RADAR, { storeId: String(t.org.sanlitun), from: FROM, to: TO }))).toBe(ErrorCode.FORBIDDEN);
      });
    });

    describe('scope', () => {
      it("a store manager sees only their store; another region's manager and members are FORBIDDEN; signed out is UNAUTHENTICATED", async () => {
        const kpis = (p: Persona | null, v: Record<string, unknown>) => t.gql(KPIS, { from: FROM, to: TO, ...v }, p?.token ?? null) as Promise<Gql>;
        const G = String(t.org.guomao);
        expect(code(await kpis(guomaoManager, { storeId: G }))).toBeUndefined();
        expect(code(await kpis(guomaoManager, { storeId: String(t.org.sanlitun) }))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await kpis(guomaoManager, { regionId: String(t.org.beijing) }))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await kpis(guomaoManager, {}))).toBe(ErrorCode.FORBIDDEN); // HQ
        expect(code(await kpis(beijingManager, { storeId: G }))).toBeUndefined();
        expect(code(await kpis(xianManager, { storeId: G }))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await kpis(xianManager, { regionId: String(t.org.beijing) }))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await kpis(f.A, {}))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await kpis(null, {}))).toBe(ErrorCode.UNAUTHENTICATED);
        for (const [query, vars] of [[INVENTORY, { from: FROM, to: TO }], [DECLINING, { first: 5 }], [RFM, { from: FROM, to: TO }]] as const) {
          expect(code((await t.gql(query, { ...vars, regionId: String(t.org.beijing) }, xianManager.token)) as Gql)).toBe(ErrorCode.FORBIDDEN);
          expect(code((await t.gql(query, { ...vars, storeId: G }, guomaoManager.token)) as Gql)).toBeUndefined();
        }
      });
    });

    describe('bad input', () => {
      it('a backwards range, one over 3 years, an unknown store, a store and a region at once, a bad activeDays or page size', async () => {
        const kpis = (v: Record<string, unknown>) => as(hq)(KPIS, { from: FROM, to: TO, ...v });
        const backwards = await kpis({ from: TO, to: FROM });
        expect(code(backwards)).toBe(ErrorCode.BAD_USER_INPUT);
        expect(backwards.errors?.[0]?.extensions?.field).toBe('to');
        expect(code(await kpis({ from: TO, to: TO }))).toBe(ErrorCode.BAD_USER_INPUT);
        const tooLong = await kpis({ from: day(3 * 366 + 1).toISOString() });
        expect(code(tooLong)).toBe(ErrorCode.BAD_USER_INPUT);
        expect(tooLong.errors?.[0]?.extensions?.field).toBe('from');
        expect(code(await kpis({ from: day(3 * 366).toISOString() }))).toBeUndefined(); // exactly the limit
        expect(code(await kpis({ storeId: '999999' }))).toBe(ErrorCode.NOT_FOUND);
        expect(code(await kpis({ regionId: '999999' }))).toBe(ErrorCode.NOT_FOUND);
        expect(code(await kpis({ storeId: 'x' }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await kpis({ storeId: String(t.org.guomao), regionId: String(t.org.beijing) }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await kpis({ activeDays: 3 }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await as(hq)(INVENTORY, { from: TO, to: FROM }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await as(hq)(RFM, { from: day(2000).toISOString(), to: TO }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await as(hq)(RADAR, { storeId: '999999', from: FROM, to: TO }))).toBe(ErrorCode.NOT_FOUND);
        expect(code(await as(hq)(DECLINING, { first: 0 }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(code(await as(hq)(DECLINING, { first: 5, after: 'bm90LWEtY3Vyc29y' }))).toBe(ErrorCode.BAD_USER_INPUT);
      });
    });

    describe('member profile', () => {
      const q = () => t.app.services.db.q;
      const row = async (memberId: number) => q().get<Record<string, unknown>>('SELECT gender, birthday, home_store_id, lat, lng, location_consent, location_consent_at FROM member_profile WHERE member_id = ?', [memberId]);

      it('stores a consented location coarsened, with the consent time; the member reads it back', async () => {
        const r = await t.gql('{ myProfile { gender birthday ageBand homeStore { id } location { lat lng } locationConsent locationConsentAt } }', {}, f.A.token);
        expect(ok<{ myProfile: unknown }>(r as Gql).myProfile).toEqual({
          gender: 'FEMALE', birthday: '1990-05-10', ageBand: 'AGE_35_44', homeStore: { id: String(t.org.guomao) }, location: { lat: 39.95, lng: 116.46 }, locationConsent: true, locationConsentAt: NOW.toISOString(),
        });
        expect(Number((await row(f.A.memberId))?.lat)).toBe(39.95);
      });

      it('refuses a location without consent, a bad birthday or gender, an unknown store — and changes nothing', async () => {
        const before = await row(f.C.memberId);
        const bad: [Record<string, unknown>, string][] = [
          [{ location: { lat: 39.9, lng: 116.4, consent: false } }, ErrorCode.BAD_USER_INPUT],
          [{ birthday: '1990-02-30' }, ErrorCode.BAD_USER_INPUT],
          [{ birthday: '2026-03-02' }, ErrorCode.BAD_USER_INPUT], // after NOW
          [{ birthday: '1890-01-01' }, ErrorCode.BAD_USER_INPUT],
          [{ gender: 'OTHER' }, ErrorCode.BAD_USER_INPUT],
          [{ homeStoreId: '999999' }, ErrorCode.NOT_FOUND],
          [{ location: { lat: 91, lng: 0, consent: true } }, ErrorCode.BAD_USER_INPUT],
        ];
        for (const [input, expected] of bad) expect([input, code((await t.gql(PROFILE, { input }, f.C.token)) as Gql)]).toEqual([input, expected]);
        expect(await row(f.C.memberId)).toEqual(before);
        expect(code((await t.gql(PROFILE, { input: { gender: 'MALE' } }, null)) as Gql)).toBe(ErrorCode.UNAUTHENTICATED);
      });

      it('concurrent first changes by one member make one row, none fails', async () => {
        const m = await t.signIn(`${dialect}-profile-race`);
        await t.app.services.db.q.run('UPDATE member SET created_at = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(NOW.getTime() + 86_400_000)), m.memberId]);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gql(PROFILE, { input: { gender: i % 2 ? 'MALE' : 'FEMALE', birthday: `1990-01-${String(i + 10)}` } }, m.token) as Promise<Gql>));
        expect(results.map(code)).toEqual(Array(10).fill(undefined));
        const rows = await q().all<Record<string, unknown>>('SELECT gender, birthday FROM member_profile WHERE member_id = ?', [m.memberId]);
        expect(rows).toHaveLength(1);
        // Each change is one UPDATE: the row holds one request's gender and birthday together, never a mix.
        const i = Number(String(rows[0]!.birthday).slice(-2)) - 10;
        expect(rows[0]!.gender).toBe(i % 2 ? 'MALE' : 'FEMALE');
      });

      it('withdrawing consent deletes the location; null clears a field; omitted fields are kept', async () => {
        const d = await t.signIn(`${dialect}-profile`);
        await t.app.services.db.q.run('UPDATE member SET created_at = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(NOW.getTime() + 86_400_000)), d.memberId]);
        ok(await t.gql(PROFILE, { input: { gender: 'MALE', birthday: '1980-01-01', location: { lat: 31.23041, lng: 121.47369, consent: true } } }, d.token) as Gql);
        expect(await row(d.memberId)).toMatchObject({ gender: 'MALE', birthday: '1980-01-01' });
        const r = ok<{ updateMyProfile: Record<string, unknown> }>(await t.gql(PROFILE, { input: { location: null, birthday: null } }, d.token) as Gql).updateMyProfile;
        expect(r).toEqual({ gender: 'MALE', birthday: null, ageBand: null, homeStore: null, location: null, locationConsent: false, locationConsentAt: null });
        const stored = await row(d.memberId);
        expect([stored?.lat, stored?.lng, stored?.location_consent_at, stored?.birthday]).toEqual([null, null, null, null]);
      });
    });
    describe('analytics settings (programme-wide, HQ)', () => {
      const SETTINGS = '{ analyticsSettings { activeDays pointValueFenPer100 lifecycle { newDays lostAfterDays quietDays windowDays dropRatio minBaselineVisits matureMinDays matureMinVisits } } }';
      const UPDATE = 'mutation($input: AnalyticsSettingsInput!) { updateAnalyticsSettings(input: $input) { activeDays pointValueFenPer100 lifecycle { quietDays } } }';
      const DEFAULTS = { activeDays: 90, pointValueFenPer100: 100, lifecycle: { newDays: 90, lostAfterDays: 180, quietDays: 60, windowDays: 90, dropRatio: 0.5, minBaselineVisits: 2, matureMinDays: 180, matureMinVisits: 6 } };

      it('managers read the defaults; only HQ changes them; incoherent thresholds change nothing; a change reaches the figures', async () => {
        expect(ok<{ analyticsSettings: unknown }>(await as(guomaoManager)(SETTINGS)).analyticsSettings).toEqual(DEFAULTS);
        expect(code(await as(f.A)(SETTINGS))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await as(guomaoManager)(UPDATE, { input: { activeDays: 30 } }))).toBe(ErrorCode.FORBIDDEN);
        expect(code(await as(beijingManager)(UPDATE, { input: { activeDays: 30 } }))).toBe(ErrorCode.FORBIDDEN);
        const incoherent = await as(hq)(UPDATE, { input: { lifecycle: { quietDays: 200 } } }); // quiet must stay below lost (180)
        expect(code(incoherent)).toBe(ErrorCode.BAD_USER_INPUT);
        expect(incoherent.errors?.[0]?.extensions?.field).toBe('lifecycle');
        expect(code(await as(hq)(UPDATE, { input: { activeDays: 3 } }))).toBe(ErrorCode.BAD_USER_INPUT);
        expect(ok<{ analyticsSettings: unknown }>(await as(hq)(SETTINGS)).analyticsSettings).toEqual(DEFAULTS);

        expect(ok<{ updateAnalyticsSettings: unknown }>(await as(hq)(UPDATE, { input: { pointValueFenPer100: 50, lifecycle: { quietDays: 120 } } })).updateAnalyticsSettings).toEqual({
          activeDays: 90, pointValueFenPer100: 50, lifecycle: { quietDays: 120 },
        });
        // Liability 3,820 points × 50 fen per 100 = 1,910 fen.
        expect(ok<{ analyticsKpis: { current: { liabilityFen: number } } }>(await as(hq)(KPIS, { from: FROM, to: TO })).analyticsKpis.current.liabilityFen).toBe(1_910);
        // Quiet now means over 120 days: F (100 days, a one-visit baseline) is no longer declining; B still is, by its drops.
        const d = ok<{ decliningMembers: { total: number; items: { memberId: string; reasons: string[] }[] } }>(await as(hq)(DECLINING, { first: 10 })).decliningMembers;
        expect(d.total).toBe(1);
        expect(d.items).toMatchObject([{ memberId: String(f.B.memberId), reasons: ['VISITS_DROP', 'SPEND_DROP'] }]);
        const audit = await t.app.services.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'updateAnalyticsSettings'");
        expect(Number(audit?.n)).toBe(1);

        ok(await as(hq)(UPDATE, { input: { pointValueFenPer100: 100, lifecycle: { quietDays: 60 } } }));
        expect(ok<{ analyticsSettings: unknown }>(await as(hq)(SETTINGS)).analyticsSettings).toEqual(DEFAULTS);
      });
    });
    // Last in the suite: it adds rows (far before every other range) that no later test should see.
    describe('chain-scale sums', () => {
      it('a spend over 2^31 fen (¥21.4 M) is answered exactly, not refused as a 32-bit Int', async () => {
        const q = t.app.services.db.q;
        for (const k of ['a', 'b']) {
          await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [
            f.A.memberId, t.org.guomao, 1_500_000_000, JSON.stringify([{ category: 'general', amountFen: 1_500_000_000 }]), `${dialect}-chain-${k}`, 'fixture', q.ts(day(895)),
          ]);
        }
        const r = ok<{ analyticsKpis: { current: { spendFen: number; visits: number; avgSpendPerVisitFen: number } } }>(
          await as(hq)(KPIS, { from: day(900).toISOString(), to: day(890).toISOString() }),
        ).analyticsKpis.current;
        expect(r).toMatchObject({ visits: 2, spendFen: 3_000_000_000, avgSpendPerVisitFen: 1_500_000_000 }); // 2 × 1.5 billion fen
      });
    });
  });
}
