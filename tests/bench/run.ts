/**
 * `pnpm bench`: the API's two hot paths under load, each beside a floor measured in the same run.
 *
 *   (a) `me`, the member home (member.service.ts: lean SQL), rotating over signed-in members' tokens;
 *   (b) `recordPurchase` at a till, a fresh idempotency key and a valid member code per request.
 *
 * The stack is the real API (createApp: fastify + Apollo + type-graphql + MikroORM's connection, NODE_ENV
 * production, logger silent) on a fresh MariaDB database with the WeChat simulator in-process; the floor
 * (floor.ts) is node:http + a bare mysql2 pool of the same size running the same SQL. Both are served from this
 * process, one at a time; autocannon runs in a child process (load.ts). The ratio stack/floor must be ≥ 0.3.
 *
 * Knobs (environment): BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (20), BENCH_ROUNDS (1: with
 * more, stack and floor alternate and the median is reported), BENCH_MEMBERS (200), BENCH_BUYERS (20000),
 * DB_POOL_MAX (10), TEST_DATABASE_URL (mariadb://root@127.0.0.1:3306), BENCH_PROFILE=1 (CPU profiles of the API).
 */
import './env';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { addMonthsUtc, base32Encode, currentMemberCode } from '@quanzi/shared';
import { startWechatMiniSimulator, type WechatMiniSimulator } from '@quanzi/simulators';
import { createApp, type App } from '../../packages/api/src/app';
import { loadConfig } from '../../packages/api/src/config';
import { createLogger } from '../../packages/api/src/logger';
import { toInt } from '../../packages/api/src/db/sql';
import { credit, debit } from '../../packages/api/src/modules/ledger/ledger.service';
import { createTestDatabase, type TestDatabase } from '../../packages/api/test/support/db';
import { seedOrg } from '../../packages/api/test/support/org';
import { startFloor, type Floor } from './floor';
import { ME_QUERY, PURCHASE_MUTATION, type BuyMember, type LoadCommand, type LoadReply, type RunFigures } from './protocol';

const num = (name: string, def: number): number => {
  const v = process.env[name];
  const n = v === undefined || v === '' ? def : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};

const SECONDS = num('BENCH_SECONDS', 10);
const WARMUP = num('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
const ROUNDS = num('BENCH_ROUNDS', 1);
const MEMBERS = num('BENCH_MEMBERS', 200);
const BUYERS = num('BENCH_BUYERS', 20_000);
const POOL = num('DB_POOL_MAX', 10);
/** BENCH_PROFILE=1: also write V8 CPU profiles of this process during the first measured runs (tests/artifacts/{stack,floor}-{me,purchase}.cpuprofile). */
const PROFILE = process.env.BENCH_PROFILE === '1';
const MIN_RATIO = 0.3;
const MAX_ERROR_RATE = 0.01;
const ENTRIES_PER_MEMBER = 30;

const APPID = 'wx_bench_appid';
const SECRET = 'bench_app_secret';
const JWT_SECRET = randomBytes(32).toString('base64url');

type Org = Awaited<ReturnType<typeof seedOrg>>;
interface Signed { token: string; userId: number; memberId: number; memberNo: string; codeSecret: string }
type Gql = <T>(url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<{ data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }>;

const log = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

const gql: Gql = async (url, query, variables = {}, token) => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as never;
};

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}


async function signIn(url: string, sim: WechatMiniSimulator, label: string): Promise<Signed> {
  const r = await gql<{ login: { token: string; viewer: { userId: string }; member: { id: string; memberNo: string; codeSecret: string } } }>(
    url,
    'mutation($code: String!) { login(code: $code) { token viewer { userId } member { id memberNo codeSecret } } }',
    { code: sim.login(label) },
  );
  if (!r.data?.login) throw new Error(`sign-in of ${label} failed: ${JSON.stringify(r.errors)}`);
  const l = r.data.login;
  return { token: l.token, userId: Number(l.viewer.userId), memberId: Number(l.member.id), memberNo: l.member.memberNo, codeSecret: l.member.codeSecret };
}

