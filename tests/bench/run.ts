/**
 * `pnpm bench`: the API's two hot paths under load, each beside a floor measured in the same run.
 *
 *   (a) `me`, the member home (member.service.ts: lean SQL), rotating over signed-in members' tokens;
 *   (b) `recordPurchase` at a till, a fresh idempotency key and a valid member code per request;
 *   (c) `notify`: WeChat Pay payment notifications processed end to end (signature, decryption, the transaction
 *       that marks the order paid and credits its points), each request the notification of a different pending
 *       order, against POST /webhooks/wechatpay.
 *
 * The stack is the real API (createApp: fastify + Apollo + type-graphql + MikroORM's connection, NODE_ENV
 * production, logger silent) on a fresh MariaDB database with the WeChat simulator in-process; the floor
 * (floor.ts) is node:http + a bare mysql2 pool of the same size running the same SQL; for (b) and (c) also the minimal
 * floor: the least SQL a hand-written service needs for the same answers and invariants (three round trips: a read,
 * one multi-statement transaction batch, COMMIT). All are served from this process, one at a time (with more rounds
 * they alternate); autocannon runs in a child process (load.ts). Both ratios are printed (stack / same-SQL floor,
 * stack / minimal floor); stack/floor must be ≥ 0.3.
 *
 * Knobs (environment): BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (20), BENCH_ROUNDS (1: with
 * more, stack and floors alternate and the median is reported), BENCH_MEMBERS (200), BENCH_BUYERS (≥ 20000: from the duration),
 * DB_POOL_MAX (10), TEST_DATABASE_URL (mariadb://root@127.0.0.1:3306), BENCH_PROFILE=1 (CPU profiles of the API, and the SQL
 * statements of one recordPurchase and one notification on each side listed; their counts are always printed),
 * BENCH_SCENARIOS (me,purchase,notify: which to run; `expiry` alone runs expiry.ts; `analytics` runs analytics.ts), BENCH_PAYERS (20000: members the notify orders rotate over),
 * BENCH_LOG (silent: the API's log level, e.g. `warn` to see why requests fail or stall), BENCH_API_PROCESSES (unset: the
 * API in this process; N: `pnpm start`'s entry with WEB_CONCURRENCY=N in its own process(es) on the same database —
 * external-api.ts; me and purchase only).
 */
import './env';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { addMonthsUtc, base32Encode, currentMemberCode, ledgerReason } from '@quanzi/shared';
import { generateWechatPayKeys, startWechatMiniSimulator, startWechatPaySimulator, type WechatMiniSimulator, type WechatPaySimulator } from '@quanzi/simulators';
import { createApp, type App } from '../../packages/api/src/app';
import { startExternalApi, type ExternalApi } from './external-api';
import { loadConfig } from '../../packages/api/src/config';
import { simulatedWechatPayConfig } from '../../packages/api/src/demo/wechatpay';
import { createLogger } from '../../packages/api/src/logger';
import { toDate, toInt } from '../../packages/api/src/db/sql';
import { credit, debit } from '../../packages/api/src/modules/ledger/ledger.service';
import { createTestDatabase, type TestDatabase } from '../../packages/api/test/support/db';
import { seedOrg } from '../../packages/api/test/support/org';
import { analyticsRequested, runAnalyticsBench } from './analytics';
import { startFloor, type Floor } from './floor';
import { notificationBuilder, type NotifyKeys, type NotifyOrder } from './notify';
import { StatementLog, statementLine } from '../../packages/api/src/db/statement-log';
import { ME_QUERY, NOTIFY_PATH, PURCHASE_MUTATION, type BuyMember, type LoadCommand, type LoadReply, type RunFigures, type Scenario } from './protocol';

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
/**
 * Till members: each can show one new member code per 30-second step (codes are single-use), so the purchase runs
 * need rate × 30 s of them to never run dry — sized by default for 1,500 req/s over the purchase scenario's time
 * (three sides × (warm-up + rounds × seconds), at most one 30-second window), at least 20,000.
 */
