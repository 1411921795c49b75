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

/** A statement of a batch (`Q.batch`): `rows` for a read (its rows are the result), else a write (a RunResult). */
export interface Stmt { sql: string; params?: readonly unknown[]; rows?: boolean }

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
  /**
   * Statements that go together, in order, and their results in the same order (rows for a read, a RunResult for a
   * write). MariaDB/MySQL: one multi-statement round trip, in which an error stops the statements after it and rejects
   * (inside a transaction the caller's error path rolls it all back); libsql: one after another. Check each write's
   * `affectedRows` after: the later statements have run by then, and throwing rolls them back with the rest.
   */
  batch(statements: readonly Stmt[]): Promise<(RunResult | Record<string, unknown>[])[]>;
  /** SQL for the id the previous INSERT on this connection generated (a batch's statement naming an earlier one's row). */
  readonly lastInsertId: string;
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
    if (this.role === 'primary') return (this.primaryQ ??= this.dialect === 'sqlite' ? this.runner(undefined) : this.wireRunner(() => wirePool(this.conn), null));
    const conn = this.orm.em.getConnection('read') as unknown as AbstractSqlConnection;
    return this.dialect === 'sqlite' ? this.runner(undefined, conn) : this.wireRunner(() => wirePool(conn), null);
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

  /**
   * MariaDB/MySQL: `fn` in a transaction on one connection of the pool, straight to the driver (wire.ts). BEGIN goes
   * with the transaction's first statement (one multi-statement round trip), COMMIT after `fn` (ROLLBACK on an error);
   * a transaction that sent nothing sends neither.
   */
  private wireTx<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return withConnection(wirePool(this.conn), async (connection) => {
      const state = { open: true, begun: false };
      try {
        const q = this.wireRunner(null, connection, state);
        const result = await (TX_GUARD ? inTx.run(true, () => fn(q)) : fn(q));
        state.open = false;
        if (state.begun) await this.send(connection, 'COMMIT', []);
        return result;
      } catch (e) {
        state.open = false;
        if (state.begun) await this.send(connection, 'ROLLBACK', []).catch(() => undefined);
        throw e;
      }
    });
  }

  /**
   * A MariaDB/MySQL runner: on `connection` (a transaction's, usable while `tx.open`; its first statement carries the
   * BEGIN) or, without one, each statement (or batch) on a connection of the ORM's pool at the time (autocommit).
   */
  private wireRunner(pool: (() => WirePool) | null, connection: WireConnection | null, tx?: { open: boolean; begun: boolean }): Q {
    const check = TX_GUARD && connection === null ? poolQueryInTx : null;
    /** `count` statements in `sql`: their results, one each. */
    const exec = async (sql: string, params: readonly unknown[], count: number): Promise<unknown[]> => {
      check?.(sql);
      let begin = false;
      let raw: unknown;
      if (connection) {
        if (!tx?.open) throw new Error(`A statement after its transaction ended: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
        begin = !tx.begun;
        tx.begun = true;
        raw = await this.send(connection, begin ? `BEGIN;\n${sql}` : sql, params);
      } else {
        raw = await withConnection((pool as () => WirePool)(), (c) => this.send(c, sql, params));
      }
      const results = count + (begin ? 1 : 0) === 1 ? [raw] : (raw as unknown[]);
      return begin ? results.slice(1) : results;
    };
    const written = (r: unknown): RunResult => {
      const w = r as { affectedRows?: number; insertId?: number | bigint };
      return { affectedRows: Number(w.affectedRows ?? 0), insertId: Number(w.insertId ?? 0) };
    };
    const noWrites = (): void => {
      if (this.role === 'replica') throw new Error('Db.q.run on the read-replica handle: writes belong on the primary (services.db)');
    };
    return {
      dialect: this.dialect,
      forUpdate: ' FOR UPDATE',
      lastInsertId: 'LAST_INSERT_ID()',
      ts: (d: Date) => d,
      bool: (b: boolean) => b,
      all: async (sql, params = []) => (await exec(sql, params, 1))[0] as never,
      get: async (sql, params = []) => ((await exec(sql, params, 1))[0] as unknown[])[0] as never,
      run: async (sql, params = []) => {
        noWrites();
        return written((await exec(sql, params, 1))[0]);
      },
      batch: async (statements) => {
        if (statements.some((st) => !st.rows)) noWrites();
        if (statements.length === 0) return [];
        // The separator on a line of its own: a statement ending in a `--` comment cannot swallow it.
        const results = await exec(statements.map((st) => st.sql).join('\n;\n'), statements.flatMap((st) => st.params ?? []), statements.length);
        return statements.map((st, i) => (st.rows ? (results[i] as Record<string, unknown>[]) : written(results[i])));
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
      lastInsertId: 'last_insert_rowid()',
      // libsql: one statement after another on the same connection (its single writer serialises transactions anyway).
      async batch(statements) {
        const out: (RunResult | Record<string, unknown>[])[] = [];
        for (const st of statements) out.push(st.rows ? await this.all(st.sql, [...(st.params ?? [])]) : await this.run(st.sql, [...(st.params ?? [])]));
        return out;
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
