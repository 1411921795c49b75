/**
 * The demo seed on libsql (what `pnpm start` loads): the ledger rows written at a store carry the store, so their
 * reasons do not repeat its name (the mini-program shows the store under each row).
 */
import { clock } from '../src/clock';
import { loadConfig } from '../src/config';
import { initOrm } from '../src/db/orm';
import { toInt } from '../src/db/sql';
import { seedDemo } from '../src/demo/seed';
import { createLogger } from '../src/logger';
import { createServices, type Services } from '../src/services';
import { createTestDatabase, type TestDatabase } from './support/db';

describe('demo seed', () => {
  let db: TestDatabase;
  let services: Services;
  const now = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 3_600_000);

  beforeAll(async () => {
    clock.set(now);
    db = await createTestDatabase('sqlite');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO: 'false' });
    config.database = db.config;
    const orm = await initOrm(db.config);
    services = createServices(config, orm, createLogger('silent'), 'http://127.0.0.1:9');
    expect(await seedDemo(services)).toEqual({ seeded: true });
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await services?.orm.close(true);
    await db?.drop();
  });

  test('store ledger reasons name what happened, not the store', async () => {
    const rows = await services.db.q.all<{ reason: unknown; store_id: unknown; store_name: unknown }>(
      'SELECT e.reason, e.store_id, s.name AS store_name FROM points_entry e JOIN store s ON s.id = e.store_id ORDER BY e.id',
    );
    expect(rows.length).toBeGreaterThan(5);
    const storeNames = (await services.db.q.all<{ name: unknown }>('SELECT name FROM store')).map((r) => String(r.name));
    for (const r of rows) {
      expect(toInt(r.store_id)).toBeGreaterThan(0);
      for (const name of storeNames) expect(String(r.reason)).not.toContain(name);
    }
    const reasons = rows.map((r) => String(r.reason));
    expect(reasons).toContain('门店抵扣 · 兑换咖啡');
    expect(reasons.filter((x) => /^门店消费 ¥\d+\.\d{2}$/.test(x)).length).toBeGreaterThan(3);
  });
});