const BUYERS = num('BENCH_BUYERS', Math.max(20_000, Math.ceil(1_500 * Math.min(30, 3 * (WARMUP + ROUNDS * SECONDS)))));
const POOL = num('DB_POOL_MAX', 10);
const PAYERS = num('BENCH_PAYERS', 20_000);
const ALL_SCENARIOS: readonly Scenario[] = ['me', 'purchase', 'notify'];
const SCENARIOS: Scenario[] = (() => {
  const raw = (process.env.BENCH_SCENARIOS ?? '').split(',').map((x) => x.trim()).filter((x) => x && x !== 'analytics');
  if (raw.length === 0) return [...ALL_SCENARIOS];
  for (const x of raw) if (!ALL_SCENARIOS.includes(x as Scenario) && x !== 'expiry') throw new Error(`BENCH_SCENARIOS: unknown scenario ${x} (known: ${[...ALL_SCENARIOS, 'expiry', 'analytics'].join(', ')})`);
  return ALL_SCENARIOS.filter((x) => raw.includes(x));
})();
/** notify: orders given to a warm-up run per second of it (the run ends early if they are used up). */
const NOTIFY_WARMUP_RATE = 2_000;
/** BENCH_PROFILE=1: also write V8 CPU profiles of this process during the first measured runs (tests/artifacts/{stack,floor}-{me,purchase}.cpuprofile). */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** BENCH_API_PROCESSES=N: the stack in N API processes of its own (external-api.ts); 0: in this process. */
const API_PROCESSES = process.env.BENCH_API_PROCESSES ? Number(process.env.BENCH_API_PROCESSES) : 0;
const MIN_RATIO = 0.3;
const MAX_ERROR_RATE = 0.01;
const ENTRIES_PER_MEMBER = 30;

const APPID = 'wx_bench_appid';
const SECRET = 'bench_app_secret';
const JWT_SECRET = randomBytes(32).toString('base64url');

