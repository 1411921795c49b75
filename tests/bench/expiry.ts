/**
 * `BENCH_SCENARIOS=expiry pnpm bench` (issue #16, item 4): points expiry at scale beside a working till.
 *
 * A fresh MariaDB database gets BENCH_EXPIRY_MEMBERS members (200,000) with BENCH_EXPIRY_LOTS due lots each (5: a
 * million due lots) and one live lot each, written set-based (INSERT … SELECT over MariaDB's seq_1_to_n tables; the
 * seeding is not timed). A till load (recordPurchase against the real API, BENCH_EXPIRY_TILL_CONNECTIONS loops, 4, in
 * a child process: expiry-till.ts) runs on every tenth of those members; after BENCH_SECONDS (10) of till alone the
 * API process runs the expiry (`LedgerService.expireDue`, as its job would) while the till goes on.
 * BENCH_EXPIRY_WORKERS and BENCH_EXPIRY_TARGET_MS set its batches in flight and the transaction time they aim at
 * (default: the job's, 2 and 25 ms).
 *
 * Printed: the expiry's wall time and lots/s, its batches (count, members, transaction time p50/p99/max — the
 * longest a till can wait on an account lock), the till's p50/p99 and throughput before and during the expiry, errors,
 * the books afterwards (every due lot expired once, reconciliation empty) and the load average. It fails when the
 * expiry takes 60 s or more, the p99 of the batches' transactions or the till's p99 during the expiry reaches 50 ms,
 * the till's errors pass 1% or the books are off. The longest batch is printed, not held to the limit: one batch in
 * thousands meets the two shared cores' scheduling, which no batch size controls.
 */
import './env';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { addMonthsUtc, base32Encode } from '@quanzi/shared';
import { startWechatMiniSimulator, type WechatMiniSimulator } from '@quanzi/simulators';
import { createApp, type App } from '../../packages/api/src/app';
import { loadConfig } from '../../packages/api/src/config';
import { createLogger } from '../../packages/api/src/logger';
import { toInt } from '../../packages/api/src/db/sql';
import { createTestDatabase, type TestDatabase } from '../../packages/api/test/support/db';
import { seedOrg } from '../../packages/api/test/support/org';
import type { PhaseFigures, TillCommand, TillReply } from './expiry-till';
import type { BuyMember } from './protocol';

const num = (name: string, def: number): number => {
  const v = process.env[name];
  const n = v === undefined || v === '' ? def : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};
const MEMBERS = Math.floor(num('BENCH_EXPIRY_MEMBERS', 200_000));
const DUE_PER_MEMBER = Math.floor(num('BENCH_EXPIRY_LOTS', 5));
const TILL_CONNECTIONS = Math.floor(num('BENCH_EXPIRY_TILL_CONNECTIONS', 4));
/** Batches in flight (the job's default: 2 on MariaDB). */
const WORKERS = process.env.BENCH_EXPIRY_WORKERS ? Math.floor(num('BENCH_EXPIRY_WORKERS', 2)) : undefined;
/** The transaction time its batches aim at (default: the job's, 25 ms). */
const TARGET_MS = process.env.BENCH_EXPIRY_TARGET_MS ? num('BENCH_EXPIRY_TARGET_MS', 15) : undefined;
const BEFORE_SECONDS = num('BENCH_SECONDS', 10);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 3);
const POOL = num('DB_POOL_MAX', 10);
const WALL_LIMIT_S = 60;
const LOCK_LIMIT_MS = 50;
const APPID = 'wx_bench_appid';
const SECRET = 'bench_app_secret';

