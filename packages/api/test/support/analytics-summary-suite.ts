/**
 * The per-day analytics summary (analytics-summary.ts) on the hand-built analytics fixture: after the job's run each
 * day's row equals the same figures bucketed by Shanghai day from the raw rows here (in JS, not the job's SQL); the
 * HQ KPIs read through the summary equal the live ones before it ran, for ranges with partial days at both edges
 * and past the watermark; a mixed workload after the watermark (a purchase, a refund, earn, redeem, expiry, a
 * clawback) moves the KPIs by exactly the hand-computed amounts, before and after the next run; and two runs at
 * once write each day once. The same for the first-visit summary (visit-summary.ts): its rows equal a table written
 * here by hand from the fixture, the distinct-member KPIs read through it equal the hand-computed ones, and a late
 * visit moves them by hand.
 */
import { SHANGHAI_OFFSET_MS } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { RFM_WINDOW_DAYS, shanghaiDay, shanghaiFloor } from '@quanzi/shared';
import { toDate, toInt } from '../../src/db/sql';
import { buildAnalyticsFixture, DAY, day, NOW, type Fixture, type Persona } from './analytics-fixture';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';

const KPIS = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID, $regionId: ID) { analyticsKpis(from: $from, to: $to, storeId: $storeId, regionId: $regionId) {
  current { newMembers referrals visits visitors spendFen pointsIssued pointsRedeemed pointsExpired liabilityPoints activeMembers churnBase churned ownRedemptions partnerRedemptions }
  previous { newMembers referrals visits visitors spendFen pointsIssued pointsRedeemed pointsExpired liabilityPoints activeMembers churnBase churned ownRedemptions partnerRedemptions } } }`;

const RFM = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { rfmReport(from: $from, to: $to, storeId: $storeId) { scoredMembers spendFen topSpendShare cells { r f members spendFen } } }`;
const RFM_SOURCE = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { rfmReport(from: $from, to: $to, storeId: $storeId) { scoredMembers spendFen topSpendShare source cells { r f members spendFen } } }`;
type Figures = Record<'visits' | 'spendFen' | 'pointsIssued' | 'pointsRedeemed' | 'pointsExpired' | 'liabilityPoints' | 'visitors' | 'activeMembers' | 'churnBase' | 'churned' | 'ownRedemptions' | 'partnerRedemptions', number>;
type Kpis = { current: Figures; previous: Figures };
const shDay = (d: Date): string => new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

export function analyticsSummarySuite(dialect: TestDialect): void {
  describe(`analytics summary (${dialect})`, () => {
    let t: TestApp;
    let hq: Persona;
    let people: Fixture;
    const kpis = async (from: Date, to: Date, scope: { storeId?: number; regionId?: number } = {}): Promise<Kpis> => {
      const vars = { from: from.toISOString(), to: to.toISOString(), storeId: scope.storeId == null ? null : String(scope.storeId), regionId: scope.regionId == null ? null : String(scope.regionId) };
      const r = await t.gql<{ analyticsKpis: Kpis }>(KPIS, vars, hq.token);
      if (r.errors?.length || !r.data) throw new Error(JSON.stringify(r.errors));
      return r.data.analyticsKpis;
    };
    // Ranges with edges inside Shanghai days (the fixture's rows are at 08:00 Shanghai), one ending past the watermark.
    const ranges: [Date, Date][] = [
      [day(28), NOW],
      [day(400), NOW],
      [new Date(day(30).getTime() + 3_600_000), new Date(day(2).getTime() + 7 * 3_600_000)],
      [day(10), new Date(NOW.getTime() + 2 * DAY)],
      [new Date(shanghaiFloor(day(50).getTime())), NOW], // from the midnight of a visit day: A's next visit has its previous one on the first day
    ];

    beforeAll(async () => {
      t = await startTestApp(dialect);
      people = await buildAnalyticsFixture(t, `${dialect}-sum`);
      hq = await t.signIn(`${dialect}-sum-hq`);
      await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
      await t.app.services.db.q.run('UPDATE member SET created_at = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(NOW.getTime() + DAY)), hq.memberId]);
    }, 180_000); // a fresh database's migrations and the fixture, on a shared 2-core machine
    afterAll(async () => {
      clock.reset();
      await t?.close();
    });

    it('each summarised day equals the raw rows bucketed by Shanghai day; the KPIs through the summary equal the live ones', async () => {
      const q = t.app.services.db.q;
      const live = [];
      for (const [from, to] of ranges) live.push(await kpis(from, to));
      // A store's and a region's KPIs before any summary exists (live rows; hand-checked in analytics-suite.ts).
      const { guomao: G, sanlitun: S, beijing: BJ } = t.org;
      const scopes = [{ storeId: G }, { storeId: S }, { regionId: BJ }];
      const scopedLive = [];
      for (const scope of scopes) for (const [from, to] of ranges) scopedLive.push(await kpis(from, to, scope));
      const rfm = async (storeId: number) => {
        const x = await t.gql<{ rfmReport: unknown }>(RFM, { from: day(365).toISOString(), to: NOW.toISOString(), storeId: String(storeId) }, hq.token);
        if (x.errors?.length || !x.data) throw new Error(JSON.stringify(x.errors));
        return x.data.rfmReport;
      };
      const rfmLive = [await rfm(G), await rfm(S)];
      expect(await t.app.services.analyticsSummary.watermark()).toBeNull();

      const r = await t.app.services.analyticsSummary.refresh(NOW);
      const v = await t.app.services.visitSummary.refresh(NOW);
      expect(v.until).toEqual(r.until);
      expect(v.days).toBeGreaterThanOrEqual(200); // from the day of the first purchase (E's, day 200)
      // The last settled Shanghai midnight before NOW (2026-03-01T00:00Z is 08:00 in Shanghai).
      expect(r.until?.toISOString()).toBe('2026-02-28T16:00:00.000Z');
      expect(r.days).toBeGreaterThanOrEqual(400); // from the Shanghai day member A joined (day 400)

      const want = new Map<string, Record<string, number>>();
      const b = (d: Date) => {
        const k = shDay(d);
        if (!want.has(k)) want.set(k, { visits: 0, spend_fen: 0, points_issued: 0, points_redeemed: 0, points_expired: 0, points_net: 0, new_members: 0, referrals: 0 });
        return want.get(k) as Record<string, number>;
      };
      const until = (r.until as Date).getTime();
      for (const p of await q.all<Record<string, unknown>>('SELECT amount_fen, created_at FROM purchase')) {
        const at = toDate(p.created_at);
        if (at.getTime() >= until) continue;
        const x = b(at);
        const fen = toInt(p.amount_fen);
        if (fen > 0) x.visits = (x.visits as number) + 1;
        x.spend_fen = (x.spend_fen as number) + fen;
      }
      for (const e of await q.all<Record<string, unknown>>('SELECT kind, delta, created_at FROM points_entry')) {
        const at = toDate(e.created_at);
        if (at.getTime() >= until) continue;
        const x = b(at);
        const d = toInt(e.delta);
        if (e.kind === 'EARN' || (e.kind === 'REVERSAL' && d < 0)) x.points_issued = (x.points_issued as number) + d;
        if (e.kind === 'REDEEM' || (e.kind === 'REVERSAL' && d > 0)) x.points_redeemed = (x.points_redeemed as number) - d;
        if (e.kind === 'EXPIRE') x.points_expired = (x.points_expired as number) - d;
        x.points_net = (x.points_net as number) + d;
      }
      for (const m of await q.all<Record<string, unknown>>('SELECT m.created_at, u.registration_source FROM member m JOIN app_user u ON u.id = m.user_id')) {
        const at = toDate(m.created_at);
        if (at.getTime() >= until) continue;
        const x = b(at);
        x.new_members = (x.new_members as number) + 1;
        if (m.registration_source === 'REFERRAL') x.referrals = (x.referrals as number) + 1;
      }
      const rows = await q.all<Record<string, unknown>>('SELECT * FROM analytics_day ORDER BY day');
      const got = new Map(rows.map((x) => [String(x.day), Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'day').map(([k, v]) => [k, toInt(v)]))]));
      expect(got).toEqual(want);
      expect(want.size).toBeGreaterThan(5);

      // The first visits by hand from the fixture's table (a refund is not a visit): [day, previous visit's day, visits].
      const d = (n: number): number => shanghaiDay(day(n));
      const firsts = [
        [d(200), 0, 1], // E
        [d(150), 0, 1], // A
        [d(120), 0, 1], // B, the gym card
        [d(120), d(150), 1], // A
        [d(110), d(120), 1], // B
        [d(100), 0, 1], // F
        [d(100), d(120), 1], // A
        [d(80), d(100), 1], // A
        [d(50), d(80), 1], // A
        [d(35), 0, 1], // D
        [d(20), d(50), 1], // A
        [d(10), 0, 1], // C
        [d(5), d(20), 1], // A
      ];
      const visitRows = await q.all<Record<string, unknown>>('SELECT day, prev_day, visits FROM analytics_visit_day ORDER BY day, prev_day');
      expect(visitRows.map((x) => [toInt(x.day), toInt(x.prev_day), toInt(x.visits)])).toEqual(firsts);

      for (const [i, [from, to]] of ranges.entries()) expect(await kpis(from, to)).toEqual(live[i]);

      // Each store's day equals the raw rows that carry the store, bucketed by store and Shanghai day (here, in JS).
      const s = await t.app.services.storeDaySummary.refresh(NOW);
      expect(s.until).toEqual(r.until);
      const byStore = new Map<string, number[]>(); // visits, spend, issued, redeemed, expired
      const cell = (store: unknown, at: Date): number[] => {
        const k = `${toInt(store)}|${shDay(at)}`;
        if (!byStore.has(k)) byStore.set(k, [0, 0, 0, 0, 0]);
        return byStore.get(k) as number[];
      };
      for (const p of await q.all<Record<string, unknown>>('SELECT store_id, amount_fen, created_at FROM purchase')) {
        const at = toDate(p.created_at);
        if (at.getTime() >= until) continue;
        const c = cell(p.store_id, at);
        const fen = toInt(p.amount_fen);
        if (fen > 0) c[0] = (c[0] as number) + 1;
        c[1] = (c[1] as number) + fen;
      }
      for (const e of await q.all<Record<string, unknown>>('SELECT store_id, kind, delta, created_at FROM points_entry WHERE store_id IS NOT NULL')) {
        const at = toDate(e.created_at);
        if (at.getTime() >= until) continue;
        const c = cell(e.store_id, at);
        const d = toInt(e.delta);
        if (e.kind === 'EARN' || (e.kind === 'REVERSAL' && d < 0)) c[2] = (c[2] as number) + d;
        if (e.kind === 'REDEEM' || (e.kind === 'REVERSAL' && d > 0)) c[3] = (c[3] as number) - d;
        if (e.kind === 'EXPIRE') c[4] = (c[4] as number) - d;
      }
      const storeRows = await q.all<Record<string, unknown>>('SELECT * FROM analytics_store_day');
      expect(new Map(storeRows.map((x) => [`${toInt(x.store_id)}|${String(x.day)}`, [x.visits, x.spend_fen, x.points_issued, x.points_redeemed, x.points_expired].map(toInt)]))).toEqual(byStore);
      expect(byStore.size).toBe(13); // one row per (store, day) with a purchase or a store's entry in the fixture

      // With every summary up to date (and the lifecycle summary's stores), the scoped KPIs equal the live ones.
      const lc = await t.app.services.lifecycleSummary.refresh(NOW);
      expect(lc.until).not.toBeNull();
      expect(await t.app.services.lifecycleSummary.scopeMembers({ target: { kind: 'STORE', storeId: G, regionId: BJ }, storeIds: [G] })).not.toBeNull();
      let i = 0;
      for (const scope of scopes) for (const [from, to] of ranges) expect(await kpis(from, to, scope)).toEqual(scopedLive[i++]);
      expect([await rfm(G), await rfm(S)]).toEqual(rfmLive); // a store's RFM reads its members the same way
      // The distinct-member figures through the summary, by hand (activeDays 90), as in analytics-suite.ts.
      const k = await kpis(day(28), NOW);
      expect(k.current).toMatchObject({ visitors: 2, activeMembers: 3, churnBase: 4, churned: 2 }); // A, C; A, C, D; A, B, F, D; B, F
      expect(k.previous).toMatchObject({ visitors: 2, activeMembers: 4, churnBase: 3, churned: 0 }); // A, D; A, B, F, D; A, B, F
      expect((await kpis(...(ranges[4] as [Date, Date]))).current.visitors).toBe(3); // A (d50, d20, d5), D (d35), C (d10)
    });

    it("HQ's RFM windows: the job writes each day's snapshots once; a request for one reads it, equal to the live report and to the hand figures", async () => {
      const q = t.app.services.db.q;
      type Rfm = { scoredMembers: number; spendFen: number; topSpendShare: number | null; source: string; cells: { r: number; f: number; members: number; spendFen: number }[] };
      const rfmOf = async (from: Date, to: Date, storeId?: number): Promise<Rfm> => {
        const x = await t.gql<{ rfmReport: Rfm }>(RFM_SOURCE, { from: from.toISOString(), to: to.toISOString(), storeId: storeId == null ? null : String(storeId) }, hq.token);
        if (x.errors?.length || !x.data) throw new Error(JSON.stringify(x.errors));
        return x.data.rfmReport;
      };
      const snapshots = async () => toInt((await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM analytics_rfm_snapshot'))?.n);
      clock.set(NOW);
      try {
        // The windows end at the last Shanghai midnight settled at NOW (08:00 in Shanghai): 2026-03-01 00:00 +08:00.
        const W = new Date('2026-02-28T16:00:00.000Z');
        const windows = RFM_WINDOW_DAYS.map((n): [Date, Date] => [new Date(W.getTime() - n * DAY), W]);
        const live: Rfm[] = [];
        for (const [from, to] of windows) live.push(await rfmOf(from, to));
        expect(live.map((r) => r.source)).toEqual(['LIVE', 'LIVE', 'LIVE']);

        // Two runs at once: each window written once.
        const [a, b] = await Promise.all([t.app.services.rfmSnapshots.refresh(NOW), t.app.services.rfmSnapshots.refresh(NOW)]);
        expect(a.written + b.written).toBe(3);
        expect([a.until, b.until]).toEqual([W, W]);
        expect(await snapshots()).toBe(3);
        expect((await t.app.services.rfmSnapshots.refresh(NOW)).written).toBe(0);

        // Read from the snapshot: the same report as live.
        const read: Rfm[] = [];
        for (const [from, to] of windows) read.push(await rfmOf(from, to));
        expect(read.map((r) => r.source)).toEqual(['SNAPSHOT', 'SNAPSHOT', 'SNAPSHOT']);
        expect(read.map((r) => ({ ...r, source: 'LIVE' }))).toEqual(live);
        // The 365-day window by hand (the fixture's visits are at 08:00 Shanghai, none on the window's edge days):
        // n = 6; R by last visit E d200 < B d110 < F d100 < D d35 < C d10 < A d5 → 1, 1, 2, 3, 4, 5; F: C = D = E = F
        // = 1 visit → 1, B 2 → 4, A 7 → 5 (as in analytics-suite.ts); the top 2 (B + A) spend 502,000 of 569,000.
        const year = read[2] as Rfm;
        expect([year.scoredMembers, year.spendFen]).toEqual([6, 569_000]);
        expect(year.cells.filter((c) => c.members > 0)).toEqual([
          { r: 1, f: 1, members: 1, spendFen: 50_000 },
          { r: 1, f: 4, members: 1, spendFen: 402_000 },
          { r: 2, f: 1, members: 1, spendFen: 4_000 },
          { r: 3, f: 1, members: 1, spendFen: 8_000 },
          { r: 4, f: 1, members: 1, spendFen: 5_000 },
          { r: 5, f: 5, members: 1, spendFen: 100_000 },
        ]);
        expect(year.cells).toHaveLength(25);
        expect(year.topSpendShare).toBeCloseTo(502_000 / 569_000, 9);
        // Any other range, and a store's report of a window, are computed live.
        expect((await rfmOf(day(365), NOW)).source).toBe('LIVE');
        expect((await rfmOf(new Date(W.getTime() - 29 * DAY), W)).source).toBe('LIVE');
        expect((await rfmOf(...(windows[2] as [Date, Date]), t.org.guomao)).source).toBe('LIVE');

        // Eight days later: that day's windows written, the ones more than a week older deleted.
        const later = await t.app.services.rfmSnapshots.refresh(new Date(NOW.getTime() + 8 * DAY));
        expect(later).toEqual({ written: 3, until: new Date(W.getTime() + 8 * DAY) });
        expect(await snapshots()).toBe(3);
        expect((await rfmOf(...(windows[0] as [Date, Date]))).source).toBe('LIVE');
      } finally {
        clock.set(NOW); // the fixture's clock, which its tokens were signed on
      }
    });

    it("a home store moved after the watermarks moves the member's store-less points and balance between the stores, by hand", async () => {
      const { guomao: G, sanlitun: S } = t.org;
      const range: [Date, Date] = [day(28), new Date(NOW.getTime() + 3 * 3_600_000)];
      const [g0, s0] = [await kpis(...range, { storeId: G }), await kpis(...range, { storeId: S })];
      clock.set(new Date(NOW.getTime() + 3_600_000));
      const moved = await t.gql('mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { homeStore { id } } }', { input: { homeStoreId: String(S) } }, people.E.token);
      expect(moved.errors).toBeUndefined();
      // By hand (the fixture's E): in the period an expiry of 300 without a store, and a failed fuel card's −200 with
      // its +200 refund; a balance of 500 − 200 + 200 − 300 = 200 at the end, and 500 at d28 (the previous period's end).
      const shift = (k: Kpis, sign: number): Kpis => ({
        current: { ...k.current, pointsExpired: k.current.pointsExpired + sign * 300, liabilityPoints: k.current.liabilityPoints + sign * 200 },
        previous: { ...k.previous, liabilityPoints: k.previous.liabilityPoints + sign * 500 },
      });
      const check = async (): Promise<void> => {
        expect(await kpis(...range, { storeId: G })).toEqual(shift(g0, -1));
        expect(await kpis(...range, { storeId: S })).toEqual(shift(s0, +1));
      };
      await check(); // corrected for E, changed since the lifecycle summary's watermark
      const lc = await t.app.services.lifecycleSummary.refresh(new Date(NOW.getTime() + 2 * 3_600_000));
      expect(lc.members).toBeGreaterThanOrEqual(1); // E, and the fixture's members whose profiles were written at NOW
      await check(); // from E's new row
      clock.set(NOW);
    });

    it('a mixed workload after the watermark moves the HQ KPIs by the hand-computed amounts, before and after the next run', async () => {
      const q = t.app.services.db.q;
      const { guomao: G } = t.org;
      const range: [Date, Date] = [day(28), new Date(NOW.getTime() + 3 * 3_600_000)];
      const before = await kpis(...range);
      const beforeG = await kpis(...range, { storeId: G });
      const at = new Date(NOW.getTime() + 3_600_000); // 09:00 in Shanghai on 1 March, after the watermark
      clock.set(at);
      const memberId = (await q.get<{ id: unknown }>('SELECT MIN(id) AS id FROM member'))?.id;
      const buy = async (fen: number, key: string) =>
        q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [memberId, G, fen, '[]', `${dialect}-sum-${key}`, 'x', q.ts(at)]);
      await buy(12_300, 'buy');
      await buy(-2_300, 'refund');
      const entry = async (kind: string, delta: number, key: string) => {
        await q.run('INSERT INTO points_entry (member_id, delta, kind, reason, store_id, source_type, source_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [memberId, delta, kind, 'x', G, 'summary-test', `${dialect}-${key}`, q.ts(at)]);
        await q.run('UPDATE member_account SET balance = balance + ? WHERE id = ?', [delta, memberId]); // the ledger's invariant
      };
      await entry('EARN', 123, 'earn');
      await entry('REDEEM', -50, 'redeem');
      await entry('EXPIRE', -10, 'expire');
      await entry('REVERSAL', -23, 'clawback');
      await entry('REVERSAL', 20, 'refund-points');

      // By hand: 1 visit, ¥123 − ¥23 = ¥100; issued 123 − 23 = 100; redeemed 50 − 20 = 30; expired 10; outstanding +123 − 50 − 10 − 23 + 20 = +60.
      const expected = {
        ...before.current,
        visits: before.current.visits + 1,
        spendFen: before.current.spendFen + 10_000,
        pointsIssued: before.current.pointsIssued + 100,
        pointsRedeemed: before.current.pointsRedeemed + 30,
        pointsExpired: before.current.pointsExpired + 10,
        liabilityPoints: before.current.liabilityPoints + 60,
      };
      const after = await kpis(...range);
      expect(after.current).toEqual({ ...expected, visitors: after.current.visitors, activeMembers: after.current.activeMembers, churnBase: after.current.churnBase, churned: after.current.churned });
      expect(after.previous).toEqual(before.previous);
      // The same rows are at 国贸, A's home store: its figures move by the same amounts (read live past the store summary's watermark).
      const move = (k: Figures): Figures => ({ ...k, visits: k.visits + 1, spendFen: k.spendFen + 10_000, pointsIssued: k.pointsIssued + 100, pointsRedeemed: k.pointsRedeemed + 30, pointsExpired: k.pointsExpired + 10, liabilityPoints: k.liabilityPoints + 60 });
      const afterG = await kpis(...range, { storeId: G });
      expect(afterG).toEqual({ current: move(beforeG.current), previous: beforeG.previous });
      expect((await t.app.services.storeDaySummary.refresh(new Date(NOW.getTime() + 2 * DAY))).days).toBe(2);
      expect(await kpis(...range, { storeId: G })).toEqual(afterG);

      const r = await t.app.services.analyticsSummary.refresh(new Date(NOW.getTime() + 2 * DAY));
      expect(r.days).toBe(2);
      expect(toInt((await q.get<{ v: unknown }>('SELECT visits AS v FROM analytics_day WHERE day = ?', ['2026-03-01']))?.v)).toBe(1);
      expect(await kpis(...range)).toEqual(after);
    });

    it('a late visit by a lapsed member moves the distinct-member KPIs by hand, before and after the next run', async () => {
      const q = t.app.services.db.q;
      const { guomao: G, sanlitun: S } = t.org;
      const range: [Date, Date] = [day(28), new Date(NOW.getTime() + 3 * 3_600_000)];
      const before = await kpis(...range);
      const at = new Date(NOW.getTime() + 2 * 3_600_000); // 10:00 in Shanghai on 1 March, after the visit summary's watermark
      const b = await q.get<{ id: unknown }>("SELECT m.id FROM member m JOIN purchase p ON p.member_id = m.id WHERE p.amount_fen = 400000");
      const buy = async (store: number, fen: number, key: string) =>
        q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [b?.id, store, fen, '[]', `${dialect}-late-${key}`, 'x', q.ts(at)]);
      await buy(G, 5_000, 'one');
      await buy(S, 3_000, 'two'); // a second visit the same day, at another store
      // By hand: B (last visit d110) is a visitor and active again, so no longer churned; the base is unchanged.
      const after = await kpis(...range);
      expect(after.current).toEqual({
        ...before.current,
        visits: before.current.visits + 2,
        spendFen: before.current.spendFen + 8_000,
        visitors: before.current.visitors + 1,
        activeMembers: before.current.activeMembers + 1,
        churned: before.current.churned - 1,
      });
      expect(after.previous).toEqual(before.previous);

      // The next run looks B up (last visit d110) and A (d5, the purchase of the test above): one row each for 1 March.
      const r = await t.app.services.visitSummary.refresh(new Date(NOW.getTime() + 2 * DAY));
      expect(r.days).toBe(2);
      const march1 = shanghaiDay(at);
      const rows = await q.all<Record<string, unknown>>('SELECT prev_day, visits FROM analytics_visit_day WHERE day = ? ORDER BY prev_day', [march1]);
      expect(rows.map((x) => [toInt(x.prev_day), toInt(x.visits)])).toEqual([[shanghaiDay(day(110)), 1], [shanghaiDay(day(5)), 1]]);
      expect(await kpis(...range)).toEqual(after);
    });

    it('two runs at once write each day once', async () => {
      const s = t.app.services.analyticsSummary;
      const q = t.app.services.db.q;
      const count = async () => toInt((await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM analytics_day'))?.n);
      const n0 = await count();
      const later = new Date(NOW.getTime() + 9 * DAY);
      const [a, b2] = await Promise.all([s.refresh(later), s.refresh(later)]);
      expect(a.days + b2.days).toBe(7);
      expect((await s.watermark())?.toISOString()).toBe('2026-03-09T16:00:00.000Z');
      // Only days with rows get a row, and these seven days have none.
      expect(await count()).toBe(n0);
      expect(await s.refresh(later)).toEqual({ days: 0, until: new Date('2026-03-09T16:00:00.000Z') });

      const v = t.app.services.visitSummary;
      const visitRows = async () => toInt((await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM analytics_visit_day'))?.n);
      const v0 = await visitRows();
      const [va, vb] = await Promise.all([v.refresh(later), v.refresh(later)]);
      expect(va.days + vb.days).toBe(7);
      expect((await v.watermark())?.toISOString()).toBe('2026-03-09T16:00:00.000Z');
      expect(await visitRows()).toBe(v0);
    });
  });
}
