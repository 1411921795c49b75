import type { MikroORM } from '@mikro-orm/core';

type Execute = (sql: string, params: unknown[], method: 'get', ctx?: unknown) => Promise<{ sql: string } | undefined>;

/**
 * MikroORM 6.6.16 misreads sqlite enum columns (`text check (col in ('A', 'B', 'C'))`): it splits the list only
 * before the last item, so any enum with three or more values comes back as [first, last] and the schema diff
 * proposes rebuilding every table with such a column (upstream bug, fixed on the 6.x branch by
 * mikro-orm/mikro-orm#8139, not in a 6.x release yet). Parse every quoted literal instead, on this ORM instance
 * only. Remove once @mikro-orm/knex ships the fix.
 */
export function readEveryEnumItemOnSqlite(orm: MikroORM): void {
  const helper = orm.em.getPlatform().getSchemaHelper() as unknown as {
    getEnumDefinitions(connection: { execute: Execute }, checks: unknown, tableName: string, schemaName?: string, ctx?: unknown): Promise<Record<string, string[]>>;
  };
  helper.getEnumDefinitions = async (connection, _checks, tableName, _schemaName, ctx) => {
    const row = await connection.execute('select sql from sqlite_master where type = ? and name = ?', ['table', tableName], 'get', ctx);
    const out: Record<string, string[]> = {};
    const column = /[`"[]([^`"\]]+)[`"\]] text check \(\s*[`"[]?[^`"\]\s]+[`"\]]?\s+in\s*\(((?:\s*'(?:[^']|'')*'\s*,?)+)\)\s*\)/gi;
    for (const m of (row?.sql ?? '').matchAll(column)) {
      out[m[1] as string] = [...(m[2] as string).matchAll(/'((?:[^']|'')*)'/g)].map((v) => (v[1] as string).replace(/''/g, "'"));
    }
    return out;
  };
}

