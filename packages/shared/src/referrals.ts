/**
 * Referral rules (F8), pure: the programme's bounds, the referrer's weighted share of what a referee earns, the
 * share window, the monthly cap (calendar months in Asia/Shanghai) and the proportional reversal on a refund.
 */
import { maskPhone } from './format';
import { addMonthsUtc } from './tiers';
import { SHANGHAI_OFFSET_MS } from './shanghai';

export interface ReferralSettings {
  enabled: boolean;
  /** One-off points to the referrer at the referee's first qualifying purchase. */
  referrerBonus: number;
  /** Points to the referee when bound at first sign-in (0: none). */
  refereeBonus: number;
  /** The referrer's share, in percent, of the points the referee earns. */
  sharePct: number;
  /** For how many months after binding the share is paid. */
  shareMonths: number;
  /** Referral points one referrer may receive per calendar month (Asia/Shanghai); 0 = no cap. */
  monthlyCap: number;
  /** The smallest purchase (fen) that qualifies for the referrer's bonus; 0 = any purchase. */
  qualifyingMinFen: number;
}

export const REFERRAL_LIMITS = {
  referrerBonus: 100_000,
  refereeBonus: 100_000,
  sharePct: 50,
  shareMonths: 36,
  monthlyCap: 10_000_000,
  qualifyingMinFen: 100_000_000,
} as const;

/** Off until an HQ manager turns it on: 500 points, 10 % for 12 months, no welcome bonus, no cap. */
export const DEFAULT_REFERRAL_SETTINGS: ReferralSettings = {
  enabled: false,
  referrerBonus: 500,
  refereeBonus: 0,
  sharePct: 10,
  shareMonths: 12,
  monthlyCap: 0,
  qualifyingMinFen: 0,
};

/** The fields of `s` out of bounds (integers from 0 to `REFERRAL_LIMITS`), each with why; empty when valid. */
export function referralSettingsProblems(s: ReferralSettings): { field: keyof typeof REFERRAL_LIMITS; message: string }[] {
  const out: { field: keyof typeof REFERRAL_LIMITS; message: string }[] = [];
  for (const field of Object.keys(REFERRAL_LIMITS) as (keyof typeof REFERRAL_LIMITS)[]) {
    const v = s[field];
    const max = REFERRAL_LIMITS[field];
    if (!Number.isSafeInteger(v) || v < 0 || v > max) out.push({ field, message: `${field} must be an integer from 0 to ${max}` });
  }
  return out;
}

/** The referrer's share of `earned` points: floor(earned × pct / 100), never negative. */
export function referralShare(earned: number, sharePct: number): number {
  if (!Number.isSafeInteger(earned) || earned <= 0 || sharePct <= 0) return 0;
  return Math.floor((earned * sharePct) / 100);
}

/**
 * Whether an earning at `at` falls in the share window: until `shareMonths` calendar months after binding (exclusive).
 * There is no lower bound: a bound member's earnings are all recorded after the binding, though a payment's time is
 * WeChat Pay's `success_time`, in whole seconds, which can read a fraction of a second before it.
 */
export function inShareWindow(boundAt: Date, shareMonths: number, at: Date): boolean {
  return at.getTime() < addMonthsUtc(boundAt, shareMonths).getTime();
}


/** The calendar month of `at` in Asia/Shanghai, as `YYYY-MM` (the cap's period). */
export function shanghaiMonth(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/**
 * What a referral credit pays under the monthly cap: all of `points` while the month's total stays within the
 * cap, the rest up to the cap when it would cross it, nothing once the cap is reached (`capped`: points not paid).
 */
export function applyMonthlyCap(points: number, paidThisMonth: number, monthlyCap: number): { pay: number; capped: number } {
  if (points <= 0) return { pay: 0, capped: 0 };
  if (monthlyCap <= 0) return { pay: points, capped: 0 };
  const pay = Math.max(0, Math.min(points, monthlyCap - paidThisMonth));
  return { pay, capped: points - pay };
}

/**
 * The share taken back after a refund, like the purchase's own points: cumulatively floor(share × refunded fen /
 * purchase fen), less what earlier refunds already took back (never negative).
 */
export function shareReversal(sharePaid: number, refundedFen: number, amountFen: number, alreadyReversed: number): { target: number; now: number } {
  if (sharePaid <= 0 || amountFen <= 0) return { target: alreadyReversed, now: 0 };
  const target = Math.floor((sharePaid * Math.min(refundedFen, amountFen)) / amountFen);
  return { target: Math.max(target, alreadyReversed), now: Math.max(0, target - alreadyReversed) };
}

/**
 * How a referee is shown to the referrer: the nickname's first character + `**`, else the masked phone, else
 * `会员` + the last 4 digits of the member number.
 */
export function maskReferee(r: { nickname?: string | null; phone?: string | null; memberNo: string }): string {
  const nick = r.nickname?.trim();
  if (nick) return `${Array.from(nick)[0]}**`;
  if (r.phone) return maskPhone(r.phone) as string;
  return `会员****${r.memberNo.slice(-4)}`;
}

/** The invite token's alphabet: Crockford base32 without I, L, O, U (no look-alikes when read aloud or typed). */
export const INVITE_TOKEN_RE = /^[0-9A-HJKMNP-TV-Z]{10}$/;
