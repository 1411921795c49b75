/**
 * The recharge aggregator's signature (the style of the public Chinese recharge APIs):
 * 1. take every parameter except `sign` whose value is not empty (null, undefined and '' are left out);
 * 2. sort them by key in byte order (ASCII: `A`–`Z` < `_` < `a`–`z`);
 * 3. join them as `k1=v1&k2=v2…` with the raw values (not URL-encoded);
 * 4. append `&key=<app secret>`;
 * 5. MD5 of the UTF-8 bytes, as 32 upper-case hex characters.
 * Verification compares in constant time, ignoring the case of the hex.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type SignParams = Record<string, string | number | null | undefined>;

/** The string that is hashed (steps 1–4). */
export function signString(params: SignParams, secret: string): string {
  const pairs = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && String(params[k]) !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map((k) => `${k}=${String(params[k])}`);
  return `${pairs.join('&')}&key=${secret}`;
}

/** The signature of `params` under `secret`. */
export function md5Sign(params: SignParams, secret: string): string {
  return createHash('md5').update(signString(params, secret), 'utf8').digest('hex').toUpperCase();
}

/** Whether `params.sign` is the signature of the other parameters under `secret`. */
export function md5Verify(params: SignParams, secret: string): boolean {
  const given = typeof params.sign === 'string' ? params.sign.toUpperCase() : '';
  if (!/^[0-9A-F]{32}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(md5Sign(params, secret)));
}
