/**
 * The SMS gateway adapter: one message (an approved template and its parameters) to one phone. Callers only speak
 * this interface (modules/sms/sms.service.ts sends through the outbox); one concrete protocol lives beside it
 * (tencent-sms-client.ts, the Tencent Cloud SMS API v3).
 */

export interface SmsRequest {
  /** E.164, e.g. +8613812345678. */
  phone: string;
  /** The provider's approved template id. */
  templateId: string;
  params: string[];
  /** Echoed back by the provider (our message reference). */
  sessionContext?: string;
}

/**
 * SENT: the provider accepted the message for that number. REJECTED: it refused and sent nothing; `retryable`
 * refusals (busy, a frequency limit that lifts in seconds, our clock, the package balance) may be sent again, the
 * others (a bad number, do-not-disturb, the daily limit, our configuration) are final. UNKNOWN: the request may have
 * reached the provider but no usable answer came back (timeout, 5xx, garbage): whether it was sent is not known, so
 * sending again could deliver it twice.
 */
export type SmsOutcome =
  | { kind: 'SENT'; serialNo: string; fee: number; requestId: string }
  | { kind: 'REJECTED'; code: string; message: string; retryable: boolean; requestId: string | null }
  | { kind: 'UNKNOWN'; reason: string };

export interface SmsProvider {
  /** `tencent`. */
  readonly id: string;
  send(r: SmsRequest): Promise<SmsOutcome>;
}
