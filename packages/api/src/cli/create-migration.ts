/**
 * Generates the next migration for both dialects from the entity definitions:
 *   pnpm --filter @quanzi/api migration:create
 * Applies the existing migrations to a scratch database per dialect, then writes the diff.
 * MariaDB scratch server: MIGRATION_MARIADB_URL (default mariadb://root@127.0.0.1:3306).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initOrm } from '../db/orm';
import { createDatabase } from '../db/admin';

async function main(): Promise<void> {
  const server = process.env.MIGRATION_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306';
  const scratch = `quanzi_mkmig_${Date.now()}`;
  const url = await createDatabase(server, scratch);
  const targets = [
    { kind: 'mariadb' as const, url, poolMax: 2, debug: false },
    { kind: 'sqlite' as const, file: path.join(mkdtempSync(path.join(os.tmpdir(), 'quanzi-mig-')), 'scratch.db'), poolMax: 1, debug: false },
  ];
  for (const db of targets) {
    const orm = await initOrm(db);
    const initial = (await orm.getMigrator().getExecutedMigrations()).length === 0;
    const res = await orm.getMigrator().createMigration(undefined, false, initial);
    console.log(`${db.kind}: ${res.fileName || 'no changes'}`);
    await orm.close(true);
  }
  await createDatabase(server, scratch, { dropOnly: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
