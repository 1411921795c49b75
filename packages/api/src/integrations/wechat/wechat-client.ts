/**
 * Thin typed client for the WeChat mini-program server APIs (api.weixin.qq.com): code2Session,
 * stable access token, getPhoneNumber, msgSecCheck (content security v2), subscribe messages and
 * unlimited mini-program codes (getwxacodeunlimit).
 * The base URL is injectable so tests and the offline demo point it at `@quanzi/simulators`.
 *
 * Error policy: every failure is a {@link WechatApiError}. WeChat's own `{errcode, errmsg}` pass
 * through; network failures, timeouts and unreadable responses get errcode -1. Neither the app
 * secret nor a session_key ever appears in an error message.
 */
import { clock } from '../../clock';
export interface WechatClientOptions {
  /** e.g. https://api.weixin.qq.com (production) or a simulator URL. */
  baseUrl: string;
  appid: string;
  secret: string;
  /** Per-request timeout, default 5000 ms. */
  timeoutMs?: number;
  /** Clock in epoch milliseconds (token cache); default `Date.now`. */
  now?: () => number;
}

/** A WeChat API answered with a non-zero errcode, or could not be reached / understood (errcode -1). */
export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} failed: ${errcode} ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

export interface WechatSession {
  openid: string;
  sessionKey: string;
  unionid: string | null;
}

export interface WechatPhoneNumber {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

/** msg_sec_check v2 scenes: 1 资料 (profile), 2 评论 (comment), 3 论坛 (forum), 4 社交日志 (social log). */
export type MsgSecScene = 1 | 2 | 3 | 4;

export interface MsgSecCheckResult {
  /** pass: publish; review: a human should look; risky: do not publish. */
  suggest: 'pass' | 'review' | 'risky';
  /** 100 normal, 10001 广告, 20001 时政, 20002 色情, 20003 辱骂, 20006 违法犯罪, 20008 欺诈, 20012 低俗, 20013 版权, 21000 其他. */
  label: number;
}

export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  /** Keyword values, e.g. `{ thing1: { value: '周末骑行' }, time2: { value: '2026-06-10 08:00' } }`. */
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

/** The mini-program version a code opens. */
export type WxaEnvVersion = 'release' | 'trial' | 'develop';

export interface UnlimitedWxaCodeRequest {
  /** 1–32 of `0-9A-Za-z!#$&'()*+,/:;=?@-._~`; the page receives it URL-encoded as `query.scene`. */
  scene: string;
  /** A page of the mini-program, no leading slash and no query (e.g. `member/pay/index`). */
  page: string;
  /** WeChat's default true: the page must exist in the published version (41030 otherwise). */
  checkPath?: boolean;
  /** Default release. */
  envVersion?: WxaEnvVersion;
  /** Pixels, 280–1280; WeChat's default 430. */
  width?: number;
}

export interface WxaCodeImage {
  /** The image's Content-Type as WeChat sent it, e.g. `image/jpeg` (or `image/png`). */
  contentType: string;
  image: Buffer;
}

/** Error codes meaning "this access token is no good": refresh once and retry. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** Refresh the cached token this long before WeChat says it expires. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface CachedToken {
  token: string;
  /** After this instant a normal call fetches again. */
  refreshAt: number;
  expiresAt: number;
}

interface InflightToken {
  force: boolean;
  promise: Promise<string>;
}

type Json = Record<string, unknown>;

interface RawResponse {
  status: number;
  /** Lower-cased media type without parameters, '' when absent. */
  contentType: string;
  body: Buffer;
}

