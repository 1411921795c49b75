/**
 * Entities and the per-dialect migrations agree: after every migration has run on a fresh database, the ORM
 * finds nothing left to change. A non-empty diff means an entity changed without a migration (run
 * `pnpm --filter @quanzi/api migration:create`) or a migration drifted from the entities.
 */
import type { MikroORM } from '@mikro-orm/core';
import { initOrm } from '../src/db/orm'; // applies the sqlite enum-reader fix (src/db/sqlite-enum-fix.ts)
import { createTestDatabase, type TestDatabase, type TestDialect } from './support/db';

async function migrated(dialect: TestDialect): Promise<{ db: TestDatabase; orm: MikroORM }> {
  const db = await createTestDatabase(dialect);
  const orm = await initOrm(db.config);
  return { db, orm };
}

const diffOf = async (orm: MikroORM): Promise<string> => (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();

describe.each<TestDialect>(['mariadb', 'sqlite'])('migrations on a fresh %s database', (dialect) => {
  let fresh: { db: TestDatabase; orm: MikroORM };
  beforeAll(async () => {
    fresh = await migrated(dialect);
  }, 60_000);
  afterAll(async () => {
    await fresh?.orm.close(true);
    await fresh?.db.drop();
  });

  test('every migration was applied and none is pending', async () => {
    const migrator = fresh.orm.getMigrator();
    expect((await migrator.getExecutedMigrations()).length).toBeGreaterThan(0);
    expect(await migrator.getPendingMigrations()).toEqual([]);
  });

  test('the entities need no further schema change (run `pnpm --filter @quanzi/api migration:create` if this fails)', async () => {
    expect(await diffOf(fresh.orm)).toBe('');
  });

  /** Applies `drift` to a scratch migrated database and returns the diff the ORM then proposes. */
  async function diffAfter(drift: (exec: (sql: string) => Promise<unknown>, ddlOf: (table: string) => Promise<string>) => Promise<void>): Promise<string> {
    const scratch = await migrated(dialect);
    try {
      const conn = scratch.orm.em.getConnection();
      const exec = (sql: string) => conn.execute(sql);
      const ddlOf = async (table: string) => (await conn.execute<{ sql: string }>("select sql from sqlite_master where type = 'table' and name = ?", [table], 'get')).sql;
      await drift(exec, ddlOf);
      return await diffOf(scratch.orm);
    } finally {
      await scratch.orm.close(true);
      await scratch.db.drop();
    }
  }

  test('a missing index is caught', async () => {
    const diff = await diffAfter(async (exec) => {
      await exec(dialect === 'sqlite' ? 'drop index `app_user_unionid_index`' : 'alter table `app_user` drop index `app_user_unionid_index`');
    });
    expect(diff).toMatch(/index `app_user_unionid_index`/);
  }, 60_000);

  test('an enum column missing a value is caught (every enum item is compared)', async () => {
    const diff = await diffAfter(async (exec, ddlOf) => {
      if (dialect === 'sqlite') {
        // Rebuild app_user (empty on a fresh database) with 'DEMO' missing from its CHECK constraint.
        const ddl = await ddlOf('app_user');
        expect(ddl).toContain(", 'DEMO')");
        await exec('drop table `app_user`');
        await exec(ddl.replace(", 'DEMO')", ')'));
        await exec('create unique index `app_user_openid_unique` on `app_user` (`openid`)');
        await exec('create index `app_user_unionid_index` on `app_user` (`unionid`)');
        await exec('create index `app_user_phone_idx` on `app_user` (`phone`)');
      } else {
        await exec("alter table `app_user` modify `registration_source` enum('MINIPROGRAM', 'IN_STORE', 'REFERRAL') not null default 'MINIPROGRAM'");
      }
    });
    expect(diff).toMatch(/registration_source.*'REFERRAL', 'DEMO'/);
  }, 60_000);
});
