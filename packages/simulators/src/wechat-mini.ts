/**
 * Loopback simulator for the WeChat mini-program server APIs (host api.weixin.qq.com):
 * `jscode2session`, `stable_token` and `getuserphonenumber`, plus a control surface (methods and
 * `/__sim/*` HTTP endpoints) that plays the part of the phone: it hands out login and phone codes.
 *
 * Protocol details mirrored from the real service: every API error is HTTP 200 with
 * `{errcode, errmsg}` and the errmsg carries a `rid`; codes are single-use and live 5 minutes;
 * openids are 28 characters starting with `o`; the stable token is the same until it expires
 * unless `force_refresh` is set, which also invalidates the previous token.
 *
 * Only node built-ins are used so the offline demo can start it in-process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WechatMiniApi = 'jscode2session' | 'getuserphonenumber' | 'stable_token';

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
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40066: 'invalid url',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'code blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
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
  const calls: Record<WechatMiniApi, number> = { jscode2session: 0, getuserphonenumber: 0, stable_token: 0 };
  const injected: Record<WechatMiniApi, number[]> = { jscode2session: [], getuserphonenumber: [], stable_token: [] };
  const quotaWindow: Record<WechatMiniApi, { minute: number; count: number }> = {
    jscode2session: { minute: -1, count: 0 },
    getuserphonenumber: { minute: -1, count: 0 },
    stable_token: { minute: -1, count: 0 },
  };

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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    appid,
    calls,
    login,
    phoneCode,
    failNext,
    expireAccessTokens,
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
