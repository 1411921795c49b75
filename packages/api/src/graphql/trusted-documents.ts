/**
 * Trusted documents (issue #12): the mini-program's operations are registered by hash at build time
 * (`packages/shared/src/graphql/persisted.json`, written by `pnpm --filter miniapp codegen`). Clients send
 * Apollo's persisted-query extension `{ persistedQuery: { version: 1, sha256Hash } }`, with or without the text.
 *
 * - Apollo Server's persisted-query support looks hashes up in `manifestCache`, which answers from the manifest and
 *   never stores anything: a client cannot register a document (Apollo's default would let anyone do so, APQ).
 * - With `trustedDocuments` on (production), an operation whose hash is not in the manifest runs only for a signed-in
 *   manager (any scope); everyone else gets OPERATION_NOT_ALLOWED before execution. The limits still apply to managers.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '@quanzi/shared';
import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { RequestContext } from '../context';
import { AppError } from '../errors';

export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation';
  body: string;
}

/** The manifest codegen writes beside the mini-program's documents. */
export const MANIFEST_FILE = require.resolve('@quanzi/shared/src/graphql/persisted.json');
/**
 * The manager console's manifest (`pnpm --filter @quanzi/console codegen`): its signed-out sign-in operations
 * (`createConsoleLogin`, `consoleLoginStatus`) must pass in production too. Read when the console is in the tree.
 */
export const CONSOLE_MANIFEST_FILE = path.resolve(__dirname, '../../../console/src/graphql/persisted.json');

/** The registered documents of every client: the mini-program's and, when present, the console's. */
export function loadManifests(): Map<string, string> {
  const all = loadManifest(MANIFEST_FILE);
  if (existsSync(CONSOLE_MANIFEST_FILE)) for (const [id, body] of loadManifest(CONSOLE_MANIFEST_FILE)) all.set(id, body);
  return all;
}

/** sha256 → document text; throws when an id is not the hash of its body (a hand-edited or corrupt manifest). */
export function loadManifest(file: string = MANIFEST_FILE): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; operations?: ManifestOperation[] };
  if (parsed.format !== 'apollo-persisted-query-manifest' || !Array.isArray(parsed.operations)) throw new Error(`${file}: not a persisted-query manifest`);
  const out = new Map<string, string>();
  for (const op of parsed.operations) {
    if (createHash('sha256').update(op.body).digest('hex') !== op.id) throw new Error(`${file}: ${op.name} has an id that is not the SHA-256 of its body (run pnpm --filter miniapp codegen)`);
    out.set(op.id, op.body);
  }
  return out;
}

/** Apollo's persisted-query cache, read-only over the manifest (Apollo prefixes keys with `apq:`). */
export function manifestCache(manifest: ReadonlyMap<string, string>) {
  return {
    async get(key: string): Promise<string | undefined> {
      return manifest.get(key.startsWith('apq:') ? key.slice(4) : key);
    },
    async set(): Promise<void> {
      /* registration by clients is off: only the build registers documents */
    },
    async delete(): Promise<boolean> {
      return false;
    },
  };
}

/**
 * The trusted-document check for `didResolveOperation` (after parsing and the limits, before execution). Only
 * signed-in users whose document is unregistered cost a roles look-up.
 */
export function trustedDocumentCheck(enabled: boolean, manifest: ReadonlyMap<string, string>) {
  return async (rc: GraphQLRequestContextDidResolveOperation<RequestContext>): Promise<void> => {
    if (!enabled || (rc.queryHash !== undefined && manifest.has(rc.queryHash))) return;
    const ctx = rc.contextValue;
    if (ctx.userId !== null && (await ctx.roles()).some((g) => g.role === 'MANAGER')) return;
    throw new AppError(ErrorCode.OPERATION_NOT_ALLOWED, 'Only the registered operations of the mini-program are accepted (send extensions.persistedQuery.sha256Hash)', { http: { status: 403 } });
  };
}
