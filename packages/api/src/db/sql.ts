/**
 * Lean SQL for the hot paths (member home, till accrual/redemption, expiry), run through the ORM's own
 * connection so it shares the pool and transactions with entity code. Dialect differences live here.
 */
import { DeadlockException, LockWaitTimeoutException, UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/mariadb';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Dialect } from './orm';

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

export class Db {
  readonly dialect: Dialect;
  private readonly conn: AbstractSqlConnection;

  /**
   * `replica`: a read-only handle on the ORM's read replicas (one picked at random per `q`; the primary when none is
   * configured). It has no transactions and no writes: `tx` and `q.run` throw, so nothing that writes can be wired to it by mistake.
   * Which services read through it: src/db/read-routing.ts.
   */
  constructor(readonly orm: MikroORM, readonly role: 'primary' | 'replica' = 'primary') {
    const name = orm.config.get('driver')?.name ?? '';
    this.dialect = /LibSql|Sqlite/i.test(name) ? 'sqlite' : /MySql/i.test(name) ? 'mysql' : 'mariadb';
    this.conn = orm.em.getConnection() as unknown as AbstractSqlConnection;
  }

  /** A runner outside any transaction (autocommit). */
  get q(): Q {
    if (this.role === 'replica') return this.runner(undefined, this.orm.em.getConnection('read') as unknown as AbstractSqlConnection);
    return this.runner(undefined);
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

  private runner(trx: unknown, conn = this.conn): Q {
    const sqlite = this.dialect === 'sqlite';
    const check = TX_GUARD && trx === undefined
      ? (sql: string) => {
          if (inTx.getStore()) throw new Error(`A pool query inside a transaction (read it before the transaction starts): ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
        }
      : null;
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
