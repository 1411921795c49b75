import { ErrorCode, errorMessageZh, rateLimitedMessageZh } from '@quanzi/shared';

/**
 * Failures that happen on the phone, before or besides the API (network, WeChat's payment sheet); the API's own
 * codes are `ErrorCode` from shared.
 */
export const ClientErrorCode = {
  /** No response at all: offline, DNS, timeout, TLS. */
  NETWORK: 'NETWORK',
  /** A response that is not a GraphQL answer (a proxy's error page, HTTP 5xx without JSON). */
  BAD_RESPONSE: 'BAD_RESPONSE',
  /** The member closed WeChat's payment sheet (`requestPayment:fail cancel`); the order stays payable. */
  PAY_CANCELLED: 'PAY_CANCELLED',
  /** WeChat's payment sheet failed (or, on H5, the pay simulator refused the parameters). */
  PAY_FAILED: 'PAY_FAILED',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];
export type AppErrorCode = ErrorCode | ClientErrorCode;

const clientMessageZh: Record<ClientErrorCode, string> = {
  NETWORK: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务器响应异常，请稍后再试',
  PAY_CANCELLED: '已取消支付，订单已保留，可随时继续支付',
  PAY_FAILED: '支付未完成，请稍后重试',
};

const API_CODES = new Set<string>(Object.values(ErrorCode));
const CLIENT_CODES = new Set<string>(Object.values(ClientErrorCode));

/** Narrows any string to a code we know; unknown codes count as INTERNAL (never shown raw to the user). */
export function normalizeCode(code: unknown): AppErrorCode {
  if (typeof code === 'string' && (API_CODES.has(code) || CLIENT_CODES.has(code))) return code as AppErrorCode;
  return ErrorCode.INTERNAL;
}

/** The Chinese text for an error code (every API code through shared's `errorMessageZh`). */
export function messageFor(code: AppErrorCode): string {
  return (CLIENT_CODES.has(code) ? clientMessageZh[code as ClientErrorCode] : errorMessageZh[code as ErrorCode]) ?? errorMessageZh.INTERNAL;
}

/** An error from the API or the network, with its code and a Chinese message ready to show. */
export interface ApiError {
  readonly isApiError: true;
  readonly code: AppErrorCode;
  /** Chinese, for the user. */
  readonly message: string;
  /** The server's (English) message, for logs only. */
  readonly detail?: string;
}

/** `extensions` of the API's error, for the codes whose message names a value (RATE_LIMITED: `retryAfterSeconds`). */
export function apiError(code: unknown, detail?: string, extensions?: Record<string, unknown>): ApiError {
  const c = normalizeCode(code);
  const message = c === ErrorCode.RATE_LIMITED ? rateLimitedMessageZh(extensions?.retryAfterSeconds) : messageFor(c);
  return { isApiError: true, code: c, message, detail };
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && (e as { isApiError?: unknown }).isApiError === true;
}

/** Anything thrown → an ApiError (unexpected exceptions become INTERNAL). */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  return apiError(ErrorCode.INTERNAL, e instanceof Error ? e.message : String(e));
}
