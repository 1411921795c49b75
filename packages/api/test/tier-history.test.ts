/**
 * Tier history (issue #13, the console's member page): every change of a member's tier — an upgrade at the till, a
 * downgrade or a renewal once the qualification period has ended — is written to `tier_change` in the transaction
 * that changes `member.tier_id`, and managers read it on `consoleMember.tierHistory`, in their scope only (MariaDB).
 */
import { randomUUID } from 'node:crypto';
import { addMonthsUtc } from '@quanzi/shared';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';

type Persona = Awaited<ReturnType<TestApp['signIn']>>;
type Change = { kind: string; fromTierName: string; toTierName: string; spendFen: number; periodEndsAt: string; createdAt: string };

const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }';
const PROFILE = 'query($id: ID!) { consoleMember(id: $id) { tierName tierHistory { id kind fromTierName toTierName spendFen periodEndsAt createdAt } } }';

/** Every instant derives from this one (the API's clock is set to it; codes and periods are computed from it). */
const NOW = new Date('2026-03-02T02:00:00.000Z');

describe('tier history', () => {
  let t: TestApp;
  let staff: Persona, hq: Persona, guomaoMgr: Persona, xianMgr: Persona;
  let seq = 0;
  const q = () => t.app.services.db.q;
  const changes = async (memberId: number) => toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM tier_change WHERE member_id = ?', [memberId]))?.n);
  const history = async (m: Persona, viewer: Persona) => t.gql<{ consoleMember: { tierName: string; tierHistory: Change[] } }>(PROFILE, { id: String(m.memberId) }, viewer.token);
  /** A till purchase at 国贸 of `amountFen` (the member's code at `nowMs`: one code per 30 s step). */
  const buy = (m: Persona, amountFen: number, nowMs: number) =>
    t.gql(RECORD, { input: { memberCode: t.codeOf(m, nowMs), storeId: String(t.org.guomao), amountFen, lines: [{ category: 'general', amountFen }], idempotencyKey: randomUUID() } }, staff.token);

  beforeAll(async () => {
    clock.set(NOW);
    t = await startTestApp('mariadb');
    [staff, hq, guomaoMgr, xianMgr] = (await Promise.all(['th-staff', 'th-hq', 'th-gm', 'th-xa'].map((n) => t.signIn(n)))) as [Persona, Persona, Persona, Persona];
    await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    await t.grant(guomaoMgr.userId, { role: 'MANAGER', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    await t.grant(xianMgr.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
  }, 180_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  test('upgrades at the till are recorded with the spend, newest first; a purchase that changes nothing records nothing', async () => {
    const quiet = await t.signIn(`th-m-${++seq}`);
    expect((await buy(quiet, 50_000, clock.ms())).errors).toBeUndefined(); // ¥500: still 普通
    expect(await changes(quiet.memberId)).toBe(0);
    const m = await t.signIn(`th-m-${++seq}`);
    const now = clock.ms();
    expect((await buy(m, 110_000, now)).errors).toBeUndefined(); // ¥1 100 in 12 months: 银卡
    expect((await buy(m, 400_000, now + 30_000)).errors).toBeUndefined(); // ¥5 100: 金卡 (the next code)
    const r = await history(m, hq);
    expect(r.errors).toBeUndefined();
    expect(r.data?.consoleMember.tierName).toBe('金卡');
    const h = r.data?.consoleMember.tierHistory ?? [];
    expect(h.map((c) => [c.kind, c.fromTierName, c.toTierName, c.spendFen])).toEqual([
      ['UPGRADE', '银卡', '金卡', 510_000],
      ['UPGRADE', '普通', '银卡', 110_000],
    ]);
    // The new period runs 12 months (loyalty_program.tier_period_months) from the change.
    for (const c of h) expect(new Date(c.periodEndsAt).getTime()).toBe(addMonthsUtc(new Date(c.createdAt), 12).getTime());
  });

  test('once the period has ended: a downgrade on what was spent in the last 12 months, or a renewal', async () => {
    const m = await t.signIn(`th-m-${++seq}`);
    expect((await buy(m, 120_000, clock.ms())).errors).toBeUndefined(); // 银卡
    const tiers = t.app.services.tiers;
    const tierRows = await tiers.list();
    // 11 months on: the period has not ended, nothing changes.
    await t.app.services.db.tx((tq) => tiers.reevaluate(tq, m.memberId, addMonthsUtc(clock.now(), 11), { tierPeriodMonths: 12, tierUpgradeCoupons: [], tiers: tierRows }));
    expect(await changes(m.memberId)).toBe(1);
    // 13 months on, nothing spent in the last 12 months: back to 普通.
    const later = addMonthsUtc(clock.now(), 13);
    await t.app.services.db.tx((tq) => tiers.reevaluate(tq, m.memberId, later, { tierPeriodMonths: 12, tierUpgradeCoupons: [], tiers: tierRows }));
    const h = (await history(m, hq)).data?.consoleMember.tierHistory ?? [];
    expect(h.map((c) => [c.kind, c.fromTierName, c.toTierName, c.spendFen])).toEqual([
      ['DOWNGRADE', '银卡', '普通', 0],
      ['UPGRADE', '普通', '银卡', 120_000],
    ]);
    expect(new Date(h[0]!.createdAt).getTime()).toBe(later.getTime());
    // Another member who kept spending keeps the tier for a new period: a renewal.
    const k = await t.signIn(`th-m-${++seq}`);
    expect((await buy(k, 120_000, clock.ms())).errors).toBeUndefined();
    await q().run('UPDATE member SET tier_period_ends_at = ? WHERE id = ?', [q().ts(new Date(clock.ms() - 1000)), k.memberId]);
    await t.app.services.db.tx((tq) => tiers.reevaluate(tq, k.memberId, clock.now(), { tierPeriodMonths: 12, tierUpgradeCoupons: [], tiers: tierRows }));
    expect(((await history(k, hq)).data?.consoleMember.tierHistory ?? []).map((c) => [c.kind, c.fromTierName, c.toTierName])).toEqual([
      ['RENEWED', '银卡', '银卡'],
      ['UPGRADE', '普通', '银卡'],
    ]);
  });

  test('in scope only: the store manager of the till sees it, another region’s manager gets NOT_FOUND', async () => {
    const m = await t.signIn(`th-m-${++seq}`);
    expect((await buy(m, 120_000, clock.ms())).errors).toBeUndefined();
    expect((await history(m, guomaoMgr)).data?.consoleMember.tierHistory.map((c) => c.toTierName)).toEqual(['银卡']);
    const other = await history(m, xianMgr);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(other.data ?? null).toBeNull();
    expect((await history(m, staff)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('a refused purchase (bad input) records no tier change', async () => {
    const m = await t.signIn(`th-m-${++seq}`);
    const r = await t.gql(RECORD, { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), amountFen: 600_000, lines: [{ category: 'general', amountFen: 1 }], idempotencyKey: randomUUID() } }, staff.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await changes(m.memberId)).toBe(0);
    expect((await history(m, hq)).data?.consoleMember.tierHistory).toEqual([]);
  });
});
