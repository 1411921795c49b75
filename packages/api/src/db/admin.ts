/** Creates or drops databases on a MariaDB/MySQL server (tests, migration generation, seeding). */
// mysql2 is a dev dependency: this module serves tests and developer CLIs, not the running API.
import { createConnection } from 'mysql2/promise';

/** Parses `mariadb://user:pass@host:port[/db]` into connection options. */
export function parseDbUrl(url: string): { host: string; port: number; user: string; password: string; database: string | null } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : null,
  };
}

/** (Re)creates `name` on the server at `serverUrl` and returns a URL for it; `dropOnly` just drops it. */
export async function createDatabase(serverUrl: string, name: string, opts: { dropOnly?: boolean } = {}): Promise<string> {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`bad database name ${name}`);
  const o = parseDbUrl(serverUrl);
  const conn = await createConnection({ host: o.host, port: o.port, user: o.user, password: o.password });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    if (!opts.dropOnly) await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
