/**
 * The lifecycle summary (lifecycle-summary.ts): the customer inventory's stage counts read from per-member
 * timelines and per-midnight net rows equal classifying every member live from the raw purchases — for the chain, a
 * region and a store, at points over two years and into the coming days — on the hand-built analytics fixture plus
 * a seeded random population (refunds, members without a store, purchases at any time of day). A mixed workload after
 * the watermark (purchases, a refund, a new member, a home store moved) is counted exactly before the next run; the
 * next run recomputes exactly the changed members and leaves the same rows a rebuild from scratch writes; two runs at
 * once apply the changes once; new thresholds make reads classify live until the next run rebuilds.
 */
import { classifyLifecycle, prng } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toDate, toInt } from '../../src/db/sql';
import type { Scope } from '../../src/modules/analytics/analytics-scope';
import { buildAnalyticsFixture, DAY, NOW, type Fixture } from './analytics-fixture';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';

/** Midnight in Shanghai at the start of NOW's Shanghai day (NOW is 08:00 there). */
const MIDNIGHT = new Date(NOW.getTime() - 8 * 3_600_000);
const PROFILE = 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { homeStore { id } } }';
const SETTINGS = 'mutation($input: AnalyticsSettingsInput!) { updateAnalyticsSettings(input: $input) { lifecycle { quietDays } } }';