/**
 * Ledger history through the real ledger functions: per member 30 entries over the last two months (purchases
 * with their EARN credits, every sixth a till redemption), the first three credited ~23 months ago so a 24-month
 * lot expires within 30 days (`expiringSoon` is not null). Spend stays under 银卡's threshold (nextTier is real).
 */
async function seedHistory(app: App, members: Signed[], org: Org, staffId: number): Promise<void> {
  const now = Date.now();
  const day = 86_400_000;
  const names: Record<number, string> = { [org.guomao]: '北京国贸店', [org.zhonglou]: '西安钟楼店' };
  // One member at a time: debits lock the member's lots (FOR UPDATE, next-key locks on points_lot.member_id), so
  // long concurrent seeding transactions for neighbouring members deadlock on each other's lot inserts.
  await pool(members, 1, async (m, idx) => {
    await app.services.db.tx(async (q) => {
      for (let i = 0; i < ENTRIES_PER_MEMBER; i++) {
        const old = i < 3;
        const at = old ? new Date(addMonthsUtc(new Date(now), -24).getTime() + (12 + i * 5) * day) : new Date(now - (62 - i * 2) * day);
        const storeId = i % 3 === 0 ? org.zhonglou : org.guomao;
        const entry = { memberId: m.memberId, actorId: staffId, storeId, requestHash: null, now: at };
        if (!old && i % 6 === 5) {
          await debit(q, { ...entry, kind: 'REDEEM', reason: `门店抵扣 · 咖啡 · ${names[storeId]}`, sourceType: 'till_redeem', sourceRef: `seed-${m.memberId}-${i}` }, 20);
          continue;
        }
        const amountFen = old ? 80_000 : 1000 + ((idx * 31 + i * 17) % 40) * 100;
        const points = Math.floor(amountFen / 100);
        const lines = JSON.stringify([{ category: 'grocery', amountFen }]);
        const p = await q.run(
          'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [m.memberId, storeId, staffId, amountFen, lines, points, `seed-${m.memberId}-${i}`, 'seed', q.ts(at)],
        );
        await credit(q, { ...entry, kind: 'EARN', reason: `门店消费 ¥${(amountFen / 100).toFixed(2)} · ${names[storeId]}`, sourceType: 'purchase', sourceRef: String(p.insertId) }, points, 24);
      }
    });
  });
}

