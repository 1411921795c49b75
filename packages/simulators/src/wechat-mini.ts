/**
 * Loopback simulator for the WeChat mini-program server APIs (host api.weixin.qq.com):
 * `jscode2session`, `stable_token`, `getuserphonenumber`, `msg_sec_check` (content security v2),
 * `subscribe/send` and `getwxacodeunlimit` (mini-program codes), plus a control surface (methods and
 * `/__sim/*` HTTP endpoints) that plays the part of the phone: it hands out login and phone codes, records
 * subscribe-message consents and the mini-program codes it generated.
 *
 * Protocol details mirrored from the real service: every API error is HTTP 200 with
 * `{errcode, errmsg}` and the errmsg carries a `rid`; codes are single-use and live 5 minutes;
 * openids are 28 characters starting with `o`; the stable token is the same until it expires
 * unless `force_refresh` is set, which also invalidates the previous token; msg_sec_check wants an
 * openid that signed in within the last 2 hours (61010 otherwise) and flags a configurable word list;
 * each subscribe-message consent allows exactly one message (43101 otherwise), and `thing` values longer
 * than 20 characters (etc.) are refused with 47003 as the real service does.
 *
 * getwxacodeunlimit answers image bytes on success and JSON `{errcode, errmsg}` on failure, so callers must
 * branch on Content-Type. The real service sends `image/jpeg` (PNG with `is_hyaline`); the simulator always
 * sends a real, valid `image/png`: a deterministic QR-like pattern derived from sha256 of the request (same
 * request, same bytes), `width`×`width` pixels. Error codes as the real service words them: scene missing,
 * empty, not a string or over 32 characters → 40169 "invalid length for scene, or the data is not json
 * string"; a character outside `0-9A-Za-z!#$&'()*+,/:;=?@-._~` → 40129 "invalid scene"; a page with a leading
 * `/` or a query, or (with `check_path`, the default) not among the published `pages` → 41030 "invalid page";
 * a bad env_version, check_path, width type or line_color → 40097 "invalid args". A width outside the documented
 * 280–1280 is clamped to it (as far as we know WeChat does the same rather than refusing). Generated codes are
 * listed by `wxaCodes` and `GET /__sim/wxa-codes`.
 *
 * Only node built-ins are used so the offline demo can start it in-process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { listenLoopback } from './loopback';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { deflateSync } from 'node:zlib';

export type WechatMiniApi = 'jscode2session' | 'getuserphonenumber' | 'stable_token' | 'msg_sec_check' | 'subscribe_send' | 'getwxacodeunlimit';

const ALL_APIS: readonly WechatMiniApi[] = ['jscode2session', 'getuserphonenumber', 'stable_token', 'msg_sec_check', 'subscribe_send', 'getwxacodeunlimit'];

/** The mini-program version a code opens. */
export type WxaEnvVersion = 'release' | 'trial' | 'develop';

/** A mini-program code getwxacodeunlimit generated (what a phone scanning it would open). */
export interface GeneratedWxaCode {
  scene: string;
  /** The page it opens; null = the mini-program's home page (page omitted). */
  page: string | null;
  check_path: boolean;
  env_version: WxaEnvVersion;
  /** Image width in pixels after clamping to 280–1280. */
  width: number;
  is_hyaline: boolean;
  /** Bytes of the PNG returned. */
  bytes: number;
  at: number;
}

/** A word msg_sec_check flags: `suggest` risky or review, with WeChat's label (20001 时政, 20002 色情, 20006 违法犯罪, 10001 广告, …). */
export interface FlaggedWord {
  word: string;
  suggest: 'risky' | 'review';
  label: number;
}

/** A subscribe message the simulator accepted (what the member's WeChat would show). */
export interface SentSubscribeMessage {
  msgid: number;
  touser: string;
  template_id: string;
  page: string | null;
  data: Record<string, { value: string }>;
  miniprogram_state: string | null;
  at: number;
}

/** Words flagged unless `flaggedWords` says otherwise: unlikely in real club texts, handy in the demo. */
export const DEFAULT_FLAGGED_WORDS: readonly FlaggedWord[] = [
  { word: '违禁词', suggest: 'risky', label: 20006 },
  { word: '加微信返现', suggest: 'review', label: 10001 },
];

