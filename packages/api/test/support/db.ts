/**
 * Per-test-file databases: a fresh MariaDB database on the server in TEST_DATABASE_URL (set by `pnpm test`;
 * default mariadb://root@127.0.0.1:3306), or a fresh libsql file in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../src/config';
import { createDatabase } from '../../src/db/admin';

export type TestDialect = 'mariadb' | 'sqlite';

export interface TestDatabase {
  config: Config['database'];
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || 'mariadb://root@127.0.0.1:3306';
}

/** `server`: the MariaDB server to create the database on (default testServerUrl()). */
export async function createTestDatabase(dialect: TestDialect, server = testServerUrl()): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'quanzi-test-'));
    return {
      config: { kind: 'sqlite', file: path.join(dir, 'test.db'), poolMax: 1, debug: false },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `qz_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(server.replace(/^mysql:/, 'mariadb:'), name);
  const kind = server.startsWith('mysql:') ? 'mysql' : 'mariadb';
  return {
    config: { kind, url: kind === 'mysql' ? url.replace(/^mariadb:/, 'mysql:') : url, poolMax: 20, debug: false },
    drop: async () => {
      await createDatabase(server.replace(/^mysql:/, 'mariadb:'), name, { dropOnly: true });
    },
  };
}
