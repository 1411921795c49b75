/**
 * `pnpm seed:scale`: a chain-sized data set for the analytics bench (issue #15 item 7) — 10 regions, 200 stores,
 * 1,000,000 members, ~9.2 M purchases over 3 years, their ledger of ~10.5 M entries — into a MariaDB/MySQL database.
 *
 *   pnpm seed:scale [--members=1000000] [--stores-per-region=20] [--purchases-per-member=9] [--years=3]
 *                   [--seed=15] [--now=2026-12-01T00:00:00Z] [--reset]
 *
 * Database: SCALE_DATABASE_URL (default mariadb://root@127.0.0.1:3306/quanzi_scale), created when missing;
 * --reset drops and recreates it. Deterministic: the same arguments (and --now) give the same rows.
 */
import { createConnection } from 'mysql2/promise';
import { clock } from '../clock';
import { createDatabase, parseDbUrl } from '../db/admin';
import { SCALE_DEFAULTS } from '../scale/generate';
import { seedScale } from '../scale/load';

const DEFAULT_URL = 'mariadb://root@127.0.0.1:3306/quanzi_scale';

function args(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`Unknown argument ${a}`);
    out[m[1] as string] = m[2] ?? 'true';
  }
  return out;
}

const KNOWN = new Set(['members', 'stores-per-region', 'purchases-per-member', 'years', 'seed', 'now', 'reset', 'chunk']);

function int(a: Record<string, string>, name: string, def: number, min: number, max: number): number {
  const v = a[name] === undefined ? def : Number(a[name]);
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number in ${min}–${max}`);
  return v;
}

async function main(): Promise<void> {
  const a = args();
  for (const k of Object.keys(a)) if (!KNOWN.has(k)) throw new Error(`Unknown option --${k} (known: ${[...KNOWN].join(', ')})`);
  const url = process.env.SCALE_DATABASE_URL ?? DEFAULT_URL;
  const c = parseDbUrl(url);
  if (!c.database) throw new Error('SCALE_DATABASE_URL must name a database');
  const now = a.now ? new Date(a.now) : clock.now();
  if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO date-time');
  const server = new URL(url);
  server.pathname = '/';
  if (a.reset === 'true') {
    await createDatabase(server.toString(), c.database);
  } else {
    const conn = await createConnection({ host: c.host, port: c.port, user: c.user, password: c.password });
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${c.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
  }
  const started = Date.now();
  const opts = {
    members: int(a, 'members', SCALE_DEFAULTS.members, 1, 10_000_000),
    storesPerRegion: int(a, 'stores-per-region', SCALE_DEFAULTS.storesPerRegion, 1, 100),
    purchasesPerMember: int(a, 'purchases-per-member', SCALE_DEFAULTS.purchasesPerMember, 0, 100),
    years: int(a, 'years', SCALE_DEFAULTS.years, 0.1, 3),
    seed: int(a, 'seed', SCALE_DEFAULTS.seed, 0, 2 ** 31),
    chunkMembers: int(a, 'chunk', 20_000, 100, 200_000),
    now,
  };
  console.log(`seed:scale into ${c.database}: ${opts.members} members, ${opts.storesPerRegion * 10} stores, now ${now.toISOString()}`);
  const r = await seedScale(url, { ...opts, log: (line) => console.log(line) });
  console.log('rows:', r.rows);
  console.log('timings (s):', Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v / 100) / 10])));
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
