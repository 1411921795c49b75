/**
 * Lean SQL for the hot paths (member home, till accrual/redemption, expiry) and the services' hand-written queries.
 * On MariaDB/MySQL it goes straight to the driver on connections of the ORM's own pool (wire.ts), so it shares the
 * pool with entity code; on libsql through the ORM's connection (one connection). Dialect differences live here.
 */
import { DeadlockException, LockWaitTimeoutException, UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/mariadb';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Dialect } from './orm';
import { send, withConnection, type WireConnection, type WirePool } from './wire';

/**
 * QUANZI_TX_GUARD=1 (the test runner sets it): a query on the pool while the same async flow holds a transaction
 * throws. Such a query waits for a second connection while holding one; when every pooled connection is held by a
 * transaction doing the same, the pool stands still until its acquire timeout (and the embedded database, with one
 * connection, would wait for ever). Read what a transaction needs before it starts.
 */
const TX_GUARD = process.env.QUANZI_TX_GUARD === '1';
const inTx = new AsyncLocalStorage<boolean>();

export interface RunResult { affectedRows: number; insertId: number }

/** A query runner bound to a transaction (or to the pool outside one). */
export interface Q {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  /** A Date as the dialect stores it (MariaDB: DATETIME(3) UTC; libsql: epoch milliseconds). */
  ts(d: Date): Date | number;
  /** A boolean as the dialect stores it (MariaDB: TRUE/FALSE; libsql: 1/0). */
  bool(b: boolean): boolean | number;
  /** ` FOR UPDATE` where row locks exist; libsql serialises writers instead. */
  readonly forUpdate: string;
}

/** Reads a DATETIME column value from either dialect. */
export function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  if (typeof v === 'string') return /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v.includes('T') || v.endsWith('Z') ? v : `${v.replace(' ', 'T')}Z`);
  throw new TypeError(`not a date: ${String(v)}`);
}

/** Numeric column values arrive as number, bigint or string depending on the driver. */
export function toInt(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new TypeError(`not an integer: ${String(v)}`);
  return n;
}

