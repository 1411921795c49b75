/**
 * Non-purchase earning (issue #14 item 4, F4): the birthday-month bonus and the profile-completion bonus, run against
 * each database with the clock set (never slept). The birthday bonus is paid once in the birthday month (Asia/Shanghai)
 * by the job, at sign-in or by the profile save that sets the birthday — not in other months, not twice in the month
 * (20 concurrent triggers: one credit), again the next year, and never again within 12 months by editing the
 * birthday. The profile bonus is paid once ever, in the save that completes the profile. Bad settings change nothing.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';

const SET = 'mutation($input: ProgramSettingsInput!) { updateProgramSettings(input: $input) { birthdayBonusPoints profileBonusPoints } }';
const SETTINGS = '{ programSettings { signupBonusPoints birthdayBonusPoints profileBonusPoints rounding pointsValidityMonths tierPeriodMonths capPerPurchase } }';
const PROFILE = 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { gender birthday homeStore { id } } }';
const RUN = 'mutation { runBirthdayBonuses { members points failed } }';
const LOGIN = 'mutation($code: String!) { login(code: $code) { token } }';
const ME = '{ me { points ledger(first: 10) { edges { node { kind delta reason storeName } } } } }';

/**
 * Calendar cases (a birthday month is a calendar month, so the clock is set to literal days around it): every date
 * the tests use is one of these. Asia/Shanghai is UTC+8: 02:00Z is 10:00 there.
 */
const APRIL_10 = new Date('2026-04-10T02:00:00.000Z');
const APRIL_30 = new Date('2026-04-30T02:00:00.000Z');
const MAY_1_0030 = new Date('2026-04-30T16:30:00.000Z'); // 1 May 00:30 in Shanghai, still 30 April in UTC
const MAY_1 = new Date('2026-05-01T02:00:00.000Z');
const MAY_14 = new Date('2026-05-14T02:00:00.000Z');
const JUNE_10 = new Date('2026-06-10T02:00:00.000Z');
const APRIL_NEXT = new Date('2027-04-12T02:00:00.000Z');
const MAY_NEXT = new Date('2027-05-12T02:00:00.000Z');
const JUNE_NEXT = new Date('2027-06-10T02:00:00.000Z');

