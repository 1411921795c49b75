/**
 * Loads the generated chain-sized data set (generate.ts) into a MariaDB/MySQL database: migrations first (the same
 * as the API applies), then the organisation (regions, stores, tiers, base rate, rewards, two managers), then the
 * members chunk by chunk with `LOAD DATA LOCAL INFILE` streamed from memory (no temporary files, no ORM).
 *
 * Two things make the 10 M-entry chain fit in minutes on 2 cores: the generator runs on a worker thread one chunk
 * ahead of the load (generate-worker.ts), and the members' tables load without their secondary indexes, which are
 * built afterwards from the rows, two tables at a time (indexes.ts). On 1,000,000 members: 719 s → 256 s.
 */
// mysql2 is a dev dependency: this module serves the seeding CLI, the bench and tests, not the running API.
import path from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { createConnection, type Connection } from 'mysql2/promise';
import { parseDbUrl } from '../db/admin';
import { initOrm } from '../db/orm';
import { CHUNK_TABLES, CITIES, dt, SCALE_REWARDS, stores, type Chunk, type ScaleOptions, type Store } from './generate';
import type { ChunkRequest, EncodedChunk } from './generate-worker';
import { addIndexes, dropIndexes, secondaryIndexes, tableDefinitions } from './indexes';

const COLUMNS: Record<keyof Chunk, string> = {
  app_user: '(id, openid, registration_source, created_at)',
  member: '(id, user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at)',
  member_account: '(id, balance, lifetime_earned, updated_at)',
  member_profile: '(member_id, gender, birthday, home_store_id, lat, lng, location_consent, location_consent_at, updated_at)',
  purchase: '(id, member_id, store_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at)',
  points_entry: '(id, member_id, delta, kind, reason, store_id, source_type, source_ref, created_at)',
  points_lot: '(id, member_id, entry_id, points, remaining, expires_at)',
  lot_allocation: '(entry_id, lot_id, points)',
  reward_redemption: '(id, reward_id, member_id, kind, points, status, idempotency_key, request_hash, store_id, created_at, updated_at, finished_at)',
  service_rating: '(member_id, kind, operation_id, summary, store_id, region_id, stars, operation_at, follow_up, created_at)',
  referral: '(referee_id, referrer_id, store_id, region_id, bound_at, qualified_at)',
};

/** The user ids of the two managers the bench signs in as: HQ, and the manager of store 1. */
export const SCALE_HQ_MANAGER = 1;
export const SCALE_STORE_MANAGER = 2;
export const SCALE_STORE_ID = 1;

export interface SeedScaleResult {
  rows: Record<string, number>;
  timings: Record<string, number>;
}

