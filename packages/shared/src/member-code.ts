/**
 * The rotating member code (PRODUCT F2): member number + TOTP (RFC 6238, HMAC-SHA1, 6 digits, 30 s step),
 * computed on the phone from a per-member secret so the card works offline.
 * Pure TypeScript (own SHA-1/HMAC in ./sha1): no Node or browser crypto, so it runs in the mini-program.
 */
import { hmacSha1 } from './sha1';

/** Length of one TOTP time step, in seconds. */
export const MEMBER_CODE_STEP_SECONDS = 30;
/** Version prefix of the text in the member QR code. */
export const MEMBER_CODE_PREFIX = 'QZ1';

const MEMBER_CODE_DIGITS = 6;
const MEMBER_CODE_RE = /^QZ1\.([0-9]{1,20})\.([0-9]{6})$/;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const TWO_POW_32 = 0x100000000;

/**
 * Text in the QR code: `QZ1.<memberNo>.<6 digits>`, e.g. `QZ1.10000042.492039`.
 * No validation: pass a digits-only member number and a `totpAt` result so `parseMemberCode` accepts it.
 */
export function formatMemberCode(memberNo: string, totp: string): string {
  return `${MEMBER_CODE_PREFIX}.${memberNo}.${totp}`;
}

/**
 * Parses a scanned member code. Accepts exactly `QZ1.<1–20 digits>.<6 digits>` (surrounding whitespace is
 * trimmed); anything else → null.
 */
export function parseMemberCode(code: string): { memberNo: string; totp: string } | null {
  if (typeof code !== 'string') return null;
  const m = MEMBER_CODE_RE.exec(code.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { memberNo: m[1], totp: m[2] };
}

/** RFC 4648 base32 without padding, upper case. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | (bytes[i] ?? 0)) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}

/**
 * Decodes RFC 4648 base32. Case-insensitive; trailing `=` padding is accepted and ignored, as are the leftover
 * bits of an incomplete final group. Throws RangeError on any other character.
 */
export function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '').toUpperCase();
  const out = new Uint8Array(Math.floor((clean.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = BASE32_ALPHABET.indexOf(clean.charAt(i));
    if (v < 0) throw new RangeError(`Invalid base32 character at position ${i}`);
    buffer = ((buffer << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/** The TOTP time step (counter) for an instant in ms: floor(nowMs / stepMs). */
export function totpStep(nowMs: number, stepSeconds: number = MEMBER_CODE_STEP_SECONDS): number {
  assertStepSeconds(stepSeconds);
  return Math.floor(nowMs / (stepSeconds * 1000));
}

/**
 * RFC 6238 TOTP for a counter, secret as base32: HMAC-SHA1 over the 8-byte big-endian counter, dynamic
 * truncation, the last `digits` decimal digits (zero-padded). `step` must be a non-negative safe integer;
 * `digits` an integer 1–9.
 */
export function totpAt(secretBase32: string, step: number, digits: number = MEMBER_CODE_DIGITS): string {
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError('TOTP step must be a non-negative safe integer');
  if (!Number.isInteger(digits) || digits < 1 || digits > 9) throw new RangeError('TOTP digits must be an integer from 1 to 9');
  const counter = new Uint8Array(8);
  const view = new DataView(counter.buffer);
  // High/low 32-bit words by division: bit shifts would truncate a counter above 2^32.
  view.setUint32(0, Math.floor(step / TWO_POW_32), false);
  view.setUint32(4, step % TWO_POW_32, false);
  const mac = hmacSha1(base32Decode(secretBase32), counter);
  const offset = (mac[19] ?? 0) & 0x0f;
  const binary =
    (((mac[offset] ?? 0) & 0x7f) << 24) | ((mac[offset + 1] ?? 0) << 16) | ((mac[offset + 2] ?? 0) << 8) | (mac[offset + 3] ?? 0);
  const code = binary % Math.pow(10, digits);
  return String(code).padStart(digits, '0');
}

/** The member code to show at `nowMs`: `QZ1.<memberNo>.<TOTP of the current 30 s step>`. */
export function currentMemberCode(memberNo: string, secretBase32: string, nowMs: number): string {
  return formatMemberCode(memberNo, totpAt(secretBase32, totpStep(nowMs)));
}

/**
 * Which step within ±`window` of now matches the 6-digit `totp`, or null. Preference order: the current step,
 * then now-1, now+1, now-2, now+2, …. Every candidate is computed and compared in constant time, so the
 * timing does not reveal which step (or how many digits) matched. Steps below 0 are skipped.
 */
export function matchTotpStep(secretBase32: string, totp: string, nowMs: number, window: number = 1): number | null {
  if (!Number.isInteger(window) || window < 0) throw new RangeError('window must be a non-negative integer');
  const now = totpStep(nowMs);
  const candidates: number[] = [now];
  for (let k = 1; k <= window; k++) candidates.push(now - k, now + k);
  let found: number | null = null;
  for (const step of candidates) {
    if (step < 0) continue;
    const ok = constantTimeEqual(totpAt(secretBase32, step, MEMBER_CODE_DIGITS), typeof totp === 'string' ? totp : '');
    if (ok && found === null) found = step;
  }
  return found;
}

/** Whole seconds (rounded up, 1…stepSeconds) until the code shown at `nowMs` rotates. */
export function secondsToRotate(nowMs: number, stepSeconds: number = MEMBER_CODE_STEP_SECONDS): number {
  assertStepSeconds(stepSeconds);
  const stepMs = stepSeconds * 1000;
  const into = ((nowMs % stepMs) + stepMs) % stepMs;
  return Math.ceil((stepMs - into) / 1000);
}

function assertStepSeconds(stepSeconds: number): void {
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) throw new RangeError('stepSeconds must be a positive number');
}

/** Compares two strings without an early exit on the first difference (the length is not secret). */
function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