export function bonusSuite(dialect: TestDialect): void {
  let t: TestApp;
  let seq = 0;
  const HQ = `bonuses-${dialect}-hq`;

  beforeAll(async () => {
    clock.set(MAY_14);
    // Concurrent sign-ins of one openid from 127.0.0.1 below: the sign-in rate limits would refuse most of them.
    t = await startTestApp(dialect, { limits: { loginPerOpenidPerMinute: 0, loginPerIpPerMinute: 0 } });
    const m = await t.signIn(HQ);
    await t.grant(m.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  const q = () => t.app.services.db.q;
  /** The HQ manager's token, minted at the current (test) time. */
  const hq = async () => (await t.signIn(HQ)).token;
  const settings = async (input: Record<string, unknown>) => {
    const r = await t.gql<{ updateProgramSettings: { birthdayBonusPoints: number; profileBonusPoints: number } }>(SET, { input }, await hq());
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data?.updateProgramSettings;
  };
  const member = (tag: string) => t.signIn(`bonuses-${dialect}-${tag}-${++seq}`);
  const save = async (token: string, input: Record<string, unknown>) => {
    const r = await t.gql(PROFILE, { input }, token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
  };
  const entries = async (source: string, memberId: number) =>
    (await q().all<{ source_ref: unknown; delta: unknown; kind: unknown; reason: unknown }>('SELECT source_ref, delta, kind, reason FROM points_entry WHERE source_type = ? AND member_id = ? ORDER BY id', [source, memberId])).map(
      (r) => ({ ref: String(r.source_ref), delta: toInt(r.delta), kind: String(r.kind), reason: String(r.reason) }),
    );
  const balance = async (memberId: number) => toInt((await q().get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
  const runJob = () => t.app.services.birthdayBonus.runDue();

  describe('birthday-month bonus', () => {
    beforeAll(async () => {
      clock.set(MAY_14);
      await settings({ birthdayBonusPoints: 88, profileBonusPoints: 0 });
    });

    test('the job pays once in the birthday month, not in other months, and again the next year', async () => {
      clock.set(APRIL_10);
      const may = await member('may');
      const june = await member('june');
      await save(may.token, { birthday: '1990-05-20' });
      await save(june.token, { birthday: '1991-06-03' });
      expect(await entries('birthday_bonus', may.memberId)).toEqual([]); // April: not the birthday month

      clock.set(MAY_14);
      expect((await runJob()).members).toBeGreaterThanOrEqual(1);
      expect(await entries('birthday_bonus', may.memberId)).toEqual([{ ref: `${may.memberId}:2026-05`, delta: 88, kind: 'EARN', reason: '生日月奖励' }]);
      expect(await entries('birthday_bonus', june.memberId)).toEqual([]);
      // Twice in the month: the job again, a sign-in, a profile save — nothing more.
      await runJob();
      const again = await t.signIn(`bonuses-${dialect}-may-${seq - 1}`);
      expect(again.memberId).toBe(may.memberId);
      await save(again.token, { gender: 'FEMALE' });
      expect(await entries('birthday_bonus', may.memberId)).toHaveLength(1);
      // The member's ledger reads it in plain Chinese.
      const me = (await t.gql<{ me: { points: number; ledger: { edges: { node: Record<string, unknown> }[] } } }>(ME, {}, again.token)).data?.me;
      expect(me?.points).toBe(88);
      expect(me?.ledger.edges.map((e) => e.node)).toEqual([{ kind: 'EARN', delta: 88, reason: '生日月奖励', storeName: null }]);

      clock.set(JUNE_10);
      await runJob();
      expect(await entries('birthday_bonus', may.memberId)).toHaveLength(1);
      expect(await entries('birthday_bonus', june.memberId)).toEqual([{ ref: `${june.memberId}:2026-06`, delta: 88, kind: 'EARN', reason: '生日月奖励' }]);

      clock.set(MAY_NEXT);
      await runJob();
      expect((await entries('birthday_bonus', may.memberId)).map((e) => e.ref)).toEqual([`${may.memberId}:2026-05`, `${may.memberId}:2027-05`]);
      expect(await balance(may.memberId)).toBe(176);
      expect(await entries('birthday_bonus', june.memberId)).toHaveLength(1);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('a sign-in in the birthday month pays it (the Shanghai month: 00:30 on 1 May is May), no job needed', async () => {
      clock.set(APRIL_30);
      const label = `bonuses-${dialect}-signin-${++seq}`;
      const m = await t.signIn(label);
      await save(m.token, { birthday: '1988-05-31' });
      expect(await entries('birthday_bonus', m.memberId)).toEqual([]);
      clock.set(MAY_1_0030);
      await t.signIn(label);
      expect(await entries('birthday_bonus', m.memberId)).toEqual([{ ref: `${m.memberId}:2026-05`, delta: 88, kind: 'EARN', reason: '生日月奖励' }]);
    });

    test('a birthday first given in the birthday month pays in that save; editing the birthday never pays again within 12 months', async () => {
      clock.set(MAY_14);
      const m = await member('farm');
      await save(m.token, { birthday: '1995-05-02' });
      expect(await entries('birthday_bonus', m.memberId)).toHaveLength(1);
      // Another day in May, then June while it is June, then April the next April: ignored (one bonus in any 12 months).
      await save(m.token, { birthday: '1995-05-25' });
      await save(m.token, { birthday: '1995-06-15' });
      clock.set(JUNE_10);
      const june = (await t.signIn(`bonuses-${dialect}-farm-${seq}`)).token;
      await save(june, { birthday: '1995-06-16' });
      await runJob();
      clock.set(APRIL_NEXT);
      const april = (await t.signIn(`bonuses-${dialect}-farm-${seq}`)).token;
      await save(april, { birthday: '1995-04-01' });
      await runJob();
      expect(await entries('birthday_bonus', m.memberId)).toHaveLength(1);
      expect(await balance(m.memberId)).toBe(88);
      // Twelve months after the last bonus the birthday month pays again, whatever the birthday was edited to.
      clock.set(JUNE_NEXT);
      const later = (await t.signIn(`bonuses-${dialect}-farm-${seq}`)).token;
      await save(later, { birthday: '1995-06-15' });
      expect((await entries('birthday_bonus', m.memberId)).map((e) => e.ref)).toEqual([`${m.memberId}:2026-05`, `${m.memberId}:2027-06`]);
    });

    test('20 concurrent triggers in the birthday month (job runs, sign-ins, profile saves): one credit', async () => {
      clock.set(APRIL_30);
      const label = `bonuses-${dialect}-race-${++seq}`;
      const m = await t.signIn(label);
      await save(m.token, { birthday: '1992-05-09' });
      const manager = await hq();
      clock.set(MAY_1);
      const calls = [
        ...Array.from({ length: 7 }, () => t.gql(RUN, {}, manager)),
        ...Array.from({ length: 7 }, () => t.gql(LOGIN, { code: t.sim.login(label) })),
        ...Array.from({ length: 6 }, (_, i) => t.gql(PROFILE, { input: { gender: i % 2 ? 'MALE' : 'FEMALE' } }, m.token)),
      ];
      for (const r of await Promise.all(calls)) expect(r.errors).toBeUndefined();
      expect(await entries('birthday_bonus', m.memberId)).toEqual([{ ref: `${m.memberId}:2026-05`, delta: 88, kind: 'EARN', reason: '生日月奖励' }]);
      expect(await balance(m.memberId)).toBe(88);
      expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM points_entry WHERE member_id = ?', [m.memberId]))?.n)).toBe(1);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('the job reads members in batches: 260 due members (two batches), two runs at once, each paid once', async () => {
      clock.set(APRIL_10);
      const tmpl = await q().get<{ tier_id: unknown; tier_period_ends_at: unknown }>('SELECT tier_id, tier_period_ends_at FROM member ORDER BY id LIMIT 1');
      const ids: number[] = [];
      await t.app.services.db.tx(async (tq) => {
        for (let i = 0; i < 260; i++) {
          const tag = `${dialect}-batch-${++seq}`;
          const u = await tq.run('INSERT INTO app_user (openid, registration_source, created_at) VALUES (?, ?, ?)', [`o-bonus-${tag}`, 'MINIPROGRAM', tq.ts(clock.now())]);
          const m = await tq.run('INSERT INTO member (user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
            u.insertId, `B${String(seq).padStart(11, '0')}`, tmpl?.tier_id, tmpl?.tier_period_ends_at, 'JBSWY3DPEHPK3PXP', tq.ts(clock.now()),
          ]);
          await tq.run('INSERT INTO member_account (id, balance, lifetime_earned, updated_at) VALUES (?, 0, 0, ?)', [m.insertId, tq.ts(clock.now())]);
          await tq.run('INSERT INTO member_profile (member_id, birthday, location_consent, updated_at) VALUES (?, ?, ?, ?)', [m.insertId, `1980-05-${String((i % 28) + 1).padStart(2, '0')}`, tq.bool(false), tq.ts(clock.now())]);
          ids.push(m.insertId);
        }
      });
      clock.set(MAY_14);
      const runs = await Promise.all([runJob(), runJob()]);
      expect(runs.map((r) => r.failed)).toEqual([0, 0]);
      expect(runs[0].members + runs[1].members).toBe(260);
      expect(runs[0].points + runs[1].points).toBe(260 * 88);
      const paid = await q().all<{ member_id: unknown; n: unknown }>(
        `SELECT member_id, COUNT(*) AS n FROM points_entry WHERE source_type = 'birthday_bonus' AND member_id IN (${ids.map(() => '?').join(', ')}) GROUP BY member_id`,
        ids,
      );
      expect(paid).toHaveLength(260);
      expect(paid.every((r) => toInt(r.n) === 1)).toBe(true);
      expect(await runJob()).toEqual({ members: 0, points: 0, failed: 0 });
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    }, 60_000);

    test('the timer passes once a Shanghai day per process; runBirthdayBonuses always runs', async () => {
      const job = t.app.services.birthdayBonus;
      clock.set(JUNE_10);
      expect(await job.tick()).not.toBeNull();
      clock.set(JUNE_10.getTime() + 3_600_000);
      expect(await job.tick()).toBeNull(); // the same day
      expect((await t.gql<{ runBirthdayBonuses: { failed: number } }>(RUN, {}, await hq())).data?.runBirthdayBonuses.failed).toBe(0);
      clock.set(JUNE_10.getTime() + 24 * 3_600_000);
      expect(await job.tick()).not.toBeNull(); // the next day
    });

    test('no bonus set (0): the birthday month pays nothing', async () => {
      clock.set(MAY_14);
      await settings({ birthdayBonusPoints: 0 });
      const m = await member('off');
      await save(m.token, { birthday: '1990-05-20' });
      expect(await runJob()).toEqual({ members: 0, points: 0, failed: 0 });
      expect(await entries('birthday_bonus', m.memberId)).toEqual([]);
      await settings({ birthdayBonusPoints: 88 });
    });
  });

  describe('profile-completion bonus', () => {
    beforeAll(async () => {
      clock.set(MAY_14);
      await settings({ birthdayBonusPoints: 0, profileBonusPoints: 66 });
    });

    test('paid once, in the save that sets the last of gender, birthday and home store; never again after clearing and completing again', async () => {
      clock.set(MAY_14);
      const m = await member('profile');
      const store = String(t.org.guomao);
      await save(m.token, { gender: 'MALE' });
      await save(m.token, { birthday: '1985-11-02', location: { lat: 39.9, lng: 116.4, consent: true } });
      expect(await entries('profile_bonus', m.memberId)).toEqual([]);
      await save(m.token, { homeStoreId: store });
      expect(await entries('profile_bonus', m.memberId)).toEqual([{ ref: String(m.memberId), delta: 66, kind: 'EARN', reason: '完善资料奖励' }]);
      await save(m.token, { homeStoreId: null });
      await save(m.token, { homeStoreId: store });
      await save(m.token, { gender: null, birthday: null });
      await save(m.token, { gender: 'FEMALE', birthday: '1985-11-03' });
      expect(await entries('profile_bonus', m.memberId)).toHaveLength(1);
      expect(await balance(m.memberId)).toBe(66);
      const me = (await t.gql<{ me: { ledger: { edges: { node: { reason: string } }[] } } }>(ME, {}, m.token)).data?.me;
      expect(me?.ledger.edges.map((e) => e.node.reason)).toEqual(['完善资料奖励']);
    });

    test('10 concurrent saves completing the profile: one credit', async () => {
      const m = await member('profile-race');
      await save(m.token, { gender: 'FEMALE', birthday: '1993-01-05' });
      const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(PROFILE, { input: { homeStoreId: String(t.org.zhonglou) } }, m.token)));
      for (const r of results) expect(r.errors).toBeUndefined();
      expect(await entries('profile_bonus', m.memberId)).toHaveLength(1);
      expect(await balance(m.memberId)).toBe(66);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('completed while the programme offers none (0): nothing; the first complete save after it is switched on pays', async () => {
      await settings({ profileBonusPoints: 0 });
      const m = await member('profile-off');
      await save(m.token, { gender: 'MALE', birthday: '1970-02-02', homeStoreId: String(t.org.guomao) });
      expect(await entries('profile_bonus', m.memberId)).toEqual([]);
      await settings({ profileBonusPoints: 66 });
      await save(m.token, { gender: 'MALE' });
      expect(await entries('profile_bonus', m.memberId)).toHaveLength(1);
    });
  });

  describe('settings', () => {
    test('an HQ manager sets both bonuses; each change is audited', async () => {
      clock.set(MAY_14);
      expect(await settings({ birthdayBonusPoints: 200, profileBonusPoints: 50 })).toEqual({ birthdayBonusPoints: 200, profileBonusPoints: 50 });
      expect((await t.gql<{ programSettings: Record<string, unknown> }>(SETTINGS)).data?.programSettings).toMatchObject({ birthdayBonusPoints: 200, profileBonusPoints: 50 });
      const audit = await q().get<{ after_json: unknown }>("SELECT after_json FROM audit_log WHERE action = 'updateProgramSettings' ORDER BY id DESC LIMIT 1");
      expect(JSON.parse(String(audit?.after_json))).toMatchObject({ birthdayBonusPoints: 200, profileBonusPoints: 50 });
    });

    test.each([
      ['birthdayBonusPoints', -1],
      ['birthdayBonusPoints', 100_001],
      ['birthdayBonusPoints', 1.5],
      ['profileBonusPoints', -5],
      ['profileBonusPoints', 2_000_000_000],
      ['profileBonusPoints', 0.5],
    ])('%s = %p is BAD_USER_INPUT and changes nothing', async (field, value) => {
      const before = (await t.gql(SETTINGS)).data;
      const audits = toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))?.n);
      const r = await t.gql(SET, { input: { [field]: value, pointsValidityMonths: 12 } }, await hq());
      expect(r.errors?.[0]?.extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect((await t.gql(SETTINGS)).data).toEqual(before);
      expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))?.n)).toBe(audits);
    });

    test('a member may neither set the bonuses nor run the birthday job (FORBIDDEN, nothing changes)', async () => {
      const m = await member('nobody');
      const before = (await t.gql(SETTINGS)).data;
      const counts = await t.counts();
      expect((await t.gql(SET, { input: { birthdayBonusPoints: 9999 } }, m.token)).errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);
      expect((await t.gql(RUN, {}, m.token)).errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);
      expect((await t.gql(RUN)).errors?.[0]?.extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
      expect((await t.gql(SETTINGS)).data).toEqual(before);
      expect(await t.counts()).toEqual(counts);
    });
  });
}