export interface WechatMiniSimulatorOptions {
  appid: string;
  secret: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock in epoch milliseconds; inject to test expiry. Default `Date.now`. */
  now?: () => number;
  /** Optional real per-minute quota per API; exceeding it answers 45011. Default: unlimited. */
  minuteQuota?: Partial<Record<WechatMiniApi, number>>;
  /** Words msg_sec_check flags (case-insensitive substring match). Default {@link DEFAULT_FLAGGED_WORDS}. */
  flaggedWords?: readonly FlaggedWord[];
  /** Template ids subscribe/send knows; others answer 40037. Default: any non-empty id. */
  subscribeTemplates?: readonly string[];
  /**
   * Pages of the published mini-program (e.g. `member/pay/index`, no leading slash): with `check_path` (the
   * default) getwxacodeunlimit answers 41030 for any other page. Default: every well-formed page counts as published.
   */
  pages?: readonly string[];
}

export interface SimulatedLogin {
  /** Human label the openid/unionid are derived from (e.g. "alice"). Random when omitted. */
  user?: string;
  /** Override the derived openid. */
  openid?: string;
  /** Override the derived unionid. */
  unionid?: string;
  /** The user is flagged high-risk: jscode2session answers 40226. */
  risky?: boolean;
}

export interface WechatMiniSimulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string;
  readonly appid: string;
  /** Requests received per API (every request, errors included). */
  readonly calls: Record<WechatMiniApi, number>;
  /** Simulates wx.login() on the phone: returns a fresh single-use js_code. */
  login(user: string | SimulatedLogin): string;
  /** Simulates the getPhoneNumber button: returns a fresh single-use phone code. */
  phoneCode(phone: string, countryCode?: string): string;
  /** The next `times` requests to `api` answer `errcode` (e.g. 45011, -1) without consuming codes. */
  failNext(api: WechatMiniApi, errcode: number, times?: number): void;
  /** Every access token issued so far answers 42001 from now on. */
  expireAccessTokens(): void;
  /** Replaces the words msg_sec_check flags. */
  setFlaggedWords(words: readonly FlaggedWord[]): void;
  /** The member tapped "allow" on wx.requestSubscribeMessage `count` times: that many messages may be sent. */
  grantSubscribeConsent(openid: string, templateId: string, count?: number): void;
  /** Consents left for a user and template. */
  consentsLeft(openid: string, templateId: string): number;
  /** Subscribe messages accepted so far, oldest first. */
  readonly sentMessages: readonly SentSubscribeMessage[];
  /** Mini-program codes getwxacodeunlimit generated so far, oldest first. */
  readonly wxaCodes: readonly GeneratedWxaCode[];
  /** The openid jscode2session returns for `user` (derived from appid + user). */
  openidOf(user: string): string;
  /** The unionid jscode2session returns for `user`. */
  unionidOf(user: string): string;
  /** Zero the call counters. */
  resetCalls(): void;
  close(): Promise<void>;
}

const CODE_TTL_MS = 5 * 60 * 1000;
const TOKEN_TTL_S = 7200;
const MAX_BODY_BYTES = 64 * 1024;

/** Error messages as the real API words them (the rid is appended per response). */
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40066: 'invalid url',
  40097: 'invalid args',
  40129: 'invalid scene',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40169: 'invalid length for scene, or the data is not json string',
  40226: 'code blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41030: 'invalid page',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  43101: 'user refuse to accept the msg',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
  61010: 'user is not visiting the miniprogram in 2 hours',
};

/** msg_sec_check: a signed-in user counts as a recent visitor for this long. */
const VISIT_TTL_MS = 2 * 3600 * 1000;
const MAX_CONTENT_CHARS = 2500;
/** subscribe/send value rules per keyword type (the part of the key before its digits). */
const VALUE_RULES: Record<string, (v: string) => boolean> = {
  thing: (v) => [...v].length >= 1 && [...v].length <= 20,
  phrase: (v) => [...v].length >= 1 && [...v].length <= 5 && /^[\p{Script=Han}]+$/u.test(v),
  name: (v) => [...v].length >= 1 && [...v].length <= 10,
  character_string: (v) => v.length >= 1 && v.length <= 32 && /^[\x21-\x7e]+$/.test(v),
  number: (v) => /^[-+]?\d{1,32}(\.\d+)?$/.test(v),
  amount: (v) => /^[¥￥]?\d+(\.\d{1,2})?元?$/.test(v),
  time: (v) => /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$|^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$|^\d{2}:\d{2}$/.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$|^\d{4}年\d{1,2}月\d{1,2}日$/.test(v),
};

