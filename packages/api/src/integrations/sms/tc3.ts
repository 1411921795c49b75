/**
 * TC3-HMAC-SHA256, the request signature of TencentCloud API 3.0 ("Signature v3" in Tencent's API documentation):
 * 1. CanonicalRequest = method `\n` `/` `\n` query (empty for POST) `\n` the signed headers as lower-case, trimmed
 *    `name:value\n` lines sorted by name `\n` SignedHeaders (`content-type;host`) `\n` hex(sha256(body));
 * 2. StringToSign = `TC3-HMAC-SHA256\n<timestamp>\n<date>/<service>/tc3_request\n` + hex(sha256(CanonicalRequest)),
 *    where <date> is the UTC date of the timestamp (not the local one: a request at 00:44 in Beijing is dated the day before);
 * 3. the signing key is HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request");
 * 4. Signature = hex(HMAC(key, StringToSign)); Authorization = `TC3-HMAC-SHA256 Credential=<SecretId>/<scope>,
 *    SignedHeaders=<…>, Signature=<…>`.
 * The service rejects a timestamp more than five minutes from its own clock, so the timestamp comes from our clock.
 */
import { createHash, createHmac } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** The product, e.g. `sms` (the first label of its host). */
  service: string;
  /** Unix seconds (X-TC-Timestamp). */
  timestampS: number;
  /** The headers to sign, at least `content-type` and `host`, with the values exactly as sent. */
  headers: Record<string, string>;
  /** The exact body bytes sent. */
  payload: string;
  method?: 'POST' | 'GET';
  query?: string;
}

export interface Tc3Signed {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer => createHmac('sha256', key).update(s, 'utf8').digest();

/** The UTC date of a Unix timestamp, `YYYY-MM-DD`. */
export function tc3Date(timestampS: number): string {
  return new Date(timestampS * 1000).toISOString().slice(0, 10);
}

export function tc3Sign(r: Tc3Request): Tc3Signed {
  const lower = new Map(Object.entries(r.headers).map(([k, v]) => [k.trim().toLowerCase(), v.trim().toLowerCase()]));
  const names = [...lower.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${lower.get(n) as string}\n`).join('');
  const canonicalRequest = [r.method ?? 'POST', '/', r.query ?? '', canonicalHeaders, signedHeaders, sha256(r.payload)].join('\n');
  const date = tc3Date(r.timestampS);
  const credentialScope = `${date}/${r.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(r.timestampS), credentialScope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${r.secretKey}`, date), r.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `${TC3_ALGORITHM} Credential=${r.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signature,
    canonicalRequest,
    stringToSign,
    credentialScope,
  };
}