const log = (msg: string): void => void process.stdout.write(`${msg}\n`);
const loadAverage = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** The members, their accounts, EARN entries and lots, set-based, `step` members a statement. */
export async function seed(app: App, codeSecret: string, now: Date): Promise<{ lo: number; hi: number; dueLots: number }> {
  const q = app.services.db.q;
  const tier = await app.services.tiers.entryTier();
  const at = q.ts(now);
  const seqOf = (n: number): string => `seq_1_to_${n}`;
  await q.run(`INSERT INTO app_user (openid, unionid, registration_source, created_at) SELECT CONCAT('bench-exp-', seq), NULL, 'IN_STORE', ? FROM ${seqOf(MEMBERS)}`, [at]);
  await q.run(
    "INSERT INTO member (user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at) SELECT u.id, CONCAT('7', LPAD(u.id, 9, '0')), ?, ?, ?, ? FROM app_user u WHERE u.openid LIKE 'bench-exp-%'",
    [tier.dbId, q.ts(addMonthsUtc(now, 12)), codeSecret, at],
  );
  const r = await q.get<{ lo: unknown; hi: unknown }>("SELECT MIN(m.id) AS lo, MAX(m.id) AS hi FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.openid LIKE 'bench-exp-%'");
  const lo = toInt(r?.lo);
  const hi = toInt(r?.hi);
  const DUE_POINTS = 20;
  const LIVE_POINTS = 30;
  const balance = DUE_PER_MEMBER * DUE_POINTS + LIVE_POINTS;
  await q.run('INSERT INTO member_account (id, balance, lifetime_earned, updated_at) SELECT id, ?, ?, ? FROM member WHERE id BETWEEN ? AND ?', [balance, balance, at, lo, hi]);
  // Due lots were earned 25 months ago (a day apart, and a second apart from member to member); the live one yesterday.
  const dueBase = q.ts(addMonthsUtc(now, -25));
  const liveAt = q.ts(new Date(now.getTime() - 86_400_000));
  const step = 20_000;
  for (let from = lo; from <= hi; from += step) {
    const to = Math.min(hi, from + step - 1);
    await q.run(
      `INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at)
       SELECT m.id, IF(s.seq > ?, ?, ?), 'EARN', '消费 ¥20.00', NULL, NULL, 'purchase', CONCAT('bx-', m.id, '-', s.seq), NULL,
              IF(s.seq > ?, ?, ? + INTERVAL s.seq DAY + INTERVAL (m.id MOD 86400) SECOND)
       FROM member m JOIN ${seqOf(DUE_PER_MEMBER + 1)} s WHERE m.id BETWEEN ? AND ? ORDER BY m.id, s.seq`,
      [DUE_PER_MEMBER, LIVE_POINTS, DUE_POINTS, DUE_PER_MEMBER, liveAt, dueBase, from, to],
    );
    await q.run(
      `INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at)
       SELECT e.member_id, e.id, e.delta, e.delta, e.created_at + INTERVAL 24 MONTH FROM points_entry e WHERE e.member_id BETWEEN ? AND ? ORDER BY e.id`,
      [from, to],
    );
  }
  const due = await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [at]);
  return { lo, hi, dueLots: toInt(due?.n) };
}

class Till {
  private readonly child = fork(path.join(__dirname, 'expiry-till.ts'), [], { execArgv: ['-r', path.join(__dirname, '..', '..', 'packages', 'api', 'register.js')], serialization: 'advanced' });
  private next(type: TillReply['type']): Promise<TillReply> {
    return new Promise((resolve, reject) => {
      const on = (m: TillReply): void => {
        if (m.type !== type) return;
        this.child.off('message', on);
        resolve(m);
      };
      this.child.on('message', on);
      this.child.once('exit', (code) => reject(new Error(`till load exited (${code})`)));
    });
  }
  async start(cmd: Omit<Extract<TillCommand, { type: 'start' }>, 'type'>): Promise<void> {
    const started = this.next('started');
    this.child.send({ type: 'start', ...cmd } satisfies TillCommand);
    await started;
  }
  phase(name: string): void {
    this.child.send({ type: 'phase', name } satisfies TillCommand);
  }
  async stop(): Promise<Record<string, PhaseFigures>> {
    const stopped = this.next('stopped');
    this.child.send({ type: 'stop' } satisfies TillCommand);
    return ((await stopped) as Extract<TillReply, { type: 'stopped' }>).phases;
  }
  kill(): void {
    this.child.kill();
  }
}