/** `?, ?, …`: `n` placeholders for an `IN (…)` list or a multi-row `VALUES` row. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** QUANZI_TX_GUARD's check on a pool query (see above). */
function poolQueryInTx(sql: string): void {
  if (inTx.getStore()) throw new Error(`A pool query inside a transaction (read it before the transaction starts): ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
}

/** The ORM connection's pool (knex's client), for wire.ts. */
function wirePool(conn: AbstractSqlConnection): WirePool {
  return (conn.getKnex() as unknown as { client: WirePool }).client;
}

export class Db {
  readonly dialect: Dialect;
  private readonly conn: AbstractSqlConnection;
  private readonly logStatement: ((sql: string, took: number) => void) | null = null;

  /**
   * `replica`: a read-only handle on the ORM's read replicas (one picked at random per `q`; the primary when none is
   * configured). It has no transactions and no writes: `tx` and `q.run` throw, so nothing that writes can be wired to it by mistake.
   * Which services read through it: src/db/read-routing.ts.
   */
  constructor(readonly orm: MikroORM, readonly role: 'primary' | 'replica' = 'primary') {
    const name = orm.config.get('driver')?.name ?? '';
    this.dialect = /LibSql|Sqlite/i.test(name) ? 'sqlite' : /MySql/i.test(name) ? 'mysql' : 'mariadb';
    this.conn = orm.em.getConnection() as unknown as AbstractSqlConnection;
    // DB_DEBUG logs every statement: MikroORM's logger does it for entity code; the lean SQL tells it the same way.
    if (orm.config.get('debug')) {
      const logger = orm.config.getLogger();
      this.logStatement = (sql, took) => logger.logQuery({ query: sql, took, level: 'info', connection: { type: role === 'replica' ? 'read' : 'write', name: role } });
    }
  }

  /** One lean statement to the driver (wire.ts), logged when DB_DEBUG is on. */
  private async send(connection: WireConnection, sql: string, params: readonly unknown[]): Promise<unknown> {
    if (!this.logStatement) return send(connection, sql, params);
    const start = Date.now();
    try {
      return await send(connection, sql, params);
    } finally {
      this.logStatement(sql, Date.now() - start);
    }
  }

  private primaryQ: Q | null = null;

  /** A runner outside any transaction (autocommit). */
  get q(): Q {
    if (this.role === 'primary') return (this.primaryQ ??= this.dialect === 'sqlite' ? this.runner(undefined) : this.wireRunner(wirePool(this.conn), null));
    const conn = this.orm.em.getConnection('read') as unknown as AbstractSqlConnection;
    return this.dialect === 'sqlite' ? this.runner(undefined, conn) : this.wireRunner(wirePool(conn), null);
  }

  /**
   * Runs `fn` in a transaction; deadlocks and lock-wait timeouts are retried (the whole transaction,
   * so `fn` must not have side effects outside the database).
   *
   * On MariaDB/MySQL the isolation level is READ COMMITTED: every read sees what committed before it (after a row
   * lock is taken, the next read is never a stale snapshot), and `FOR UPDATE` takes record locks without InnoDB's
   * gap locks, which otherwise deadlock one member's lot inserts against another member's locked lot range.
   * It is the session's level, set once when the pool opens a connection (orm.ts), so a transaction costs one BEGIN.
   */
  async tx<T>(fn: (q: Q) => Promise<T>, attempts = 5): Promise<T> {
    if (this.role === 'replica') throw new Error('Db.tx on the read-replica handle: transactions and writes belong on the primary (services.db)');
    for (let i = 1; ; i++) {
      try {
        if (this.dialect !== 'sqlite') return await this.wireTx(fn);
        return await this.conn.transactional((trx) => (TX_GUARD ? inTx.run(true, () => fn(this.runner(trx))) : fn(this.runner(trx))));
      } catch (e) {
        if (i < attempts && (isRetryableLock(e) || isBusy(e))) {
          await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10 * i));
          continue;
        }
        throw e;
      }
    }
  }

  /** MariaDB/MySQL: BEGIN, `fn`, COMMIT (ROLLBACK on an error) on one connection of the pool, straight to the driver (wire.ts). */
  private wireTx<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return withConnection(wirePool(this.conn), async (connection) => {
      await this.send(connection, 'BEGIN', []);
      const open = { now: true };
      try {
        const q = this.wireRunner(null, connection, open);
        const result = await (TX_GUARD ? inTx.run(true, () => fn(q)) : fn(q));
        open.now = false;
        await this.send(connection, 'COMMIT', []);
        return result;
      } catch (e) {
        open.now = false;
        await this.send(connection, 'ROLLBACK', []).catch(() => undefined);
        throw e;
      }
    });
  }

  /**
   * A MariaDB/MySQL runner: on `connection` (a transaction's, usable while `open.now`) or, without one, each statement
   * on a connection of `pool` (autocommit).
   */
  private wireRunner(pool: WirePool | null, connection: WireConnection | null, open?: { now: boolean }): Q {
    const check = TX_GUARD && connection === null ? poolQueryInTx : null;
    const exec = (sql: string, params: unknown[]): Promise<unknown> => {
      check?.(sql);
      if (connection) {
        if (!open?.now) return Promise.reject(new Error(`A statement after its transaction ended: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`));
        return this.send(connection, sql, params);
      }
      return withConnection(pool as WirePool, (c) => this.send(c, sql, params));
    };
    return {
      dialect: this.dialect,
      forUpdate: ' FOR UPDATE',
      ts: (d: Date) => d,
      bool: (b: boolean) => b,
      all: (sql, params = []) => exec(sql, params) as never,
      get: async (sql, params = []) => ((await exec(sql, params)) as unknown[])[0] as never,
      run: async (sql, params = []) => {
        if (this.role === 'replica') throw new Error('Db.q.run on the read-replica handle: writes belong on the primary (services.db)');
        const r = (await exec(sql, params)) as { affectedRows?: number; insertId?: number | bigint };
        return { affectedRows: Number(r.affectedRows ?? 0), insertId: Number(r.insertId ?? 0) };
      },
    };
  }

  private runner(trx: unknown, conn = this.conn): Q {
    const sqlite = this.dialect === 'sqlite';
    const check = TX_GUARD && trx === undefined ? poolQueryInTx : null;
    return {
      dialect: this.dialect,
      forUpdate: sqlite ? '' : ' FOR UPDATE',
      ts: sqlite ? (d: Date) => d.getTime() : (d: Date) => d,
      bool: sqlite ? (b: boolean) => (b ? 1 : 0) : (b: boolean) => b,
      all: (sql, params = []) => (check?.(sql), conn.execute(sql, params as unknown[], 'all', trx as never) as never),
      get: (sql, params = []) => (check?.(sql), conn.execute(sql, params as unknown[], 'get', trx as never) as never),
      run: async (sql, params = []) => {
        check?.(sql);
        if (this.role === 'replica') throw new Error('Db.q.run on the read-replica handle: writes belong on the primary (services.db)');
        const r = (await conn.execute(sql, params as unknown[], 'run', trx as never)) as { affectedRows?: number; insertId?: number | bigint };
        return { affectedRows: Number(r.affectedRows ?? 0), insertId: Number(r.insertId ?? 0) };
      },
    };
  }
}

type DriverError = { code?: unknown; errno?: unknown; sqlState?: unknown; message?: unknown };

/** A duplicate key, from entity code (converted by MikroORM) or raw SQL (the driver's own error). */
export function isUniqueViolation(e: unknown): boolean {
  if (e instanceof UniqueConstraintViolationException) return true;
  const d = (e ?? {}) as DriverError;
  return d.errno === 1062 || d.code === 'ER_DUP_ENTRY' || /SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)|UNIQUE constraint failed/.test(String(d.code ?? '') + String(d.message ?? ''));
}

/** A deadlock or lock-wait timeout: the transaction was rolled back and may be retried. */
export function isRetryableLock(e: unknown): boolean {
  if (e instanceof DeadlockException || e instanceof LockWaitTimeoutException) return true;
  const d = (e ?? {}) as DriverError;
  return d.errno === 1213 || d.errno === 1205 || d.code === 'ER_LOCK_DEADLOCK' || d.code === 'ER_LOCK_WAIT_TIMEOUT';
}

function isBusy(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : '';
  return /SQLITE_BUSY|database is locked/i.test(msg);
}
