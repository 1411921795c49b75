/**
 * The lean SQL's way to MariaDB/MySQL (db/sql.ts's `Db` on those dialects): straight to the driver's connection —
 * the `mariadb` connector's or mysql2's callback API, one `query(sql, values, callback)` per statement — taken from
 * and given back to the ORM's own pool (knex's), so entity code and lean SQL share the pool, its size and its
 * connections' session settings (READ COMMITTED, UTC: orm.ts).
 *
 * Why not MikroORM's `execute`: per statement it formats the values into the SQL and logs, knex builds a Raw query
 * and a runner and hands the driver an options object, which the mariadb connector merges into a copy of its ~80
 * connection options (`Object.assign` in every command's constructor). That was a fifth of the CPU of a till
 * purchase (`BENCH_PROFILE=1 pnpm bench`). The driver formats the values itself here (its own escaping, the
 * connection's time zone), and the SQL text is the lean SQL's own, so it is parsed by the driver, not by MikroORM's
 * `?` scan.
 */

/** A driver connection (mariadb/callback or mysql2): the one call used here. */
export interface WireConnection {
  query(sql: string, values: unknown[], callback: (err: Error | null, result: unknown) => void): void;
}

/** The ORM's pool (knex's client): acquire and release a driver connection. */
export interface WirePool {
  acquireConnection(): Promise<WireConnection>;
  releaseConnection(connection: WireConnection): Promise<unknown>;
}

/** Called with each statement sent (db/statement-log.ts counts them); empty unless something listens. */
export const statementListeners = new Set<(sql: string) => void>();

/** Sends one statement on `connection` and resolves with the driver's result (rows, or its OK packet for a write). */
export function send(connection: WireConnection, sql: string, values: readonly unknown[]): Promise<unknown> {
  if (statementListeners.size) for (const l of statementListeners) l(sql);
  // An undefined value is a NULL, as MikroORM's formatting made it (the drivers refuse undefined).
  const params = values.includes(undefined) ? values.map((v) => (v === undefined ? null : v)) : (values as unknown[]);
  return new Promise((resolve, reject) => connection.query(sql, params, (err, result) => (err ? reject(err) : resolve(result))));
}

/** Runs `fn` on a connection from the pool, given back afterwards. */
export async function withConnection<T>(pool: WirePool, fn: (connection: WireConnection) => Promise<T>): Promise<T> {
  const connection = await pool.acquireConnection();
  try {
    return await fn(connection);
  } finally {
    await pool.releaseConnection(connection);
  }
}
