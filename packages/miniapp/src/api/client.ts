import type { TypedDocument } from '@quanzi/shared/graphql';
import { API_URL } from '../env';
import { session } from '../state/session';
import { apiError, type ApiError } from './errors';
import { postJson, TransportError } from './transport';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/**
 * Runs one GraphQL operation against the API with the session's token. Resolves with `data`; rejects with an
 * `ApiError` (Chinese message, code from `extensions.code`). An UNAUTHENTICATED answer signs the user out, so
 * every page falls back to its sign-in state.
 */
export async function request<R, V>(doc: TypedDocument<R, V>, variables: V): Promise<R> {
  const token = session.get().token;
  let res;
  try {
    res = await postJson(
      API_URL,
      { operationName: doc.operationName, query: doc.query, variables },
      token ? { authorization: `Bearer ${token}` } : {},
    );
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
