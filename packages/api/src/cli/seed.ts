/** `pnpm seed`: applies migrations and loads the demo data into DATABASE_URL (MariaDB/MySQL or the libsql file). */
import { loadConfig } from '../config';
import { initOrm } from '../db/orm';
import { createLogger } from '../logger';
import { createServices } from '../services';
import { seedDemo } from '../demo/seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await initOrm(config.database);
  const services = createServices(config, orm, createLogger(config.logLevel), config.wechat.apiBase ?? 'https://api.weixin.qq.com');
  const r = await seedDemo(services);
  console.log(r.seeded ? `Demo data loaded into ${config.database.kind}.` : 'Data already present: nothing to do.');
  await orm.close(true);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
