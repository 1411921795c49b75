/**
 * `pnpm soak`: load with faults (issue #12, item 5). A mixed load (workers.ts) against the real API running as a
 * separate process (api.ts) on a private MariaDB (mariadb.ts), with the WeChat, WeChat Pay and recharge-provider
 * simulators in this process; during the load the MariaDB server is crashed (SIGKILL, or stopped cleanly) and started
 * again, and the API process is SIGKILLed and started again. Clients retry with the same idempotency key. Then the
 * background work drains (payment recovery by query, reward fulfilment retries, expiry) and checks.ts asserts that
 * nothing was lost, created or left stuck. Exit 0 when every check holds, 1 with the report otherwise.
 *
 * Knobs (environment): SOAK_SECONDS (120: the load), SOAK_DRAIN_SECONDS (180: at most, waiting for background work),
 * SOAK_DB_STOP (kill | term: how MariaDB goes down), SOAK_DB_DOWN_SECONDS (5), SOAK_TILL_WORKERS (3),
 * SOAK_REWARD_WORKERS (2), SOAK_PAY_WORKERS (2), SOAK_PAUSE_MS (150: between one worker's operations),
 * SOAK_REQUEST_DEADLINE_SECONDS (90: how long a client keeps retrying one request), SOAK_TAMPER=1 (self-test: corrupt
 * the books before the checks, which must then fail), SOAK_REFUND_CRASH=1 (one more fault: a refund request stalls on
 * its way to WeChat Pay when the API is killed; see the README's findings).
 * Only 127.0.0.1 is used; the shared MariaDB on :3306 is never touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from 'mysql2/promise';
import { generateWechatPayKeys, startRechargeProviderSimulator, startWechatMiniSimulator, startWechatPaySimulator, type RechargeSimulator, type WechatMiniSimulator, type WechatPaySimulator } from '@quanzi/simulators';
import { createDatabase } from '../../packages/api/src/db/admin';
import { ApiProcess } from './api-process';
import { runChecks } from './checks';
import { Counters, SoakClient } from './client';
import { freePort, startPrivateMariadb, type PrivateMariadb } from './mariadb';
import { seed } from './seed';
import { startPayProxy, type PayProxy } from './pay-proxy';
import { REFUND, runLoad, type Records } from './workers';

const num = (name: string, def: number): number => {
  const v = process.env[name];
  const x = v === undefined || v === '' ? def : Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`${name} must be a positive number`);
  return x;
};
const SECONDS = num('SOAK_SECONDS', 120);
const DRAIN_SECONDS = num('SOAK_DRAIN_SECONDS', 180);
const DB_STOP = (process.env.SOAK_DB_STOP || 'kill') as 'kill' | 'term';
if (DB_STOP !== 'kill' && DB_STOP !== 'term') throw new Error('SOAK_DB_STOP must be kill or term');
const DB_DOWN_SECONDS = num('SOAK_DB_DOWN_SECONDS', 5);
const TILL_WORKERS = num('SOAK_TILL_WORKERS', 3);
const REWARD_WORKERS = num('SOAK_REWARD_WORKERS', 2);
const PAY_WORKERS = num('SOAK_PAY_WORKERS', 2);
const PAUSE_MS = num('SOAK_PAUSE_MS', 150);
const REQUEST_DEADLINE_S = num('SOAK_REQUEST_DEADLINE_SECONDS', 90);
const REFUND_CRASH = process.env.SOAK_REFUND_CRASH === '1';
const INITIAL_STOCK = 100_000;
const APPID = 'wx_soak_appid';
const SECRET = 'soak_app_secret';

const t0 = Date.now();
const stamp = (): string => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`;
const log = (m: string): void => void process.stdout.write(`[soak ${stamp()}] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function healthy(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

/** Waits until /health answers 200 (the API is up and reaches the database); the time it took, or null. */
async function untilHealthy(url: string, maxMs: number): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start < maxMs) {
    if (await healthy(url)) return Date.now() - start;
    await sleep(250);
  }
  return null;
}

