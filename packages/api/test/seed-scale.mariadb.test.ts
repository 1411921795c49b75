/**
 * `pnpm seed:scale` at a small size (2,000 members): the generated chain is consistent with the ledger's rules
 * (reconciliation empty, every lot's allocations equal what it gave, one EARN per purchase at ¥1 = 1), skewed
 * (80/20), deterministic (same rows for the same arguments, whatever the chunking), its tables exactly the migrated
 * ones once the deferred indexes are built again, and every analytics query answers on it for the HQ manager and
 * store 1's manager the seed creates.
 */
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { toInt } from '../src/db/sql';
import { initOrm } from '../src/db/orm';
import { CHUNK_TABLES, ScaleGenerator, type ScaleOptions } from '../src/scale/generate';
import { addIndexes, dropIndexes, secondaryIndexes, tableDefinitions } from '../src/scale/indexes';
import { connect, SCALE_HQ_MANAGER, SCALE_STORE_ID, SCALE_STORE_MANAGER, seedScale } from '../src/scale/load';
import { createTestDatabase, type TestDatabase } from './support/db';

const NOW = new Date('2026-03-01T00:00:00.000Z');
const OPTS: ScaleOptions = { members: 2000, storesPerRegion: 2, purchasesPerMember: 6, years: 3, seed: 7, now: NOW };
const DAY = 86_400_000;

function urlOf(d: TestDatabase): string {
  if (d.config.kind === 'sqlite') throw new Error('mariadb only');
  return d.config.url;
}

