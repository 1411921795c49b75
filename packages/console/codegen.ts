/**
 * GraphQL codegen for the console's documents (src/graphql/documents), against the API's emitted schema, with the
 * mini-program's typed-document plugin (no GraphQL runtime in the browser: each operation is a typed text constant).
 * Documents the mini-program already has (Viewer, Login, Tiers, EarningRules) are imported from @quanzi/shared.
 * Run: pnpm --filter @quanzi/console codegen
 */
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

const repo = path.resolve(__dirname, '..', '..');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const operationsConfig = require(path.join(repo, 'packages/miniapp/codegen/operations-config.cjs')) as Record<string, unknown>;

const config: CodegenConfig = {
  schema: path.join(repo, 'packages/api/schema.graphql'),
  documents: [path.join(__dirname, 'src/graphql/documents/*.graphql')],
  emitLegacyCommonJSImports: false,
  generates: {
    [path.join(__dirname, 'src/graphql/generated.ts')]: {
      plugins: ['typescript-operations', { [path.join(repo, 'packages/miniapp/codegen/typed-documents.cjs')]: { schemaFile: 'packages/api/schema.graphql' } }],
      config: operationsConfig,
    },
    // Registered documents: in production the API runs unregistered ones only for signed-in managers, and the
    // console's sign-in happens signed out (see packages/api/src/graphql/trusted-documents.ts).
    [path.join(__dirname, 'src/graphql/persisted.json')]: { plugins: [path.join(repo, 'packages/miniapp/codegen/persisted-manifest.cjs')] },
  },
};

export default config;