/** Members who only shop (scenario b): users + members + accounts written directly, 1000 rows a statement. */
async function seedBuyers(app: App, n: number): Promise<BuyMember[]> {
  const q = app.services.db.q;
  const tier = await app.services.tiers.entryTier();
  const now = new Date();
  const periodEnds = addMonthsUtc(now, 12);
  const out: BuyMember[] = [];
  for (let start = 0; start < n; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - start) }, (_, k) => {
      const i = start + k;
      return { openid: `bench-buyer-${i}`, memberNo: String(8_000_000_000 + i), codeSecret: base32Encode(randomBytes(20)) };
    });
    await q.run(
      `INSERT INTO app_user (openid, unionid, registration_source, created_at) VALUES ${batch.map(() => "(?, NULL, 'IN_STORE', ?)").join(', ')}`,
      batch.flatMap((b) => [b.openid, q.ts(now)]),
    );
    const ids = await q.all<{ id: unknown; openid: string }>(`SELECT id, openid FROM app_user WHERE openid IN (${batch.map(() => '?').join(', ')})`, batch.map((b) => b.openid));
    const userOf = new Map(ids.map((r) => [String(r.openid), toInt(r.id)]));
    await q.run(
      `INSERT INTO member (user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap((b) => [userOf.get(b.openid), b.memberNo, tier.dbId, q.ts(periodEnds), b.codeSecret, q.ts(now)]),
    );
    out.push(...batch.map((b) => ({ memberNo: b.memberNo, codeSecret: b.codeSecret })));
  }
  await q.run(
    "INSERT INTO member_account (id, balance, lifetime_earned, updated_at) SELECT m.id, 0, 0, ? FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.openid LIKE 'bench-buyer-%'",
    [q.ts(now)],
  );
  return out;
}

/** Starts the V8 profiler in this process (which serves the API and the floor); `stop` writes tests/artifacts/<name>.cpuprofile. */
async function startProfile(): Promise<{ stop(name: string): Promise<string> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      const dir = path.join(__dirname, '..', 'artifacts'); // git-ignored
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return path.relative(process.cwd(), file);
    },
  };
}

/** The autocannon child process. */
class Loader {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(f: RunFigures): void; reject(e: Error): void }>();
  private ready!: Promise<void>;

  constructor() {
    this.child = fork(path.join(__dirname, 'load.ts'), [], { execArgv: ['-r', path.join(__dirname, '..', '..', 'packages', 'api', 'register.js')], serialization: 'advanced' });
    this.child.on('message', (m: LoadReply) => {
      if (m.type === 'result') this.waiting.get(m.id)?.resolve(m.figures);
      if (m.type === 'failed') this.waiting.get(m.id)?.reject(new Error(m.message));
      if (m.type !== 'ready') this.waiting.delete(m.id);
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load generator exited (${code})`));
      this.waiting.clear();
    });
  }

  init(cmd: Extract<LoadCommand, { type: 'init' }>): Promise<void> {
    this.ready = new Promise((resolve) => {
      const on = (m: LoadReply): void => {
        if (m.type === 'ready') {
          this.child.off('message', on);
          resolve();
        }
      };
      this.child.on('message', on);
    });
    this.child.send(cmd);
    return this.ready;
  }

  run(url: string, scenario: 'me' | 'purchase', seconds: number): Promise<RunFigures> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ type: 'run', id, url, scenario, seconds, connections: CONNECTIONS } satisfies LoadCommand);
    });
  }

  close(): void {
    if (this.child.connected) this.child.send({ type: 'exit' } satisfies LoadCommand);
    setTimeout(() => this.child.kill(), 2000).unref();
  }
}

const median = (xs: RunFigures[], k: keyof RunFigures): number => {
  const v = xs.map((x) => x[k] as number).sort((a, b) => a - b);
  return v.length % 2 ? (v[(v.length - 1) / 2] as number) : ((v[v.length / 2 - 1] as number) + (v[v.length / 2] as number)) / 2;
};

function summarize(runs: RunFigures[]): RunFigures & { runs: number } {
  const sum = (k: keyof RunFigures): number => runs.reduce((a, r) => a + (r[k] as number), 0);
  return {
    reqPerSec: median(runs, 'reqPerSec'),
    rawReqPerSec: median(runs, 'rawReqPerSec'),
    p50: median(runs, 'p50'),
    p99: median(runs, 'p99'),
    total: sum('total'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    gqlErrors: sum('gqlErrors'),
    socketErrors: sum('socketErrors'),
    timeouts: sum('timeouts'),
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 3),
    seconds: sum('seconds'),
    runs: runs.length,
  };
}

const errorsOf = (f: RunFigures): number => f.non2xx + f.gqlErrors + f.socketErrors + f.timeouts;

