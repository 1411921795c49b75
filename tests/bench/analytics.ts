/**
 * `BENCH_SCENARIOS=analytics pnpm bench`: the managers' analytics (issue #15) on the chain-sized data set of
 * `pnpm seed:scale`. Each query runs BENCH_ANALYTICS_RUNS times (20, after 2 warm-ups) one after another through
 * the GraphQL API (the real app, NODE_ENV production), signed in as the HQ manager and as store 1's manager, and
 * p50/p95 per query and scope are printed with the load average; p95 must be < 200 ms.
 *
 * Knobs: BENCH_SCALE_DB (quanzi_scale: reused when it has members, else seeded with BENCH_SCALE_MEMBERS,
 * 1,000,000), TEST_DATABASE_URL (the server, mariadb://root@127.0.0.1:3306), BENCH_ANALYTICS_RUNS (20),
 * BENCH_ANALYTICS_SCOPES (hq,store: which managers ask), BENCH_RFM_LIVE (1: also an RFM range that is not one of the
 * dashboard's windows, computed live at HQ — printed, not held to the limit).
 */
import os from 'node:os';
import { createConnection } from 'mysql2/promise';
import { createApp, type App } from '../../packages/api/src/app';
import { loadConfig } from '../../packages/api/src/config';
import { parseDbUrl } from '../../packages/api/src/db/admin';
import { toDate } from '../../packages/api/src/db/sql';
import { createLogger } from '../../packages/api/src/logger';
import { SETTLE_MS } from '../../packages/api/src/modules/analytics/day-summary';
import { RFM_WINDOW_DAYS } from '@quanzi/shared';
import { SCALE_DEFAULTS } from '../../packages/api/src/scale/generate';
import { SCALE_HQ_MANAGER, SCALE_STORE_ID, SCALE_STORE_MANAGER, seedScale } from '../../packages/api/src/scale/load';

const P95_LIMIT_MS = 200;
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** True when BENCH_SCENARIOS names `analytics`. */
export function analyticsRequested(): boolean {
  return (process.env.BENCH_SCENARIOS ?? '').split(',').map((x) => x.trim()).includes('analytics');
}

const loadAverage = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const log = (s: string): void => void process.stdout.write(`${s}\n`);

const KPIS = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { analyticsKpis(from: $from, to: $to, storeId: $storeId) {
  current { newMembers referrals activeMembers churnRate visits visitors spendFen avgSpendPerVisitFen visitFrequency pointsIssued pointsRedeemed pointsExpired redemptionRate liabilityPoints liabilityFen ownRedemptions partnerRedemptions ownRedemptionRatio clubAttendees }
  previous { newMembers activeMembers churnRate visits spendFen pointsIssued liabilityPoints ownRedemptionRatio } } }`;
const INVENTORY = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { customerInventory(from: $from, to: $to, storeId: $storeId) { weeks { at counts { stage members } } trend { stage first last change } } }`;
const DECLINING = `query($storeId: ID) { decliningMembers(first: 50, storeId: $storeId) { total pageInfo { hasNextPage endCursor } items { memberId memberNo reason } } }`;
const RFM = `query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { rfmReport(from: $from, to: $to, storeId: $storeId) { scoredMembers spendFen topSpendShare cells { r f members spendFen } } }`;
const RADAR = `query($storeId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { tradeAreaRadar(storeId: $storeId, from: $from, to: $to) { located unlocated
  sectors { ring direction members spendFen points byGender { gender members } byAgeBand { ageBand members } } } }`;

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

