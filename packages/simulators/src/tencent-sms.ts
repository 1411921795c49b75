/**
 * Loopback simulator of the Tencent Cloud SMS API v3 (host sms.tencentcloudapi.com, action SendSms, version
 * 2021-01-11), verifying requests the way the real service does.
 *
 * The protocol (the API's client in packages/api/src/integrations/sms speaks it):
 * - `POST /` with `Content-Type: application/json; charset=utf-8` (or `application/json`), the common parameters as
 *   headers `X-TC-Action: SendSms`, `X-TC-Version: 2021-01-11`, `X-TC-Timestamp` (Unix seconds), `X-TC-Region`
 *   (ap-guangzhou, ap-beijing or ap-nanjing) and `Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/sms/
 *   tc3_request, SignedHeaders=content-type;host, Signature=<hex>`; body `{PhoneNumberSet, SmsSdkAppId, SignName,
 *   TemplateId, TemplateParamSet?, SessionContext?, ExtendCode?, SenderId?}`.
 * - Signature (TencentCloud API "Signature v3"): CanonicalRequest = `POST\n/\n\n` + the signed headers as
 *   `name:value\n` (lower-case, trimmed, sorted) + `\n` + SignedHeaders + `\n` + hex(sha256(body)); StringToSign =
 *   `TC3-HMAC-SHA256\n<timestamp>\n<Date>/sms/tc3_request\n` + hex(sha256(CanonicalRequest)); the key is
 *   HMAC(HMAC(HMAC("TC3" + SecretKey, Date), "sms"), "tc3_request") and the signature hex(HMAC(key, StringToSign)).
 *   Date is the UTC date of the timestamp. See {@link tc3Signature}.
 * - Every answer is HTTP 200 JSON `{Response: {…, RequestId}}`. A refused request has `Response.Error: {Code,
 *   Message}`: `AuthFailure.InvalidAuthorization` (malformed header), `AuthFailure.SecretIdNotFound`,
 *   `AuthFailure.SignatureFailure` (wrong secret or anything signed differently), `AuthFailure.SignatureExpire`
 *   (timestamp more than 300 s from the service's clock), `InvalidAction`, `NoSuchVersion`, `UnsupportedRegion`,
 *   `MissingParameter`, `InvalidParameter`, `InvalidParameterValue.SdkAppIdNotExist`,
 *   `FailedOperation.SignatureIncorrectOrUnapproved`, `FailedOperation.TemplateIncorrectOrUnapproved`,
 *   `FailedOperation.TemplateParamSetNotMatchApprovedTemplate`, `MissingParameter.EmptyPhoneNumberSet`,
 *   `LimitExceeded.PhoneNumberCountLimit` (more than 200 numbers), or what `failNext` queued. An accepted request
 *   answers `SendStatusSet`, one entry per number: `{SerialNo, PhoneNumber, Fee, SessionContext, Code, Message,
 *   IsoCode}` with `Code: "Ok"` (`Message: "send success"`) or a per-number refusal:
 *   `InvalidParameterValue.IncorrectPhoneNumber`, `FailedOperation.PhoneNumberInBlacklist`,
 *   `LimitExceeded.PhoneNumberThirtySecondLimit` / `PhoneNumberOneHourLimit` / `PhoneNumberDailyLimit` (the
 *   default frequency policy: 1 per 30 s, 5 per hour, 10 per natural day in China time, per number).
 *
 * Messages that went out are recorded (`messages`, `GET /__sim/messages`) with the rendered text, so tests and the
 * demo can read a one-time code the way the phone would. The clock is injectable (`now`). Only node built-ins are
 * used (the offline demo starts it in-process).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listenLoopback } from './loopback';
import { readBodyLimited, sendJson } from './http-json';

export const TENCENT_SMS_VERSION = '2021-01-11';
export const TENCENT_SMS_SERVICE = 'sms';
export const TENCENT_SMS_REGIONS: readonly string[] = ['ap-guangzhou', 'ap-beijing', 'ap-nanjing'];

/** hex(sha256(s)) of the UTF-8 bytes. */
function sha256Hex(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The UTC date (YYYY-MM-DD) of a Unix timestamp in seconds: the Date of the credential scope. */
export function tc3Date(timestampS: number): string {
  return new Date(timestampS * 1000).toISOString().slice(0, 10);
}

export interface Tc3Input {
  secretKey: string;
  service: string;
  timestampS: number;
  /** Signed headers by lower-case name, values as sent. */
  headers: Record<string, string>;
  /** The raw request body. */
  payload: string | Buffer;
  method?: string;
  /** The URL's query string for GET (empty for POST). */
  query?: string;
}

/** The TC3-HMAC-SHA256 signature of a request (the rule in the module comment), with the strings it signs. */
export function tc3Signature(i: Tc3Input): { signature: string; signedHeaders: string; canonicalRequest: string; stringToSign: string; scope: string } {
  const names = Object.keys(i.headers).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(i.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [i.method ?? 'POST', '/', i.query ?? '', canonicalHeaders, signedHeaders, sha256Hex(i.payload)].join('\n');
  const date = tc3Date(i.timestampS);
  const scope = `${date}/${i.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(i.timestampS), scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = createHmac('sha256', `TC3${i.secretKey}`).update(date).digest();
  const kService = createHmac('sha256', kDate).update(i.service).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  return { signature: createHmac('sha256', kSigning).update(stringToSign).digest('hex'), signedHeaders, canonicalRequest, stringToSign, scope };
}

/** A message the simulator accepted (what the member's phone shows). */
export interface SentSms {
  serialNo: string;
  /** E.164, e.g. +8613812345678. */
  phoneNumber: string;
  templateId: string;
  params: string[];
  signName: string;
  /** `【签名】` + the template with its params filled in. */
  text: string;
  sessionContext: string;
  region: string;
  at: number;
}

/** One request the simulator answered (refused ones too). */
export interface SmsRequestRecord {
  requestId: string;
  /** Response.Error.Code, or null when SendStatusSet was answered. */
  error: string | null;
  /** Per-number codes of an answered request. */
  codes: string[];
  at: number;
}

export interface TencentSmsSimulatorOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  /** Approved signatures (签名). Default ['圈子会员']. */
  signNames?: readonly string[];
  /** Approved templates: id → content with {1}, {2}, … placeholders. Default: '1000001' → a 验证码 template. */
  templates?: Readonly<Record<string, string>>;
  port?: number;
  host?: string;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
  /** The frequency policy per number; 0 turns a limit off. Default 1 per 30 s, 5 per hour, 10 per day. */
  limits?: { thirtySeconds?: number; oneHour?: number; oneDay?: number };
}

export interface TencentSmsSimulator {
  readonly url: string;
  readonly secretId: string;
  readonly sdkAppId: string;
  /** Messages sent, oldest first. */
  readonly messages: readonly SentSms[];
  /** Every request answered, oldest first. */
  readonly requests: readonly SmsRequestRecord[];
  /** Messages sent to a number (E.164 or the 11 mainland digits). */
  messagesTo(phone: string): SentSms[];
  /** The next `times` requests that pass verification answer `Response.Error` with this code (e.g. InternalError.Timeout). */
  failNext(code: string, message?: string, times?: number): void;
  /** The next `times` verified requests are accepted (messages recorded) but never answered: the client times out. */
  hangNext(times?: number): void;
  /** Numbers in the do-not-disturb list answer FailedOperation.PhoneNumberInBlacklist. */
  blacklist(phone: string): void;
  /** Forget sent messages and requests (the frequency counters too). */
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const SIGN_WINDOW_S = 300;
const MAX_NUMBERS = 200;
const CST_MS = 8 * 3600_000;
const DEFAULT_TEMPLATES: Record<string, string> = { '1000001': '您的验证码为{1}，{2}分钟内有效。请勿告诉他人，如非本人操作请忽略本短信。' };

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** +86 and 11 digits for mainland numbers given as +86…, 0086…, 86… or bare; other E.164 kept; null if malformed. */
function normalizeNumber(raw: string): string | null {
  const s = raw.trim();
  const m = /^(?:\+86|0086|86)?(1\d{10})$/.exec(s);
  if (m) return /^1[3-9]\d{9}$/.test(m[1] as string) ? `+86${m[1]}` : null;
  if (/^\+[1-9]\d{6,14}$/.test(s) && !s.startsWith('+86')) return s;
  return null;
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startTencentSmsSimulator(opts: TencentSmsSimulatorOptions): Promise<TencentSmsSimulator> {
  const now = opts.now ?? Date.now;
  const signNames = new Set(opts.signNames ?? ['圈子会员']);
  const templates: Record<string, string> = { ...(opts.templates ?? DEFAULT_TEMPLATES) };
  const limits = { thirtySeconds: opts.limits?.thirtySeconds ?? 1, oneHour: opts.limits?.oneHour ?? 5, oneDay: opts.limits?.oneDay ?? 10 };
  const messages: SentSms[] = [];
  const requests: SmsRequestRecord[] = [];
  const failures: { code: string; message: string }[] = [];
  const blacklisted = new Set<string>();
  const hung = new Set<ServerResponse>();
  let hangs = 0;
  let serial = 0;

  function verify(req: IncomingMessage, body: Buffer): void {
    const auth = String(req.headers.authorization ?? '');
    const m = /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new ApiError('AuthFailure.InvalidAuthorization', 'Authorization header is not in the TencentCloud API 3.0 format.');
    const [, secretId, date, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string];
    if (secretId !== opts.secretId) throw new ApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const names = signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host')) throw new ApiError('AuthFailure.InvalidAuthorization', 'SignedHeaders must include content-type and host.');
    const tsRaw = String(req.headers['x-tc-timestamp'] ?? '');
    if (!/^\d{1,12}$/.test(tsRaw)) throw new ApiError('MissingParameter', 'The request is missing a required parameter `Timestamp`.');
    const ts = Number(tsRaw);
    const headers: Record<string, string> = {};
    for (const n of names) {
      const v = req.headers[n];
      if (v === undefined) throw new ApiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
      headers[n] = Array.isArray(v) ? v.join(',') : String(v);
    }
    const expected = tc3Signature({ secretKey: opts.secretKey, service: TENCENT_SMS_SERVICE, timestampS: ts, headers, payload: body, method: req.method ?? 'POST' });
    if (service !== TENCENT_SMS_SERVICE || date !== tc3Date(ts) || !equalHex(signature, expected.signature)) {
      throw new ApiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    }
    if (Math.abs(now() / 1000 - ts) > SIGN_WINDOW_S) {
      throw new ApiError('AuthFailure.SignatureExpire', `Signature expired. Timestamp is ${ts}, server time is ${Math.floor(now() / 1000)}; the difference must not exceed 300 s.`);
    }
  }

  /** Messages to a number at or after `sinceMs` (the frequency policy counts accepted messages; windows are half-open). */
  function countSince(phone: string, sinceMs: number): number {
    let n = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      const msg = messages[i] as SentSms;
      if (msg.at < sinceMs) break;
      if (msg.phoneNumber === phone) n++;
    }
    return n;
  }

  function cstDayStart(ms: number): number {
    return Math.floor((ms + CST_MS) / 86_400_000) * 86_400_000 - CST_MS;
  }

  function sendOne(raw: string, b: Record<string, unknown>, region: string, t: number): Record<string, unknown> {
    const sessionContext = typeof b.SessionContext === 'string' ? b.SessionContext : '';
    const phone = normalizeNumber(raw);
    const entry = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
      SerialNo: '',
      PhoneNumber: phone ?? raw,
      Fee: 0,
      SessionContext: sessionContext,
      Code: code,
      Message: message,
      IsoCode: phone?.startsWith('+86') ? 'CN' : 'DEF',
      ...extra,
    });
    if (!phone) return entry('InvalidParameterValue.IncorrectPhoneNumber', 'incorrect phone number');
    if (blacklisted.has(phone)) return entry('FailedOperation.PhoneNumberInBlacklist', 'phone number in blacklist');
    if (limits.thirtySeconds > 0 && countSince(phone, t - 30_000 + 1) >= limits.thirtySeconds) {
      return entry('LimitExceeded.PhoneNumberThirtySecondLimit', 'the number of sms messages sent from a single mobile number within 30 seconds exceeds the upper limit');
    }
    if (limits.oneHour > 0 && countSince(phone, t - 3600_000 + 1) >= limits.oneHour) {
      return entry('LimitExceeded.PhoneNumberOneHourLimit', 'the number of sms messages sent from a single mobile number within 1 hour exceeds the upper limit');
    }
    if (limits.oneDay > 0 && countSince(phone, cstDayStart(t)) >= limits.oneDay) {
      return entry('LimitExceeded.PhoneNumberDailyLimit', 'the number of sms messages sent from a single mobile number every day exceeds the upper limit');
    }
    const params = (b.TemplateParamSet as string[] | undefined) ?? [];
    const templateId = String(b.TemplateId);
    const text = `【${String(b.SignName)}】${(templates[templateId] as string).replace(/\{(\d+)\}/g, (_, i: string) => params[Number(i) - 1] ?? '')}`;
    const serialNo = `2433:${Math.floor(t / 1000)}${String(++serial).padStart(10, '0')}`;
    messages.push({ serialNo, phoneNumber: phone, templateId, params: [...params], signName: String(b.SignName), text, sessionContext, region, at: t });
    const fee = Math.max(1, Math.ceil([...text].length / (text.length <= 70 ? 70 : 67)));
    return entry('Ok', 'send success', { SerialNo: serialNo, Fee: fee });
  }

  function sendSms(b: Record<string, unknown>, region: string): Record<string, unknown> {
    for (const k of ['PhoneNumberSet', 'SmsSdkAppId', 'TemplateId']) {
      if (b[k] === undefined || b[k] === null) throw new ApiError('MissingParameter', `The request is missing a required parameter \`${k}\`.`);
    }
    if (!Array.isArray(b.PhoneNumberSet) || b.PhoneNumberSet.some((p) => typeof p !== 'string')) throw new ApiError('InvalidParameter', 'PhoneNumberSet must be an array of strings.');
    if (typeof b.SmsSdkAppId !== 'string' || typeof b.TemplateId !== 'string') throw new ApiError('InvalidParameter', 'SmsSdkAppId and TemplateId must be strings.');
    if (b.TemplateParamSet !== undefined && (!Array.isArray(b.TemplateParamSet) || b.TemplateParamSet.some((p) => typeof p !== 'string'))) {
      throw new ApiError('InvalidParameter', 'TemplateParamSet must be an array of strings.');
    }
    if (b.SessionContext !== undefined && (typeof b.SessionContext !== 'string' || Buffer.byteLength(b.SessionContext) >= 512)) {
      throw new ApiError('InvalidParameterValue', 'SessionContext must be a string of less than 512 bytes.');
    }
    if (b.SmsSdkAppId !== opts.sdkAppId) throw new ApiError('InvalidParameterValue.SdkAppIdNotExist', 'SdkAppId not exist.');
    if (typeof b.SignName !== 'string' || !signNames.has(b.SignName)) throw new ApiError('FailedOperation.SignatureIncorrectOrUnapproved', 'signature format error or signature not approved.');
    const template = templates[b.TemplateId];
    if (template === undefined) throw new ApiError('FailedOperation.TemplateIncorrectOrUnapproved', 'template is not approved or request content does not match the approved template content.');
    const wanted = new Set(template.match(/\{\d+\}/g) ?? []).size;
    const params = (b.TemplateParamSet as string[] | undefined) ?? [];
    if (params.length !== wanted) throw new ApiError('FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'the template parameters do not match the approved template.');
    if (b.PhoneNumberSet.length === 0) throw new ApiError('MissingParameter.EmptyPhoneNumberSet', 'the phone number set is empty.');
    if (b.PhoneNumberSet.length > MAX_NUMBERS) throw new ApiError('LimitExceeded.PhoneNumberCountLimit', 'the number of phone numbers exceeds 200.');
    const t = now();
    return { SendStatusSet: (b.PhoneNumberSet as string[]).map((p) => sendOne(p, b, region, t)) };
  }

  function readBody(req: IncomingMessage): Promise<Buffer> {
    return readBodyLimited(req, MAX_BODY, () => new ApiError('InvalidParameter', 'request body too large'));
  }

  const send = sendJson;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/__sim/messages') return send(res, { messages });
    const requestId = randomUUID();
    const answer = (response: Record<string, unknown>) => send(res, { Response: { ...response, RequestId: requestId } });
    const refuse = (e: ApiError) => {
      requests.push({ requestId, error: e.code, codes: [], at: now() });
      answer({ Error: { Code: e.code, Message: e.message } });
    };
    try {
      const body = await readBody(req);
      if (req.method !== 'POST' || path !== '/') throw new ApiError('InvalidAction', 'The requested action is not supported by this simulator (POST / only).');
      if (!/^application\/json/i.test(String(req.headers['content-type'] ?? ''))) throw new ApiError('InvalidParameter', 'Content-Type must be application/json.');
      verify(req, body);
      const action = String(req.headers['x-tc-action'] ?? '');
      if (action !== 'SendSms') throw new ApiError('InvalidAction', `The action \`${action}\` is not supported.`);
      if (String(req.headers['x-tc-version'] ?? '') !== TENCENT_SMS_VERSION) throw new ApiError('NoSuchVersion', 'The API version does not exist.');
      const region = String(req.headers['x-tc-region'] ?? '');
      if (!region) throw new ApiError('MissingParameter', 'The request is missing a required parameter `Region`.');
      if (!TENCENT_SMS_REGIONS.includes(region)) throw new ApiError('UnsupportedRegion', `The region \`${region}\` is not supported.`);
      let b: unknown;
      try {
        b = JSON.parse(body.toString('utf8'));
      } catch {
        throw new ApiError('InvalidParameter', 'The request body is not valid JSON.');
      }
      if (!b || typeof b !== 'object' || Array.isArray(b)) throw new ApiError('InvalidParameter', 'The request body must be a JSON object.');
      const failure = failures.shift();
      if (failure) throw new ApiError(failure.code, failure.message);
      const result = sendSms(b as Record<string, unknown>, region);
      requests.push({ requestId, error: null, codes: (result.SendStatusSet as { Code: string }[]).map((s) => s.Code), at: now() });
      if (hangs > 0) {
        hangs--;
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      }
      answer(result);
    } catch (e) {
      if (e instanceof ApiError) return refuse(e);
      refuse(new ApiError('InternalError', 'internal error'));
    }
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, { Response: { Error: { Code: 'InternalError', Message: 'internal error' }, RequestId: randomUUID() } }));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const url = await listenLoopback(server, opts.port ?? 0, opts.host ?? '127.0.0.1');

  return {
    url,
    secretId: opts.secretId,
    sdkAppId: opts.sdkAppId,
    messages,
    requests,
    messagesTo(phone) {
      const p = normalizeNumber(phone) ?? phone;
      return messages.filter((m) => m.phoneNumber === p);
    },
    failNext(code, message = 'simulated failure', times = 1) {
      for (let i = 0; i < times; i++) failures.push({ code, message });
    },
    hangNext(times = 1) {
      hangs += times;
    },
    blacklist(phone) {
      blacklisted.add(normalizeNumber(phone) ?? phone);
    },
    reset() {
      messages.length = 0;
      requests.length = 0;
      failures.length = 0;
      hangs = 0;
    },
    close() {
      for (const res of hung) res.destroy();
      hung.clear();
      return new Promise((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        for (const s of sockets) s.destroy();
      });
    },
  };
}
