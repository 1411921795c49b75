/**
 * Cohort retention (issue #15 item 5) on one dialect. A hand-built fixture, every instant written out; the expected
 * grid below is computed by hand from this table, not by the code under test.
 *
 *   NOW = 2026-03-15 12:00 in Beijing (04:00 UTC). Range asked for: [2025-11-01, 2026-02-01) Beijing time.
 *   Stores: G = 北京国贸 and S = 北京三里屯 (region 北京), Z = 西安钟楼 (region 西安).
 *
 *   member  signed up (Beijing time)      home  purchases (Beijing time, store, ¥)
 *   P       2025-11-03 10:00              G     2025-11-05 G 50; 2025-12-20 G 30; 2026-03-02 G 20 (this month)
 *   R       2025-11-20 10:00              Z     2025-11-21 Z 10; 2025-11-25 Z 10 (same month: counted once); 2026-02-10 Z 40
 *   Q       2025-12-01 01:00 (UTC: 30 Nov) G     2025-12-01 10:00 G 20; 2026-01-31 23:30 G 20 (UTC: 31 Jan 15:30)
 *   S       2025-12-10 10:00              G     2026-01-08 G −10 (a refund row: not a purchase)
 *   T       2026-01-15 10:00              –     2026-01-16 S 30 (first purchase: T's store is S); 2026-02-20 Z 30 (any store counts)
 *   U       2025-10-31 23:00 (before the range)  G     2025-11-02 G 10
 *   V       2026-02-01 00:30 (after the range)   G     2026-02-02 G 10
 *
 *   Cohorts (HQ):  2025-11 = {P, R}; 2025-12 = {Q, S}; 2026-01 = {T}.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { startTestApp, type TestApp } from './harness';
import type { TestDialect } from './db';

const NOW = new Date('2026-03-15T04:00:00.000Z');
/** A Beijing wall time 'YYYY-MM-DD HH:MM' as an instant. */
const bj = (wall: string): Date => new Date(`${wall.replace(' ', 'T')}:00+08:00`);
const FROM = bj('2025-11-01 00:00').toISOString();
const TO = bj('2026-02-01 00:00').toISOString();

