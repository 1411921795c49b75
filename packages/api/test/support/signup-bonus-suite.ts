/**
 * The sign-up bonus (issue #14 item 4, F4 non-purchase earning), run against each database: an HQ manager sets it,
 * a member's first sign-in credits it once as an EARN entry with a plain Chinese reason, 20 concurrent first sign-ins
 * of one openid make one member with one bonus, and bad input changes nothing.
 */
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../../src/db/sql';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';

const SET = 'mutation($input: ProgramSettingsInput!) { updateProgramSettings(input: $input) { signupBonusPoints pointsValidityMonths } }';
const SETTINGS = '{ programSettings { signupBonusPoints rounding pointsValidityMonths tierPeriodMonths capPerPurchase } }';
const ME = '{ me { points lifetimePoints ledger(first: 10) { edges { node { kind delta reason storeName } } } } }';
const LOGIN = 'mutation($code: String!) { login(code: $code) { token member { id } } }';

export function signupBonusSuite(dialect: TestDialect): void {
  let t: TestApp;
  let hq: { token: string };
  let seq = 0;

  beforeAll(async () => {
    // Every concurrent sign-in below is the same openid from 127.0.0.1: the sign-in rate limits would refuse most of them.
    t = await startTestApp(dialect, { limits: { loginPerOpenidPerMinute: 0, loginPerIpPerMinute: 0 } });
    const m = await t.signIn(`bonus-${dialect}-hq`);
    await t.grant(m.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    hq = m;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const setBonus = (points: number, token = hq.token) => t.gql<{ updateProgramSettings: { signupBonusPoints: number } }>(SET, { input: { signupBonusPoints: points } }, token);
  const q = () => t.app.services.db.q;
  const bonusEntries = async (memberId: number) =>
    toInt((await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM points_entry WHERE source_type = 'signup_bonus' AND member_id = ?", [memberId]))?.n);

  test('an HQ manager sets the bonus; a first sign-in earns it once, shown as 新会员注册奖励; signing in again adds nothing', async () => {
    expect((await setBonus(500)).data?.updateProgramSettings.signupBonusPoints).toBe(500);
    expect((await t.gql<{ programSettings: { signupBonusPoints: number } }>(SETTINGS)).data?.programSettings.signupBonusPoints).toBe(500);
    const label = `bonus-${dialect}-${++seq}`;
    const m = await t.signIn(label);
    const me = (await t.gql<{ me: { points: number; lifetimePoints: number; ledger: { edges: { node: Record<string, unknown> }[] } } }>(ME, {}, m.token)).data?.me;
    expect(me).toMatchObject({ points: 500, lifetimePoints: 500 });
    expect(me?.ledger.edges.map((e) => e.node)).toEqual([{ kind: 'EARN', delta: 500, reason: '新会员注册奖励', storeName: null }]);
    const again = await t.signIn(label);
    expect(again.memberId).toBe(m.memberId);
    expect(await bonusEntries(m.memberId)).toBe(1);
    expect((await t.gql<{ me: { points: number } }>(ME, {}, m.token)).data?.me.points).toBe(500);
  });

  test('20 concurrent first sign-ins of one openid: one user, one member, one bonus', async () => {
    expect((await setBonus(300)).errors).toBeUndefined();
    const label = `bonus-${dialect}-race-${++seq}`;
    const codes = Array.from({ length: 20 }, () => t.sim.login(label));
    const results = await Promise.all(codes.map((code) => t.gql<{ login: { member: { id: string } } }>(LOGIN, { code })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const memberIds = new Set(results.map((r) => r.data?.login.member.id));
    expect(memberIds.size).toBe(1);
    const openid = t.sim.openidOf(label);
    expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM app_user WHERE openid = ?', [openid]))?.n)).toBe(1);
    const memberId = Number([...memberIds][0]);
    expect(await bonusEntries(memberId)).toBe(1);
    expect(toInt((await q().get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b)).toBe(300);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('no bonus set (0): a first sign-in credits nothing', async () => {
    expect((await setBonus(0)).errors).toBeUndefined();
    const m = await t.signIn(`bonus-${dialect}-${++seq}`);
    expect(await bonusEntries(m.memberId)).toBe(0);
    expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM points_entry WHERE member_id = ?', [m.memberId]))?.n)).toBe(0);
  });

  test.each([[-1], [100_001], [1.5]])('a bonus of %p is BAD_USER_INPUT and changes nothing', async (points) => {
    expect((await setBonus(200)).errors).toBeUndefined();
    const before = (await t.gql(SETTINGS)).data;
    const audits = toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))?.n);
    const r = await setBonus(points);
    expect(r.errors?.[0]?.extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((await t.gql(SETTINGS)).data).toEqual(before);
    expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))?.n)).toBe(audits);
  });

  test('only an HQ manager may set it (a member is FORBIDDEN, nothing changes)', async () => {
    const m = await t.signIn(`bonus-${dialect}-${++seq}`);
    const before = (await t.gql(SETTINGS)).data;
    expect((await setBonus(9999, m.token)).errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);
    expect((await t.gql(SETTINGS)).data).toEqual(before);
  });
}