export function lifecycleSummarySuite(dialect: TestDialect): void {
  describe(`lifecycle summary (${dialect})`, () => {
    let t: TestApp;
    let fx: Fixture;
    let scopes: [string, Scope][];
    let hqToken: string;
    // Every third week back over two years, today's midnight, and two days ahead (changes already known to come).
    const points = [
      ...Array.from({ length: 36 }, (_, i) => new Date(MIDNIGHT.getTime() - (35 - i) * 21 * DAY)),
      new Date(MIDNIGHT.getTime() + DAY),
      new Date(MIDNIGHT.getTime() + 2 * DAY),
    ];
    const svc = () => t.app.services;
    const thresholds = async () => (await svc().analyticsSettings.get()).lifecycle;
    const live = async (scope: Scope) => (await svc().analyticsMembers.liveWeeks(scope, points, await thresholds())).map((w) => w.counts);
    const summary = async (scope: Scope) => svc().lifecycleSummary.countsAt(scope, points, await thresholds());
    // The retention list at instants inside days (not midnights), walked two members a page.
    const listInstants = () => [new Date(clock.now().getTime() + 3_600_000), new Date(MIDNIGHT.getTime() - 100 * DAY + 5 * 3_600_000), new Date(MIDNIGHT.getTime() + 1.5 * DAY)];
    const liveDeclining = async (scope: Scope, now: Date) => {
      const th = await thresholds();
      return (await svc().analyticsMembers.factsAt(scope, now, th)).filter((f) => classifyLifecycle(f, now, th).stage === 'DECLINING').map((f) => f.memberId);
    };
    const summaryDeclining = async (scope: Scope, now: Date) => {
      const ids: number[] = [];
      const totals = new Set<number>();
      for (let after = 0, more = true; more; ) {
        const page = await svc().lifecycleSummary.decliningAt(scope, now, await thresholds(), 2, after);
        if (!page) return null;
        ids.push(...page.ids);
        totals.add(page.total);
        more = page.hasNextPage;
        after = page.ids.at(-1) ?? 0;
      }
      return { ids, totals: [...totals] };
    };
    const expectEqualToLive = async (): Promise<void> => {
      for (const [name, scope] of scopes) {
        const s = await summary(scope);
        expect({ name, counts: s }).toEqual({ name, counts: await live(scope) });
        for (const now of listInstants()) {
          const want = await liveDeclining(scope, now);
          expect({ name, now, declining: await summaryDeclining(scope, now) }).toEqual({ name, now, declining: { ids: want, totals: [want.length] } });
        }
      }
    };
    const tables = async () => {
      const q = svc().db.q;
      return {
        net: (await q.all<Record<string, unknown>>('SELECT scope_key, upto, stage, net FROM lifecycle_net WHERE net <> 0 ORDER BY scope_key, upto, stage')).map((r) => [toInt(r.scope_key), toDate(r.upto).toISOString(), String(r.stage), toInt(r.net)]),
        members: (await q.all<Record<string, unknown>>('SELECT member_id, store_id, timeline FROM lifecycle_member ORDER BY member_id')).map((r) => [toInt(r.member_id), r.store_id == null ? null : toInt(r.store_id), String(r.timeline)]),
      };
    };
    const rebuildFromScratch = async (now: Date) => {
      await svc().db.q.run('DELETE FROM lifecycle_state');
      const r = await svc().lifecycleSummary.refresh(now);
      expect(r.rebuilt).toBe(true);
      return tables();
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      fx = await buildAnalyticsFixture(t, `${dialect}-lc`);
      const { guomao: G, sanlitun: S, zhonglou: Z, beijing } = t.org;
      scopes = [
        ['HQ', { target: { kind: 'HQ' }, storeIds: null }],
        ['北京', { target: { kind: 'REGION', regionId: beijing }, storeIds: [G, S] }],
        ['国贸', { target: { kind: 'STORE', storeId: G, regionId: beijing }, storeIds: [G] }],
        ['钟楼', { target: { kind: 'STORE', storeId: Z, regionId: t.org.xian }, storeIds: [Z] }],
      ];
      const hq = await t.signIn(`${dialect}-lc-hq`);
      await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
      hqToken = hq.token;
      // A seeded population: joined over two years, 0–9 purchases each at any time of day, ~12 % refunds, a home
      // store for half of them (the others count for their first purchase's store, or for none).
      const q = svc().db.q;
      const rnd = prng(15);
      for (let i = 0; i < 36; i++) {
        const p = await t.signIn(`${dialect}-lc-r${i}`);
        const joined = NOW.getTime() - Math.floor(rnd() * 700 * DAY);
        await q.run('UPDATE member SET created_at = ? WHERE id = ?', [q.ts(new Date(joined)), p.memberId]);
        const stores = [G, S, Z];
        if (rnd() < 0.5) await q.run('INSERT INTO member_profile (member_id, home_store_id, location_consent, updated_at) VALUES (?, ?, ?, ?)', [p.memberId, stores[Math.floor(rnd() * 3)], q.bool(false), q.ts(NOW)]);
        const n = Math.floor(rnd() * 10);
        for (let k = 0; k < n; k++) {
          const at = joined + Math.floor(rnd() * (NOW.getTime() - joined));
          const fen = rnd() < 0.12 ? -Math.floor(rnd() * 3_000) - 1 : 500 + Math.floor(rnd() * 40_000);
          await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [
            p.memberId, stores[Math.floor(rnd() * 3)], fen, '[]', `${dialect}-lc-r${i}-${k}`, 'x', q.ts(new Date(at)),
          ]);
        }
      }
      await q.run('UPDATE member SET created_at = ? WHERE id = ?', [q.ts(new Date(NOW.getTime() + 30 * DAY)), hq.memberId]); // not in the counts
    }, 180_000); // a fresh database's migrations and the fixture, on a shared 2-core machine
    afterAll(async () => {
      clock.reset();
      await t?.close();
    });

    it('before its first run the summary does not answer; after it (a rebuild) its counts equal live classification at every point, in every scope', async () => {
      expect(await summary(scopes[0]![1])).toBeNull();
      // An hour after the fixture was written (its profiles are updated at NOW): the watermark is 10 minutes back.
      const r = await svc().lifecycleSummary.refresh(new Date(NOW.getTime() + 3_600_000));
      // The fixture's six, the 36 others; not the HQ manager, who joins in 30 days.
      expect(r).toEqual({ rebuilt: true, members: 6 + 36, until: new Date(NOW.getTime() + 50 * 60_000) });
      await expectEqualToLive();
      // The counts are not trivial: at today's midnight the chain has members in several stages.
      const hq = (await summary(scopes[0]![1]))!.at(-3)!;
      expect(Object.values(hq).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
      expect(Object.values(hq).reduce((a, b) => a + b, 0)).toBe(42);
      // …and the retention list runs over several pages.
      expect((await liveDeclining(scopes[0]![1], listInstants()[0]!)).length).toBeGreaterThanOrEqual(5);
      // A point that is not a Shanghai midnight is left to live classification.
      expect(await svc().lifecycleSummary.countsAt(scopes[0]![1], [NOW], await thresholds())).toBeNull();
      // Through GraphQL: the same counts as live.
      const g = await t.gql<{ customerInventory: { weeks: { at: string; counts: { stage: string; members: number }[] }[] } }>(
        'query($from: DateTimeISO!, $to: DateTimeISO!) { customerInventory(from: $from, to: $to) { weeks { at counts { stage members } } } }',
        { from: new Date(MIDNIGHT.getTime() - 28 * DAY).toISOString(), to: MIDNIGHT.toISOString() },
        hqToken,
      );
      expect(g.errors).toBeUndefined();
      const atMidnight = g.data!.customerInventory.weeks.at(-1)!;
      expect(atMidnight.at).toBe(MIDNIGHT.toISOString());
      const want = (await svc().analyticsMembers.liveWeeks(scopes[0]![1], [MIDNIGHT], await thresholds()))[0]!.counts;
      expect(Object.fromEntries(atMidnight.counts.map((c) => [c.stage, c.members]))).toEqual(want);
    });

    it('a mixed workload after the watermark is counted exactly before the next run; the run recomputes just those members and leaves what a rebuild writes', async () => {
      const q = svc().db.q;
      const { guomao: G, sanlitun: S, zhonglou: Z } = t.org;
      const at = (hours: number) => new Date(NOW.getTime() + (hours + 1) * 3_600_000); // after the first run's watermark
      const buy = (memberId: number, store: number, fen: number, when: Date, key: string) =>
        q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [memberId, store, fen, '[]', `${dialect}-lc-w-${key}`, 'x', q.ts(when)]);
      const guomaoBefore = (await summary(scopes[2]![1]))!;
      // B (the gym member: DECLINING at today's midnight) moves home from 国贸 to 钟楼, through the member's own mutation.
      expect((await live(scopes[2]![1])).at(-3)!.DECLINING).toBe(guomaoBefore.at(-3)!.DECLINING);
      clock.set(at(1));
      const moved = await t.gql(PROFILE, { input: { homeStoreId: String(Z) } }, fx.B.token);
      expect(moved.errors).toBeUndefined();
      await buy(fx.A.memberId, G, -1_000, at(2), 'a-refund'); // a refund
      await buy(fx.E.memberId, S, 8_800, at(3), 'e'); // E (lost) buys again
      await buy(fx.C.memberId, S, 1_200, at(4), 'c'); // C (no home store) buys again
      clock.set(at(5));
      const newcomer = await t.signIn(`${dialect}-lc-new`); // joins now, no purchase yet
      await expectEqualToLive();
      // By hand: B no longer counts for 国贸 — one DECLINING member fewer there at today's midnight and after.
      const guomaoAfter = (await summary(scopes[2]![1]))!;
      expect(guomaoAfter.at(-3)!.DECLINING).toBe(guomaoBefore.at(-3)!.DECLINING - 1);
      expect(Object.values(guomaoAfter.at(-3)!).reduce((a, b) => a + b, 0)).toBe(Object.values(guomaoBefore.at(-3)!).reduce((a, b) => a + b, 0) - 1);
      // …and, for the earlier points, B is taken out of 国贸's past as well (a member counts for their current store).
      expect(guomaoAfter[0]).toEqual((await live(scopes[2]![1]))[0]);

      const r = await svc().lifecycleSummary.refresh(at(24));
      expect(r).toEqual({ rebuilt: false, members: 5, until: new Date(at(24).getTime() - 10 * 60_000) }); // B, A, E, C, the newcomer
      expect(newcomer.memberId).toBeGreaterThan(0);
      await expectEqualToLive();
      const incremental = await tables();
      expect(await rebuildFromScratch(at(24))).toEqual(incremental);
      await expectEqualToLive();
    });

    it('two runs at once apply the changes once', async () => {
      const q = svc().db.q;
      const when = new Date(NOW.getTime() + 30 * 3_600_000);
      clock.set(when);
      await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [fx.F.memberId, t.org.guomao, 3_000, '[]', `${dialect}-lc-twice`, 'x', q.ts(when)]);
      const later = new Date(when.getTime() + DAY);
      const runs = await Promise.all([svc().lifecycleSummary.refresh(later), svc().lifecycleSummary.refresh(later)]);
      expect(runs.map((x) => x.members).sort()).toEqual([0, 1]);
      await expectEqualToLive();
      const incremental = await tables();
      expect(await rebuildFromScratch(later)).toEqual(incremental);
    });

    it('new thresholds: reads classify live until the next run rebuilds with them', async () => {
      const r = await t.gql(SETTINGS, { input: { lifecycle: { quietDays: 30 } } }, hqToken);
      expect(r.errors).toBeUndefined();
      (svc().analyticsSettings as unknown as { cache: { invalidate(): void } }).cache.invalidate();
      expect(await summary(scopes[0]![1])).toBeNull();
      const run = await svc().lifecycleSummary.refresh(new Date(NOW.getTime() + 3 * DAY));
      expect(run.rebuilt).toBe(true);
      await expectEqualToLive();
    });
  });
}
