/**
 * The reward-provider adapter (F6): how partner rewards (phone top-ups, fuel cards) are fulfilled. A provider
 * accepts an order asynchronously, reports the final result by a signed callback, and answers status queries.
 * The fulfilment worker (modules/rewards/fulfilment.service.ts) only speaks this interface; one concrete protocol
 * lives beside it (aggregator-client.ts).
 */

/** An order as the provider needs it. `outTradeNo` is ours and unique: a provider must treat a resend as the same order. */
export interface ProviderOrder {
  outTradeNo: string;
  productType: 'MOBILE' | 'FUEL';
  /** CMCC/CUCC/CTCC or SINOPEC/CNPC. */
  brand: string;
  /** The phone or fuel-card number. */
  account: string;
  faceValueYuan: number;
  /** Where the provider posts the result. */
  notifyUrl: string;
}

export type ProviderStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED';

/**
 * ACCEPTED: the provider has the order (usually still PROCESSING). REJECTED: it refused and did NOT create the
 * order; `retryable` refusals (busy, our balance or configuration at the provider) may be sent again later, the
 * others (an account the operator refuses, bad parameters) are final.
 */
export type SubmitOutcome =
  | { kind: 'ACCEPTED'; providerOrderNo: string | null; status: ProviderStatus }
  | { kind: 'REJECTED'; retryable: boolean; code: string; message: string };

/** NOT_FOUND: the provider has no such order (a submit that never arrived). */
export interface QueryOutcome { status: ProviderStatus | 'NOT_FOUND'; providerOrderNo: string | null; failReason: string | null }

/** A verified callback: the final result of one order. */
export interface ProviderCallback {
  outTradeNo: string;
  providerOrderNo: string | null;
  status: 'SUCCESS' | 'FAILED';
  failReason: string | null;
  account: string | null;
  faceValueYuan: number | null;
}

/** No usable answer (timeout, connection error, 5xx, garbage): whether the provider acted is unknown, so ask again. */
export class ProviderUnreachable extends Error {}

/** A callback that cannot be trusted (bad signature, another merchant, malformed): nothing may change. */
export class CallbackRejected extends Error {
  constructor(readonly reason: string) {
    super(`callback rejected: ${reason}`);
  }
}

export interface RewardProvider {
  /** The adapter id stored on rewards and in the callback path (`/webhooks/rewards/<id>`). */
  readonly id: string;
  /** Sends an order; throws ProviderUnreachable when the outcome is unknown. */
  submit(order: ProviderOrder): Promise<SubmitOutcome>;
  /** Asks for an order's state; throws ProviderUnreachable when there is no usable answer. */
  query(outTradeNo: string): Promise<QueryOutcome>;
  /** Verifies and reads a callback body; throws CallbackRejected. */
  verifyCallback(body: string, contentType: string): ProviderCallback;
  /** The response bodies the provider expects: acknowledged, or please retry. */
  readonly ack: { ok: string; retry: string };
}
