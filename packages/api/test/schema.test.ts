/**
 * The committed GraphQL schema (packages/api/schema.graphql) is what the resolvers produce. The mini-program's
 * codegen reads the file, so a stale copy silently breaks the client: regenerate it with `pnpm schema`.
 */
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { printedSchema, SCHEMA_FILE } from '../src/cli/emit-schema';

describe('schema.graphql', () => {
  test('is up to date with the resolvers (run `pnpm schema` if this fails)', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const current = await printedSchema();
    if (committed !== current) {
      // A short, readable pointer to the first difference; the full comparison follows.
      const a = committed.split('\n');
      const b = current.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i === -1 ? Math.min(a.length, b.length) : i;
      throw new Error(
        `packages/api/schema.graphql is stale: run \`pnpm schema\` and commit the result.\n` +
          `First difference at line ${at + 1}:\n  committed: ${JSON.stringify(a[at])}\n  generated: ${JSON.stringify(b[at])}`,
      );
    }
    expect(committed).toBe(current);
  });

  test('is a valid SDL document that declares the operations clients use', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    const queries = Object.keys(schema.getQueryType()?.getFields() ?? {});
    expect(mutations).toEqual(expect.arrayContaining(['login', 'bindPhone', 'recordPurchase', 'redeemPoints', 'assignRole']));
    expect(queries).toEqual(expect.arrayContaining(['me', 'viewer', 'memberByCode', 'tillOperations']));
  });
});
