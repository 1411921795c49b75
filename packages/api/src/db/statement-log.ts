/**
 * Counts the SQL statements (round trips to the database) the ORM's connection sends, for the benchmark's profile
 * (`pnpm bench` prints them per request: tests/bench/run.ts) and for tests that pin a hot path's statement count.
 * Entity code's statements go through knex, which announces each with a `query` event on its client; the lean SQL's
 * (db/sql.ts, their transactions' BEGIN, COMMIT and ROLLBACK included) go straight to the driver (db/wire.ts), which
 * tells `statementListeners`. This listens to both.
 *
 * Recording is meant for one request at a time: while a recording is open every statement of the process counts.
 */
import type { MikroORM } from '@mikro-orm/core';
import { statementListeners } from './wire';

type KnexClient = { on(event: 'query', fn: (q: { sql?: unknown }) => void): void; off?(event: 'query', fn: (q: { sql?: unknown }) => void): void };

export class StatementLog {
  private recording: string[] | null = null;
  private readonly listener = (q: { sql?: unknown }): void => {
    this.recording?.push(typeof q.sql === 'string' ? q.sql : String(q.sql));
  };
  private readonly wireListener = (sql: string): void => {
    this.recording?.push(sql);
  };
  private readonly client: KnexClient;

  constructor(orm: MikroORM) {
    const conn = orm.em.getConnection() as unknown as { getKnex(): { client: KnexClient } };
    this.client = conn.getKnex().client;
    this.client.on('query', this.listener);
    statementListeners.add(this.wireListener);
  }

  /** Runs `fn` and returns the statements sent while it ran, in order. */
  async record<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    if (this.recording) throw new Error('a recording is already open');
    const statements: string[] = [];
    this.recording = statements;
    try {
      return { result: await fn(), statements };
    } finally {
      this.recording = null;
    }
  }

  close(): void {
    this.client.off?.('query', this.listener);
    statementListeners.delete(this.wireListener);
  }
}

/** A statement shortened for a profile listing: whitespace collapsed, long VALUES/IN lists and the tail cut. */
export function statementLine(sql: string, max = 120): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
