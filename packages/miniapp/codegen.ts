/**
 * GraphQL codegen for the documents in packages/shared/src/graphql/documents. The schema is the API's emitted
 * packages/api/schema.graphql when it exists, else the provisional copy in shared. Output is committed.
 * Also writes packages/shared/src/graphql/persisted.json, the trusted-document manifest (see the README, "GraphQL").
 * Run: pnpm --filter miniapp codegen
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

const repo = path.resolve(__dirname, '..', '..');
const apiSchema = path.join(repo, 'packages/api/schema.graphql');
const provisional = path.join(repo, 'packages/shared/src/graphql/schema.provisional.graphql');
const schema = existsSync(apiSchema) ? apiSchema : provisional;
const out = path.join(repo, 'packages/shared/src/graphql/generated.ts');
const manifest = path.join(repo, 'packages/shared/src/graphql/persisted.json');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const operationsConfig = require(path.join(__dirname, 'codegen/operations-config.cjs')) as Record<string, unknown>;

const config: CodegenConfig = {
  schema,
  documents: [path.join(repo, 'packages/shared/src/graphql/documents/*.graphql')],
  emitLegacyCommonJSImports: false,
  generates: {
    [out]: {
      plugins: [
        'typescript-operations',
        { [path.join(__dirname, 'codegen/typed-documents.cjs')]: { schemaFile: path.relative(repo, schema) } },
      ],
      config: operationsConfig,
    },
    // The trusted documents the API accepts from members and staff in production (sha256 → text).
    [manifest]: { plugins: [path.join(__dirname, 'codegen/persisted-manifest.cjs')] },
  },
};

export default config;