/** Kills what this run started (the hard stop and Ctrl-C); set once they exist. */
let emergencyStop: () => void = () => undefined;

async function main(): Promise<number> {
  const artifacts = path.join(__dirname, '..', 'artifacts', 'soak'); // git-ignored
  mkdirSync(artifacts, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'quanzi-soak-'));
  const apiLog = path.join(artifacts, 'api.log');
  writeFileSync(apiLog, '');
  const counters = new Counters();
  const faults: string[] = [];
  const findings: string[] = [];
  let mariadb: PrivateMariadb | null = null;
  let api: ApiProcess | null = null;
  let pool: Pool | null = null;
  let mini: WechatMiniSimulator | null = null;
  let pay: WechatPaySimulator | null = null;
  let recharge: RechargeSimulator | null = null;
  let proxy: PayProxy | null = null;
  try {
    log(`load ${SECONDS} s, drain ≤ ${DRAIN_SECONDS} s; workers: till ${TILL_WORKERS}, reward ${REWARD_WORKERS}, pay ${PAY_WORKERS}, refund 1, expiry 1`);
    mariadb = await startPrivateMariadb(log);
    const dbUrl = await createDatabase(mariadb.url, 'quanzi_soak');
    mini = await startWechatMiniSimulator({ appid: APPID, secret: SECRET });
    const keys = generateWechatPayKeys();
    // WeChat's retry schedule (15 s, 15 s, 30 s, 3 min, …) shortened 5×: a notification that meets a dead API comes again.
    pay = await startWechatPaySimulator({ keys, appid: APPID, signWith: 'alternate', retryScale: 0.2, refundDelayMs: 200 });
    proxy = await startPayProxy(pay.url); // transparent, except for the SOAK_REFUND_CRASH fault
    const rechargeSecret = randomBytes(24).toString('base64url');
    recharge = await startRechargeProviderSimulator({ appId: 'qz_soak', secret: rechargeSecret, settleMs: 300, retryScale: 0.05 });
    const pem = (name: string, body: string): string => {
      const p = path.join(tmp, name);
      writeFileSync(p, body, { mode: 0o600 });
      return p;
    };
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), PUBLIC_BASE_URL: url, DATABASE_URL: dbUrl, DB_POOL_MAX: '10', DEMO: 'false',
      JWT_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'warn', WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, WECHAT_API_BASE: mini.url,
      EXPIRY_JOB_INTERVAL_MINUTES: '1', CLUB_JOBS_INTERVAL_SECONDS: '0',
      WECHATPAY_MCHID: keys.merchant.mchid, WECHATPAY_SERIAL_NO: keys.merchant.serial, WECHATPAY_PRIVATE_KEY_PATH: pem('apiclient_key.pem', keys.merchant.privateKeyPem),
      WECHATPAY_APIV3_KEY: keys.apiV3Key, WECHATPAY_API_BASE: proxy.url,
      WECHATPAY_PLATFORM_KEYS: `${keys.platformCert.serial}=${pem('platform.pem', keys.platformCert.publicKeyPem)},${keys.publicKey.id}=${pem('pub_key.pem', keys.publicKey.publicKeyPem)}`,
      PAY_ORDER_TTL_MINUTES: '5', PAY_RECOVERY_AFTER_MINUTES: '1', PAY_RECOVERY_INTERVAL_SECONDS: '5',
      REWARD_OTP_THRESHOLD_POINTS: '0', REWARD_JOBS_INTERVAL_SECONDS: '2', REWARD_PROVIDER_BASE_URL: recharge.url, REWARD_PROVIDER_APP_ID: 'qz_soak',
      REWARD_PROVIDER_SECRET: rechargeSecret, REWARD_PROVIDER_TIMEOUT_MS: '1500',
      SOAK_SEED_ORG: '1',
      // The soak's operations are its own, not the mini-program's registered documents (the operation limits still
      // apply); every client is 127.0.0.1 and one staff user drives the whole till load, so the per-IP and per-till
      // limits are off: the soak is about the books under faults (test/rate-limits.test.ts covers the limits).
      GRAPHQL_TRUSTED_DOCUMENTS: 'false', RATE_LIMIT_LOGIN_PER_IP: '0', RATE_LIMIT_OTP_PER_IP: '0', RATE_LIMIT_CODE_FAILURES: '0',
    };
    api = new ApiProcess(env, apiLog);
    const started = { api, mariadb };
    emergencyStop = () => {
      started.api.killNow();
      started.mariadb.killNow();
    };
    const startMs = await api.start();
    log(`API process ${api.pid} listening on ${url} (started in ${(startMs / 1000).toFixed(1)} s; NODE_ENV=production, log ${path.relative(process.cwd(), apiLog)})`);

    pool = createPool({ uri: dbUrl.replace(/^mariadb:/, 'mysql:'), connectionLimit: 3, timezone: 'Z' });
    const client = new SoakClient(url, counters, REQUEST_DEADLINE_S * 1000);
    const s = await seed(client, pool, mini, { tillMembers: 300, payers: 16, rewardMembers: 12, loadSeconds: SECONDS });
    log(`seeded: ${s.till.length} in-store members (${s.expiringLots} lots expiring during the load), ${s.payers.length} paying members, ${s.rewardMembers.length} reward members, staff, HQ manager, a ¥10 top-up`);

    // ---- the load, with the faults on a timer ------------------------------------------------------------------
    const records: Records = { till: [], rewards: [], payments: [], refunds: [], idempotencyViolations: [] };
    const loadEnds = Date.now() + SECONDS * 1000;
    const background: Promise<unknown>[] = [];
    const ctx = {
      client, counters, records, storeId: s.storeId, staff: s.staff, manager: s.manager, till: s.till, payers: s.payers, rewardMembers: s.rewardMembers,
      rewardId: s.rewardId, paySim: pay, rechargeSim: recharge, stopping: () => Date.now() >= loadEnds, background,
    };
    const db = mariadb;
    const proc = api;
    const faultPlan = (async () => {
      await sleep(SECONDS * 350);
      log(`FAULT: MariaDB ${DB_STOP === 'kill' ? 'SIGKILL (crash)' : 'SIGTERM (clean stop)'}, down ${DB_DOWN_SECONDS} s`);
      await db.stop(DB_STOP);
      faults.push(`MariaDB ${DB_STOP === 'kill' ? 'killed -9' : 'stopped cleanly'} at ${stamp().trim()}, down ${DB_DOWN_SECONDS} s`);
      counters.add('restarts.mariadb');
      await sleep(DB_DOWN_SECONDS * 1000);
      await db.start();
      log('MariaDB started again on the same datadir and port');
      const back = await untilHealthy(url, 120_000);
      if (back === null) findings.push('the API did not reach the restarted MariaDB within 120 s (/health stayed 503)');
      else log(`API healthy again ${(back / 1000).toFixed(1)} s after MariaDB came back`);
      await sleep(Math.max(0, loadEnds - SECONDS * 350 - Date.now()));
      let crashRefund: Promise<void> = Promise.resolve();
      const px = proxy as PayProxy;
      if (REFUND_CRASH) {
        // The API dies while WeChat Pay has not received a refund it is sending (the network stalls, then SIGKILL).
        const [rows] = await (pool as Pool).query("SELECT out_trade_no, amount_fen FROM pay_order WHERE state = 'PAID' AND refunded_fen = 0 ORDER BY id DESC LIMIT 1");
        const o = (rows as { out_trade_no: string; amount_fen: number }[])[0];
        if (o) {
          px.holdRefunds = true;
          const key = `sf-crash-${Date.now().toString(36)}`;
          log(`FAULT: refund of ${o.out_trade_no} held on its way to WeChat Pay (key ${key})`);
          crashRefund = client.call<{ refundPayment: { outRefundNo: string; status: string } }>('refundPayment', REFUND, { input: { outTradeNo: o.out_trade_no, amountFen: o.amount_fen, reason: '退货', idempotencyKey: key } }, s.staff.token).then((r) => {
            records.refunds.push({ key, outTradeNo: o.out_trade_no, amountFen: o.amount_fen, outcome: r.data ? 'ok' : r.gaveUp ? 'gave-up' : 'failed', code: r.code, outRefundNo: r.data?.refundPayment.outRefundNo ?? null });
            log(`the held refund, retried with its key after the restart, answered ${r.data ? `status ${r.data.refundPayment.status}` : r.code}`);
          });
          await sleep(1500);
        }
      }
      log('FAULT: API process SIGKILL');
      await proc.kill();
      if (px.holdRefunds) faults.push(`${px.held} refund request(s) held on their way to WeChat Pay when the API died`);
      px.holdRefunds = false;
      faults.push(`API process SIGKILLed at ${stamp().trim()}`);
      counters.add('restarts.api');
      const ms = await proc.start();
      log(`API process ${proc.pid} started again in ${(ms / 1000).toFixed(1)} s`);
      await crashRefund;
    })();
    const progress = setInterval(() => log(`progress: ${records.till.length} till, ${records.rewards.length} reward, ${records.payments.length} payment, ${records.refunds.length} refund requests`), 15_000);
    await runLoad(ctx, { tillWorkers: TILL_WORKERS, rewardWorkers: REWARD_WORKERS, payWorkers: PAY_WORKERS, pauseMs: PAUSE_MS });
    clearInterval(progress);
    await faultPlan;
    log(`load over: ${records.till.length} till, ${records.rewards.length} reward, ${records.payments.length} payment, ${records.refunds.length} refund requests; draining`);

    // ---- drain: let recovery, fulfilment and expiry finish (calling the job entry points too) ------------------
    await Promise.all(background);
    const drainEnds = Date.now() + DRAIN_SECONDS * 1000;
    const manager = s.manager.token;
    let pending = '';
    for (let round = 0; Date.now() < drainEnds; round++) {
      await client.call('runRewardJobs', 'mutation { runRewardJobs { done retried dead } }', {}, manager);
      await client.call('runPaymentRecovery', 'mutation { runPaymentRecovery { checked completed closed } }', {}, manager);
      const count = async (sql: string): Promise<number> => Number(((await (pool as Pool).query(sql))[0] as { c: unknown }[])[0]?.c ?? 0);
      const rewardsOpen = await count("SELECT COUNT(*) AS c FROM reward_redemption WHERE status IN ('PENDING', 'PROCESSING')");
      const refundsOpen = await count("SELECT COUNT(*) AS c FROM pay_refund WHERE status = 'PROCESSING'");
      const [po] = await pool.query("SELECT out_trade_no FROM pay_order WHERE state = 'PENDING'");
      const paidPending = (po as { out_trade_no: string }[]).filter((o) => ['SUCCESS', 'REFUND'].includes(String((pay?.order(o.out_trade_no) as { trade_state?: string } | null)?.trade_state)));
      pending = `reward orders in progress ${rewardsOpen}, paid orders not yet PAID ${paidPending.length}, refunds PROCESSING ${refundsOpen}`;
      if (rewardsOpen === 0 && paidPending.length === 0 && refundsOpen === 0) break;
      if (round % 5 === 0) log(`draining: ${pending}`);
      await sleep(3000);
    }
    log(`drained (${pending})`);
    const exp = await client.call<{ runPointsExpiry: { lots: number } }>('runPointsExpiry', 'mutation { runPointsExpiry { members lots points } }', {}, manager);
    if (exp.data) counters.add('expiry.lots', exp.data.runPointsExpiry.lots);
    if (process.env.SOAK_TAMPER === '1') {
      // Self-test of the checks: points created from nothing (a credit with no purchase behind it) and a balance
      // that disagrees with its ledger. The run must fail.
      const m = s.till[0]?.memberId;
      const [e] = await pool.query("INSERT INTO points_entry (member_id, delta, kind, reason, source_type, source_ref, created_at) VALUES (?, 5, 'EARN', 'tamper', 'purchase', 'tamper', ?)", [m, new Date()]);
      await pool.query('INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at) VALUES (?, ?, 5, 5, ?)', [m, (e as { insertId: number }).insertId, new Date(Date.now() + 86_400_000)]);
      await pool.query('UPDATE member_account SET balance = balance + 12 WHERE id = ?', [m]);
      log(`SOAK_TAMPER=1: credited 5 points from nothing and added 12 to the balance of member ${m}`);
    }
    const rec = await client.must<{ pointsReconciliation: unknown[] }>('pointsReconciliation', '{ pointsReconciliation { memberId balance entriesSum lotsRemaining } }', {}, manager);

    // ---- checks and report -----------------------------------------------------------------------------------
    const report = await runChecks(pool, records, { pay, recharge }, rec.pointsReconciliation, INITIAL_STOCK);
    const deliveries = pay.deliveries.filter((d) => !d.probe);
    const byEvent = new Map<string, number>();
    for (const d of deliveries) byEvent.set(d.eventId, (byEvent.get(d.eventId) ?? 0) + 1);
    const apiErrors = readFileSync(apiLog, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
    const line = (k: string, v: string | number): void => void process.stdout.write(`  ${k.padEnd(34)} ${v}\n`);
    process.stdout.write('\n=== soak report ===\n');
    line('load / drain', `${SECONDS} s / ${((Date.now() - loadEnds) / 1000).toFixed(0)} s`);
    line('faults injected', faults.join('; ') || '(none)');
    for (const p of ['purchase', 'redeem', 'reward', 'payment', 'refund', 'lookup', 'expiry', 'provider-behaviour', 'restarts', 'retry', 'notify', 'worker-error']) line(p, counters.group(p));
    const statusCounts = deliveries.reduce<Record<string, number>>((a, d) => ({ ...a, [String(d.status)]: (a[String(d.status)] ?? 0) + 1 }), {});
    line('WeChat Pay notifications', `${byEvent.size} events, ${deliveries.length} POSTs (${[...byEvent.values()].filter((c) => c > 1).length} events sent more than once); answers ${Object.entries(statusCounts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    const cbs = recharge.callbacks.reduce<Record<string, number>>((a, c) => ({ ...a, [String(c.status)]: (a[String(c.status)] ?? 0) + 1 }), {});
    const provFailed = recharge.orders().filter((o) => o.status === 'FAILED').length;
    line('recharge provider', `${recharge.orders().length} orders (${provFailed} FAILED), ${recharge.submits.length} submits, ${recharge.queries.length} queries, callbacks ${Object.entries(cbs).map(([k, v]) => `${k}=${v}`).join(' ') || '0'}`);
    for (const [k, v] of Object.entries(report.figures)) line(k, v);
    line('API log errors (level ≥ 50)', apiErrors.length);
    for (const e of apiErrors.slice(0, 5)) process.stdout.write(`    ${e.slice(0, 220)}\n`);
    if (api.unexpectedExits.length) findings.push(`the API process exited unexpectedly: ${api.unexpectedExits.join(', ')}`);
    for (const n of report.notes.slice(0, 10)) process.stdout.write(`  note: ${n}\n`);
    const failures = [...findings, ...report.failures];
    writeFileSync(path.join(artifacts, 'result.json'), `${JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, faults, figures: report.figures, failures, notes: report.notes }, null, 2)}\n`);
    if (failures.length) {
      process.stdout.write(`\nSOAK FAILED (${failures.length}):\n${failures.map((x) => `  ✗ ${x}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write('\nSOAK OK: books balance; every request took effect exactly once or failed with a code and changed nothing; no payment, refund or reward order stuck\n');
    return 0;
  } finally {
    await api?.stop().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await mini?.close().catch(() => undefined);
    await pay?.close().catch(() => undefined);
    await recharge?.close().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await mariadb?.destroy().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

// A hard stop, whatever happens: the soak ends by itself.
setTimeout(() => {
  process.stderr.write('\nSOAK ERROR: overall time limit reached\n');
  emergencyStop();
  process.exit(2);
}, (SECONDS + DRAIN_SECONDS + 600) * 1000).unref();
process.once('SIGINT', () => {
  emergencyStop();
  process.exit(130);
});

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`\nSOAK ERROR: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