const COHORTS = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID, $regionId: ID) {
  cohortRetention(from: $from, to: $to, storeId: $storeId, regionId: $regionId) {
    scope { kind regionId storeId } from to cohorts { month members cells { offset month active rate complete } } } }`;

type Gql = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; field?: string } }[] };
type Cell = { offset: number; month: string; active: number | null; rate: number | null; complete: boolean };
type Cohort = { month: string; members: number; cells: Cell[] };
const code = (r: Gql): string | undefined => r.errors?.[0]?.extensions?.code;

const MONTHS = ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
/**
 * A cohort's expected cells from the hand-counted buyers per offset: `[active, rate]` for each month begun by NOW
 * (the last one, March, is not complete), null for the months after.
 */
function row(month: string, members: number, counted: [number, number | null][]): Cohort {
  const start = MONTHS.indexOf(month);
  return {
    month,
    members,
    cells: Array.from({ length: 12 }, (_, offset) => {
      const m = MONTHS[start + offset]!;
      const c = counted[offset];
      return c ? { offset, month: m, active: c[0], rate: c[1], complete: m !== '2026-03' } : { offset, month: m, active: null, rate: null, complete: false };
    }),
  };
}

export function cohortsSuite(dialect: TestDialect): void {
  describe(`cohort retention (${dialect})`, () => {
    let t: TestApp;
    let person: (label: string, grant?: Parameters<TestApp['grant']>[1]) => Promise<void>;
    const tokens: Record<string, string> = {};
    const ask = (who: string, variables: Record<string, unknown>) => t.gql(COHORTS, variables, tokens[who]!) as Promise<Gql>;
    const grid = async (who: string, variables: Record<string, unknown> = {}): Promise<{ scope: unknown; cohorts: Cohort[] }> => {
      const r = await ask(who, { from: FROM, to: TO, ...variables });
      if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data.cohortRetention as { scope: unknown; cohorts: Cohort[] };
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      clock.set(NOW);
      const q = t.app.services.db.q;
      const { guomao: G, sanlitun: S, zhonglou: Z } = t.org;
      const later = q.ts(new Date(NOW.getTime() + 86_400_000));
      // Managers (and the plain member asking) are members too: their memberships are dated after NOW, outside every cohort.
      person = async (label, grant) => {
        const p = await t.signIn(`${dialect}-cohort-${label}`);
        if (grant) await t.grant(p.userId, grant);
        await q.run('UPDATE member SET created_at = ? WHERE id = ?', [later, p.memberId]);
        tokens[label] = p.token;
      };
      await person('hq', { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
      await person('guomao', { role: 'MANAGER', scope: 'STORE', storeId: G, regionId: t.org.beijing });
      await person('beijing', { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
      await person('xian', { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
      await person('member');

      let seq = 0;
      const member = async (label: string, signedUp: Date, home: number | null, purchases: [string, number, number][]): Promise<void> => {
        const p = await t.signIn(`${dialect}-cohort-${label}`);
        await q.run('UPDATE member SET created_at = ? WHERE id = ?', [q.ts(signedUp), p.memberId]);
        if (home != null) await q.run('INSERT INTO member_profile (member_id, home_store_id, location_consent, updated_at) VALUES (?, ?, ?, ?)', [p.memberId, home, q.bool(false), q.ts(signedUp)]);
        for (const [wall, store, yuan] of purchases) {
          await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [
            p.memberId, store, yuan * 100, JSON.stringify([{ category: 'general', amountFen: yuan * 100 }]), `${dialect}-cohort-p${++seq}`, 'fixture', q.ts(bj(wall)),
          ]);
        }
      };
      await member('P', bj('2025-11-03 10:00'), G, [['2025-11-05 10:00', G, 50], ['2025-12-20 10:00', G, 30], ['2026-03-02 10:00', G, 20]]);
      await member('R', bj('2025-11-20 10:00'), Z, [['2025-11-21 10:00', Z, 10], ['2025-11-25 10:00', Z, 10], ['2026-02-10 10:00', Z, 40]]);
      await member('Q', bj('2025-12-01 01:00'), G, [['2025-12-01 10:00', G, 20], ['2026-01-31 23:30', G, 20]]);
      await member('S', bj('2025-12-10 10:00'), G, [['2026-01-08 10:00', G, -10]]);
      await member('T', bj('2026-01-15 10:00'), null, [['2026-01-16 10:00', S, 30], ['2026-02-20 10:00', Z, 30]]);
      await member('U', bj('2025-10-31 23:00'), G, [['2025-11-02 10:00', G, 10]]);
      await member('V', bj('2026-02-01 00:30'), G, [['2026-02-02 10:00', G, 10]]);
    });
    afterAll(async () => {
      clock.reset();
      await t.close();
    });
    beforeEach(() => clock.set(NOW));

    it('HQ: three cohorts; each cell the share of the cohort that bought in that Beijing month', async () => {
      const r = await grid('hq');
      expect(r.scope).toEqual({ kind: 'HQ', regionId: null, storeId: null });
      expect(r.cohorts).toEqual([
        // {P, R}: Nov both; Dec P; Jan none; Feb R; Mar (so far) P.
        row('2025-11', 2, [[2, 1], [1, 0.5], [0, 0], [1, 0.5], [1, 0.5]]),
        // {Q, S}: Q signed up at 01:00 on 1 Dec in Beijing (30 Nov in UTC); Q bought in Dec and at 23:30 on 31 Jan; S's refund row is no purchase.
        row('2025-12', 2, [[1, 0.5], [1, 0.5], [0, 0], [0, 0]]),
        // {T}: Jan at 三里屯, Feb at 钟楼 (any store counts); none yet in March.
        row('2026-01', 1, [[1, 1], [1, 1], [0, 0]]),
      ]);
    });

    it('a store: the members whose store it is (home store, else first purchase’s store)', async () => {
      const r = await grid('guomao', { storeId: String(t.org.guomao) });
      expect(r.scope).toEqual({ kind: 'STORE', regionId: String(t.org.beijing), storeId: String(t.org.guomao) });
      expect(r.cohorts).toEqual([
        row('2025-11', 1, [[1, 1], [1, 1], [0, 0], [0, 0], [1, 1]]), // P only (R's home is 钟楼)
        row('2025-12', 2, [[1, 0.5], [1, 0.5], [0, 0], [0, 0]]), // Q, S
        row('2026-01', 0, [[0, null], [0, null], [0, null]]), // T's store is 三里屯: an empty cohort, no rates
      ]);
    });

    it('a region: 西安 has R alone; 北京 has everyone else', async () => {
      const xa = await grid('xian', { regionId: String(t.org.xian) });
      expect(xa.cohorts).toEqual([row('2025-11', 1, [[1, 1], [0, 0], [0, 0], [1, 1], [0, 0]]), row('2025-12', 0, [[0, null], [0, null], [0, null], [0, null]]), row('2026-01', 0, [[0, null], [0, null], [0, null]])]);
      const bjr = await grid('beijing', { regionId: String(t.org.beijing) });
      expect(bjr.cohorts.map((c) => [c.month, c.members, c.cells.slice(0, 5).map((x) => x.active)])).toEqual([
        ['2025-11', 1, [1, 1, 0, 0, 1]],
        ['2025-12', 2, [1, 1, 0, 0, null]],
        ['2026-01', 1, [1, 1, 0, null, null]],
      ]);
    });

    it('the clock decides which months are complete and which not yet begun', async () => {
      clock.set(bj('2026-04-02 09:00'));
      await person('hq-april', { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null }); // sessions from NOW have expired
      const r = await grid('hq-april');
      expect(r.cohorts[0]!.cells.slice(4, 6)).toEqual([
        { offset: 4, month: '2026-03', active: 1, rate: 0.5, complete: true },
        { offset: 5, month: '2026-04', active: 0, rate: 0, complete: false },
      ]);
    });

    it('bad input and scope: a clear code each', async () => {
      const codeOf = async (who: string, v: Record<string, unknown>) => code(await ask(who, { from: FROM, to: TO, ...v }));
      expect(await codeOf('hq', { from: TO, to: FROM })).toBe(ErrorCode.BAD_USER_INPUT); // backwards
      expect(await codeOf('hq', { from: FROM, to: FROM })).toBe(ErrorCode.BAD_USER_INPUT); // empty
      expect(await codeOf('hq', { from: bj('2022-11-01 00:00').toISOString() })).toBe(ErrorCode.BAD_USER_INPUT); // over 3 years
      expect(await codeOf('hq', { storeId: '999999' })).toBe(ErrorCode.NOT_FOUND);
      expect(await codeOf('hq', { regionId: '999999' })).toBe(ErrorCode.NOT_FOUND);
      expect(await codeOf('hq', { storeId: String(t.org.guomao), regionId: String(t.org.beijing) })).toBe(ErrorCode.BAD_USER_INPUT);
      expect(await codeOf('beijing', { regionId: String(t.org.xian) })).toBe(ErrorCode.FORBIDDEN); // another region's manager
      expect(await codeOf('beijing', { storeId: String(t.org.zhonglou) })).toBe(ErrorCode.FORBIDDEN);
      expect(await codeOf('guomao', {})).toBe(ErrorCode.FORBIDDEN); // a store manager asks for HQ
      expect(await codeOf('member', { storeId: String(t.org.guomao) })).toBe(ErrorCode.FORBIDDEN);
      expect(code((await t.gql(COHORTS, { from: FROM, to: TO }, null)) as Gql)).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('exactly 3 years (1,098 days) is accepted: 37 cohorts, the months before the fixture empty', async () => {
      const from = new Date(bj('2026-02-01 00:00').getTime() - 3 * 366 * 86_400_000);
      const r = await grid('hq', { from: from.toISOString() });
      expect(r.cohorts).toHaveLength(37);
      expect(r.cohorts[0]!.month).toBe('2023-01');
      expect(r.cohorts.filter((c) => c.members > 0).map((c) => [c.month, c.members])).toEqual([['2025-10', 1], ['2025-11', 2], ['2025-12', 2], ['2026-01', 1]]); // U joins in
    });
  });
}
