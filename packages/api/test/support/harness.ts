/**
 * A running API for integration tests: its own database, the WeChat simulator, HTTP on a random port.
 * `gql()` speaks real HTTP to /graphql; `signIn()` goes through wx.login → code2Session like the phone does.
 */
import { currentMemberCode } from '@quanzi/shared';
import { generateWechatPayKeys, startWechatMiniSimulator, startWechatPaySimulator, type RechargeSimulator, type RechargeSimulatorOptions, type WechatMiniSimulator, type WechatPaySimulator, type WechatPaySimulatorOptions } from '@quanzi/simulators';
import { createApp, type App } from '../../src/app';
import { demoPhoneOf, seedDemo } from '../../src/demo/seed';
import { simulatedWechatPayConfig } from '../../src/demo/wechatpay';
import { startSimulatedRewardProvider } from '../../src/demo/recharge';
import { loadConfig, type LimitsConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase, type TestDialect } from './db';
import { seedOrg, type Org } from './org';

export type { Org } from './org';

/** The demo seed, with the test organisation's ids read back from the demo's store and region codes. */
async function seedDemoOrg(app: App, now: Date): Promise<Org> {
  await seedDemo(app.services, now);
  const q = app.services.db.q;
  const id = async (table: string, code: string) => toInt((await q.get<{ id: unknown }>(`SELECT id FROM ${table} WHERE code = ?`, [code]))?.id);
  return {
    beijing: await id('region', 'beijing'),
    xian: await id('region', 'xian'),
    guomao: await id('store', 'bj-guomao'),
    sanlitun: await id('store', 'bj-sanlitun'),
    zhonglou: await id('store', 'xa-zhonglou'),
  };
}
import type { RoleGrant } from '../../src/auth/authz';
import { toInt } from '../../src/db/sql';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}


