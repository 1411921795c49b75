/**
 * MikroORM setup: the driver follows DATABASE_URL (mariadb:// → @mikro-orm/mariadb, mysql:// → @mikro-orm/mysql,
 * none → @mikro-orm/libsql file). Migrations are per dialect and applied on start.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { Config } from '../config';
import { entities } from './entities';
import { readEveryEnumItemOnSqlite } from './sqlite-enum-fix';

export type Dialect = 'mariadb' | 'mysql' | 'sqlite';

const migrationsRoot = path.join(__dirname, '..', '..', 'migrations');

/** The migrations folder for a dialect (MySQL 8 shares MariaDB's DDL). */
export function migrationsPath(dialect: Dialect): string {
  return path.join(migrationsRoot, dialect === 'sqlite' ? 'sqlite' : 'mariadb');
}

/** MikroORM options for a database config. */
export function ormOptions(db: Config['database'], extra: Partial<Options> = {}): Options {
  const common: Partial<Options> = {
    entities,
    extensions: [Migrator],
    timezone: '+00:00',
    forceUtcTimezone: true,
    debug: db.debug,
    logger: db.debug ? undefined : () => undefined,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: migrationsPath(db.kind),
      pathTs: migrationsPath(db.kind),
      glob: '!(*.d).{js,ts}',
      transactional: db.kind === 'sqlite',
      allOrNothing: db.kind === 'sqlite',
      snapshot: false,
      emit: 'ts',
    },
    pool: { min: 0, max: db.poolMax },
  };
  if (db.kind === 'sqlite') {
    const file = path.resolve(db.file);
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LibSqlDriver } = require('@mikro-orm/libsql') as typeof import('@mikro-orm/libsql');
    return {
      ...common,
      driver: LibSqlDriver,
      dbName: file,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: { exec?: (sql: string) => void; execute?: (sql: string) => unknown }, done: (err: Error | null, conn: unknown) => void) => {
          try {
            // WAL lets readers proceed while a writer commits; busy_timeout waits out short write locks.
            if (conn.exec) {
              conn.exec('PRAGMA journal_mode = WAL');
              conn.exec('PRAGMA busy_timeout = 5000');
              conn.exec('PRAGMA foreign_keys = ON');
            }
            done(null, conn);
          } catch (e) {
            done(e as Error, conn);
          }
        },
      },
      ...extra,
    } as Options;
  }
  // Read replicas (DATABASE_REPLICA_URL): MikroORM's own `replicas`, each with a pool like the primary's. Nothing reads
  // them unless asked: `preferReadReplicas: false` keeps entity code and every transaction on the primary, and only
  // the reports' `Db` (src/db/read-routing.ts) takes `getConnection('read')`.
  const replicas: Partial<Options> = db.replicaUrls?.length
    ? { replicas: db.replicaUrls.map((clientUrl, i) => ({ name: `replica-${i + 1}`, clientUrl })), preferReadReplicas: false }
    : {};
  // Every transaction runs at READ COMMITTED (Db.tx, db/sql.ts, says why): set once per pooled connection, so that a
  // transaction starts with BEGIN alone instead of SET TRANSACTION … and BEGIN, two round trips.
  const pool = {
    min: 0,
    max: db.poolMax,
    afterCreate: (conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) => {
      conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (err) => done(err, conn));
    },
  };
  // Multi-statement queries: the lean SQL sends a transaction's BEGIN with its first statement, and a batch of
  // statements that go together (Q.batch: a credit's account, entry and lot) as one round trip. The values are still
  // the driver's placeholders, escaped by it; nothing builds SQL from input.
  const multi: Partial<Options> = { multipleStatements: true };
  if (db.kind === 'mysql') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MySqlDriver } = require('@mikro-orm/mysql') as typeof import('@mikro-orm/mysql');
    return { ...common, ...replicas, ...multi, driver: MySqlDriver, clientUrl: db.url, pool, ...extra } as Options;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MariaDbDriver } = require('@mikro-orm/mariadb') as typeof import('@mikro-orm/mariadb');
  return { ...common, ...replicas, ...multi, driver: MariaDbDriver, clientUrl: db.url, pool, ...extra } as Options;
}

/** Connects, applies pending migrations and returns the ORM. */
export async function initOrm(db: Config['database'], opts: { migrate?: boolean } = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(db));
  if (db.kind === 'sqlite') readEveryEnumItemOnSqlite(orm);
  if (opts.migrate !== false) await orm.getMigrator().up();
  return orm;
}