async function main(): Promise<number> {
  let sim: WechatMiniSimulator | null = null;
  let db: TestDatabase | null = null;
  let app: App | null = null;
  let floor: Floor | null = null;
  let loader: Loader | null = null;
  try {
    const t0 = Date.now();
    sim = await startWechatMiniSimulator({ appid: APPID, secret: SECRET });
    db = await createTestDatabase('mariadb');
    db.config.poolMax = POOL;
    const config = loadConfig({
      NODE_ENV: 'production',
      WECHAT_APPID: APPID,
      WECHAT_SECRET: SECRET,
      EXPIRY_JOB_INTERVAL_MINUTES: '0',
      LOG_LEVEL: 'silent',
      DEMO: 'false',
      JWT_SECRET,
    });
    config.database = db.config;
    app = await createApp({ config, wechatBase: sim.url, logger: createLogger('silent') });
    await app.fastify.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.fastify.server.address();
    const stackUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const org = await seedOrg(app);
    const staff = await signIn(stackUrl, sim, 'bench-staff');
    await app.services.users.insertGrant(app.services.db.q, staff.userId, { role: 'STAFF', scope: 'STORE', storeId: org.guomao, regionId: org.beijing });
    const members = await pool(Array.from({ length: MEMBERS }, (_, i) => `bench-member-${i}`), 10, (label) => signIn(stackUrl, sim as WechatMiniSimulator, label));
    await seedHistory(app, members, org, staff.userId);
    const buyers = await seedBuyers(app, BUYERS + 2);
    const checkBuyers = buyers.splice(BUYERS, 2) as [BuyMember, BuyMember];
    const version = (await app.services.db.q.get<{ v: string }>('SELECT VERSION() AS v'))?.v ?? '?';
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${MEMBERS} members × ${ENTRIES_PER_MEMBER} ledger entries, ${BUYERS} till members, 1 staff`);

    if (db.config.kind === 'sqlite') throw new Error('the benchmark needs MariaDB');
    floor = await startFloor({ url: db.config.url, poolMax: POOL, jwtSecret: JWT_SECRET });

    // The floor must answer what the API answers.
    for (const m of members.slice(0, 5)) {
      const a = await gql(stackUrl, ME_QUERY, {}, m.token);
      const b = await gql(floor.url, ME_QUERY, {}, m.token);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`floor and API disagree on me:\n  API:   ${JSON.stringify(a)}\n  floor: ${JSON.stringify(b)}`);
    }
    const receipts = [];
    for (const [target, who] of [[stackUrl, checkBuyers[0]], [floor.url, checkBuyers[1]]] as const) {
      const input = { memberCode: currentMemberCode(who.memberNo, who.codeSecret, Date.now()), storeId: String(org.guomao), amountFen: 5800, lines: [{ category: 'fresh', amountFen: 2000 }, { category: 'grocery', amountFen: 3800 }], idempotencyKey: `bench-check-${who.memberNo}` };
      const r = await gql<{ recordPurchase: Record<string, unknown> }>(target, PURCHASE_MUTATION, { input }, staff.token);
      if (!r.data?.recordPurchase) throw new Error(`recordPurchase check failed on ${target}: ${JSON.stringify(r)}`);
      const { id: _id, memberNo: _no, ...rest } = r.data.recordPurchase;
      receipts.push(JSON.stringify({ keys: Object.keys(r.data.recordPurchase), ...rest }));
    }
    if (receipts[0] !== receipts[1]) throw new Error(`floor and API disagree on recordPurchase:\n  API:   ${receipts[0]}\n  floor: ${receipts[1]}`);
    log('floor answers match the API (me for 5 members; a recordPurchase receipt)');

    loader = new Loader();
    await loader.init({ type: 'init', tokens: members.map((m) => m.token), buyers, staffToken: staff.token, storeId: org.guomao });

    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '?',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      database: `MariaDB ${version}`,
    };
    log(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}, ${machine.database}`);
    log(`settings: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s × ${ROUNDS} round(s) per side, DB pool ${POOL}, NODE_ENV=${process.env.NODE_ENV}`);

    const scenarios: { name: string; key: 'me' | 'purchase'; stack: ReturnType<typeof summarize>; floor: ReturnType<typeof summarize>; ratio: number; errorRate: number }[] = [];
    for (const [key, name] of [['me', 'me (member home)'], ['purchase', 'recordPurchase']] as const) {
      log(`\n${name}: warming up…`);
      await loader.run(stackUrl, key, WARMUP);
      await loader.run(floor.url, key, WARMUP);
      const s: RunFigures[] = [];
      const f: RunFigures[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const prof = PROFILE && r === 0 ? await startProfile() : null;
        s.push(await loader.run(stackUrl, key, SECONDS));
        if (prof) log(`  CPU profile of the API process: ${await prof.stop(`stack-${key}`)}`);
        log(`  stack  ${s.at(-1)?.reqPerSec.toFixed(0)} req/s, p99 ${s.at(-1)?.p99} ms`);
        const fprof = PROFILE && r === 0 ? await startProfile() : null;
        f.push(await loader.run(floor.url, key, SECONDS));
        if (fprof) log(`  CPU profile of the floor: ${await fprof.stop(`floor-${key}`)}`);
        log(`  floor  ${f.at(-1)?.reqPerSec.toFixed(0)} req/s, p99 ${f.at(-1)?.p99} ms`);
      }
      const stack = summarize(s);
      const fl = summarize(f);
      scenarios.push({ name, key, stack, floor: fl, ratio: fl.reqPerSec > 0 ? stack.reqPerSec / fl.reqPerSec : 0, errorRate: errorsOf(stack) / Math.max(1, stack.total) });
    }

    const pad = (v: string, n: number): string => (v.length >= n ? v : v + ' '.repeat(n - v.length));
    const lpad = (v: string, n: number): string => (v.length >= n ? v : ' '.repeat(n - v.length) + v);
    log('');
    log(`${pad('scenario', 20)}${lpad('stack req/s', 13)}${lpad('stack p99 ms', 14)}${lpad('floor req/s', 13)}${lpad('floor p99 ms', 14)}${lpad('ratio', 8)}${lpad('stack errors', 15)}`);
    for (const r of scenarios) {
      log(
        `${pad(r.name, 20)}${lpad(r.stack.reqPerSec.toFixed(0), 13)}${lpad(String(r.stack.p99), 14)}${lpad(r.floor.reqPerSec.toFixed(0), 13)}${lpad(String(r.floor.p99), 14)}` +
          `${lpad(r.ratio.toFixed(2), 8)}${lpad(`${errorsOf(r.stack)}/${r.stack.total}`, 15)}`,
      );
    }
    const failures: string[] = [];
    for (const r of scenarios) {
      if (r.errorRate > MAX_ERROR_RATE) failures.push(`${r.name}: ${(r.errorRate * 100).toFixed(2)}% of the API's answers were errors (limit 1%): ${r.stack.errorSamples.join(' | ')}`);
      const floorErr = errorsOf(r.floor) / Math.max(1, r.floor.total);
      if (floorErr > MAX_ERROR_RATE) failures.push(`${r.name}: ${(floorErr * 100).toFixed(2)}% of the floor's answers were errors: ${r.floor.errorSamples.join(' | ')}`);
      if (!(r.ratio >= MIN_RATIO)) failures.push(`${r.name}: ratio stack/floor ${r.ratio.toFixed(2)} is below ${MIN_RATIO}`);
    }
    const results = {
      date: new Date().toISOString(),
      machine,
      settings: { seconds: SECONDS, warmupSeconds: WARMUP, connections: CONNECTIONS, rounds: ROUNDS, dbPool: POOL, members: MEMBERS, ledgerEntriesPerMember: ENTRIES_PER_MEMBER, tillMembers: BUYERS, minRatio: MIN_RATIO, maxErrorRate: MAX_ERROR_RATE },
      scenarios: scenarios.map((r) => ({
        scenario: r.key,
        stack: { reqPerSec: Math.round(r.stack.reqPerSec), p50Ms: r.stack.p50, p99Ms: r.stack.p99, requests: r.stack.total, errors: errorsOf(r.stack), non2xx: r.stack.non2xx, graphqlErrors: r.stack.gqlErrors, errorSamples: r.stack.errorSamples },
        floor: { reqPerSec: Math.round(r.floor.reqPerSec), p50Ms: r.floor.p50, p99Ms: r.floor.p99, requests: r.floor.total, errors: errorsOf(r.floor) },
        ratio: Number(r.ratio.toFixed(3)),
      })),
      pass: failures.length === 0,
      failures,
    };
    writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`\nresults written to tests/bench/results.json`);
    if (failures.length) {
      log('\nBENCHMARK FAILED');
      for (const f of failures) log(`  ✗ ${f}`);
      return 1;
    }
    log(`\nOK: every ratio ≥ ${MIN_RATIO}, errors ≤ 1%`);
    return 0;
  } finally {
    loader?.close();
    await floor?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await db?.drop().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`\nBENCHMARK ERROR: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