export interface TestApp {
  app: App;
  url: string;
  sim: WechatMiniSimulator;
  /** The WeChat Pay simulator, when started with `{ pay: … }`. */
  paySim: WechatPaySimulator | null;
  /** The recharge aggregator simulator, when started with `{ rewards: … }`. */
  rechargeSim: RechargeSimulator | null;
  db: TestDatabase;
  org: Org;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** Signs a persona in through the simulator; returns the token, user id and member. */
  signIn(label: string): Promise<{ token: string; userId: number; memberId: number; memberNo: string; codeSecret: string }>;
  /** Grants a role directly (test setup, bypassing authorization). */
  grant(userId: number, g: RoleGrant): Promise<void>;
  /** The member code the member's phone would show now (or at `nowMs`). */
  codeOf(m: { memberNo: string; codeSecret: string }, nowMs?: number): string;
  /** Row counts of the ledger tables: compare before/after to prove nothing changed. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export const APPID = 'wx_test_appid';
const SECRET = 'test_app_secret';

/** Starts the API on `dialect` with the standard test organisation (2 regions, 3 stores, 5 tiers, rules). */
export interface TestAppOptions {
  /** Start the WeChat Pay simulator with these options and configure the API for it. */
  pay?: Partial<Omit<WechatPaySimulatorOptions, 'keys' | 'appid'>>;
  /** Serve the demo helpers (/demo/wx-code, /demo/phone-code, /demo/pay) as the offline demo does. */
  demo?: boolean;
  /** Start the recharge aggregator simulator with these options and configure the API for it (provider timeout `timeoutMs`, default 2000). */
  rewards?: Partial<Omit<RechargeSimulatorOptions, 'appId' | 'secret'>> & { timeoutMs?: number; otpThresholdPoints?: number };
  /** Seed the offline demo's data (src/demo) instead of the standard test organisation, at this time. */
  demoSeed?: { now: Date };
  /** More environment for loadConfig, e.g. `{ NODE_ENV: 'production' }` (then only registered documents pass: see graphql-guard.test.ts). */
  env?: Record<string, string>;
  /** Rate-limit settings over the defaults (e.g. `redisUrl` to count in Redis). */
  limits?: Partial<LimitsConfig>;
  /** The MariaDB server to create the test database on (default TEST_DATABASE_URL), and a replica of it to read reports from. */
  server?: string;
  replicaServer?: string;
}

export async function startTestApp(dialect: TestDialect = 'mariadb', opts: TestAppOptions = {}): Promise<TestApp> {
  // The published mini-program's pages the API links to (mini-program codes with check_path are checked against them).
  const sim = await startWechatMiniSimulator({ appid: APPID, secret: SECRET, pages: ['pages/card/index', 'member/pay/index'] });
  const db = await createTestDatabase(dialect, opts.server);
  const config = loadConfig({ NODE_ENV: 'test', WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, EXPIRY_JOB_INTERVAL_MINUTES: '0', LOG_LEVEL: 'silent', DEMO: 'false', JWT_SECRET: 'test-secret-test-secret-test-secret-0123', ...opts.env });
  config.database = db.config;
  if (opts.replicaServer && db.config.kind !== 'sqlite') {
    const replica = new URL(opts.replicaServer);
    replica.pathname = new URL(db.config.url).pathname; // the same database, as replicated
    config.database = { ...db.config, replicaUrls: [replica.toString()] };
  }
  config.clubJobsIntervalSeconds = 0; // tests run the club jobs themselves
  config.campaigns.jobsIntervalSeconds = 0; // and the campaign sender
  config.rewards.jobsIntervalSeconds = 0; // and the reward jobs
  config.outbox.retentionIntervalMinutes = 0; // and outbox retention
  config.birthdayBonusIntervalMinutes = 0; // and the birthday-bonus job
  config.analytics.summaryIntervalMinutes = 0; // and the analytics summary
  // Every test app counts on its own (Redis keys outlive a test run). Every test client is 127.0.0.1, so the per-IP
  // limits are off unless a test sets them (test/rate-limits.test.ts).
  config.limits = { ...config.limits, keyPrefix: `qztest:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`, loginPerIpPerMinute: 0, otpPerIpPerHour: 0, ...opts.limits };
  let rechargeSim: RechargeSimulator | null = null;
  if (opts.rewards) {
    const { timeoutMs, otpThresholdPoints, ...simOpts } = opts.rewards;
    const started = await startSimulatedRewardProvider({ settleMs: 20, retryScale: 0.001, ...simOpts }, timeoutMs ?? 2000);
    rechargeSim = started.sim;
    config.rewards.provider = started.provider;
    if (otpThresholdPoints !== undefined) config.rewards.otpThresholdPoints = otpThresholdPoints;
  }
  let paySim: WechatPaySimulator | null = null;
  if (opts.pay) {
    // Keys are generated for the run, never committed; WeChat Pay signs with both a platform certificate and a public key.
    const keys = generateWechatPayKeys();
    paySim = await startWechatPaySimulator({ keys, appid: APPID, signWith: 'alternate', retryScale: 0.0001, ...opts.pay });
    config.wechatPay = simulatedWechatPayConfig(keys, paySim.url);
  }
  const pay = paySim;
  const app = await createApp({
    config,
    wechatBase: sim.url,
    logger: createLogger('silent'),
    ...(opts.demo
      ? {
          demoLoginCode: (user: string) => sim.login(user),
          demoPhoneCode: (user: string) => sim.phoneCode(demoPhoneOf(user)),
          ...(pay ? { demoPay: (params: Record<string, string>) => pay.pay(params as never) } : {}),
        }
      : {}),
  });
  await app.fastify.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.fastify.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  config.publicBaseUrl = url; // WeChat Pay's notify_url points back at this server
  const org = opts.demoSeed ? await seedDemoOrg(app, opts.demoSeed.now) : await seedOrg(app);

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GqlResult<T>> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<T>;
  };

  return {
    app,
    url,
    sim,
    paySim,
    rechargeSim,
    db,
    org,
    gql,
    async signIn(label) {
      const code = sim.login(label);
      const r = await gql<{ login: { token: string; viewer: { userId: string }; member: { id: string; memberNo: string; codeSecret: string } } }>(
        'mutation($code: String!) { login(code: $code) { token viewer { userId } member { id memberNo codeSecret } } }',
        { code },
      );
      if (!r.data?.login) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
      const l = r.data.login;
      return { token: l.token, userId: Number(l.viewer.userId), memberId: Number(l.member.id), memberNo: l.member.memberNo, codeSecret: l.member.codeSecret };
    },
    async grant(userId, g) {
      await app.services.users.insertGrant(app.services.db.q, userId, g);
    },
    codeOf(m, nowMs = Date.now()) {
      return currentMemberCode(m.memberNo, m.codeSecret, nowMs);
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const t of ['points_entry', 'points_lot', 'lot_allocation', 'purchase', 'app_user', 'member', 'role_assignment', 'store', 'region', 'tier', 'earning_rule', 'pay_order', 'pay_refund']) {
        const r = await app.services.db.q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${t}`);
        out[t] = toInt(r?.n);
      }
      const b = await app.services.db.q.get<{ s: unknown }>('SELECT COALESCE(SUM(balance), 0) AS s FROM member_account');
      out.balances = toInt(b?.s);
      return out;
    },
    async close() {
      await app.close();
      await sim.close();
      await paySim?.close();
      await rechargeSim?.close();
      await db.drop();
    },
  };
}
