/**
 * Secondary indexes deferred during the bulk load of `pnpm seed:scale` (load.ts): dropped before the rows go in,
 * then built once per table from the loaded rows, which sorts each index once instead of inserting millions of
 * keys at random places. What is rebuilt is read from the database's own catalogue, so it is exactly what the
 * migrations made; `tableDefinitions` lets the caller check that the tables read back as they did before.
 */
import type { Connection } from 'mysql2/promise';

export interface IndexDef {
  table: string;
  name: string;
  unique: boolean;
  /** Column list as it appears in the definition, e.g. "`member_id`, `created_at`". */
  columns: string;
}

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** The secondary (non-primary) B-tree indexes of `tables`, per table in the table's own key order. */
export async function secondaryIndexes(conn: Connection, tables: readonly string[]): Promise<IndexDef[]> {
  const out: IndexDef[] = [];
  for (const table of tables) {
    const [rows] = (await conn.query(`SHOW INDEX FROM ${q(table)}`)) as unknown as [
      { Key_name: string; Non_unique: number | string; Column_name: string; Sub_part: number | null; Collation: string | null; Index_type: string }[],
    ];
    const byName = new Map<string, IndexDef & { parts: string[] }>();
    for (const r of rows) {
      if (r.Key_name === 'PRIMARY') continue;
      if (r.Index_type !== 'BTREE') throw new Error(`${table}.${r.Key_name}: a ${r.Index_type} index cannot be deferred`);
      let d = byName.get(r.Key_name);
      if (!d) {
        d = { table, name: r.Key_name, unique: Number(r.Non_unique) === 0, columns: '', parts: [] };
        byName.set(r.Key_name, d);
      }
      d.parts.push(`${q(r.Column_name)}${r.Sub_part ? `(${r.Sub_part})` : ''}${r.Collation === 'D' ? ' DESC' : ''}`);
    }
    for (const { parts, ...d } of byName.values()) out.push({ ...d, columns: parts.join(', ') });
  }
  return out;
}

function byTable(defs: readonly IndexDef[]): Map<string, IndexDef[]> {
  const out = new Map<string, IndexDef[]>();
  for (const d of defs) out.set(d.table, [...(out.get(d.table) ?? []), d]);
  return out;
}

/** Drops `defs`, one statement per table. The session must have foreign_key_checks = 0 (a foreign key's index goes too). */
export async function dropIndexes(conn: Connection, defs: readonly IndexDef[]): Promise<void> {
  for (const [table, ds] of byTable(defs)) await conn.query(`ALTER TABLE ${q(table)} ${ds.map((d) => `DROP INDEX ${q(d.name)}`).join(', ')}`);
}

/**
 * Builds `defs` again, one statement per table (InnoDB reads the table once and sorts each index), the tables
 * spread over `conns` so that two builds run at once on two connections, the biggest tables first.
 */
export async function addIndexes(conns: readonly Connection[], defs: readonly IndexDef[], rowsOf: (table: string) => number): Promise<void> {
  const queue = [...byTable(defs)].sort((a, b) => rowsOf(b[0]) - rowsOf(a[0]));
  await Promise.all(
    conns.map(async (conn) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [table, ds] = next;
        await conn.query(`ALTER TABLE ${q(table)} ${ds.map((d) => `ADD ${d.unique ? 'UNIQUE ' : ''}INDEX ${q(d.name)} (${d.columns})`).join(', ')}`);
      }
    }),
  );
}

/** `SHOW CREATE TABLE` of each table, without the AUTO_INCREMENT counter (which loading moves). */
export async function tableDefinitions(conn: Connection, tables: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of tables) {
    const [rows] = (await conn.query(`SHOW CREATE TABLE ${q(t)}`)) as unknown as [Record<string, string>[]];
    out.set(t, String(rows[0]?.['Create Table']).replace(/ AUTO_INCREMENT=\d+/, ''));
  }
  return out;
}