export async function runAnalyticsBench(): Promise<number> {
  const server = (process.env.TEST_DATABASE_URL || 'mariadb://root@127.0.0.1:3306').replace(/^mysql:/, 'mariadb:');
  const name = process.env.BENCH_SCALE_DB || 'quanzi_scale';
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error('BENCH_SCALE_DB: letters, digits and _ only');
  const runs = Number(process.env.BENCH_ANALYTICS_RUNS || 20);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.toString();

  log(`analytics bench on ${name} — load average at the start: ${loadAverage()}`);
  const c = parseDbUrl(url);
  const admin = await createConnection({ host: c.host, port: c.port, user: c.user, password: c.password });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const [tables] = (await admin.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [name, 'member'])) as unknown as [{ n: number }[]];
  const seeded = Number(tables[0]?.n) > 0 && Number(((await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.member`)) as unknown as [{ n: number }[]])[0][0]?.n) > 0;
  await admin.end();
  if (!seeded) {
    const members = Number(process.env.BENCH_SCALE_MEMBERS || 1_000_000);
    log(`seeding ${members} members (pnpm seed:scale) …`);
    const r = await seedScale(url, { ...SCALE_DEFAULTS, members, now: new Date(), log });
    log(`seeded: ${JSON.stringify(r.rows)} in ${JSON.stringify(r.timings)} ms`);
  }

  const config = loadConfig({
    NODE_ENV: 'production',
    WECHAT_APPID: 'wx_bench_appid',
    WECHAT_SECRET: 'bench_app_secret',
    // No in-process jobs: the bench brings the summaries up to date itself (timed), and a job running during the
    // timed queries would measure the job, not the query.
    EXPIRY_JOB_INTERVAL_MINUTES: '0',
    ANALYTICS_SUMMARY_INTERVAL_MINUTES: '0',
    BIRTHDAY_BONUS_JOB_INTERVAL_MINUTES: '0',
    CAMPAIGN_JOBS_INTERVAL_SECONDS: '0',
    REWARD_JOBS_INTERVAL_SECONDS: '0',
    CLUB_JOBS_INTERVAL_SECONDS: '0',
    PAY_RECOVERY_INTERVAL_SECONDS: '0',
    OUTBOX_RETENTION_INTERVAL_MINUTES: '0',
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    JWT_SECRET: `bench-analytics-${Math.random().toString(36).slice(2)}-0123456789abcdef`,
    GRAPHQL_TRUSTED_DOCUMENTS: 'false',
    DATABASE_URL: url,
  });
  let app: App | null = null;
  try {
    const t0 = Date.now();
    // Errors only: a query that fails shows its cause here.
    app = await createApp({ config, wechatBase: 'http://127.0.0.1:9', logger: createLogger('error') });
    await app.fastify.listen({ host: '127.0.0.1', port: 0 });
    log(`API up on the scale database in ${Date.now() - t0} ms (migrations included)`);
    const addr = app.fastify.server.address();
    const gqlUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/graphql`;
    const q = app.services.db.q;
    const counts = await q.get<Record<string, unknown>>('SELECT (SELECT COUNT(*) FROM member) AS members, (SELECT COUNT(*) FROM purchase) AS purchases, (SELECT COUNT(*) FROM points_entry) AS entries, (SELECT MAX(created_at) FROM purchase) AS last');
    // The ranges end at the Shanghai midnight after the data set's last purchase, so the figures do not depend on today.
    const last = toDate(counts?.last).getTime();
    const to = new Date(Math.ceil((last + SHANGHAI) / DAY) * DAY - SHANGHAI);
    const day = (n: number): string => new Date(to.getTime() - n * DAY).toISOString();
    log(`data set: ${counts?.members} members, ${counts?.purchases} purchases, ${counts?.entries} ledger entries; ranges end ${to.toISOString()}`);

    // The leased summary job runs every few minutes in production: bring the summary up to date first (timed).
    const s0 = Date.now();
    const sum = await app.services.analyticsSummary.refresh();
    log(`analytics summary: ${sum.days} day(s) added in ${Date.now() - s0} ms, watermark ${sum.until?.toISOString() ?? 'none'}`);
    const d0 = Date.now();
    const st = await app.services.storeDaySummary.refresh();
    log(`store-day summary: ${st.days} day(s) added in ${Date.now() - d0} ms, watermark ${st.until?.toISOString() ?? 'none'}`);
    const v0 = Date.now();
    const vis = await app.services.visitSummary.refresh();
    log(`visit summary: ${vis.days} day(s) added in ${Date.now() - v0} ms, watermark ${vis.until?.toISOString() ?? 'none'}`);
    const l0 = Date.now();
    const lc = await app.services.lifecycleSummary.refresh();
    log(`lifecycle summary: ${lc.rebuilt ? 'rebuilt' : 'brought up to date'} for ${lc.members} member(s) in ${Date.now() - l0} ms, watermark ${lc.until?.toISOString() ?? 'none'}`);

    // HQ's RFM snapshots of the windows ending at `to` (the job writes them once the day after `to` has settled).
    const f0 = Date.now();
    const rfmRun = await app.services.rfmSnapshots.refresh(new Date(to.getTime() + SETTLE_MS));
    log(`RFM snapshots: ${rfmRun.written} window(s) of ${RFM_WINDOW_DAYS.join(', ')} days written in ${Date.now() - f0} ms, ending ${rfmRun.until.toISOString()}`);

    const hq = await app.services.tokens.sign(SCALE_HQ_MANAGER);
    const storeManager = await app.services.tokens.sign(SCALE_STORE_MANAGER);
    const store = String(SCALE_STORE_ID);
    // `informational`: printed, not held to the limit (a range the dashboard does not offer at HQ, computed live).
    const cases: { query: string; scope: string; doc: string; vars: Record<string, unknown>; token: string; informational?: boolean }[] = [];
    const scopes = (process.env.BENCH_ANALYTICS_SCOPES || 'hq,store').split(',').map((x) => x.trim());
    for (const [scope, token, storeId] of [['HQ', hq, null], [`store ${store}`, storeManager, store]] as const) {
      if (!scopes.includes(storeId === null ? 'hq' : 'store')) continue;
      cases.push({ query: 'analyticsKpis (30 d + previous)', scope, doc: KPIS, vars: { from: day(30), to: to.toISOString(), storeId }, token });
      cases.push({ query: 'customerInventory (12 weeks)', scope, doc: INVENTORY, vars: { from: day(84), to: to.toISOString(), storeId }, token });
      cases.push({ query: 'decliningMembers (first 50)', scope, doc: DECLINING, vars: { storeId }, token });
      cases.push({ query: 'rfmReport (365-day window)', scope, doc: RFM, vars: { from: day(365), to: to.toISOString(), storeId }, token });
      cases.push({ query: 'rfmReport (30-day window)', scope, doc: RFM, vars: { from: day(30), to: to.toISOString(), storeId }, token });
      if (process.env.BENCH_RFM_LIVE === '1') cases.push({ query: 'rfmReport (other range: 364 d, live)', scope, doc: RFM, vars: { from: day(364), to: to.toISOString(), storeId }, token, informational: true });
      cases.push({ query: `tradeAreaRadar (store ${store}, 365 d)`, scope, doc: RADAR, vars: { storeId: store, from: day(365), to: to.toISOString() }, token });
    }

    const failures: string[] = [];
    const rows: string[] = [];
    for (const k of cases) {
      const times: number[] = [];
      let n = runs;
      let failed: string | null = null;
      for (let i = 0; i < n + 2; i++) {
        const s = performance.now();
        const res = await fetch(gqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${k.token}` }, body: JSON.stringify({ query: k.doc, variables: k.vars }) });
        const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
        const ms = performance.now() - s;
        if (body.errors?.length || !body.data) {
          failed = JSON.stringify(body.errors);
          break;
        }
        if (i >= 2) times.push(ms);
        // Seconds-long queries: fewer runs (3, or 1 past 10 s), the first call counting as one — the verdict is the same.
        if (i === 0 && ms > 3_000) {
          n = ms > 10_000 ? 1 : 3;
          times.push(ms);
          i = 1;
          n -= 1;
        }
      }
      if (failed !== null || times.length === 0) {
        rows.push(`| ${k.query} | ${k.scope} | error | error | 0 | OVER |`);
        log(`${k.query} @ ${k.scope}: ERROR ${failed} (load ${loadAverage()})`);
        failures.push(`${k.query} at ${k.scope}: ${failed}`);
        continue;
      }
      times.sort((a, b) => a - b);
      const p50 = pct(times, 50);
      const p95 = pct(times, 95);
      rows.push(`| ${k.query} | ${k.scope} | ${p50.toFixed(0)} ms | ${p95.toFixed(0)} ms | ${times.length} | ${p95 < P95_LIMIT_MS ? 'ok' : k.informational ? 'over (informational)' : 'OVER'} |`);
      log(`${k.query} @ ${k.scope}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${times.length} runs; load ${loadAverage()})`);
      if (p95 >= P95_LIMIT_MS && !k.informational) failures.push(`${k.query} at ${k.scope}: p95 ${p95.toFixed(0)} ms ≥ ${P95_LIMIT_MS} ms`);
    }
    log(`\n| query | scope | p50 | p95 | runs | p95 < ${P95_LIMIT_MS} ms |\n|---|---|---|---|---|---|\n${rows.join('\n')}`);
    log(`load average at the end: ${loadAverage()}`);
    if (failures.length) {
      log('\nANALYTICS BENCH FAILED');
      for (const f of failures) log(`  ✗ ${f}`);
      return 1;
    }
    log(`\nOK: every analytics query p95 < ${P95_LIMIT_MS} ms at HQ and at store ${store}`);
    return 0;
  } finally {
    await app?.close().catch(() => undefined);
  }
}