export class WechatClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private cached: CachedToken | null = null;
  private inflight: InflightToken | null = null;

  constructor(private readonly options: WechatClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? (() => clock.ms());
  }

  /** Exchanges a wx.login() code for the user's openid, session_key and (when bound) unionid. */
  async code2Session(jsCode: string): Promise<WechatSession> {
    const api = 'jscode2session';
    const query = new URLSearchParams({
      appid: this.options.appid,
      secret: this.options.secret,
      js_code: jsCode,
      grant_type: 'authorization_code',
    });
    const body = await this.request(api, `/sns/jscode2session?${query}`, { method: 'GET' });
    if (typeof body.openid !== 'string' || typeof body.session_key !== 'string') {
      throw new WechatApiError(api, -1, 'malformed response');
    }
    return {
      openid: body.openid,
      sessionKey: body.session_key,
      unionid: typeof body.unionid === 'string' && body.unionid !== '' ? body.unionid : null,
    };
  }

  /**
   * The stable access token: cached until 5 minutes before expiry; concurrent callers share one
   * request. `forceRefresh` asks WeChat for a new token (which invalidates the previous one).
   */
  async getAccessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    return this.fetchToken(forceRefresh);
  }

  /**
   * Resolves a getPhoneNumber button code to the user's phone number. A rejected access token
   * (40001/42001) is refreshed once and the call retried once.
   */
  async getPhoneNumber(code: string): Promise<WechatPhoneNumber> {
    const api = 'getuserphonenumber';
    const body = await this.postWithToken(api, '/wxa/business/getuserphonenumber', { code });
    const info = body.phone_info as Json | undefined;
    if (
      !info ||
      typeof info.phoneNumber !== 'string' ||
      typeof info.purePhoneNumber !== 'string' ||
      typeof info.countryCode !== 'string'
    ) {
      throw new WechatApiError(api, -1, 'malformed response');
    }
    return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode };
  }

  /**
   * Content security v2: screens a text a user is about to publish. `openid` is the author, who must have
   * opened the mini-program within the last 2 hours (61010 otherwise). The caller decides what review/risky mean.
   */
  async msgSecCheck(input: { openid: string; scene: MsgSecScene; content: string; title?: string }): Promise<MsgSecCheckResult> {
    const api = 'msg_sec_check';
    const body = await this.postWithToken(api, '/wxa/msg_sec_check', { version: 2, openid: input.openid, scene: input.scene, content: input.content, ...(input.title ? { title: input.title } : {}) });
    const result = body.result as Json | undefined;
    const suggest = result?.suggest;
    if (!result || (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') || typeof result.label !== 'number') {
      throw new WechatApiError(api, -1, 'malformed response');
    }
    return { suggest, label: result.label };
  }

  /**
   * Sends a subscribe message. Each wx.requestSubscribeMessage acceptance allows one message; without one WeChat
   * answers 43101 (a WechatApiError the caller handles by falling back to in-app delivery).
   */
  async sendSubscribeMessage(message: SubscribeMessage): Promise<{ msgid: string }> {
    const api = 'subscribe_send';
    const body = await this.postWithToken(api, '/cgi-bin/message/subscribe/send', message);
    if (typeof body.msgid !== 'number' && typeof body.msgid !== 'string') throw new WechatApiError(api, -1, 'malformed response');
    return { msgid: String(body.msgid) };
  }

  /**
   * An unlimited mini-program code (getwxacodeunlimit) that opens `page` with `scene`. WeChat answers the image
   * bytes on success and JSON `{errcode, errmsg}` on failure, so the answer is told apart by its Content-Type. A
   * rejected access token (40001/42001) is refreshed once and the call retried once.
   */
  async getUnlimitedWxaCode(input: UnlimitedWxaCodeRequest): Promise<WxaCodeImage> {
    const api = 'getwxacodeunlimit';
    const payload = {
      scene: input.scene,
      page: input.page,
      ...(input.checkPath === undefined ? {} : { check_path: input.checkPath }),
      ...(input.envVersion === undefined ? {} : { env_version: input.envVersion }),
      ...(input.width === undefined ? {} : { width: input.width }),
    };
    return this.withToken(async (token) => {
      const res = await this.exchange(api, `/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (res.contentType.startsWith('image/')) {
        if (res.status < 200 || res.status >= 300) throw new WechatApiError(api, -1, `HTTP ${res.status}`);
        if (res.body.length === 0) throw new WechatApiError(api, -1, 'empty image');
        return { contentType: res.contentType, image: res.body };
      }
      // Not an image: WeChat's JSON error (thrown with its errcode), else something no caller could show.
      this.parseJson(api, res);
      throw new WechatApiError(api, -1, 'malformed response');
    });
  }

  /** POSTs JSON to an API that takes `?access_token=`; a rejected token (40001/42001) is refreshed once and the call retried once. */
  private postWithToken(api: string, path: string, payload: unknown): Promise<Json> {
    return this.withToken((token) =>
      this.request(api, `${path}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }),
    );
  }

  /** Runs `call` with the cached access token; if WeChat rejects the token (40001/42001), refreshes it once and retries once. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.getAccessToken();
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof WechatApiError && TOKEN_REJECTED.has(err.errcode))) throw err;
      return call(await this.replaceRejectedToken(token));
    }
  }

  /**
   * After WeChat rejected `rejected`: reuse a newer token if someone already got one, otherwise
   * force a refresh. Concurrent callers that saw the same rejection share one forced refresh, so
   * they do not invalidate each other's fresh token.
   */
  private async replaceRejectedToken(rejected: string): Promise<string> {
    if (this.inflight) {
      const token = await this.inflight.promise.catch(() => null);
      if (token !== null && token !== rejected) return token;
    }
    if (this.cached && this.cached.token !== rejected && this.now() < this.cached.expiresAt) return this.cached.token;
    if (this.cached?.token === rejected) this.cached = null;
    return this.fetchToken(true);
  }

  /** Single-flight: joins a request in progress unless a forced refresh is wanted and it was not one. */
  private fetchToken(force: boolean): Promise<string> {
    if (this.inflight && (this.inflight.force || !force)) return this.inflight.promise;
    const entry: InflightToken = { force, promise: Promise.resolve('') };
    entry.promise = this.requestToken(force).then(
      (token) => {
        if (this.inflight === entry) this.inflight = null;
        return token;
      },
      (err: unknown) => {
        if (this.inflight === entry) this.inflight = null;
        throw err;
      },
    );
    this.inflight = entry;
    return entry.promise;
  }

  private async requestToken(force: boolean): Promise<string> {
    const api = 'stable_token';
    const body = await this.request(api, '/cgi-bin/stable_token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credential',
        appid: this.options.appid,
        secret: this.options.secret,
        force_refresh: force,
      }),
    });
    const token = body.access_token;
    const expiresIn = body.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new WechatApiError(api, -1, 'malformed response');
    }
    const t = this.now();
    const expiresAt = t + expiresIn * 1000;
    // stable_token returns the remaining lifetime; a token already inside the margin is used for
    // half of what is left rather than refetched on every call.
    const refreshAt = expiresAt - REFRESH_MARGIN_MS > t ? expiresAt - REFRESH_MARGIN_MS : t + (expiresIn * 1000) / 2;
    this.cached = { token, refreshAt, expiresAt };
    return token;
  }

  /** One HTTP exchange; returns the JSON body or throws WechatApiError (never mentioning the secret). */
  private async request(api: string, pathAndQuery: string, init: RequestInit): Promise<Json> {
    return this.parseJson(api, await this.exchange(api, pathAndQuery, init));
  }

  /** One HTTP exchange, body as bytes; transport failures and timeouts are WechatApiError -1. */
  private async exchange(api: string, pathAndQuery: string, init: RequestInit): Promise<RawResponse> {
    try {
      const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
        ...init,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      return { status: res.status, contentType, body: Buffer.from(await res.arrayBuffer()) };
    } catch (err) {
      throw new WechatApiError(api, -1, this.describeFailure(err));
    }
  }

  /** The JSON body of a response; a non-zero errcode becomes a WechatApiError with WeChat's code and message. */
  private parseJson(api: string, res: RawResponse): Json {
    const { status } = res;
    let body: unknown;
    try {
      body = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new WechatApiError(api, -1, `non-JSON response (HTTP ${status})`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new WechatApiError(api, -1, `unexpected response (HTTP ${status})`);
    }
    const json = body as Json;
    if (typeof json.errcode === 'number' && json.errcode !== 0) {
      const errmsg = typeof json.errmsg === 'string' ? json.errmsg : '';
      throw new WechatApiError(api, json.errcode, this.redact(errmsg));
    }
    if (status < 200 || status >= 300) throw new WechatApiError(api, -1, `HTTP ${status}`);
    return json;
  }

  private describeFailure(err: unknown): string {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } } | null;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${this.timeoutMs} ms`;
    const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'unknown';
    return this.redact(`network error: ${detail}`);
  }

  private redact(text: string): string {
    const { secret } = this.options;
    return secret ? text.split(secret).join('***') : text;
  }
}