/** Seeds `url` (an empty database: run migrations on it first) and returns the row counts and timings (ms). */
export async function seedScale(url: string, o: ScaleOptions & { chunkMembers?: number; log?: (line: string) => void }): Promise<SeedScaleResult> {
  const log = o.log ?? (() => undefined);
  const timings: Record<string, number> = {};
  const rows: Record<string, number> = Object.fromEntries(CHUNK_TABLES.map((t) => [t, 0]));
  let t0 = Date.now();
  const orm = await initOrm({ kind: 'mariadb', url, poolMax: 2, debug: false } as never);
  await orm.close(true);
  timings.migrations = Date.now() - t0;

  const conn = await connect(url);
  try {
    const existing = (await conn.query('SELECT COUNT(*) AS n FROM member'))[0] as { n: number }[];
    if (Number(existing[0]?.n) > 0) throw new Error('The database already has members: seed:scale fills an empty database (use --reset)');
    await conn.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
    t0 = Date.now();
    await seedOrganisation(conn, stores(o), o.now);
    timings.organisation = Date.now() - t0;
    // The members' tables load without their secondary indexes, built afterwards from the rows (indexes.ts). A
    // failure in between leaves them missing: the database is incomplete either way, and --reset starts again.
    const before = await tableDefinitions(conn, CHUNK_TABLES);
    const deferred = await secondaryIndexes(conn, CHUNK_TABLES);
    await dropIndexes(conn, deferred);

    const chunk = o.chunkMembers ?? 20_000;
    let genMs = 0;
    let loadMs = 0;
    for await (const ch of generatedChunks(o, chunk)) {
      genMs += ch.ms;
      const t = Date.now();
      for (const table of CHUNK_TABLES) {
        const body = ch.bodies[table];
        if (!body) continue;
        const tt = Date.now();
        await loadBody(conn, table, body);
        timings[`load.${table}`] = (timings[`load.${table}`] ?? 0) + Date.now() - tt;
        rows[table] = (rows[table] ?? 0) + ch.counts[table];
      }
      loadMs += Date.now() - t;
      log(`members ${ch.last}/${o.members}: ${rows.purchase} purchases, ${rows.points_entry} ledger entries (generate ${(genMs / 1000).toFixed(0)} s, load ${(loadMs / 1000).toFixed(0)} s)`);
    }
    t0 = Date.now();
    const second = await connect(url);
    try {
      await addIndexes([conn, second], deferred, (table) => rows[table] ?? 0);
    } finally {
      await second.end();
    }
    timings.indexes = Date.now() - t0;
    const after = await tableDefinitions(conn, CHUNK_TABLES);
    for (const [table, def] of before) if (after.get(table) !== def) throw new Error(`${table} after the load is not the table the migrations made:\n${after.get(table)}\n${def}`);
    timings.generate = genMs;
    timings.load = loadMs;
    t0 = Date.now();
    await conn.query('ANALYZE TABLE member, member_profile, purchase, points_entry, points_lot, reward_redemption, service_rating, referral');
    timings.analyze = Date.now() - t0;
  } finally {
    await conn.end();
  }
  return { rows, timings };
}

/** A plain mysql2 connection to the scale database (UTC, one statement per query). */
export async function connect(url: string): Promise<Connection> {
  const c = parseDbUrl(url);
  return createConnection({ host: c.host, port: c.port, user: c.user, password: c.password, database: c.database ?? undefined, timezone: 'Z', multipleStatements: false });
}

/**
 * The chunks of members [1, members], generated on a worker thread (generate-worker.ts) one chunk ahead of the
 * caller, so generating overlaps loading on a 2-core machine. In order; the worker ends with the iteration.
 */
