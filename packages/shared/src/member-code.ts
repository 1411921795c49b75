/**
 * The rotating member code (PRODUCT F2): member number + TOTP (RFC 6238, HMAC-SHA1, 6 digits, 30 s step),
 * computed on the phone from a per-member secret so the card works offline. CONTRACT — implementation pending.
 * Pure TypeScript (own SHA-1/HMAC): no Node or browser crypto, so it runs in the mini-program.
 */
export const MEMBER_CODE_STEP_SECONDS = 30;
export const MEMBER_CODE_PREFIX = 'QZ1';
/** Text in the QR code: `QZ1.<memberNo>.<6 digits>`, e.g. `QZ1.10000042.492039`. */
export declare function formatMemberCode(memberNo: string, totp: string): string;
export declare function parseMemberCode(code: string): { memberNo: string; totp: string } | null;
/** RFC 4648 base32 without padding, upper case. */
export declare function base32Encode(bytes: Uint8Array): string;
export declare function base32Decode(s: string): Uint8Array;
/** The time step (counter) for a instant in ms. */
export declare function totpStep(nowMs: number, stepSeconds?: number): number;
/** RFC 6238 TOTP for a counter, secret as base32. */
export declare function totpAt(secretBase32: string, step: number, digits?: number): string;
/** The member code to show now. */
export declare function currentMemberCode(memberNo: string, secretBase32: string, nowMs: number): string;
/**
 * Which step within ±window of now matches `totp` (constant-time compare), or null.
 */
export declare function matchTotpStep(secretBase32: string, totp: string, nowMs: number, window?: number): number | null;
/** Seconds until the code shown at `nowMs` rotates. */
export declare function secondsToRotate(nowMs: number, stepSeconds?: number): number;
