/** Structured logs (pino). Phone numbers and openids are masked, birthdays and locations hidden, wherever they appear in a log record. */
import pino from 'pino';
import { maskOpenid, maskPhone } from '@quanzi/shared';

export type Logger = pino.Logger;

const PHONE_KEYS = new Set(['phone', 'phoneNumber', 'purePhoneNumber', 'mobile']);
const OPENID_KEYS = new Set(['openid', 'unionid', 'payerOpenid']);
/** Member profile facts (issue #14/#15): never logged in clear. */
const PROFILE_KEYS = new Set(['birthday', 'lat', 'lng', 'location', 'latitude', 'longitude']);

/** Masks known sensitive keys at any depth (bounded), leaving the rest as is. */
export function maskSensitive(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSensitive(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (PHONE_KEYS.has(k) && typeof v === 'string') out[k] = maskPhone(v);
    else if (OPENID_KEYS.has(k) && typeof v === 'string') out[k] = maskOpenid(v);
    else if (PROFILE_KEYS.has(k) && v != null) out[k] = '[masked]';
    else out[k] = maskSensitive(v, depth + 1);
  }
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'quanzi-api' },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token', 'codeSecret', 'sessionKey'], censor: '[redacted]' },
      formatters: { log: (obj) => maskSensitive(obj) as Record<string, unknown> },
    },
    destination,
  );
}