type Org = Awaited<ReturnType<typeof seedOrg>>;
interface Signed { token: string; userId: number; memberId: number; memberNo: string; codeSecret: string }
type Gql = <T>(url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<{ data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }>;

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them: the machine is shared, so every figure carries it. */
const loadAverage = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** The commit measured (`abc1234`, `+dirty` when the work tree has changes), so a regression can be traced. */
function gitCommit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: __dirname, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? '+dirty' : ''}`;
}

/** results.json keeps every run (newest last, at most 200): `{ runs: [...] }`; an older single-run file becomes the first. */
function appendResult(file: string, run: object): number {
  let runs: unknown[] = [];
  if (existsSync(file)) {
    try {
      const old = JSON.parse(readFileSync(file, 'utf8')) as { runs?: unknown[] };
      runs = Array.isArray(old.runs) ? old.runs : [old];
    } catch {
      runs = [];
    }
  }
  runs.push(run);
  runs = runs.slice(-200);
  writeFileSync(file, `${JSON.stringify({ runs }, null, 2)}\n`);
  return runs.length;
}

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
          await debit(q, { ...entry, kind: 'REDEEM', reason: ledgerReason.tillRedeem('咖啡'), sourceType: 'till_redeem', sourceRef: `seed-${m.memberId}-${i}` }, 20);
          continue;
        }
        const amountFen = old ? 80_000 : 1000 + ((idx * 31 + i * 17) % 40) * 100;
        const points = Math.floor(amountFen / 100);
        const lines = JSON.stringify([{ category: 'grocery', amountFen }]);
        const p = await q.run(
          'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [m.memberId, storeId, staffId, amountFen, lines, points, `seed-${m.memberId}-${i}`, 'seed', q.ts(at)],
        );
        await credit(q, { ...entry, kind: 'EARN', reason: ledgerReason.purchase(amountFen), sourceType: 'purchase', sourceRef: String(p.insertId) }, points, 24);
      }
    });
  });
}

/** Members who only shop (scenario b): users + members + accounts written directly, 1000 rows a statement. */
async function seedBuyers(app: App, n: number, prefix = 'bench-buyer-', firstNo = 8_000_000_000): Promise<(BuyMember & { openid: string })[]> {
  const q = app.services.db.q;
  const tier = await app.services.tiers.entryTier();
  const now = new Date();
  const periodEnds = addMonthsUtc(now, 12);
  const out: (BuyMember & { openid: string })[] = [];
  for (let start = 0; start < n; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - start) }, (_, k) => {
      const i = start + k;
      return { openid: `${prefix}${i}`, memberNo: String(firstNo + i), codeSecret: base32Encode(randomBytes(20)) };
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
    out.push(...batch.map((b) => ({ memberNo: b.memberNo, codeSecret: b.codeSecret, openid: b.openid })));
  }
  await q.run(
    'INSERT INTO member_account (id, balance, lifetime_earned, updated_at) SELECT m.id, 0, 0, ? FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.openid LIKE ?',
    [q.ts(now), `${prefix}%`],
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

  run(url: string, scenario: Scenario, seconds: number, orders?: NotifyOrder[]): Promise<RunFigures> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ type: 'run', id, url, scenario, seconds, connections: CONNECTIONS, ...(orders ? { orders } : {}) } satisfies LoadCommand);
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

/** A row set with the run-specific values (ids, transaction id, times) made relative, for comparing two members' books. */
async function booksOf(app: App, outTradeNo: string): Promise<string> {
  const q = app.services.db.q;
  const o = await q.get<Record<string, unknown>>('SELECT member_id, store_id, amount_fen, state, points, refunded_fen, points_reversed, transaction_id, paid_at FROM pay_order WHERE out_trade_no = ?', [outTradeNo]);
  if (!o) throw new Error(`order ${outTradeNo} missing`);
  const memberId = o.member_id;
  const tx = String(o.transaction_id);
  const paid = toDate(o.paid_at).getTime();
  // DATETIME columns arrive as Date or as 'YYYY-MM-DD HH:MM:SS.mmm' strings depending on the driver: both are times.
  const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;
  const sincePaid = (t: number): string => `paid${t - paid >= 0 ? '+' : ''}${Math.round((t - paid) / 1000)}s`;
  const rel = (v: unknown): unknown =>
    v instanceof Date || (typeof v === 'string' && DATETIME.test(v))
      ? sincePaid(toDate(v).getTime())
      : typeof v === 'string'
        ? v.split(tx).join('<tx>')
        : typeof v === 'bigint'
          ? Number(v)
          : v;
  const norm = (rows: Record<string, unknown>[]): Record<string, unknown>[] => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, rel(v)])));
  const { member_id: _m, transaction_id: _t, paid_at: _p, ...order } = o;
  return JSON.stringify({
    order: norm([order]),
    purchases: norm(await q.all('SELECT store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at FROM purchase WHERE member_id = ? ORDER BY id', [memberId])),
    entries: norm(await q.all('SELECT delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at FROM points_entry WHERE member_id = ? ORDER BY id', [memberId])),
    lots: norm(await q.all('SELECT points, remaining, expires_at FROM points_lot WHERE member_id = ? ORDER BY id', [memberId])),
    account: norm(await q.all('SELECT balance, lifetime_earned FROM member_account WHERE id = ?', [memberId])),
    tier: norm(await q.all('SELECT tier_id FROM member WHERE id = ?', [memberId])),
  });
}

async function main(): Promise<number> {
  let sim: WechatMiniSimulator | null = null;
  let paySim: WechatPaySimulator | null = null;
  let db: TestDatabase | null = null;
  let app: App | null = null;
  let floor: Floor | null = null;
  let loader: Loader | null = null;
  let external: ExternalApi | null = null;
  const want = (x: Scenario): boolean => SCENARIOS.includes(x);
  // The commit measured: read before anything runs (the work tree may change while a long run goes on).
  const commit = gitCommit();
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
      // The bench's operations are its own (the floor answers the same JSON), not the mini-program's registered
      // documents; the operation limits still apply. A registered-document check is one hash look-up.
      GRAPHQL_TRUSTED_DOCUMENTS: 'false',
      // Hundreds of members sign in from 127.0.0.1 to set the bench up: no per-IP sign-in limit here.
      RATE_LIMIT_LOGIN_PER_IP: '0',
    });
    config.database = db.config;
    // WeChat Pay (notify): keys generated for the run; WeChat Pay signs with a platform certificate and a public key alike.
    const payKeys = generateWechatPayKeys();
    let notifyKeys: NotifyKeys | null = null;
    if (want('notify')) {
      paySim = await startWechatPaySimulator({ keys: payKeys, appid: APPID, signWith: 'alternate' });
      config.wechatPay = simulatedWechatPayConfig(payKeys, paySim.url);
      notifyKeys = {
        appid: APPID,
        mchid: payKeys.merchant.mchid,
        apiV3Key: payKeys.apiV3Key,
        certSerial: payKeys.platformCert.serial,
        certPrivateKeyPem: payKeys.platformCert.privateKeyPem,
        pubKeyId: payKeys.publicKey.id,
        pubKeyPrivateKeyPem: payKeys.publicKey.privateKeyPem,
      };
    }
    app = await createApp({ config, wechatBase: sim.url, logger: createLogger((process.env.BENCH_LOG as Parameters<typeof createLogger>[0]) || 'silent') });
    await app.fastify.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.fastify.server.address();
    const stackUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    config.publicBaseUrl = stackUrl; // notify_url points back at this server
    const org = await seedOrg(app);
    // The referral programme on (F8), so every accrual looks the member's referral binding up, as in production.
    await app.services.db.q.run(
      'INSERT INTO referral_program (id, enabled, referrer_bonus, referee_bonus, share_pct, share_months, monthly_cap, qualifying_min_fen) VALUES (1, TRUE, 500, 0, 10, 12, 0, 0)',
    );
    const staff = await signIn(stackUrl, sim, 'bench-staff');
    await app.services.users.insertGrant(app.services.db.q, staff.userId, { role: 'STAFF', scope: 'STORE', storeId: org.guomao, regionId: org.beijing });
    const members = want('me') ? await pool(Array.from({ length: MEMBERS }, (_, i) => `bench-member-${i}`), 10, (label) => signIn(stackUrl, sim as WechatMiniSimulator, label)) : [];
    if (want('me')) await seedHistory(app, members, org, staff.userId);
    const buyers: BuyMember[] = want('purchase') ? await seedBuyers(app, BUYERS + 7) : [];
    const checkBuyers = buyers.splice(BUYERS, 7) as [BuyMember, BuyMember, BuyMember, BuyMember, BuyMember, BuyMember, BuyMember];
    // notify: members who pay (member rows written directly, like the till members), their ids for the orders.
    const payers: { memberId: number; openid: string }[] = [];
    if (want('notify')) {
      const seeded = await seedBuyers(app, PAYERS, 'bench-payer-', 9_000_000_000);
      const q = app.services.db.q;
      const ids = await q.all<{ id: unknown; openid: unknown }>("SELECT m.id, u.openid FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.openid LIKE 'bench-payer-%'");
      const byOpenid = new Map(ids.map((r) => [String(r.openid), toInt(r.id)]));
      for (const b of seeded) payers.push({ memberId: byOpenid.get(b.openid) as number, openid: b.openid });
    }
    const version = (await app.services.db.q.get<{ v: string }>('SELECT VERSION() AS v'))?.v ?? '?';
    log(
      `seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${want('me') ? `${MEMBERS} members × ${ENTRIES_PER_MEMBER} ledger entries, ` : ''}${want('purchase') ? `${BUYERS} till members, ` : ''}` +
        `${want('notify') ? `${PAYERS} paying members, ` : ''}1 staff (scenarios: ${SCENARIOS.join(', ')})`,
    );

    if (db.config.kind === 'sqlite') throw new Error('the benchmark needs MariaDB');
    floor = await startFloor({ url: db.config.url, poolMax: POOL, jwtSecret: JWT_SECRET, ...(config.wechatPay ? { wechatPay: config.wechatPay } : {}) });

    // The floor must answer what the API answers.
    const checked: string[] = [];
    if (want('me')) {
      for (const m of members.slice(0, 5)) {
        const a = await gql(stackUrl, ME_QUERY, {}, m.token);
        const b = await gql(floor.url, ME_QUERY, {}, m.token);
        if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`floor and API disagree on me:\n  API:   ${JSON.stringify(a)}\n  floor: ${JSON.stringify(b)}`);
      }
      checked.push('me for 5 members');
    }
    if (want('purchase')) {
      const receipts = [];
      for (const [target, who] of [[stackUrl, checkBuyers[0]], [floor.url, checkBuyers[1]], [floor.minimalUrl, checkBuyers[5]]] as const) {
        const input = { memberCode: currentMemberCode(who.memberNo, who.codeSecret, Date.now()), storeId: String(org.guomao), amountFen: 5800, lines: [{ category: 'fresh', amountFen: 2000 }, { category: 'grocery', amountFen: 3800 }], idempotencyKey: `bench-check-${who.memberNo}` };
        const r = await gql<{ recordPurchase: Record<string, unknown> }>(target, PURCHASE_MUTATION, { input }, staff.token);
        if (!r.data?.recordPurchase) throw new Error(`recordPurchase check failed on ${target}: ${JSON.stringify(r)}`);
        const { id: _id, memberNo: _no, ...rest } = r.data.recordPurchase;
        receipts.push(JSON.stringify({ keys: Object.keys(r.data.recordPurchase), ...rest }));
      }
      if (receipts[0] !== receipts[1]) throw new Error(`floor and API disagree on recordPurchase:\n  API:   ${receipts[0]}\n  floor: ${receipts[1]}`);
      if (receipts[0] !== receipts[2]) throw new Error(`minimal floor and API disagree on recordPurchase:\n  API:     ${receipts[0]}\n  minimal: ${receipts[2]}`);
      checked.push('a recordPurchase receipt');
    }
    if (want('notify') && paySim) {
      // Two members pay through the real flow (createPayment → JSAPI prepay → pay() in the simulator, delivery held
      // back); the simulator's own signed, encrypted notification goes to the API for one and to the floor for the
      // other. Both must answer 204 and leave the same books; a duplicate changes nothing on either.
      const post = async (url: string, n: { headers: Record<string, string>; body: string }): Promise<number> =>
        (await fetch(`${url}${NOTIFY_PATH}`, { method: 'POST', headers: Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k.toLowerCase(), v])), body: n.body })).status;
      const books: string[] = [];
      for (const [target, label] of [[stackUrl, 'bench-pay-check-api'], [floor.url, 'bench-pay-check-floor'], [floor.minimalUrl, 'bench-pay-check-minimal']] as const) {
        const who = await signIn(stackUrl, sim, label);
        const r = await gql<{ createPayment: { order: { outTradeNo: string }; payment: Record<string, string> } }>(
          stackUrl,
          'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }',
          { input: { storeId: String(org.zhonglou), amountFen: 6_800 } },
          who.token,
        );
        if (!r.data?.createPayment) throw new Error(`createPayment check failed: ${JSON.stringify(r.errors)}`);
        const no = r.data.createPayment.order.outTradeNo;
        paySim.notifications.drop = true;
        try {
          await paySim.pay(r.data.createPayment.payment as never);
          await paySim.idle();
        } finally {
          paySim.notifications.drop = false;
        }
        const n = paySim.buildNotification(no);
        const first = await post(target, n);
        const again = await post(target, paySim.buildNotification(no));
        if (first !== 204 || again !== 204) throw new Error(`notification check on ${target}: HTTP ${first}, duplicate HTTP ${again}`);
        books.push(await booksOf(app, no));
      }
      if (books[0] !== books[1]) throw new Error(`floor and API leave different books after a notification:\n  API:   ${books[0]}\n  floor: ${books[1]}`);
      if (books[0] !== books[2]) throw new Error(`minimal floor and API leave different books after a notification:\n  API:     ${books[0]}\n  minimal: ${books[2]}`);
      if (!books[0]?.includes('"state":"PAID"') || !books[0].includes('"kind":"EARN"')) throw new Error(`the notification check paid nothing: ${books[0]}`);
      checked.push('the books after a simulator notification and its duplicate');
    }
    log(`both floors' answers match the API (${checked.join('; ')})`);

    loader = new Loader();
    await loader.init({ type: 'init', tokens: members.map((m) => m.token), buyers, staffToken: staff.token, storeId: org.guomao, pay: notifyKeys });

    // notify: pending orders written directly (as createPayment writes them), `n` at a time, rotating over the payers.
    let orderSeq = 0;
    let batchSeq = 0;
    const zhonglouName = (await app.services.org.store(org.zhonglou)).name;
    const makeOrders = async (n: number): Promise<{ tag: string; orders: NotifyOrder[] }> => {
      const q = (app as App).services.db.q;
      const tag = `QZB${String(++batchSeq).padStart(3, '0')}X`;
      const now = new Date();
      const expires = new Date(now.getTime() + 30 * 60_000);
      const orders: (NotifyOrder & { memberId: number })[] = [];
      for (let i = 0; i < n; i++) {
        const k = orderSeq++;
        const payer = payers[k % payers.length] as { memberId: number; openid: string };
        orders.push({ no: `${tag}${String(k).padStart(8, '0')}`, total: 1_000 + (k % 50) * 100, openid: payer.openid, memberId: payer.memberId });
      }
      for (let s = 0; s < orders.length; s += 1000) {
        const batch = orders.slice(s, s + 1000);
        await q.run(
          `INSERT INTO pay_order (out_trade_no, member_id, store_id, created_by_id, amount_fen, description, \`lines\`, state, refunded_fen, points_reversed, expires_at, created_at) VALUES ${batch.map(() => "(?, ?, ?, NULL, ?, ?, ?, 'PENDING', 0, 0, ?, ?)").join(', ')}`,
          batch.flatMap((o) => [o.no, o.memberId, org.zhonglou, o.total, `${zhonglouName} 消费`, JSON.stringify([{ category: 'general', amountFen: o.total }]), q.ts(expires), q.ts(now)]),
        );
      }
      return { tag, orders: orders.map(({ no, total, openid }) => ({ no, total, openid })) };
    };
    // The statements of one request of each write path, on each side (caches warm: the checks above ran first).
    const statements: Partial<Record<Scenario, Record<'stack' | 'floor' | 'minimal', string[]>>> = {};
    const statementLog = new StatementLog(app.services.db.orm);
    try {
      if (want('purchase')) {
        const buy = async (url: string, who: BuyMember): Promise<void> => {
          const input = { memberCode: currentMemberCode(who.memberNo, who.codeSecret, Date.now()), storeId: String(org.guomao), amountFen: 5800, lines: [{ category: 'fresh', amountFen: 2000 }, { category: 'grocery', amountFen: 3800 }], idempotencyKey: `bench-profile-${who.memberNo}` };
          const r = await gql<{ recordPurchase: unknown }>(url, PURCHASE_MUTATION, { input }, staff.token);
          if (!r.data?.recordPurchase) throw new Error(`recordPurchase (statement profile) failed on ${url}: ${JSON.stringify(r)}`);
        };
        // One request first, so that no cache of the API (5–10 s TTLs) reloads inside the recorded one.
        await buy(stackUrl, checkBuyers[4]);
        statements.purchase = {
          stack: (await statementLog.record(() => buy(stackUrl, checkBuyers[2]))).statements,
          floor: (await floor.record(() => buy((floor as Floor).url, checkBuyers[3]))).statements,
          minimal: (await floor.record(() => buy((floor as Floor).minimalUrl, checkBuyers[6]))).statements,
        };
      }
      if (want('notify') && notifyKeys) {
        const build = notificationBuilder(notifyKeys);
        const { orders } = await makeOrders(4);
        const pay = async (url: string, o: NotifyOrder): Promise<void> => {
          const n = build.build(o);
          const res = await fetch(`${url}${NOTIFY_PATH}`, { method: 'POST', headers: n.headers, body: n.body });
          if (res.status !== 204) throw new Error(`notification (statement profile) on ${url}: HTTP ${res.status}`);
        };
        await pay(stackUrl, orders[2] as NotifyOrder);
        statements.notify = {
          stack: (await statementLog.record(() => pay(stackUrl, orders[0] as NotifyOrder))).statements,
          floor: (await floor.record(() => pay((floor as Floor).url, orders[1] as NotifyOrder))).statements,
          minimal: (await floor.record(() => pay((floor as Floor).minimalUrl, orders[3] as NotifyOrder))).statements,
        };
      }
    } finally {
      statementLog.close();
    }
    for (const [key, sides] of Object.entries(statements)) {
      log(`round trips per ${key === 'purchase' ? 'recordPurchase' : 'notification'}: stack ${sides.stack.length}, same-SQL floor ${sides.floor.length}, minimal floor ${sides.minimal.length} (one multi-statement batch counts once)`);
      if (PROFILE) {
        for (const [side, list] of Object.entries(sides)) {
          log(`  ${side}:`);
          list.forEach((sql, i) => log(`    ${String(i + 1).padStart(2)}. ${statementLine(sql)}`));
        }
      }
    }

    /** One run; for notify with `orders` fresh pending orders, checked afterwards: an order PAID for every 204. */
    const runOnce = async (url: string, key: Scenario, seconds: number, orders = 0): Promise<RunFigures> => {
      if (key !== 'notify') return (loader as Loader).run(url, key, seconds);
      const batch = await makeOrders(Math.max(orders, CONNECTIONS * 2));
      const f = await (loader as Loader).run(url, key, seconds, batch.orders);
      await new Promise((r) => setTimeout(r, 300)); // requests still in flight when autocannon stopped finish
      const paid = toInt((await (app as App).services.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM pay_order WHERE out_trade_no LIKE ? AND state = 'PAID'", [`${batch.tag}%`]))?.n);
      // Every 204 is an order paid; at most the requests in flight when the run stopped were paid unanswered.
      if (paid < f.ok || paid > f.ok + CONNECTIONS) throw new Error(`notify on ${url}: ${f.ok} answers 204 but ${paid} of the run's orders are PAID`);
      if (f.seconds < seconds * 0.9) log(`  (the run used up its ${batch.orders.length} orders after ${f.seconds.toFixed(1)} s)`);
      return f;
    };

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

    const names: Record<Scenario, string> = { me: 'me (member home)', purchase: 'recordPurchase', notify: 'notify (WeChat Pay)' };
    type Summary = ReturnType<typeof summarize>;
    // BENCH_API_PROCESSES: from here on the stack is the API in processes of its own, on the same database.
    let measuredStack = stackUrl;
    if (API_PROCESSES > 0) {
      if (want('notify')) throw new Error('BENCH_API_PROCESSES: me and purchase only (notify needs this process\'s WeChat Pay keys)');
      external = await startExternalApi(API_PROCESSES, {
        NODE_ENV: 'production',
        DATABASE_URL: String((db.config as { url: string }).url),
        DB_POOL_MAX: String(POOL),
        WECHAT_APPID: APPID,
        WECHAT_SECRET: SECRET,
        WECHAT_API_BASE: sim.url,
        JWT_SECRET,
        DEMO: 'false',
        LOG_LEVEL: 'warn',
        EXPIRY_JOB_INTERVAL_MINUTES: '0',
        GRAPHQL_TRUSTED_DOCUMENTS: 'false',
        RATE_LIMIT_LOGIN_PER_IP: '0',
      });
      measuredStack = external.url;
      log(`the stack: ${API_PROCESSES} API process(es) of their own (WEB_CONCURRENCY=${API_PROCESSES}) at ${measuredStack}`);
    }
    const scenarios: { name: string; key: Scenario; stack: Summary; floor: Summary; minimal: Summary | null; ratio: number; ratioMinimal: number | null; errorRate: number }[] = [];
    const loadAtStart: Partial<Record<Scenario, string>> = {};
    type Side = 'stack' | 'floor' | 'minimal';
    for (const key of SCENARIOS) {
      const name = names[key];
      loadAtStart[key] = loadAverage();
      log(`\n${name}: load average ${loadAtStart[key]} (1, 5, 15 min); warming up…`);
      // The minimal floor exists for the two write paths (`me` is one read already).
      const sides: Side[] = key === 'me' ? ['stack', 'floor'] : ['stack', 'floor', 'minimal'];
      const urlOf: Record<Side, string> = { stack: measuredStack, floor: (floor as Floor).url, minimal: (floor as Floor).minimalUrl };
      const last: Record<Side, number> = { stack: 0, floor: 0, minimal: 0 };
      for (const side of sides) last[side] = (await runOnce(urlOf[side], key, WARMUP, WARMUP * NOTIFY_WARMUP_RATE)).reqPerSec;
      // notify: each measured run gets 2.5× the orders the fastest side has managed so far in the time, so that no side
      // runs dry when it goes faster than its warm-up (the loaded machine's rates swing).
      const budget = (): number => Math.ceil(Math.max(...sides.map((x) => last[x])) * SECONDS * 2.5) + CONNECTIONS * 4;
      const runs: Record<Side, RunFigures[]> = { stack: [], floor: [], minimal: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const side of sides) {
          const prof = PROFILE && r === 0 ? await startProfile() : null;
          const fig = await runOnce(urlOf[side], key, SECONDS, budget());
          runs[side].push(fig);
          last[side] = Math.max(last[side], fig.reqPerSec);
          if (prof) log(`  CPU profile (${side}): ${await prof.stop(`${side}-${key}`)}`);
          log(`  ${side.padEnd(8)}${fig.reqPerSec.toFixed(0)} req/s, p99 ${fig.p99} ms`);
        }
      }
      const stack = summarize(runs.stack);
      const fl = summarize(runs.floor);
      const minimal = runs.minimal.length ? summarize(runs.minimal) : null;
      scenarios.push({
        name,
        key,
        stack,
        floor: fl,
        minimal,
        ratio: fl.reqPerSec > 0 ? stack.reqPerSec / fl.reqPerSec : 0,
        ratioMinimal: minimal ? (minimal.reqPerSec > 0 ? stack.reqPerSec / minimal.reqPerSec : 0) : null,
        errorRate: errorsOf(stack) / Math.max(1, stack.total),
      });
    }

    const pad = (v: string, n: number): string => (v.length >= n ? v : v + ' '.repeat(n - v.length));
    const lpad = (v: string, n: number): string => (v.length >= n ? v : ' '.repeat(n - v.length) + v);
    log('');
    log(
      `${pad('scenario', 20)}${lpad('stack req/s', 12)}${lpad('p99 ms', 8)}${lpad('floor req/s', 12)}${lpad('p99 ms', 8)}${lpad('minimal req/s', 14)}${lpad('p99 ms', 8)}` +
        `${lpad('stack/floor', 12)}${lpad('stack/minimal', 14)}${lpad('stack errors', 14)}`,
    );
    for (const r of scenarios) {
      log(
        `${pad(r.name, 20)}${lpad(r.stack.reqPerSec.toFixed(0), 12)}${lpad(String(r.stack.p99), 8)}${lpad(r.floor.reqPerSec.toFixed(0), 12)}${lpad(String(r.floor.p99), 8)}` +
          `${lpad(r.minimal ? r.minimal.reqPerSec.toFixed(0) : '–', 14)}${lpad(r.minimal ? String(r.minimal.p99) : '–', 8)}` +
          `${lpad(r.ratio.toFixed(2), 12)}${lpad(r.ratioMinimal === null ? '–' : r.ratioMinimal.toFixed(2), 14)}${lpad(`${errorsOf(r.stack)}/${r.stack.total}`, 14)}`,
      );
    }
    const failures: string[] = [];
    for (const r of scenarios) {
      if (r.errorRate > MAX_ERROR_RATE) failures.push(`${r.name}: ${(r.errorRate * 100).toFixed(2)}% of the API's answers were errors (limit 1%): ${r.stack.errorSamples.join(' | ')}`);
      const floorErr = errorsOf(r.floor) / Math.max(1, r.floor.total);
      if (floorErr > MAX_ERROR_RATE) failures.push(`${r.name}: ${(floorErr * 100).toFixed(2)}% of the floor's answers were errors: ${r.floor.errorSamples.join(' | ')}`);
      const minimalErr = r.minimal ? errorsOf(r.minimal) / Math.max(1, r.minimal.total) : 0;
      if (r.minimal && minimalErr > MAX_ERROR_RATE) failures.push(`${r.name}: ${(minimalErr * 100).toFixed(2)}% of the minimal floor's answers were errors: ${r.minimal.errorSamples.join(' | ')}`);
      if (!(r.ratio >= MIN_RATIO)) failures.push(`${r.name}: ratio stack/floor ${r.ratio.toFixed(2)} is below ${MIN_RATIO}`);
    }
    const results = {
      date: new Date().toISOString(),
      commit,
      machine,
      settings: { seconds: SECONDS, warmupSeconds: WARMUP, connections: CONNECTIONS, rounds: ROUNDS, dbPool: POOL, apiProcesses: API_PROCESSES || 'in-process', scenarios: SCENARIOS, members: MEMBERS, ledgerEntriesPerMember: ENTRIES_PER_MEMBER, tillMembers: BUYERS, payingMembers: PAYERS, minRatio: MIN_RATIO, maxErrorRate: MAX_ERROR_RATE },
      scenarios: scenarios.map((r) => ({
        scenario: r.key,
        stack: { reqPerSec: Math.round(r.stack.reqPerSec), p50Ms: r.stack.p50, p99Ms: r.stack.p99, requests: r.stack.total, errors: errorsOf(r.stack), non2xx: r.stack.non2xx, graphqlErrors: r.stack.gqlErrors, errorSamples: r.stack.errorSamples },
        floor: { reqPerSec: Math.round(r.floor.reqPerSec), p50Ms: r.floor.p50, p99Ms: r.floor.p99, requests: r.floor.total, errors: errorsOf(r.floor) },
        ...(r.minimal ? { minimal: { reqPerSec: Math.round(r.minimal.reqPerSec), p50Ms: r.minimal.p50, p99Ms: r.minimal.p99, requests: r.minimal.total, errors: errorsOf(r.minimal) } } : {}),
        ratio: Number(r.ratio.toFixed(3)),
        ...(r.ratioMinimal === null ? {} : { ratioMinimal: Number(r.ratioMinimal.toFixed(3)) }),
        loadAverageAtStart: loadAtStart[r.key],
        ...(statements[r.key] ? { roundTrips: { stack: statements[r.key]?.stack.length, floor: statements[r.key]?.floor.length, minimal: statements[r.key]?.minimal.length } } : {}),
      })),
      pass: failures.length === 0,
      failures,
    };
    const kept = appendResult(path.join(__dirname, 'results.json'), results);
    log(`\nresults appended to tests/bench/results.json (commit ${results.commit}; ${kept} run(s) kept)`);
    if (failures.length) {
      log('\nBENCHMARK FAILED');
      for (const f of failures) log(`  ✗ ${f}`);
      return 1;
    }
    log(`\nOK: every ratio ≥ ${MIN_RATIO}, errors ≤ 1%`);
    return 0;
  } finally {
    loader?.close();
    await external?.close().catch(() => undefined);
    await floor?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await paySim?.close().catch(() => undefined);
    await db?.drop().catch(() => undefined);
  }
}

// BENCH_SCENARIOS=expiry: points expiry at scale beside a till (expiry.ts), on its own.
// BENCH_SCENARIOS=analytics: the managers' analytics on the chain-sized data set (analytics.ts), alone or before the others.
const onlyAnalytics = analyticsRequested() && (process.env.BENCH_SCENARIOS ?? '').split(',').every((x) => ['analytics', ''].includes(x.trim()));
const run: Promise<number> =
  process.env.BENCH_SCENARIOS?.trim() === 'expiry'
    ? import('./expiry').then((m) => m.runExpiryBench())
    : analyticsRequested()
      ? runAnalyticsBench().then(async (a) => (onlyAnalytics ? a : Math.max(a, await main())))
      : main();
run.then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`\nBENCHMARK ERROR: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
