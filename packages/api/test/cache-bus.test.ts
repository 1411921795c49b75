/**
 * Cache invalidation across API processes (src/cache-bus.ts): a manager's change of the programme settings or a tier
 * in process A reaches process B at once through Redis pub/sub; a process without the bus serves the old value until
 * its cache's TTL runs out (the bound without Redis). Two `createApp` instances on one MariaDB database and one Redis
 * (127.0.0.1:6379); the clock is frozen, so only a message can refresh B's cache before the TTL.
 */
import { createApp, type App } from '../src/app';
import { clock } from '../src/clock';
import type { Config } from '../src/config';
import { createLogger } from '../src/logger';
import { startTestApp, type TestApp } from './support/harness';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const SETTINGS = 'mutation($input: ProgramSettingsInput!) { updateProgramSettings(input: $input) { pointsValidityMonths } }';
const TIER = 'mutation($input: TierInput!) { upsertTier(input: $input) { code thresholdFen } }';

describe('cache invalidation across processes', () => {
  let a: TestApp;
  /** With the bus (same Redis and key prefix as A). */
  let b: App;
  /** Without Redis: caches expire by their TTL only. */
  let c: App;
  let hq: string;

  beforeAll(async () => {
    a = await startTestApp('mariadb', { limits: { redisUrl: REDIS_URL } });
    const base = a.app.services.config;
    b = await createApp({ config: { ...base } as Config, wechatBase: a.sim.url, logger: createLogger('silent') });
    c = await createApp({ config: { ...base, limits: { ...base.limits, redisUrl: null } } as Config, wechatBase: a.sim.url, logger: createLogger('silent') });
    const m = await a.signIn('cache-hq');
    await a.grant(m.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    hq = m.token;
  }, 120_000);
  afterAll(async () => {
    clock.reset();
    await c?.close();
    await b?.close();
    await a?.close();
  });
  afterEach(() => clock.reset());

  const eventually = async <T>(read: () => Promise<T>, want: T, ms = 2000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (v === want || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  test('programme settings changed in A: B drops its copy at once; without Redis, C keeps the old value until the TTL', async () => {
    const t0 = Date.now();
    clock.set(t0);
    const before = (await a.app.services.earning.settings()).pointsValidityMonths;
    expect((await b.services.earning.settings()).pointsValidityMonths).toBe(before);
    expect((await c.services.earning.settings()).pointsValidityMonths).toBe(before);
    const next = before === 24 ? 18 : 24;
    const r = await a.gql<{ updateProgramSettings: { pointsValidityMonths: number } }>(SETTINGS, { input: { pointsValidityMonths: next } }, hq);
    expect(r.errors).toBeUndefined();

    expect(await eventually(async () => (await b.services.earning.settings()).pointsValidityMonths, next)).toBe(next);
    // C has no bus and the clock has not moved: the old value, as long as its TTL (5 s for the earning rules).
    expect((await c.services.earning.settings()).pointsValidityMonths).toBe(before);
    clock.set(t0 + 5_001);
    expect((await c.services.earning.settings()).pointsValidityMonths).toBe(next);
  }, 60_000);

  test('a tier changed in A: B serves the new threshold at once', async () => {
    clock.set(Date.now());
    const tiers = await b.services.tiers.list();
    const gold = tiers.find((t) => t.rank === 2) ?? tiers[1]!;
    await c.services.tiers.list(); // C has read them too
    const r = await a.gql<{ upsertTier: { code: string; thresholdFen: number } }>(
      TIER,
      { input: { code: gold.code, name: gold.name, rank: gold.rank, thresholdFen: gold.thresholdFen + 100, multiplierPct: gold.multiplierPct } },
      hq,
    );
    expect(r.errors).toBeUndefined();
    const read = async () => (await b.services.tiers.list()).find((t) => t.code === gold.code)?.thresholdFen;
    expect(await eventually(read, gold.thresholdFen + 100)).toBe(gold.thresholdFen + 100);
    // C (no bus) still has the old one while its TTL lasts.
    const readC = async () => (await c.services.tiers.list()).find((t) => t.code === gold.code)?.thresholdFen;
    expect(await readC()).toBe(gold.thresholdFen);
  }, 60_000);
});
