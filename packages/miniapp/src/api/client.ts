import type { TypedDocument } from '@quanzi/shared/graphql';
import { API_URL } from '../env';
import { session } from '../state/session';
import { apiError, type ApiError } from './errors';
import { postJson, TransportError } from './transport';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** The API answers this (as `extensions.reason`) to a hash it does not know, e.g. a build newer than the server. */
const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

/**
 * Runs one GraphQL operation against the API with the session's token. Resolves with `data`; rejects with an
 * `ApiError` (Chinese message, code from `extensions.code`). An UNAUTHENTICATED answer signs the user out, so
 * every page falls back to its sign-in state.
 *
 * The operation goes as a trusted document: its SHA-256 in Apollo's persisted-query extension, without the text
 * (the production API accepts only the registered documents from members and staff). Should the API not know the
 * hash, the text follows once with the same hash.
 */
export async function request<R, V>(doc: TypedDocument<R, V>, variables: V): Promise<R> {
  const token = session.get().token;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const extensions = { persistedQuery: { version: 1, sha256Hash: doc.sha256 } };
  let res;
  try {
    res = await postJson(API_URL, { operationName: doc.operationName, variables, extensions }, headers);
    const first = (res.data as GraphQLResponse<R> | null)?.errors?.[0]?.extensions;
    if (first?.reason === PERSISTED_QUERY_NOT_FOUND || first?.code === PERSISTED_QUERY_NOT_FOUND) {
      res = await postJson(API_URL, { operationName: doc.operationName, query: doc.query, variables, extensions }, headers);
    }
  } catch (e) {
    throw apiError(e instanceof TransportError || (e as { transport?: boolean })?.transport ? 'NETWORK' : 'INTERNAL', String(e));
  }
  const body = res.data as GraphQLResponse<R> | null;
  if (!body || typeof body !== 'object' || (!('data' in body) && !('errors' in body))) {
    throw apiError('BAD_RESPONSE', `HTTP ${res.status}`);
  }
  const first = body.errors?.[0];
  if (first) {
    const err: ApiError = apiError(first.extensions?.code, first.message, first.extensions);
    if (err.code === 'UNAUTHENTICATED' && token) session.signOut();
    throw err;
  }
  if (body.data == null) throw apiError('BAD_RESPONSE', `HTTP ${res.status} without data`);
  return body.data;
}
