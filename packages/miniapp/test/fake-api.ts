/**
 * The fake network: replaces src/api/transport (Taro.request) and nothing else. Handlers answer GraphQL
 * operations by name like the API would (data, or errors with `extensions.code`), or plain HTTP routes.
 */
import type { HttpResponse } from '../src/api/transport';

type Vars = Record<string, unknown>;
export type Handler = (variables: Vars, headers: Record<string, string>) => unknown;

export class GraphQLFailure {
  constructor(
    readonly code: string,
    readonly message = `failed: ${code}`,
    readonly extensions: Record<string, unknown> = {},
  ) {}
}
/** Answer with a GraphQL error carrying `extensions.code`. */
export const fail = (code: string, message?: string, extensions?: Record<string, unknown>) => new GraphQLFailure(code, message, extensions);

class Offline {}
/** No response at all (the request fails inside Taro.request). */
export const OFFLINE = new Offline();

/** A promise that never settles (keeps a page in its loading state). */
export const pending = () => new Promise<never>(() => undefined);

export interface Call {
  url: string;
  operationName?: string;
  variables?: Vars;
  headers: Record<string, string>;
  /** The document's text, when the client sent it (it normally sends only the hash). */
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

const handlers = new Map<string, Handler>();
const routes = new Map<string, (body: unknown) => HttpResponse | Offline | Promise<HttpResponse | Offline>>();
export const calls: Call[] = [];
/** Like an API older than the build: hashes alone are answered PERSISTED_QUERY_NOT_FOUND (the API's shape). */
let hashesUnknown = false;

export const api = {
  calls,
  /** Answer GraphQL operation `name`. The handler returns data, a `fail(code)`, OFFLINE, or a promise of one. */
  on(name: string, handler: Handler | unknown): void {
    handlers.set(name, typeof handler === 'function' ? (handler as Handler) : () => handler);
  },
  /** Answer a non-GraphQL POST (path suffix, e.g. '/demo/wx-code'). */
  route(path: string, fn: (body: unknown) => HttpResponse | Offline | Promise<HttpResponse | Offline>): void {
    routes.set(path, fn);
  },
  /** From now on (until reset) answer a hash sent without its text as an API that does not know it would. */
  forgetHashes(): void {
    hashesUnknown = true;
  },
  reset(): void {
    hashesUnknown = false;
    handlers.clear();
    routes.clear();
    calls.length = 0;
  },
  callsOf(name: string): Call[] {
    return calls.filter((c) => c.operationName === name);
  },
};

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const { TransportError } = jest.requireActual('../src/api/transport') as typeof import('../src/api/transport');
  const b = body as { operationName?: string; variables?: Vars; query?: string; extensions?: Call['extensions'] };
  calls.push({ url, operationName: b?.operationName, variables: b?.variables, headers, query: b?.query, extensions: b?.extensions });
  if (!url.endsWith('/graphql')) {
    const route = [...routes.entries()].find(([p]) => url.endsWith(p));
    if (!route) return { status: 404, data: { message: 'Not Found' } };
    const r = await route[1](body);
    if (r instanceof Offline) throw new TransportError('request:fail');
    return r;
  }
  if (hashesUnknown && b.query === undefined) {
    return { status: 200, data: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_NOT_FOUND' } }] } };
  }
  const handler = b.operationName ? handlers.get(b.operationName) : undefined;
  if (!handler) throw new Error(`fake API: no handler for ${b.operationName}`);
  const result = await handler(b.variables ?? {}, headers);
  if (result instanceof Offline) throw new TransportError('request:fail timeout');
  if (result instanceof GraphQLFailure) {
    return { status: 200, data: { data: null, errors: [{ message: result.message, extensions: { ...result.extensions, code: result.code } }] } };
  }
  return { status: 200, data: { data: result } };
}