async function* generatedChunks(o: ScaleOptions, chunk: number): AsyncGenerator<EncodedChunk> {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `generate-worker${ext}`);
  // From sources (the CLI, the tests), the worker compiles TypeScript the way the CLI does.
  const register = ext === '.ts' ? `require(${JSON.stringify(path.join(__dirname, '../../register.js'))});` : '';
  const options: ScaleOptions = { members: o.members, storesPerRegion: o.storesPerRegion, purchasesPerMember: o.purchasesPerMember, years: o.years, seed: o.seed, now: o.now };
  const worker = new Worker(`${register}require(${JSON.stringify(file)});`, { eval: true, workerData: options });
  let failed: Error | null = null;
  const waiting = new Map<number, { resolve: (c: EncodedChunk) => void; reject: (e: Error) => void }>();
  const fail = (e: Error): void => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (c: EncodedChunk) => {
    waiting.get(c.first)?.resolve(c);
    waiting.delete(c.first);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the generator's worker exited (${code})`)));
  const firsts: number[] = [];
  for (let first = 1; first <= o.members; first += chunk) firsts.push(first);
  const requested: Promise<EncodedChunk>[] = [];
  const request = (i: number): void => {
    const first = firsts[i];
    if (first === undefined) return;
    requested[i] = new Promise<EncodedChunk>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.set(first, { resolve, reject });
      worker.postMessage({ first, last: Math.min(o.members, first + chunk - 1) } satisfies ChunkRequest);
    });
    requested[i].catch(() => undefined); // awaited in order below; a failure surfaces there
  };
  try {
    request(0);
    for (let i = 0; i < firsts.length; i++) {
      request(i + 1);
      yield await (requested[i] as Promise<EncodedChunk>);
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}

async function loadBody(conn: Connection, table: keyof Chunk, bytes: Uint8Array): Promise<void> {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await conn.query({
    sql: `LOAD DATA LOCAL INFILE 'scale-${table}.tsv' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' ${COLUMNS[table]}`,
    // In pieces of 1 MiB: the client sends each piece as one packet, which max_allowed_packet bounds.
    infileStreamFactory: () => Readable.from((function* () {
      for (let i = 0; i < body.length; i += 1 << 20) yield body.subarray(i, i + (1 << 20));
    })()),
  } as never);
}

/** Regions, stores, tiers (those of the test organisation), the HQ base rate ¥1 = 1, partners and rewards, two managers. */
async function seedOrganisation(conn: Connection, all: readonly Store[], now: Date): Promise<void> {
  const at = dt(now.getTime() - 4 * 365 * 86_400_000);
  await conn.query("INSERT INTO loyalty_program (id, rounding, cap_per_purchase, points_validity_months, tier_period_months) VALUES (1, 'FLOOR', NULL, 24, 12)");
  for (const [i, city] of CITIES.entries()) await conn.query('INSERT INTO region (id, code, name, created_at) VALUES (?, ?, ?, ?)', [i + 1, city.code, city.name, at]);
  await conn.query(
    `INSERT INTO store (id, region_id, code, name, lat, lng, created_at) VALUES ${all.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    all.flatMap((s) => [s.id, s.regionId, s.code, s.name, s.lat, s.lng, at]),
  );
  const tiers: [string, string, number, number][] = [
    ['NORMAL', '普通', 0, 100],
    ['SILVER', '银卡', 100_000, 110],
    ['GOLD', '金卡', 500_000, 125],
    ['PLATINUM', '白金', 2_000_000, 150],
    ['DIAMOND', '钻石', 5_000_000, 200],
  ];
  for (const [i, [code, name, th, m]] of tiers.entries()) {
    await conn.query('INSERT INTO tier (id, code, name, `rank`, threshold_fen, multiplier_pct) VALUES (?, ?, ?, ?, ?, ?)', [i + 1, code, name, i, th, m]);
  }
  await conn.query("INSERT INTO earning_rule (kind, name, scope, scope_id, fen_per_point, active, active_slot, created_at) VALUES ('BASE_RATE', 'HQ ¥1=1', 'HQ', NULL, 100, TRUE, 'BASE_RATE:HQ::', ?)", [at]);
  await conn.query("INSERT INTO reward_partner (id, code, name, created_at) VALUES (1, 'telco', '话费伙伴', ?), (2, 'fuel', '加油伙伴', ?)", [at, at]);
  for (const r of SCALE_REWARDS) {
    await conn.query(
      'INSERT INTO reward (id, kind, name, description, points_price, stock, active, partner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1000000000, TRUE, ?, ?, ?)',
      [r.id, r.kind, r.name, r.name, r.points, r.partnerId, at, at],
    );
  }
  await conn.query("INSERT INTO app_user (id, openid, registration_source, nickname, created_at) VALUES (?, 'scale-hq-manager', 'DEMO', '总部经理', ?), (?, 'scale-store-manager', 'DEMO', '店长', ?)", [
    SCALE_HQ_MANAGER, at, SCALE_STORE_MANAGER, at,
  ]);
  const store = all.find((s) => s.id === SCALE_STORE_ID);
  await conn.query(
    "INSERT INTO role_assignment (user_id, role, scope, store_id, region_id, scope_key, created_at) VALUES (?, 'MANAGER', 'HQ', NULL, NULL, 'HQ', ?), (?, 'MANAGER', 'STORE', ?, NULL, ?, ?)",
    [SCALE_HQ_MANAGER, at, SCALE_STORE_MANAGER, SCALE_STORE_ID, `S:${SCALE_STORE_ID}`, at],
  );
  if (!store) throw new Error('store 1 missing');
}