describe('seed:scale (mariadb)', () => {
  let db: TestDatabase;
  let app: App;
  let rows: Record<string, number>;
  let url = '';
  const n = async (sql: string, params: unknown[] = []): Promise<number> => toInt((await app.services.db.q.get<{ n: unknown }>(sql, params))?.n);

  beforeAll(async () => {
    db = await createTestDatabase('mariadb');
    if (db.config.kind === 'sqlite') throw new Error('mariadb only');
    rows = (await seedScale(db.config.url, { ...OPTS, chunkMembers: 700 })).rows;
    const config = loadConfig({ NODE_ENV: 'test', EXPIRY_JOB_INTERVAL_MINUTES: '0', LOG_LEVEL: 'silent', DEMO: 'false', JWT_SECRET: 'test-secret-test-secret-test-secret-0123', DATABASE_URL: db.config.url });
    app = await createApp({ config, wechatBase: 'http://127.0.0.1:9', logger: createLogger('silent') });
    await app.fastify.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.fastify.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 300_000); // migrations twice and the load, on a shared 2-core machine
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('writes the chain: 20 stores with coordinates in 10 regions, 2,000 members, purchases, every kind of ledger entry, redemptions own and partner, ratings, referrals', async () => {
    expect(await n('SELECT COUNT(*) AS n FROM region')).toBe(10);
    expect(await n('SELECT COUNT(*) AS n FROM store WHERE lat IS NOT NULL AND lng IS NOT NULL')).toBe(20);
    expect(await n('SELECT COUNT(*) AS n FROM member')).toBe(2000);
    expect(await n('SELECT COUNT(*) AS n FROM member_account')).toBe(2000);
    expect(rows.member).toBe(2000);
    const purchases = await n('SELECT COUNT(*) AS n FROM purchase');
    expect(purchases).toBe(rows.purchase);
    expect(purchases).toBeGreaterThan(2000 * 4);
    for (const kind of ['EARN', 'REDEEM', 'EXPIRE', 'REVERSAL']) expect(await n('SELECT COUNT(*) AS n FROM points_entry WHERE kind = ?', [kind])).toBeGreaterThan(0);
    expect(await n('SELECT COUNT(*) AS n FROM reward_redemption x JOIN reward r ON r.id = x.reward_id WHERE r.partner_id IS NULL')).toBeGreaterThan(0);
    expect(await n('SELECT COUNT(*) AS n FROM reward_redemption x JOIN reward r ON r.id = x.reward_id WHERE r.partner_id IS NOT NULL')).toBeGreaterThan(0);
    expect(await n('SELECT COUNT(*) AS n FROM service_rating')).toBeGreaterThan(0);
    expect(await n("SELECT COUNT(*) AS n FROM referral f JOIN app_user u ON u.id = f.referee_id + 2 WHERE u.registration_source = 'REFERRAL'")).toBe(await n('SELECT COUNT(*) AS n FROM referral'));
    // Consented locations only, coarsened to 0.01°.
    expect(await n('SELECT COUNT(*) AS n FROM member_profile WHERE location_consent = 1')).toBeGreaterThan(0);
    expect(await n('SELECT COUNT(*) AS n FROM member_profile WHERE location_consent = 0 AND (lat IS NOT NULL OR lng IS NOT NULL)')).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM member_profile WHERE lat IS NOT NULL AND ABS(lat * 100 - ROUND(lat * 100)) > 0.000001')).toBe(0);
    // Nothing after `now`, nothing before a member joined.
    expect(await n('SELECT COUNT(*) AS n FROM purchase WHERE created_at >= ?', [NOW])).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM points_entry WHERE created_at > ?', [NOW])).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM purchase p JOIN member m ON m.id = p.member_id WHERE p.created_at < m.created_at')).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM purchase WHERE created_at < ?', [new Date(NOW.getTime() - 3 * 365 * DAY)])).toBe(0);
  });

  it('follows the ledger: reconciliation is empty, lots give exactly what their allocations say, one EARN of ¥1 = 1 per purchase, expired lots hold nothing', async () => {
    expect(await app.services.ledger.reconcile()).toEqual([]);
    expect(await n('SELECT COUNT(*) AS n FROM member_account WHERE balance < 0')).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM points_lot l LEFT JOIN (SELECT lot_id, SUM(points) AS s FROM lot_allocation GROUP BY lot_id) a ON a.lot_id = l.id WHERE l.points - l.remaining <> COALESCE(a.s, 0)')).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM lot_allocation a JOIN points_entry e ON e.id = a.entry_id JOIN points_lot l ON l.id = a.lot_id WHERE e.member_id <> l.member_id')).toBe(0);
    expect(await n("SELECT COUNT(*) AS n FROM points_entry e LEFT JOIN (SELECT entry_id, SUM(points) AS s FROM lot_allocation GROUP BY entry_id) a ON a.entry_id = e.id WHERE e.kind IN ('REDEEM', 'EXPIRE', 'REVERSAL') AND -e.delta <> COALESCE(a.s, 0)")).toBe(0);
    // One EARN per purchase with points, at ¥1 = 1: equal counts, and per member equal sums.
    expect(await n("SELECT COUNT(*) AS n FROM points_entry WHERE kind = 'EARN' AND source_type = 'purchase'")).toBe(await n('SELECT COUNT(*) AS n FROM purchase WHERE amount_fen >= 100'));
    expect(await n("SELECT COUNT(*) AS n FROM (SELECT member_id, SUM(FLOOR(amount_fen / 100)) AS s FROM purchase WHERE amount_fen > 0 GROUP BY member_id) p LEFT JOIN (SELECT member_id, SUM(delta) AS s FROM points_entry WHERE kind = 'EARN' GROUP BY member_id) e ON e.member_id = p.member_id WHERE p.s <> COALESCE(e.s, 0)")).toBe(0);
    expect(await n('SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [NOW])).toBe(0);
    expect(await n("SELECT COUNT(*) AS n FROM member_account a LEFT JOIN (SELECT member_id, SUM(delta) AS s FROM points_entry WHERE kind = 'EARN' GROUP BY member_id) e ON e.member_id = a.id WHERE a.lifetime_earned <> COALESCE(e.s, 0)")).toBe(0);
  }, 180_000);

  it('is skewed like a real chain: the top 20 % of members by spend bring most of it', async () => {
    const spend = (await app.services.db.q.all<{ s: unknown }>('SELECT SUM(amount_fen) AS s FROM purchase GROUP BY member_id ORDER BY s DESC')).map((r) => toInt(r.s));
    const total = spend.reduce((a, b) => a + b, 0);
    const top = spend.slice(0, Math.ceil(2000 * 0.2)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.6);
  });

  it('leaves every table as the migrations made it: the secondary indexes dropped for the load are all built again', async () => {
    const fresh = await createTestDatabase('mariadb');
    const seeded = await connect(urlOf(db));
    try {
      await (await initOrm(fresh.config)).close(true);
      const migrated = await connect(urlOf(fresh));
      try {
        expect(await tableDefinitions(seeded, CHUNK_TABLES)).toEqual(await tableDefinitions(migrated, CHUNK_TABLES));
      } finally {
        await migrated.end();
      }
      const names = (await secondaryIndexes(seeded, ['points_entry'])).map((d) => d.name);
      expect(names).toEqual(expect.arrayContaining(['points_entry_source_unique', 'points_entry_member_time_idx', 'points_entry_time_idx']));
      // And the unique ones hold: a second EARN for the first purchase is refused.
      await expect(seeded.query("INSERT INTO points_entry (member_id, delta, kind, reason, source_type, source_ref, created_at) VALUES (1, 1, 'EARN', 'x', 'purchase', '1', NOW())")).rejects.toThrow(/Duplicate entry/);
    } finally {
      await seeded.end();
      await fresh.drop();
    }
  }, 120_000);

  it('rebuilds what it drops, prefix, descending and unique parts included, and refuses to defer what it cannot rebuild', async () => {
    const conn = await connect(urlOf(db));
    try {
      await conn.query('CREATE TABLE idx_probe (id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(100) NOT NULL, c INT NULL, UNIQUE KEY probe_b (b(12), a), KEY probe_ac (a DESC, c)) ENGINE=InnoDB');
      await conn.query("INSERT INTO idx_probe VALUES (1, 1, 'one', NULL), (2, 2, 'two', 5)");
      const before = await tableDefinitions(conn, ['idx_probe']);
      const defs = await secondaryIndexes(conn, ['idx_probe']);
      expect(defs).toEqual([
        { table: 'idx_probe', name: 'probe_b', unique: true, columns: '`b`(12), `a`' },
        { table: 'idx_probe', name: 'probe_ac', unique: false, columns: '`a` DESC, `c`' },
      ]);
      await dropIndexes(conn, defs);
      expect(await secondaryIndexes(conn, ['idx_probe'])).toEqual([]);
      await addIndexes([conn], defs, () => 2);
      expect(await tableDefinitions(conn, ['idx_probe'])).toEqual(before);
      await conn.query('CREATE TABLE idx_probe_ft (id INT PRIMARY KEY, t TEXT NOT NULL, FULLTEXT KEY probe_t (t)) ENGINE=InnoDB');
      await expect(secondaryIndexes(conn, ['idx_probe_ft'])).rejects.toThrow(/FULLTEXT index cannot be deferred/);
    } finally {
      await conn.query('DROP TABLE IF EXISTS idx_probe, idx_probe_ft');
      await conn.end();
    }
  });

  it('is deterministic: the same options give the same rows, whatever the chunking', () => {
    const a = new ScaleGenerator(OPTS).chunk(1, 120);
    const g = new ScaleGenerator(OPTS);
    const b1 = g.chunk(1, 50);
    const b2 = g.chunk(51, 120);
    for (const k of Object.keys(a) as (keyof typeof a)[]) expect([...b1[k], ...b2[k]]).toEqual(a[k]);
    expect(new ScaleGenerator({ ...OPTS, seed: 8 }).chunk(1, 120).purchase).not.toEqual(a.purchase);
  });

  it('every analytics query answers for the HQ manager and store 1 manager; the KPIs equal the raw rows', async () => {
    const hq = await app.services.tokens.sign(SCALE_HQ_MANAGER);
    const sm = await app.services.tokens.sign(SCALE_STORE_MANAGER);
    const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
      return body.data as never;
    };
    const from = new Date(NOW.getTime() - 30 * DAY);
    for (const [token, storeId] of [[hq, null], [sm, String(SCALE_STORE_ID)]] as const) {
      const k = (await gql(token, 'query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { analyticsKpis(from: $from, to: $to, storeId: $storeId) { current { visits spendFen liabilityPoints } } }', { from, to: NOW, storeId })) as {
        analyticsKpis: { current: { visits: number; spendFen: number; liabilityPoints: number } };
      };
      const scope = storeId === null ? '' : ' AND store_id = ?';
      const params = storeId === null ? [from, NOW] : [from, NOW, SCALE_STORE_ID];
      expect(k.analyticsKpis.current.visits).toBe(await n(`SELECT COUNT(*) AS n FROM purchase WHERE amount_fen > 0 AND created_at >= ? AND created_at < ?${scope}`, params));
      expect(k.analyticsKpis.current.spendFen).toBe(await n(`SELECT COALESCE(SUM(amount_fen), 0) AS n FROM purchase WHERE created_at >= ? AND created_at < ?${scope}`, params));
      if (storeId === null) expect(k.analyticsKpis.current.liabilityPoints).toBe(await n('SELECT SUM(balance) AS n FROM member_account'));
      await gql(token, 'query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { customerInventory(from: $from, to: $to, storeId: $storeId) { weeks { counts { stage members } } } }', { from: new Date(NOW.getTime() - 28 * DAY), to: NOW, storeId });
      await gql(token, 'query($storeId: ID) { decliningMembers(first: 10, storeId: $storeId) { total } }', { storeId });
      const rfm = (await gql(token, 'query($from: DateTimeISO!, $to: DateTimeISO!, $storeId: ID) { rfmReport(from: $from, to: $to, storeId: $storeId) { scoredMembers topSpendShare } }', { from: new Date(NOW.getTime() - 365 * DAY), to: NOW, storeId })) as {
        rfmReport: { scoredMembers: number };
      };
      expect(rfm.rfmReport.scoredMembers).toBeGreaterThan(0);
      const radar = (await gql(token, 'query($storeId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { tradeAreaRadar(storeId: $storeId, from: $from, to: $to) { located unlocated } }', { storeId: String(SCALE_STORE_ID), from: new Date(NOW.getTime() - 365 * DAY), to: NOW })) as {
        tradeAreaRadar: { located: number };
      };
      expect(radar.tradeAreaRadar.located).toBeGreaterThan(0);
    }
  });
});
