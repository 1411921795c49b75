/**
 * Rate limits (issue #12 item 3) on MariaDB, counted in process memory and in Redis (the same tests twice): wrong
 * member codes from one till start a cool-down after the limit, the store's managers are alerted once per cool-down,
 * and the till works again once the API's clock has moved past it (no sleeping). Also: voucher codes, login floods,
 * one-time codes per member.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { RedisCounterStore } from '../src/limits/counter-store';
import { createLogger } from '../src/logger';
import { startTestApp, type TestApp } from './support/harness';

const REDIS_URL = 'redis://127.0.0.1:6379';
const BY_CODE = 'query($code: String!, $storeId: ID!) { memberByCode(code: $code, storeId: $storeId) { memberNo } }';
const PURCHASE = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points balance } }';
const REDEEM = 'mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { balance } }';
const VOUCHER = 'query($code: String!, $storeId: ID!) { voucher(code: $code, storeId: $storeId) { usableHere } }';
const INBOX = '{ myNotifications(first: 20) { kind title body } }';

type Gql = { errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[] };
const code = (r: Gql) => r.errors?.[0]?.extensions?.code;

async function redisAnswers(): Promise<boolean> {
  const s = new RedisCounterStore(REDIS_URL, 'qztest:ping:', createLogger('silent'));
  try {
    return await s.ping();
  } finally {
    await s.close();
  }
}

describe.each(['memory', 'redis'] as const)('rate limits, counters in %s', (backend) => {
  let t: TestApp;
  let skip = false;
  let n = 0;
  beforeAll(async () => {
    if (backend === 'redis' && !(await redisAnswers())) {
      skip = true;
      console.warn(`Redis does not answer at ${REDIS_URL}: the Redis variant of the rate-limit tests is skipped`);
      return;
    }
    t = await startTestApp('mariadb', { limits: { redisUrl: backend === 'redis' ? REDIS_URL : null } });
    expect(t.app.services.limits.store.kind).toBe(backend);
  }, 60_000);
  afterAll(async () => t?.close());
  afterEach(() => clock.reset());

  const staffAt = async (storeId: number, regionId: number) => {
    const s = await t.signIn(`rl-staff-${backend}-${++n}`);
    await t.grant(s.userId, { role: 'STAFF', scope: 'STORE', storeId, regionId });
    return s;
  };
  const manager = async (scope: 'STORE' | 'REGION' | 'HQ', storeId: number | null, regionId: number | null) => {
    const m = await t.signIn(`rl-manager-${backend}-${++n}`);
    await t.grant(m.userId, { role: 'MANAGER', scope, storeId, regionId });
    return m;
  };
  const alerts = async (token: string) =>
    ((await t.gql<{ myNotifications: { kind: string; title: string; body: string }[] }>(INBOX, {}, token)).data?.myNotifications ?? []).filter((x) => x.kind === 'TILL_RATE_LIMITED');

  test('11 wrong member codes in a minute from one till: the 11th is RATE_LIMITED, the store manager is alerted once, a right code works after the cool-down', async () => {
    if (skip) return;
    // Windows are fixed minutes of the API's clock: start one second into a minute so that the ten fall in one.
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 1000;
    clock.set(now);
    const { org } = t;
    const staff = await staffAt(org.zhonglou, org.xian);
    const otherTill = await staffAt(org.zhonglou, org.xian);
    const storeManager = await manager('STORE', org.zhonglou, org.xian);
    const hq = await manager('HQ', null, null);
    const member = await t.signIn(`rl-member-${backend}-${++n}`);
    const store = String(org.zhonglou);
    const good = () => t.codeOf(member, clock.ms());
    const wrong = () => `QZ1.${member.memberNo}.${String((Number(good().split('.')[2]) + 500_001) % 1_000_000).padStart(6, '0')}`;

    // Ten wrong codes through every till path that verifies one: each answers its own error.
    const paths = [
      () => t.gql(BY_CODE, { code: wrong(), storeId: store }, staff.token),
      () => t.gql(PURCHASE, { input: { memberCode: wrong(), storeId: store, amountFen: 1000, lines: [{ category: 'general', amountFen: 1000 }], idempotencyKey: randomUUID() } }, staff.token),
      () => t.gql(REDEEM, { input: { memberCode: wrong(), storeId: store, points: 1, reason: '测试', idempotencyKey: randomUUID() } }, staff.token),
      () => t.gql(BY_CODE, { code: 'QZ1.99999999.123456', storeId: store }, staff.token), // no such member
      () => t.gql(BY_CODE, { code: 'not a member code', storeId: store }, staff.token),
    ];
    for (let i = 0; i < 10; i++) {
      clock.set(now + i * 1000);
      const r = (await paths[i % paths.length]!()) as Gql;
      expect([i, code(r), JSON.stringify(r.errors?.[0])]).toEqual([i, ErrorCode.CODE_INVALID, expect.anything()]);
    }
    // The 11th, 12 seconds after the first: refused before it is checked, with the wait.
    clock.set(now + 12_000);
    const eleventh = (await t.gql(BY_CODE, { code: wrong(), storeId: store }, staff.token)) as Gql;
    expect(code(eleventh)).toBe(ErrorCode.RATE_LIMITED);
    expect(eleventh.errors?.[0]?.extensions?.retryAfterSeconds).toBe(300 - 3); // the cool-down began at the 10th (9 s)
    // A right code during the cool-down is refused too (a lucky guess is worth nothing), on every path.
    expect(code((await t.gql(BY_CODE, { code: good(), storeId: store }, staff.token)) as Gql)).toBe(ErrorCode.RATE_LIMITED);
    const before = await t.counts();
    const blocked = (await t.gql(PURCHASE, { input: { memberCode: good(), storeId: store, amountFen: 1000, lines: [{ category: 'general', amountFen: 1000 }], idempotencyKey: randomUUID() } }, staff.token)) as Gql;
    expect(code(blocked)).toBe(ErrorCode.RATE_LIMITED);
    expect(await t.counts()).toEqual(before);
    // Another till of the same store is not affected.
    expect(((await t.gql(BY_CODE, { code: good(), storeId: store }, otherTill.token)) as Gql).errors).toBeUndefined();

    // The store's manager got one notice (the closest managers only: not HQ), however many refusals followed.
    for (let i = 0; i < 3; i++) await t.gql(BY_CODE, { code: wrong(), storeId: store }, staff.token);
    const got = await alerts(storeManager.token);
    expect(got).toHaveLength(1);
    expect(got[0]?.title).toBe('西安钟楼店：会员码输错过多');
    expect(got[0]?.body).toContain('10 次');
    expect(await alerts(hq.token)).toHaveLength(0);

    // After the cool-down (the API's clock moved, no sleeping) a right code works again.
    clock.set(now + 9_000 + 300_000 + 1);
    const ok = await t.gql<{ recordPurchase: { points: number } }>(
      PURCHASE,
      { input: { memberCode: good(), storeId: store, amountFen: 1000, lines: [{ category: 'general', amountFen: 1000 }], idempotencyKey: randomUUID() } },
      staff.token,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.recordPurchase.points).toBe(10);

    // A second run of wrong codes is a second cool-down, and a second notice.
    for (let i = 0; i < 10; i++) expect(code((await t.gql(BY_CODE, { code: wrong(), storeId: store }, staff.token)) as Gql)).toBe(ErrorCode.CODE_INVALID);
    expect(code((await t.gql(BY_CODE, { code: good(), storeId: store }, staff.token)) as Gql)).toBe(ErrorCode.RATE_LIMITED);
    expect(await alerts(storeManager.token)).toHaveLength(2);
  });

  test('wrong voucher codes: the 11th is RATE_LIMITED; without a store manager the region manager is alerted', async () => {
    if (skip) return;
    clock.set(Math.floor(Date.now() / 60_000) * 60_000 + 1000);
    const { org } = t;
    const staff = await staffAt(org.guomao, org.beijing);
    const regional = await manager('REGION', null, org.beijing);
    for (let i = 0; i < 10; i++) {
      expect(code((await t.gql(VOUCHER, { code: `ABCD EFGH JKL${'MNPQRSTUVW'[i]}`, storeId: String(org.guomao) }, staff.token)) as Gql)).toBe(ErrorCode.VOUCHER_INVALID);
    }
    const r = (await t.gql(VOUCHER, { code: 'ABCD EFGH JKLM', storeId: String(org.guomao) }, staff.token)) as Gql;
    expect(code(r)).toBe(ErrorCode.RATE_LIMITED);
    expect(r.errors?.[0]?.extensions?.retryAfterSeconds).toBe(300);
    const got = await alerts(regional.token);
    expect(got.map((a) => a.title)).toContain('北京国贸店：券码输错过多');
  });

  test('login: more than the limit per IP in a minute is RATE_LIMITED until the minute ends', async () => {
    if (skip) return;
    const limits = t.app.services.config.limits;
    limits.loginPerIpPerMinute = 5;
    // A minute of its own, after the sign-ins of the other tests.
    const minute = Math.floor(Date.now() / 60_000) * 60_000 + 10 * 60_000;
    clock.set(minute + 10_000);
    const login = (label: string) => t.gql('mutation($code: String!) { login(code: $code) { token } }', { code: t.sim.login(label) }) as Promise<Gql>;
    for (let i = 0; i < 5; i++) expect((await login(`rl-login-${backend}-${i}`)).errors).toBeUndefined();
    const r = await login(`rl-login-${backend}-x`);
    expect(code(r)).toBe(ErrorCode.RATE_LIMITED);
    expect(r.errors?.[0]?.extensions?.retryAfterSeconds).toBe(50);
    clock.set(minute + 60_000);
    expect((await login(`rl-login-${backend}-y`)).errors).toBeUndefined();
    limits.loginPerIpPerMinute = 0;
  });
});
