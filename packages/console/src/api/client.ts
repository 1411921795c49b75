/**
 * The console's GraphQL client: typed documents (generated, or shared with the mini-program) sent as plain text
 * with fetch; errors become ApiError with the API's code and its Chinese message (errorMessageZh).
 */
import { ErrorCode, errorMessageZh } from '@quanzi/shared';
import type { TypedDocument } from '../graphql/typed-document';
import { clearSession, currentToken } from './session';

/** Codes the console adds for failures that never reached the API. */
export type ClientCode = ErrorCode | 'NETWORK';

export class ApiError extends Error {
  constructor(
    readonly code: ClientCode,
    message: string,
    readonly field?: string,
    /** The error's extensions as the API sent them (e.g. `memberNo` where an issue stopped). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
  /** What the manager reads. */
  get zh(): string {
    return zhMessage(this.code);
  }
}

export function zhMessage(code: string): string {
  if (code === 'NETWORK') return '网络异常，请检查网络后重试';
  return (errorMessageZh as Record<string, string>)[code] ?? errorMessageZh.INTERNAL;
}

/** The Chinese message of any error thrown by `request`. */
export function errorZh(e: unknown): string {
  return e instanceof ApiError ? e.zh : zhMessage(ErrorCode.INTERNAL);
}

const ENDPOINT = (import.meta.env.VITE_API_URL as string | undefined) ?? '/graphql';

/** Sends a document; `token` overrides the console session (the demo confirms as a persona). */
export async function request<R, V>(doc: TypedDocument<R, V>, variables: V, opts: { token?: string | null } = {}): Promise<R> {
  const token = opts.token === undefined ? currentToken() : opts.token;
  let res: Response;
  try {
    res = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: doc.query, operationName: doc.operationName, variables }),
    });
  } catch {
    throw new ApiError('NETWORK', 'network error');
  }
  let body: { data?: R | null; errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(ErrorCode.INTERNAL, `HTTP ${res.status}`);
  }
  const err = body.errors?.[0];
  if (err) {
    const code = (err.extensions?.code ?? ErrorCode.INTERNAL) as ErrorCode;
    // A console session that expired (or was revoked) sends the manager back to the QR code.
    if (code === ErrorCode.UNAUTHENTICATED && opts.token === undefined) clearSession();
    throw new ApiError(code in errorMessageZh ? code : ErrorCode.INTERNAL, err.message, err.extensions?.field, err.extensions ?? {});
  }
  if (!body.data) throw new ApiError(ErrorCode.INTERNAL, 'empty response');
  return body.data;
}
