import { startWechatMiniSimulator, type WechatMiniSimulator } from './wechat-mini';

const APPID = 'wx1234567890abcdef';
const SECRET = 'sim-secret-0123456789abcdef';

let clock = Date.UTC(2025, 0, 1, 8, 0, 0);
let sim: WechatMiniSimulator;

beforeAll(async () => {
  sim = await startWechatMiniSimulator({ appid: APPID, secret: SECRET, port: 0, now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetCalls());

type Json = Record<string, any>;

async function jscode2session(jsCode: string, over: Record<string, string> = {}): Promise<Json> {
  const q = new URLSearchParams({ appid: APPID, secret: SECRET, js_code: jsCode, grant_type: 'authorization_code', ...over });
  const res = await fetch(`${sim.url}/sns/jscode2session?${q}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
}

const stableToken = async (extra: Json = {}) =>
  (await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SECRET, ...extra })).json;

const phoneNumber = async (token: string, code: string) =>
  (await post(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`, { code })).json;

describe('jscode2session', () => {
  it('exchanges a fresh code for openid, session_key and unionid', async () => {
    const code = sim.login('alice');
    const body = await jscode2session(code);
    expect(body.errcode).toBeUndefined();
    expect(body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(body.unionid).toMatch(/^u[A-Za-z0-9_-]{27}$/);
    expect(Buffer.from(body.session_key, 'base64')).toHaveLength(16);
    expect(body.openid).toBe(sim.openidOf('alice'));
    expect(body.unionid).toBe(sim.unionidOf('alice'));
  });

  it('derives the same openid for the same user and different ones per user and per appid', async () => {
    const a1 = await jscode2session(sim.login('bob'));
    const a2 = await jscode2session(sim.login({ user: 'bob' }));
    const c = await jscode2session(sim.login('carol'));
    expect(a1.openid).toBe(a2.openid);
    expect(a1.session_key).not.toBe(a2.session_key);
    expect(c.openid).not.toBe(a1.openid);

    const other = await startWechatMiniSimulator({ appid: 'wxother000000000', secret: 's' });
    try {
      expect(other.openidOf('bob')).not.toBe(sim.openidOf('bob'));
      expect(other.unionidOf('bob')).toBe(sim.unionidOf('bob'));
    } finally {
      await other.close();
    }
  });

  it('honours explicit openid/unionid', async () => {
    const body = await jscode2session(sim.login({ openid: 'oFixedOpenid', unionid: 'uFixedUnionid' }));
    expect(body).toMatchObject({ openid: 'oFixedOpenid', unionid: 'uFixedUnionid' });
  });

  it('codes are single-use: the second exchange answers 40029', async () => {
    const code = sim.login('dave');
    expect((await jscode2session(code)).openid).toBeDefined();
    const again = await jscode2session(code);
    expect(again.errcode).toBe(40029);
    expect(again.errmsg).toMatch(/^invalid code, rid: [0-9a-f-]+$/);
  });

  it('unknown code answers 40029', async () => {
    expect((await jscode2session('not-a-code')).errcode).toBe(40029);
  });

  it('codes expire after 5 minutes', async () => {
    const fresh = sim.login('erin');
    const old = sim.login('erin');
    clock += 5 * 60 * 1000;
    expect((await jscode2session(fresh)).openid).toBe(sim.openidOf('erin'));
    clock += 1;
    expect((await jscode2session(old)).errcode).toBe(40029);
  });

  it('wrong appid answers 40013, wrong secret 40125', async () => {
    const code = sim.login('frank');
    expect((await jscode2session(code, { appid: 'wxnope' })).errcode).toBe(40013);
    expect((await jscode2session(code, { secret: 'nope' })).errcode).toBe(40125);
    // A rejected request does not burn the code.
    expect((await jscode2session(code)).openid).toBe(sim.openidOf('frank'));
  });

  it('risky users answer 40226', async () => {
    const body = await jscode2session(sim.login({ user: 'mallory', risky: true }));
    expect(body.errcode).toBe(40226);
    expect(body.errmsg).toMatch(/^code blocked, rid: /);
  });

  it('injected 45011 answers the next calls without consuming the code', async () => {
    sim.failNext('jscode2session', 45011, 2);
    const code = sim.login('grace');
    const first = await jscode2session(code);
    expect(first.errcode).toBe(45011);
    expect(first.errmsg).toMatch(/^api minute-quota reach limit {2}mustslower {2}retry next minute, rid: /);
    expect((await jscode2session(code)).errcode).toBe(45011);
    expect((await jscode2session(code)).openid).toBe(sim.openidOf('grace'));
    expect(sim.calls.jscode2session).toBe(3);
  });

  it('enforces an optional minute quota with 45011', async () => {
    let t = Date.UTC(2025, 0, 1, 9, 0, 0);
    const limited = await startWechatMiniSimulator({ appid: APPID, secret: SECRET, now: () => t, minuteQuota: { jscode2session: 1 } });
    try {
      const call = async (code: string) =>
        (await (await fetch(`${limited.url}/sns/jscode2session?${new URLSearchParams({ appid: APPID, secret: SECRET, js_code: code, grant_type: 'authorization_code' })}`)).json()) as Json;
      expect((await call(limited.login('a'))).openid).toBeDefined();
      expect((await call(limited.login('b'))).errcode).toBe(45011);
      t += 60_000;
      expect((await call(limited.login('c'))).openid).toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it('rejects POST with 43001 and a bad grant_type with 40002', async () => {
    const res = await fetch(`${sim.url}/sns/jscode2session`, { method: 'POST' });
    expect(((await res.json()) as Json).errcode).toBe(43001);
    expect((await jscode2session(sim.login('h'), { grant_type: 'client_credential' })).errcode).toBe(40002);
  });
});

describe('stable_token', () => {
  it('returns the same token until expiry, a new one on force_refresh', async () => {
    const a = await stableToken();
    expect(a).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    clock += 1000;
    const b = await stableToken();
    expect(b.access_token).toBe(a.access_token);
    expect(b.expires_in).toBe(7199);

    const forced = await stableToken({ force_refresh: true });
    expect(forced.access_token).not.toBe(a.access_token);
    expect(forced.expires_in).toBe(7200);
    expect((await stableToken()).access_token).toBe(forced.access_token);
    // The forced refresh invalidated the old token.
    expect((await phoneNumber(a.access_token, sim.phoneCode('13800000000'))).errcode).toBe(40001);
    expect(sim.calls.stable_token).toBe(4);
  });

  it('issues a new token after expiry, and the old one answers 42001', async () => {
    const a = await stableToken({ force_refresh: true });
    clock += 7200 * 1000;
    expect((await phoneNumber(a.access_token, sim.phoneCode('13800000000'))).errcode).toBe(42001);
    const b = await stableToken();
    expect(b.access_token).not.toBe(a.access_token);
    expect(b.expires_in).toBe(7200);
  });

  it('expireAccessTokens() makes current tokens answer 42001 and the next call issue a new one', async () => {
    const a = await stableToken();
    sim.expireAccessTokens();
    expect((await phoneNumber(a.access_token, sim.phoneCode('13800000000'))).errcode).toBe(42001);
    const b = await stableToken();
    expect(b.access_token).not.toBe(a.access_token);
  });

  it('rejects bad credentials, grant_type, malformed JSON and GET', async () => {
    expect((await stableToken({ appid: 'wxnope' })).errcode).toBe(40013);
    expect((await stableToken({ secret: 'nope' })).errcode).toBe(40125);
    expect((await stableToken({ grant_type: 'authorization_code' })).errcode).toBe(40002);
    const bad = await post('/cgi-bin/stable_token', '{not json');
    expect(bad.status).toBe(200);
    expect(bad.json.errcode).toBe(47001);
    const get = await fetch(`${sim.url}/cgi-bin/stable_token`);
    expect(((await get.json()) as Json).errcode).toBe(43002);
  });

  it('supports injected failures', async () => {
    sim.failNext('stable_token', -1);
    expect(await stableToken()).toMatchObject({ errcode: -1, errmsg: expect.stringMatching(/^system error, rid: /) });
    expect((await stableToken()).access_token).toBeDefined();
  });
});

describe('getuserphonenumber', () => {
  it('returns phone_info with a watermark, once per code', async () => {
    const { access_token } = await stableToken();
    const code = sim.phoneCode('13812345678');
    const body = await phoneNumber(access_token, code);
    expect(body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13812345678',
        purePhoneNumber: '13812345678',
        countryCode: '86',
        watermark: { timestamp: Math.floor(clock / 1000), appid: APPID },
      },
    });
    const again = await phoneNumber(access_token, code);
    expect(again.errcode).toBe(40029);
    expect(again.errmsg).toMatch(/^invalid code, rid: /);
  });

  it('prefixes foreign numbers with their country code', async () => {
    const { access_token } = await stableToken();
    const body = await phoneNumber(access_token, sim.phoneCode('4155550100', '1'));
    expect(body.phone_info).toMatchObject({ phoneNumber: '+14155550100', purePhoneNumber: '4155550100', countryCode: '1' });
  });

  it('rejects unknown and expired phone codes with 40029', async () => {
    const { access_token } = await stableToken();
    expect((await phoneNumber(access_token, 'nope')).errcode).toBe(40029);
    const code = sim.phoneCode('13812345678');
    clock += 5 * 60 * 1000 + 1;
    const { access_token: token2 } = await stableToken();
    expect((await phoneNumber(token2, code)).errcode).toBe(40029);
  });

  it('rejects missing and unknown access tokens', async () => {
    expect((await post('/wxa/business/getuserphonenumber', { code: 'x' })).json.errcode).toBe(41001);
    expect((await phoneNumber('bogus', sim.phoneCode('13812345678'))).errcode).toBe(40001);
  });

  it('injected failures do not consume the phone code', async () => {
    const { access_token } = await stableToken();
    const code = sim.phoneCode('13812345678');
    sim.failNext('getuserphonenumber', 45011);
    expect((await phoneNumber(access_token, code)).errcode).toBe(45011);
    expect((await phoneNumber(access_token, code)).errcode).toBe(0);
    expect(sim.calls.getuserphonenumber).toBe(2);
  });
});

describe('/__sim/ control endpoints', () => {
  it('answers CORS preflight', async () => {
    const res = await fetch(`${sim.url}/__sim/login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('POST /__sim/login returns a code jscode2session accepts', async () => {
    const res = await post('/__sim/login', { user: 'h5-user' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await jscode2session(res.json.code)).openid).toBe(sim.openidOf('h5-user'));
  });

  it('POST /__sim/login can flag a risky user', async () => {
    const res = await post('/__sim/login', { user: 'h5-risky', risky: true });
    expect((await jscode2session(res.json.code)).errcode).toBe(40226);
  });

  it('POST /__sim/phone-code returns a code getuserphonenumber accepts', async () => {
    const res = await post('/__sim/phone-code', { phone: '13912345678' });
    expect(res.status).toBe(200);
    const { access_token } = await stableToken();
    expect((await phoneNumber(access_token, res.json.code)).phone_info.purePhoneNumber).toBe('13912345678');
  });

  it('rejects a bad phone and unknown control paths', async () => {
    expect((await post('/__sim/phone-code', { phone: 'abc' })).status).toBe(400);
    expect((await post('/__sim/nope', {})).status).toBe(404);
  });

  it('POST /__sim/fail-next and /__sim/expire-access-tokens drive the same switches', async () => {
    expect((await post('/__sim/fail-next', { api: 'jscode2session', errcode: -1 })).status).toBe(200);
    expect((await jscode2session(sim.login('x'))).errcode).toBe(-1);
    const { access_token } = await stableToken();
    await post('/__sim/expire-access-tokens', {});
    expect((await phoneNumber(access_token, sim.phoneCode('13812345678'))).errcode).toBe(42001);
    const calls = (await (await fetch(`${sim.url}/__sim/calls`)).json()) as Json;
    expect(calls.calls.jscode2session).toBe(1);
  });
});