export async function runExpiryBench(): Promise<number> {
  let sim: WechatMiniSimulator | null = null;
  let db: TestDatabase | null = null;
  let app: App | null = null;
  let till: Till | null = null;
  try {
    const t0 = Date.now();
    sim = await startWechatMiniSimulator({ appid: APPID, secret: SECRET });
    db = await createTestDatabase('mariadb');
    if (db.config.kind === 'sqlite') throw new Error('the expiry bench needs MariaDB');
    db.config.poolMax = POOL;
    const config = loadConfig({
      NODE_ENV: 'production', WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, EXPIRY_JOB_INTERVAL_MINUTES: '0', LOG_LEVEL: 'silent', DEMO: 'false',
      JWT_SECRET: randomBytes(32).toString('base64url'), GRAPHQL_TRUSTED_DOCUMENTS: 'false', RATE_LIMIT_LOGIN_PER_IP: '0',
    });
    config.database = db.config;
    app = await createApp({ config, wechatBase: sim.url, logger: createLogger('silent') });
    await app.fastify.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.fastify.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const org = await seedOrg(app);
    const login = await (await fetch(`${url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($code: String!) { login(code: $code) { token viewer { userId } } }', variables: { code: sim.login('bench-expiry-staff') } }),
    })).json() as { data: { login: { token: string; viewer: { userId: string } } } };
    await app.services.users.insertGrant(app.services.db.q, Number(login.data.login.viewer.userId), { role: 'STAFF', scope: 'STORE', storeId: org.guomao, regionId: org.beijing });

    const now = new Date();
    const codeSecret = base32Encode(randomBytes(20));
    const { lo, hi, dueLots } = await seed(app, codeSecret, now);
    const tillRows = await app.services.db.q.all<{ member_no: unknown }>('SELECT member_no FROM member WHERE id BETWEEN ? AND ? AND MOD(id, 10) = 0', [lo, hi]);
    const buyers: BuyMember[] = tillRows.map((r) => ({ memberNo: String(r.member_no), codeSecret }));
    const version = (await app.services.db.q.get<{ v: string }>('SELECT VERSION() AS v'))?.v ?? '?';
    log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, MariaDB ${version}; DB pool ${POOL}`);
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s (not timed): ${hi - lo + 1} members, ${dueLots} due lots, ${hi - lo + 1} live lots; till on ${buyers.length} of those members, ${TILL_CONNECTIONS} connections`);

    till = new Till();
    await till.start({ url, staffToken: login.data.login.token, storeId: org.guomao, buyers, connections: TILL_CONNECTIONS });
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const loadBefore = loadAverage();
    till.phase('before');
    log(`till alone for ${BEFORE_SECONDS} s: load average ${loadBefore} (1, 5, 15 min)`);
    await new Promise((r) => setTimeout(r, BEFORE_SECONDS * 1000));

    const loadAtExpiry = loadAverage();
    till.phase('during');
    const batches: { members: number; lots: number; ms: number }[] = [];
    const e0 = performance.now();
    const run = await app.services.ledger.expireDue(new Date(), { onBatch: (b) => batches.push(b), workers: WORKERS, targetMs: TARGET_MS });
    const wall = (performance.now() - e0) / 1000;
    till.phase('after');
    const loadAfter = loadAverage();
    const phases = await till.stop();
    till = null;

    const q = app.services.db.q;
    const left = toInt((await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [q.ts(now)]))?.n);
    const entries = toInt((await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM points_entry WHERE kind = 'EXPIRE'"))?.n);
    const allocated = await q.get<{ n: unknown; lots: unknown }>("SELECT COUNT(*) AS n, COUNT(DISTINCT a.lot_id) AS lots FROM lot_allocation a JOIN points_entry e ON e.id = a.entry_id WHERE e.kind = 'EXPIRE'");
    const expired = toInt(allocated?.lots);
    const allocations = toInt(allocated?.n);
    const r0 = performance.now();
    const reconciliation = await app.services.ledger.reconcile();
    const reconcileS = (performance.now() - r0) / 1000;

    const txMs = batches.map((b) => b.ms);
    log(`\nexpiry: ${run.lots} lots of ${run.members} members (${run.points} points) in ${wall.toFixed(1)} s = ${Math.round(run.lots / wall)} lots/s; load average ${loadAtExpiry} at its start, ${loadAfter} at its end`);
    log(`  ${batches.length} batches of ${pct(batches.map((b) => b.members), 50)} members (p50; ${Math.min(...batches.map((b) => b.members))}–${Math.max(...batches.map((b) => b.members))}), ${pct(batches.map((b) => b.lots), 50)} lots; transaction (lock hold) p50 ${ms(pct(txMs, 50))}, p99 ${ms(pct(txMs, 99))}, max ${ms(Math.max(...txMs))}`);
    const row = (name: string, f: PhaseFigures | undefined): void => {
      if (!f) return log(`  ${name}: no requests`);
      log(`  ${name.padEnd(7)} ${String(f.latencies.length).padStart(6)} requests, ${(f.latencies.length / Math.max(f.seconds, 0.001)).toFixed(0).padStart(4)} req/s, p50 ${ms(pct(f.latencies, 50))}, p99 ${ms(pct(f.latencies, 99))}, max ${ms(Math.max(0, ...f.latencies))}, errors ${f.errors}${f.errorSamples.length ? ` (${f.errorSamples.join(' | ')})` : ''}`);
    };
    log(`till (recordPurchase, ${TILL_CONNECTIONS} connections):`);
    row('before', phases.before);
    row('during', phases.during);
    log(`books: ${entries} EXPIRE entries (one per member) with ${allocations} allocations on ${expired} lots, for ${dueLots} due lots of ${MEMBERS} members, ${left} due lots left; reconciliation ${reconciliation.length === 0 ? 'empty' : `${reconciliation.length} rows: ${JSON.stringify(reconciliation.slice(0, 3))}`} (${reconcileS.toFixed(1)} s)`);

    const failures: string[] = [];
    if (run.lots !== dueLots || expired !== dueLots || allocations !== dueLots || left !== 0) failures.push(`expected ${dueLots} lots expired once: the run reported ${run.lots}, ${allocations} allocations on ${expired} lots, ${left} left`);
    if (entries !== MEMBERS || run.members !== MEMBERS) failures.push(`expected one EXPIRE entry for each of ${MEMBERS} members: ${entries} entries, the run reported ${run.members} members`);
    if (reconciliation.length > 0) failures.push('reconciliation is not empty');
    if (wall >= WALL_LIMIT_S) failures.push(`the expiry took ${wall.toFixed(1)} s (limit ${WALL_LIMIT_S} s)`);
    if (pct(txMs, 99) >= LOCK_LIMIT_MS) failures.push(`the batches held their locks ${ms(pct(txMs, 99))} at p99 (limit ${LOCK_LIMIT_MS} ms)`);
    const tillP99 = pct(phases.during?.latencies ?? [], 99);
    if (!phases.during || tillP99 >= LOCK_LIMIT_MS) failures.push(`the till's p99 during the expiry was ${ms(tillP99)} (limit ${LOCK_LIMIT_MS} ms)`);
    for (const [name, f] of Object.entries(phases)) if (f.errors > f.latencies.length * 0.01) failures.push(`till ${name}: ${f.errors} errors of ${f.latencies.length}`);
    if (failures.length) {
      log('\nEXPIRY BENCH FAILED');
      for (const f of failures) log(`  ✗ ${f}`);
      return 1;
    }
    log(`\nOK: ${dueLots} lots expired once in under ${WALL_LIMIT_S} s, the batches' locks and the till's p99 under ${LOCK_LIMIT_MS} ms, books balance`);
    return 0;
  } finally {
    till?.kill();
    await app?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await db?.drop().catch(() => undefined);
  }
}
