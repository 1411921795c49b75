// @ts-check
/**
 * graphql-codegen plugin: the trusted-document manifest (`packages/shared/src/graphql/persisted.json`) in Apollo's
 * persisted-query manifest format — `{ format, version, operations: [{ id, name, type, body }] }` with id = the
 * SHA-256 of body. The API accepts these documents (by hash or by text) from everyone in production; anything
 * else only from managers. Regenerated with `pnpm --filter miniapp codegen`; `codegen --check` fails when stale.
 */
const { operationsOf } = require('./operations.cjs');

module.exports = {
  /** @type {import('@graphql-codegen/plugin-helpers').PluginFunction} */
  plugin(_schema, documents) {
    const operations = operationsOf(documents)
      .map(({ name, type, body, sha256 }) => ({ id: sha256, name, type, body }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2) + '\n';
  },
};