interface LoginCode {
  openid: string;
  unionid: string;
  risky: boolean;
  issuedAt: number;
  used: boolean;
}

interface PhoneCodeEntry {
  purePhoneNumber: string;
  countryCode: string;
  issuedAt: number;
  used: boolean;
}

interface TokenEntry {
  expiresAt: number;
  /** Set by force_refresh (40001) or expireAccessTokens (42001). */
  revoked: 0 | 40001 | 42001;
}

class ApiError extends Error {
  constructor(readonly errcode: number, errmsg?: string) {
    super(errmsg ?? ERRMSG[errcode] ?? 'simulated error');
  }
}

function base64urlSha256(input: string): string {
  return createHash('sha256').update(input).digest('base64url');
}

/** The openid the simulator gives a persona label in an app (deterministic, 28 characters like real ones). */
export function simulatedOpenid(appid: string, user: string): string {
  return 'o' + base64urlSha256(`openid:${appid}:${user}`).slice(0, 27);
}

/** The unionid the simulator gives a persona label (same across apps, as in WeChat). */
export function simulatedUnionid(user: string): string {
  return 'u' + base64urlSha256(`unionid:${user}`).slice(0, 27);
}

function rid(): string {
  // Real rids look like "6523d1c4-1a2b3c4d-5e6f7a8b".
  return `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
}

function randomCode(): string {
  // Real codes are 32 printable characters.
  return randomBytes(24).toString('base64url');
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

/** getwxacodeunlimit: scene is 1–32 of these visible characters. */
const SCENE_RE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const MAX_SCENE_CHARS = 32;
/** A page path as app.json lists it: relative, no query, no leading slash. */
const PAGE_RE = /^[A-Za-z0-9_\-.]+(\/[A-Za-z0-9_\-.]+)*$/;
const DEFAULT_WXACODE_WIDTH = 430;
const MIN_WXACODE_WIDTH = 280;
const MAX_WXACODE_WIDTH = 1280;

type Rgb = [number, number, number];

function parseLineColor(v: unknown): Rgb | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const out: number[] = [];
  for (const k of ['r', 'g', 'b']) {
    const raw = (v as Record<string, unknown>)[k];
    // WeChat's own examples send the channels as strings ("0") as often as numbers.
    const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255) return null;
    out.push(n);
  }
  return out as Rgb;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO-HDLC) as PNG chunks use it. */
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Modules per side of the pattern (like a version-1 QR code) and the quiet zone around it. */
const QR_MODULES = 21;
const QR_QUIET = 2;

/** The dark/light modules: three finder patterns, timing lines, and data modules from `seed` (expanded with sha256). */
function qrLikeModules(seed: Buffer): boolean[][] {
  const bits: number[] = [];
  for (let block = 0; bits.length < QR_MODULES * QR_MODULES; block++) {
    const h = createHash('sha256').update(seed).update(String(block)).digest();
    for (const byte of h) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  }
  const grid: boolean[][] = [];
  const finder = (r: number, c: number): boolean | null => {
    for (const [r0, c0] of [[0, 0], [0, QR_MODULES - 7], [QR_MODULES - 7, 0]] as const) {
      const y = r - r0;
      const x = c - c0;
      if (y >= -1 && y <= 7 && x >= -1 && x <= 7) {
        if (y < 0 || y > 6 || x < 0 || x > 6) return false; // separator
        const ring = Math.min(y, x, 6 - y, 6 - x);
        return ring !== 1;
      }
    }
    return null;
  };
  for (let r = 0; r < QR_MODULES; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < QR_MODULES; c++) {
      const f = finder(r, c);
      if (f !== null) row.push(f);
      else if (r === 6 || c === 6) row.push((r + c) % 2 === 0);
      else row.push(bits[r * QR_MODULES + c] === 1);
    }
    grid.push(row);
  }
  return grid;
}

/** A real PNG (8-bit RGB, or RGBA with a transparent background when hyaline), `width`×`width` pixels. */
function renderWxaCodePng(seed: Buffer, width: number, color: Rgb, hyaline: boolean): Buffer {
  const grid = qrLikeModules(seed);
  const total = QR_MODULES + 2 * QR_QUIET;
  const channels = hyaline ? 4 : 3;
  const stride = 1 + width * channels;
  const raw = Buffer.alloc(stride * width);
  const moduleAt = (px: number) => Math.floor((px * total) / width) - QR_QUIET;
  for (let y = 0; y < width; y++) {
    const off = y * stride;
    raw[off] = 0; // filter: none
    const r = moduleAt(y);
    for (let x = 0; x < width; x++) {
      const c = moduleAt(x);
      const dark = r >= 0 && r < QR_MODULES && c >= 0 && c < QR_MODULES && grid[r]?.[c] === true;
      const p = off + 1 + x * channels;
      if (dark) {
        raw[p] = color[0];
        raw[p + 1] = color[1];
        raw[p + 2] = color[2];
        if (hyaline) raw[p + 3] = 255;
      } else if (!hyaline) {
        raw[p] = raw[p + 1] = raw[p + 2] = 255;
      } // hyaline background: transparent (all zero)
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(width, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = hyaline ? 6 : 2; // colour type: RGBA / RGB
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * Starts the simulator on a loopback port. Credentials other than `opts.appid`/`opts.secret` are
 * rejected with 40013/40125 as the real service does.
 */
export async function startWechatMiniSimulator(opts: WechatMiniSimulatorOptions): Promise<WechatMiniSimulator> {
  const { appid, secret } = opts;
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';

  const loginCodes = new Map<string, LoginCode>();
  const phoneCodes = new Map<string, PhoneCodeEntry>();
  const tokens = new Map<string, TokenEntry>();
  let currentToken: string | null = null;
  const calls = Object.fromEntries(ALL_APIS.map((api) => [api, 0])) as Record<WechatMiniApi, number>;
  const injected = Object.fromEntries(ALL_APIS.map((api) => [api, []])) as unknown as Record<WechatMiniApi, number[]>;
  const quotaWindow = Object.fromEntries(ALL_APIS.map((api) => [api, { minute: -1, count: 0 }])) as Record<WechatMiniApi, { minute: number; count: number }>;
  /** openid → when it last signed in (jscode2session). */
  const visits = new Map<string, number>();
  let flagged: FlaggedWord[] = [...(opts.flaggedWords ?? DEFAULT_FLAGGED_WORDS)];
  const knownTemplates = opts.subscribeTemplates ? new Set(opts.subscribeTemplates) : null;
  /** `${openid}\n${templateId}` → messages still allowed. */
  const consents = new Map<string, number>();
  const sentMessages: SentSubscribeMessage[] = [];
  let nextMsgid = 2_000_000_000_000;
  const publishedPages = opts.pages ? new Set(opts.pages) : null;
  const wxaCodes: GeneratedWxaCode[] = [];

  const openidOf = (user: string) => simulatedOpenid(appid, user);
  // A unionid is per WeChat user across the developer's apps, so it does not depend on the appid.
  const unionidOf = (user: string) => simulatedUnionid(user);

  function pruneCodes(): void {
    const t = now();
    for (const [k, v] of loginCodes) if (t - v.issuedAt > 2 * CODE_TTL_MS) loginCodes.delete(k);
    for (const [k, v] of phoneCodes) if (t - v.issuedAt > 2 * CODE_TTL_MS) phoneCodes.delete(k);
  }

  function login(input: string | SimulatedLogin): string {
    const spec: SimulatedLogin = typeof input === 'string' ? { user: input } : input ?? {};
    const user = spec.user ?? `anon-${randomBytes(6).toString('hex')}`;
    pruneCodes();
    const code = randomCode();
    loginCodes.set(code, {
      openid: spec.openid ?? openidOf(user),
      unionid: spec.unionid ?? unionidOf(user),
      risky: spec.risky === true,
      issuedAt: now(),
      used: false,
    });
    return code;
  }

  function phoneCode(phone: string, countryCode = '86'): string {
    const pure = String(phone).replace(/[\s-]/g, '');
    if (!/^\d{4,15}$/.test(pure)) throw new Error(`phoneCode: not a phone number: ${phone}`);
    if (!/^\d{1,4}$/.test(countryCode)) throw new Error(`phoneCode: bad country code: ${countryCode}`);
    pruneCodes();
    const code = randomCode();
    phoneCodes.set(code, { purePhoneNumber: pure, countryCode, issuedAt: now(), used: false });
    return code;
  }

  function failNext(api: WechatMiniApi, errcode: number, times = 1): void {
    if (!(api in injected)) throw new Error(`failNext: unknown api ${api}`);
    for (let i = 0; i < times; i++) injected[api].push(errcode);
  }

  function expireAccessTokens(): void {
    for (const entry of tokens.values()) if (entry.revoked === 0) entry.revoked = 42001;
  }

  /** Counts the call, then applies injected failures and the optional minute quota. */
  function enter(api: WechatMiniApi): void {
    calls[api]++;
    const forced = injected[api].shift();
    if (forced !== undefined) throw new ApiError(forced);
    const quota = opts.minuteQuota?.[api];
    if (quota !== undefined) {
      const minute = Math.floor(now() / 60_000);
      const w = quotaWindow[api];
      if (w.minute !== minute) {
        w.minute = minute;
        w.count = 0;
      }
      if (++w.count > quota) throw new ApiError(45011);
    }
  }

  function checkCredentials(id: unknown, sec: unknown): void {
    if (id === undefined || id === null || id === '') throw new ApiError(41002);
    if (id !== appid) throw new ApiError(40013);
    if (sec === undefined || sec === null || sec === '') throw new ApiError(41004);
    if (sec !== secret) throw new ApiError(40125);
  }

  function checkAccessToken(token: string | null): void {
    if (!token) throw new ApiError(41001);
    const entry = tokens.get(token);
    if (!entry) throw new ApiError(40001);
    if (entry.revoked) throw new ApiError(entry.revoked);
    if (now() >= entry.expiresAt) throw new ApiError(42001);
  }

  function jscode2session(q: URLSearchParams): object {
    enter('jscode2session');
    checkCredentials(q.get('appid'), q.get('secret'));
    if (q.get('grant_type') !== 'authorization_code') throw new ApiError(40002);
    const jsCode = q.get('js_code');
    if (!jsCode) throw new ApiError(41008);
    const entry = loginCodes.get(jsCode);
    if (!entry || entry.used || now() - entry.issuedAt > CODE_TTL_MS) throw new ApiError(40029);
    entry.used = true;
    if (entry.risky) throw new ApiError(40226);
    visits.set(entry.openid, now());
    return {
      openid: entry.openid,
      session_key: randomBytes(16).toString('base64'),
      unionid: entry.unionid,
    };
  }

  function stableToken(body: Record<string, unknown>): object {
    enter('stable_token');
    if (body.grant_type !== 'client_credential') throw new ApiError(40002);
    checkCredentials(body.appid, body.secret);
    const t = now();
    const current = currentToken ? tokens.get(currentToken) : undefined;
    const usable = current && current.revoked === 0 && t < current.expiresAt;
    if (currentToken && current && usable && body.force_refresh !== true) {
      return { access_token: currentToken, expires_in: Math.floor((current.expiresAt - t) / 1000) };
    }
    // Force refresh invalidates the previous token at once (unlike the legacy /cgi-bin/token).
    if (current && current.revoked === 0 && t < current.expiresAt) current.revoked = 40001;
    const token = randomBytes(96).toString('base64url');
    tokens.set(token, { expiresAt: t + TOKEN_TTL_S * 1000, revoked: 0 });
    currentToken = token;
    return { access_token: token, expires_in: TOKEN_TTL_S };
  }

  function getUserPhoneNumber(q: URLSearchParams, body: Record<string, unknown>): object {
    enter('getuserphonenumber');
    checkAccessToken(q.get('access_token'));
    const code = body.code;
    if (typeof code !== 'string' || code === '') throw new ApiError(41008);
    const entry = phoneCodes.get(code);
    if (!entry || entry.used || now() - entry.issuedAt > CODE_TTL_MS) throw new ApiError(40029);
    entry.used = true;
    const phoneNumber = entry.countryCode === '86' ? entry.purePhoneNumber : `+${entry.countryCode}${entry.purePhoneNumber}`;
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber,
        purePhoneNumber: entry.purePhoneNumber,
        countryCode: entry.countryCode,
        watermark: { timestamp: Math.floor(now() / 1000), appid },
      },
    };
  }

  function setFlaggedWords(words: readonly FlaggedWord[]): void {
    for (const w of words) {
      if (typeof w?.word !== 'string' || w.word === '' || (w.suggest !== 'risky' && w.suggest !== 'review') || !Number.isInteger(w.label)) {
        throw new Error('setFlaggedWords: each word needs {word, suggest: risky|review, label}');
      }
    }
    flagged = words.map((w) => ({ word: w.word, suggest: w.suggest, label: w.label }));
  }

  const consentKey = (openid: string, templateId: string) => `${openid}\n${templateId}`;

  function grantSubscribeConsent(openid: string, templateId: string, count = 1): void {
    if (!openid || !templateId) throw new Error('grantSubscribeConsent: openid and templateId are required');
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('grantSubscribeConsent: count must be 1–1000');
    const key = consentKey(openid, templateId);
    consents.set(key, (consents.get(key) ?? 0) + count);
  }

  function msgSecCheck(q: URLSearchParams, body: Record<string, unknown>): object {
    enter('msg_sec_check');
    checkAccessToken(q.get('access_token'));
    if (body.version !== 2) throw new ApiError(40097, 'invalid args: version must be 2');
    if (!(typeof body.scene === 'number' && [1, 2, 3, 4].includes(body.scene))) throw new ApiError(40097, 'invalid args: scene must be 1-4');
    if (typeof body.openid !== 'string' || body.openid === '') throw new ApiError(40003);
    const visited = visits.get(body.openid);
    if (visited === undefined || now() - visited > VISIT_TTL_MS) throw new ApiError(61010);
    if (typeof body.content !== 'string' || body.content === '') throw new ApiError(40097, 'invalid args: content is empty');
    if ([...body.content].length > MAX_CONTENT_CHARS) throw new ApiError(40097, 'invalid args: content too long');
    const text = body.content.toLowerCase();
    const hits = flagged.filter((w) => text.includes(w.word.toLowerCase()));
    const worst = hits.find((w) => w.suggest === 'risky') ?? hits[0];
    const result = worst ? { suggest: worst.suggest, label: worst.label } : { suggest: 'pass', label: 100 };
    return {
      errcode: 0,
      errmsg: 'ok',
      result,
      detail: [
        { strategy: 'content_model', errcode: 0, suggest: result.suggest, label: result.label, prob: worst ? 90 : 0 },
        ...hits.map((w) => ({ strategy: 'keyword', errcode: 0, suggest: w.suggest, label: w.label, level: w.suggest === 'risky' ? 90 : 60, keyword: w.word })),
      ],
      trace_id: rid(),
    };
  }

  function subscribeSend(q: URLSearchParams, body: Record<string, unknown>): object {
    enter('subscribe_send');
    checkAccessToken(q.get('access_token'));
    const { touser, template_id: templateId, page, data } = body;
    if (typeof touser !== 'string' || touser === '') throw new ApiError(40003);
    if (typeof templateId !== 'string' || templateId === '' || (knownTemplates && !knownTemplates.has(templateId))) throw new ApiError(40037);
    if (page !== undefined && typeof page !== 'string') throw new ApiError(47003, 'argument invalid! page');
    const state = body.miniprogram_state;
    if (state !== undefined && !['developer', 'trial', 'formal'].includes(String(state))) throw new ApiError(47003, 'argument invalid! miniprogram_state');
    if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.keys(data).length === 0) throw new ApiError(47003, 'argument invalid! data is empty');
    const values: Record<string, { value: string }> = {};
    for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
      const value = (v as { value?: unknown } | null)?.value;
      const type = /^([a-z_]+?)\d+$/.exec(key)?.[1];
      const rule = type ? VALUE_RULES[type] : undefined;
      if (typeof value !== 'string' || !rule || !rule(value)) throw new ApiError(47003, `argument invalid! data.${key}.value invalid`);
      values[key] = { value };
    }
    const key = consentKey(touser, templateId);
    const left = consents.get(key) ?? 0;
    if (left < 1) throw new ApiError(43101);
    consents.set(key, left - 1);
    const msgid = nextMsgid++;
    sentMessages.push({ msgid, touser, template_id: templateId, page: typeof page === 'string' ? page : null, data: values, miniprogram_state: typeof state === 'string' ? state : null, at: now() });
    return { errcode: 0, errmsg: 'ok', msgid };
  }

  function getWxaCodeUnlimit(q: URLSearchParams, body: Record<string, unknown>): Buffer {
    enter('getwxacodeunlimit');
    checkAccessToken(q.get('access_token'));
    const { scene, page } = body;
    if (typeof scene !== 'string' || scene.length < 1 || scene.length > MAX_SCENE_CHARS) throw new ApiError(40169);
    if (!SCENE_RE.test(scene)) throw new ApiError(40129);
    if (page !== undefined && typeof page !== 'string') throw new ApiError(40097, 'invalid args: page must be a string');
    const checkPath = body.check_path === undefined ? true : body.check_path;
    if (typeof checkPath !== 'boolean') throw new ApiError(40097, 'invalid args: check_path must be a boolean');
    const env = body.env_version === undefined ? 'release' : body.env_version;
    if (env !== 'release' && env !== 'trial' && env !== 'develop') throw new ApiError(40097, 'invalid args: env_version must be release, trial or develop');
    // An empty page means the home page. Paths are relative ("pages/x/index") and carry no query: data goes in scene.
    const target = page === undefined || page === '' ? null : page;
    if (target !== null && !PAGE_RE.test(target)) throw new ApiError(41030);
    if (target !== null && checkPath && publishedPages && !publishedPages.has(target)) throw new ApiError(41030);
    let width = DEFAULT_WXACODE_WIDTH;
    if (body.width !== undefined) {
      const w = typeof body.width === 'string' && /^\d+$/.test(body.width) ? Number(body.width) : body.width;
      if (typeof w !== 'number' || !Number.isFinite(w)) throw new ApiError(40097, 'invalid args: width must be a number');
      width = Math.min(MAX_WXACODE_WIDTH, Math.max(MIN_WXACODE_WIDTH, Math.round(w)));
    }
    if (body.auto_color !== undefined && typeof body.auto_color !== 'boolean') throw new ApiError(40097, 'invalid args: auto_color must be a boolean');
    if (body.is_hyaline !== undefined && typeof body.is_hyaline !== 'boolean') throw new ApiError(40097, 'invalid args: is_hyaline must be a boolean');
    let color: Rgb = [0, 0, 0];
    if (body.line_color !== undefined) {
      const c = parseLineColor(body.line_color);
      if (!c) throw new ApiError(40097, 'invalid args: line_color must be {r, g, b} of 0-255');
      if (body.auto_color !== true) color = c;
    }
    const seed = createHash('sha256').update(`${appid}\n${target ?? ''}\n${env}\n${scene}`).digest();
    if (body.auto_color === true) color = [seed.readUInt8(0) % 128, seed.readUInt8(1) % 128, seed.readUInt8(2) % 128];
    const hyaline = body.is_hyaline === true;
    const png = renderWxaCodePng(seed, width, color, hyaline);
    wxaCodes.push({ scene, page: target, check_path: checkPath, env_version: env, width, is_hyaline: hyaline, bytes: png.length, at: now() });
    return png;
  }

  function send(res: ServerResponse, status: number, payload: unknown, extraHeaders: Record<string, string> = {}): void {
    const body = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(body),
      ...extraHeaders,
    });
    res.end(body);
  }

  function sendError(res: ServerResponse, err: ApiError, status = 200, extraHeaders?: Record<string, string>): void {
    send(res, status, { errcode: err.errcode, errmsg: `${err.message}, rid: ${rid()}` }, extraHeaders);
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new ApiError(47001));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const raw = await readBody(req);
    if (raw.trim() === '') throw new ApiError(44002);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ApiError(47001);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ApiError(47001);
    return parsed as Record<string, unknown>;
  }

  async function handleSim(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const simError = (status: number, message: string) => send(res, status, { error: message }, CORS_HEADERS);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/__sim/calls') {
      send(res, 200, { calls }, CORS_HEADERS);
      return;
    }
    if (req.method === 'GET' && path === '/__sim/subscribe-messages') {
      send(res, 200, { messages: sentMessages }, CORS_HEADERS);
      return;
    }
    if (req.method === 'GET' && path === '/__sim/wxa-codes') {
      send(res, 200, { codes: wxaCodes }, CORS_HEADERS);
      return;
    }
    if (req.method !== 'POST') return simError(405, 'method not allowed');
    let body: Record<string, unknown> = {};
    try {
      const raw = await readBody(req);
      if (raw.trim() !== '') body = JSON.parse(raw) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return simError(400, 'body must be a JSON object');
    }
    try {
      switch (path) {
        case '/__sim/login': {
          const spec: SimulatedLogin = {};
          if (body.user !== undefined) spec.user = String(body.user);
          if (typeof body.openid === 'string') spec.openid = body.openid;
          if (typeof body.unionid === 'string') spec.unionid = body.unionid;
          if (body.risky === true) spec.risky = true;
          const code = login(spec);
          return send(res, 200, { code }, CORS_HEADERS);
        }
        case '/__sim/phone-code': {
          if (typeof body.phone !== 'string') return simError(400, 'phone is required');
          const cc = typeof body.countryCode === 'string' ? body.countryCode : undefined;
          return send(res, 200, { code: phoneCode(body.phone, cc) }, CORS_HEADERS);
        }
        case '/__sim/fail-next': {
          const api = body.api as WechatMiniApi;
          if (!(typeof api === 'string' && api in injected) || typeof body.errcode !== 'number') {
            return simError(400, 'api and errcode are required');
          }
          failNext(api, body.errcode, typeof body.times === 'number' ? body.times : 1);
          return send(res, 200, { ok: true }, CORS_HEADERS);
        }
        case '/__sim/expire-access-tokens':
          expireAccessTokens();
          return send(res, 200, { ok: true }, CORS_HEADERS);
        case '/__sim/subscribe-consent': {
          const { openid, templateId } = body;
          const count = body.count === undefined ? 1 : body.count;
          if (typeof openid !== 'string' || typeof templateId !== 'string' || typeof count !== 'number') {
            return simError(400, 'openid, templateId (and optionally count) are required');
          }
          grantSubscribeConsent(openid, templateId, count);
          return send(res, 200, { ok: true, left: consents.get(consentKey(openid, templateId)) }, CORS_HEADERS);
        }
        case '/__sim/flagged-words': {
          if (!Array.isArray(body.words)) return simError(400, 'words must be an array of {word, suggest, label}');
          setFlaggedWords(body.words as FlaggedWord[]);
          return send(res, 200, { ok: true }, CORS_HEADERS);
        }
        default:
          return simError(404, 'not found');
      }
    } catch (err) {
      return simError(400, err instanceof Error ? err.message : String(err));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path.startsWith('/__sim/')) return handleSim(req, res, path);
    try {
      switch (path) {
        case '/sns/jscode2session':
          if (req.method !== 'GET') throw new ApiError(43001);
          return send(res, 200, jscode2session(url.searchParams));
        case '/cgi-bin/stable_token': {
          if (req.method !== 'POST') throw new ApiError(43002);
          const body = await readJson(req);
          return send(res, 200, stableToken(body));
        }
        case '/wxa/business/getuserphonenumber': {
          if (req.method !== 'POST') throw new ApiError(43002);
          const body = await readJson(req);
          return send(res, 200, getUserPhoneNumber(url.searchParams, body));
        }
        case '/wxa/msg_sec_check': {
          if (req.method !== 'POST') throw new ApiError(43002);
          const body = await readJson(req);
          return send(res, 200, msgSecCheck(url.searchParams, body));
        }
        case '/cgi-bin/message/subscribe/send': {
          if (req.method !== 'POST') throw new ApiError(43002);
          const body = await readJson(req);
          return send(res, 200, subscribeSend(url.searchParams, body));
        }
        case '/wxa/getwxacodeunlimit': {
          if (req.method !== 'POST') throw new ApiError(43002);
          const body = await readJson(req);
          const png = getWxaCodeUnlimit(url.searchParams, body);
          res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
          res.end(png);
          return;
        }
        default:
          return sendError(res, new ApiError(40066), 404);
      }
    } catch (err) {
      if (err instanceof ApiError) return sendError(res, err);
      return sendError(res, new ApiError(-1));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, new ApiError(-1));
      else res.destroy();
    });
  });

  const url = await listenLoopback(server, opts.port ?? 0, host);

  return {
    url,
    appid,
    calls,
    login,
    phoneCode,
    failNext,
    expireAccessTokens,
    setFlaggedWords,
    grantSubscribeConsent,
    consentsLeft: (openid: string, templateId: string) => consents.get(consentKey(openid, templateId)) ?? 0,
    sentMessages,
    wxaCodes,
    openidOf,
    unionidOf,
    resetCalls() {
      for (const k of Object.keys(calls) as WechatMiniApi[]) calls[k] = 0;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (global fetch pools connections) would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
