import { crc32, inflateSync } from 'node:zlib';
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

describe('msg_sec_check (content security v2)', () => {
  const check = async (body: Json, token?: string) => {
    const t = token ?? (await stableToken()).access_token;
    return (await post(`/wxa/msg_sec_check?access_token=${encodeURIComponent(t)}`, body)).json;
  };
  /** An openid that signed in just now (msg_sec_check only screens recent visitors). */
  const visitor = async (user: string) => (await jscode2session(sim.login(user))).openid as string;

  afterEach(() => sim.setFlaggedWords([{ word: '违禁词', suggest: 'risky', label: 20006 }, { word: '加微信返现', suggest: 'review', label: 10001 }]));

  it('passes clean text with label 100 and a trace id', async () => {
    const openid = await visitor('sec-clean');
    const body = await check({ version: 2, scene: 3, openid, content: '周末骑行俱乐部：周六早上八点奥森南门集合' });
    expect(body).toMatchObject({ errcode: 0, errmsg: 'ok', result: { suggest: 'pass', label: 100 }, trace_id: expect.any(String) });
    expect(body.detail[0]).toMatchObject({ strategy: 'content_model', suggest: 'pass' });
    expect(sim.calls.msg_sec_check).toBe(1);
  });

  it('flags the default words: risky beats review, keyword hits are listed', async () => {
    const openid = await visitor('sec-default');
    expect((await check({ version: 2, scene: 1, openid, content: '加微信返现，详情私聊' })).result).toEqual({ suggest: 'review', label: 10001 });
    const both = await check({ version: 2, scene: 1, openid, content: '加微信返现，还有违禁词' });
    expect(both.result).toEqual({ suggest: 'risky', label: 20006 });
    expect(both.detail.filter((d: Json) => d.strategy === 'keyword').map((d: Json) => d.keyword).sort()).toEqual(['加微信返现', '违禁词']);
  });

  it('uses a configured word list, case-insensitively', async () => {
    sim.setFlaggedWords([{ word: 'Casino', suggest: 'risky', label: 20001 }]);
    const openid = await visitor('sec-custom');
    expect((await check({ version: 2, scene: 4, openid, content: 'online CASINO night' })).result).toEqual({ suggest: 'risky', label: 20001 });
    expect((await check({ version: 2, scene: 4, openid, content: '违禁词 is not on this list' })).result.suggest).toBe('pass');
    expect(() => sim.setFlaggedWords([{ word: '', suggest: 'risky', label: 1 }])).toThrow(/word/);
  });

  it('wants an openid that visited within 2 hours (61010), version 2, a scene 1–4 and 1–2500 characters', async () => {
    const openid = await visitor('sec-args');
    expect((await check({ version: 2, scene: 1, openid: sim.openidOf('never-signed-in'), content: 'hi' })).errcode).toBe(61010);
    expect((await check({ version: 1, scene: 1, openid, content: 'hi' })).errcode).toBe(40097);
    expect((await check({ version: 2, scene: 5, openid, content: 'hi' })).errcode).toBe(40097);
    expect((await check({ version: 2, scene: 1, openid: '', content: 'hi' })).errcode).toBe(40003);
    expect((await check({ version: 2, scene: 1, openid, content: '' })).errcode).toBe(40097);
    expect((await check({ version: 2, scene: 1, openid, content: '字'.repeat(2501) })).errcode).toBe(40097);
    expect((await check({ version: 2, scene: 1, openid, content: '字'.repeat(2500) })).errcode).toBe(0);
    clock += 2 * 3600 * 1000 + 1;
    expect((await check({ version: 2, scene: 1, openid, content: 'hi' })).errcode).toBe(61010);
  });

  it('rejects unknown and expired access tokens', async () => {
    const openid = await visitor('sec-token');
    expect((await check({ version: 2, scene: 1, openid, content: 'hi' }, 'nope')).errcode).toBe(40001);
    const { access_token } = await stableToken();
    sim.expireAccessTokens();
    expect((await check({ version: 2, scene: 1, openid, content: 'hi' }, access_token)).errcode).toBe(42001);
  });
});

describe('subscribe/send', () => {
  const TEMPLATE = 'tmpl-club-announcement-0001';
  const message = (touser: string, over: Json = {}) => ({
    touser,
    template_id: TEMPLATE,
    page: 'pages/club/index?id=7',
    miniprogram_state: 'formal',
    // time3: absolute on purpose — a protocol example (a `time` keyword value as WeChat's docs write it); the simulator
    // checks its format only and compares it with no clock.
    data: { thing1: { value: '周末骑行俱乐部' }, thing2: { value: '周六改到奥森北门集合' }, time3: { value: '2026-06-10 08:00' } },
    ...over,
  });
  const sendMsg = async (body: Json, token?: string) => {
    const t = token ?? (await stableToken()).access_token;
    return (await post(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(t)}`, body)).json;
  };

  it('one consent allows exactly one message; the next is 43101', async () => {
    const openid = sim.openidOf('sub-one');
    const before = sim.sentMessages.length;
    expect((await sendMsg(message(openid))).errcode).toBe(43101);
    sim.grantSubscribeConsent(openid, TEMPLATE);
    expect(sim.consentsLeft(openid, TEMPLATE)).toBe(1);
    const ok = await sendMsg(message(openid));
    expect(ok).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
    expect(sim.consentsLeft(openid, TEMPLATE)).toBe(0);
    expect(await sendMsg(message(openid))).toMatchObject({ errcode: 43101, errmsg: expect.stringMatching(/^user refuse to accept the msg, rid: /) });
    expect(sim.sentMessages.slice(before)).toEqual([
      { msgid: ok.msgid, touser: openid, template_id: TEMPLATE, page: 'pages/club/index?id=7', miniprogram_state: 'formal', data: message(openid).data, at: clock },
    ]);
  });

  it('consents are per template and add up', async () => {
    const openid = sim.openidOf('sub-many');
    sim.grantSubscribeConsent(openid, TEMPLATE, 2);
    sim.grantSubscribeConsent(openid, TEMPLATE);
    expect((await sendMsg(message(openid, { template_id: 'tmpl-other' }))).errcode).toBe(43101);
    for (let i = 0; i < 3; i++) expect((await sendMsg(message(openid))).errcode).toBe(0);
    expect((await sendMsg(message(openid))).errcode).toBe(43101);
  });

  it.each<[string, Json, number]>([
    ['a thing longer than 20 characters', { data: { thing1: { value: '一'.repeat(21) } } }, 47003],
    ['an empty thing', { data: { thing1: { value: '' } } }, 47003],
    ['a malformed time', { data: { time1: { value: 'tomorrow' } } }, 47003],
    ['a phrase of 6 characters', { data: { phrase1: { value: '六个汉字不行' } } }, 47003],
    ['an unknown keyword type', { data: { foo1: { value: 'x' } } }, 47003],
    ['a value that is not a string', { data: { thing1: { value: 3 } } }, 47003],
    ['no data', { data: {} }, 47003],
    ['a bad miniprogram_state', { miniprogram_state: 'prod' }, 47003],
    ['no touser', { touser: '' }, 40003],
    ['no template', { template_id: '' }, 40037],
  ])('%s is refused without using the consent', async (_name, over, errcode) => {
    const openid = sim.openidOf('sub-bad');
    sim.grantSubscribeConsent(openid, TEMPLATE);
    const left = sim.consentsLeft(openid, TEMPLATE);
    expect((await sendMsg(message(openid, over))).errcode).toBe(errcode);
    expect(sim.consentsLeft(openid, TEMPLATE)).toBe(left);
  });

  it('knows only the configured templates when given a list (40037 otherwise)', async () => {
    const strict = await startWechatMiniSimulator({ appid: APPID, secret: SECRET, subscribeTemplates: ['tmpl-known'] });
    try {
      const token = ((await (await fetch(`${strict.url}/cgi-bin/stable_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SECRET }) })).json()) as Json).access_token;
      const openid = strict.openidOf('sub-strict');
      strict.grantSubscribeConsent(openid, 'tmpl-known');
      const call = async (template_id: string) =>
        ((await (await fetch(`${strict.url}/cgi-bin/message/subscribe/send?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message(openid, { template_id })) })).json()) as Json).errcode;
      expect(await call('tmpl-unknown')).toBe(40037);
      expect(await call('tmpl-known')).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it('needs a valid access token and POST', async () => {
    expect((await sendMsg(message(sim.openidOf('sub-token')), 'nope')).errcode).toBe(40001);
    const get = await fetch(`${sim.url}/cgi-bin/message/subscribe/send`);
    expect(((await get.json()) as Json).errcode).toBe(43002);
  });

  it('supports injected failures without using the consent', async () => {
    const openid = sim.openidOf('sub-fail');
    sim.grantSubscribeConsent(openid, TEMPLATE);
    sim.failNext('subscribe_send', -1);
    expect((await sendMsg(message(openid))).errcode).toBe(-1);
    expect(sim.consentsLeft(openid, TEMPLATE)).toBe(1);
    expect((await sendMsg(message(openid))).errcode).toBe(0);
  });
});

describe('/__sim/ control endpoints for content security and subscribe messages', () => {
  it('POST /__sim/subscribe-consent grants consents; GET /__sim/subscribe-messages lists what was sent', async () => {
    const openid = sim.openidOf('sim-consent');
    const granted = await post('/__sim/subscribe-consent', { openid, templateId: 'tmpl-http', count: 2 });
    expect(granted).toMatchObject({ status: 200, json: { ok: true, left: 2 } });
    expect(granted.headers.get('access-control-allow-origin')).toBe('*');
    const { access_token } = await stableToken();
    const sent = await post(`/cgi-bin/message/subscribe/send?access_token=${access_token}`, { touser: openid, template_id: 'tmpl-http', data: { thing1: { value: '你好' } } });
    expect(sent.json.errcode).toBe(0);
    const list = (await (await fetch(`${sim.url}/__sim/subscribe-messages`)).json()) as Json;
    expect(list.messages.at(-1)).toMatchObject({ msgid: sent.json.msgid, touser: openid, template_id: 'tmpl-http', page: null });
    expect((await post('/__sim/subscribe-consent', { openid })).status).toBe(400);
    expect((await post('/__sim/subscribe-consent', { openid, templateId: 't', count: 0 })).status).toBe(400);
  });

  it('POST /__sim/flagged-words replaces the word list', async () => {
    expect((await post('/__sim/flagged-words', { words: [{ word: '赌场', suggest: 'risky', label: 20006 }] })).status).toBe(200);
    const openid = (await jscode2session(sim.login('sim-words'))).openid as string;
    const { access_token } = await stableToken();
    const r = await post(`/wxa/msg_sec_check?access_token=${access_token}`, { version: 2, scene: 2, openid, content: '周末去赌场' });
    expect(r.json.result).toEqual({ suggest: 'risky', label: 20006 });
    expect((await post('/__sim/flagged-words', { words: 'nope' })).status).toBe(400);
    expect((await post('/__sim/flagged-words', { words: [{ word: 'x', suggest: 'maybe', label: 1 }] })).status).toBe(400);
    sim.setFlaggedWords([{ word: '违禁词', suggest: 'risky', label: 20006 }]);
  });
});

describe('getwxacodeunlimit (mini-program codes)', () => {
  const ORDER_NO = 'QZ20250101080000A1B2C3D4E5F6';
  /** Raw exchange: the caller must branch on Content-Type (image bytes on success, JSON on failure). */
  async function wxaCode(body: unknown, opts: { token?: string; on?: WechatMiniSimulator } = {}): Promise<{ status: number; contentType: string; bytes: Buffer; json: Json | null }> {
    const target = opts.on ?? sim;
    const token = opts.token ?? (await tokenOf(target));
    const res = await fetch(`${target.url}/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, contentType, bytes, json: contentType.startsWith('application/json') ? (JSON.parse(bytes.toString('utf8')) as Json) : null };
  }
  async function tokenOf(target: WechatMiniSimulator): Promise<string> {
    if (target === sim) return (await stableToken()).access_token as string;
    const res = await fetch(`${target.url}/cgi-bin/stable_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SECRET }) });
    return ((await res.json()) as Json).access_token as string;
  }
  const errcodeOf = async (body: unknown, opts?: { token?: string; on?: WechatMiniSimulator }) => {
    const r = await wxaCode(body, opts);
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    return r.json?.errcode as number;
  };

  /** Parses a PNG independently of the simulator: signature, chunk CRCs (zlib's crc32), IHDR, inflated IDAT size. */
  function parsePng(buf: Buffer): { width: number; height: number; bitDepth: number; colorType: number; chunks: string[]; pixels: Buffer } {
    expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks: string[] = [];
    const idat: Buffer[] = [];
    let ihdr: Buffer | null = null;
    let off = 8;
    while (off < buf.length) {
      const len = buf.readUInt32BE(off);
      const type = buf.toString('ascii', off + 4, off + 8);
      const data = buf.subarray(off + 8, off + 8 + len);
      expect(buf.readUInt32BE(off + 8 + len)).toBe(crc32(buf.subarray(off + 4, off + 8 + len)));
      chunks.push(type);
      if (type === 'IHDR') ihdr = data;
      if (type === 'IDAT') idat.push(data);
      off += 12 + len;
    }
    expect(off).toBe(buf.length);
    if (!ihdr) throw new Error('no IHDR');
    return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), bitDepth: ihdr[8] as number, colorType: ihdr[9] as number, chunks, pixels: inflateSync(Buffer.concat(idat)) };
  }

  it('answers a real PNG (valid signature, chunk CRCs, IHDR, pixel data) and records the code', async () => {
    const before = sim.wxaCodes.length;
    const r = await wxaCode({ scene: ORDER_NO, page: 'member/pay/index', env_version: 'trial', check_path: false });
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('image/png');
    const png = parsePng(r.bytes);
    expect(png).toMatchObject({ width: 430, height: 430, bitDepth: 8, colorType: 2, chunks: ['IHDR', 'IDAT', 'IEND'] });
    expect(png.pixels).toHaveLength(430 * (1 + 430 * 3));
    // Both dark and light pixels: a pattern, not a blank square.
    const values = new Set(png.pixels.filter((_, i) => i % (1 + 430 * 3) !== 0));
    expect(values).toEqual(new Set([0, 255]));
    expect(sim.wxaCodes.slice(before)).toEqual([
      { scene: ORDER_NO, page: 'member/pay/index', check_path: false, env_version: 'trial', width: 430, is_hyaline: false, bytes: r.bytes.length, at: clock },
    ]);
    expect(sim.calls.getwxacodeunlimit).toBe(1);
  });

  it('is deterministic: the same request gives the same bytes, another scene other bytes', async () => {
    const a = await wxaCode({ scene: 'id=7', page: 'member/pay/index' });
    const b = await wxaCode({ scene: 'id=7', page: 'member/pay/index' });
    const c = await wxaCode({ scene: 'id=8', page: 'member/pay/index' });
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.equals(c.bytes)).toBe(false);
  });

  it('honours width (clamped to 280–1280 as WeChat does), is_hyaline (RGBA) and line_color', async () => {
    expect(parsePng((await wxaCode({ scene: 'w', width: 100 })).bytes)).toMatchObject({ width: 280, height: 280 });
    expect(parsePng((await wxaCode({ scene: 'w', width: 5000 })).bytes)).toMatchObject({ width: 1280, height: 1280 });
    const hy = parsePng((await wxaCode({ scene: 'w', width: 280, is_hyaline: true, auto_color: false, line_color: { r: '200', g: 16, b: 46 } })).bytes);
    expect(hy).toMatchObject({ width: 280, colorType: 6 });
    const stride = 1 + 280 * 4;
    const px = new Set<string>();
    for (let y = 0; y < 280; y += 7) for (let x = 0; x < 280; x += 7) px.add(hy.pixels.subarray(y * stride + 1 + x * 4, y * stride + 1 + x * 4 + 4).join(','));
    expect(px).toEqual(new Set(['0,0,0,0', '200,16,46,255']));
    expect(sim.wxaCodes.at(-1)).toMatchObject({ width: 280, is_hyaline: true });
  });

  it('failures are JSON {errcode, errmsg + rid} with Content-Type application/json, and record no code', async () => {
    const before = sim.wxaCodes.length;
    const r = await wxaCode({ scene: ORDER_NO }, { token: 'not-a-token' });
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/json; charset=UTF-8');
    expect(r.json).toEqual({ errcode: 40001, errmsg: expect.stringMatching(/^invalid credential, access_token is invalid or not latest, rid: [0-9a-f-]+$/) });
    const missing = await fetch(`${sim.url}/wxa/getwxacodeunlimit`, { method: 'POST', body: JSON.stringify({ scene: 'x' }) });
    expect(((await missing.json()) as Json).errcode).toBe(41001);
    const get = await fetch(`${sim.url}/wxa/getwxacodeunlimit`);
    expect(((await get.json()) as Json).errcode).toBe(43002);
    const token = (await stableToken()).access_token as string;
    const notJson = await post(`/wxa/getwxacodeunlimit?access_token=${token}`, '{scene=x}');
    expect(notJson.json.errcode).toBe(47001);
    expect(sim.wxaCodes.length).toBe(before);
  });

  it.each<[string, unknown, number]>([
    ['a missing scene', undefined, 40169],
    ['an empty scene', '', 40169],
    ['a scene of 33 characters', 'a'.repeat(33), 40169],
    ['a scene that is not a string', 12345, 40169],
    ['a scene with Chinese', '订单1', 40129],
    ['a scene with %', 'id%3D7', 40129],
    ['a scene with a space', 'id 7', 40129],
  ])('%s is refused (%#)', async (_name, scene, errcode) => {
    expect(await errcodeOf({ scene, page: 'member/pay/index' })).toBe(errcode);
  });

  it('accepts 32 characters of the whole allowed set', async () => {
    const scene = "09AZaz!#$&'()*+,/:;=?@-._~QZ1234";
    expect(scene).toHaveLength(32);
    const r = await wxaCode({ scene });
    expect(r.contentType).toBe('image/png');
    expect(sim.wxaCodes.at(-1)).toMatchObject({ scene, page: null, check_path: true, env_version: 'release' });
  });

  it('with check_path (the default) the page must be a published page; without it any well-formed page', async () => {
    const strict = await startWechatMiniSimulator({ appid: APPID, secret: SECRET, pages: ['pages/card/index', 'member/pay/index'] });
    try {
      expect((await wxaCode({ scene: 'x', page: 'member/pay/index' }, { on: strict })).contentType).toBe('image/png');
      expect(await errcodeOf({ scene: 'x', page: 'member/nope/index' }, { on: strict })).toBe(41030);
      expect(await errcodeOf({ scene: 'x', page: 'member/nope/index', check_path: true }, { on: strict })).toBe(41030);
      expect((await wxaCode({ scene: 'x', page: 'member/nope/index', check_path: false, env_version: 'develop' }, { on: strict })).contentType).toBe('image/png');
      // Never a leading slash or a query (data goes in scene), checked or not.
      expect(await errcodeOf({ scene: 'x', page: '/member/pay/index' }, { on: strict })).toBe(41030);
      expect(await errcodeOf({ scene: 'x', page: 'member/pay/index?no=1', check_path: false }, { on: strict })).toBe(41030);
      expect(strict.wxaCodes.map((c) => [c.page, c.check_path, c.env_version])).toEqual([
        ['member/pay/index', true, 'release'],
        ['member/nope/index', false, 'develop'],
      ]);
    } finally {
      await strict.close();
    }
  });

  it.each<[string, Json]>([
    ['an unknown env_version', { env_version: 'prod' }],
    ['a check_path that is not a boolean', { check_path: 'yes' }],
    ['a width that is not a number', { width: 'wide' }],
    ['a line_color channel over 255', { line_color: { r: 300, g: 0, b: 0 } }],
    ['a line_color that is not an object', { line_color: '#000000' }],
    ['a page that is not a string', { page: 7 }],
  ])('%s is 40097 invalid args', async (_name, over) => {
    expect(await errcodeOf({ scene: 'x', ...over })).toBe(40097);
  });

  it('an expired, superseded or revoked access token is 42001/40001 (the caller refreshes and retries)', async () => {
    const a = (await stableToken({ force_refresh: true })).access_token as string;
    expect((await wxaCode({ scene: 'x' }, { token: a })).contentType).toBe('image/png');
    clock += 7200 * 1000;
    expect(await errcodeOf({ scene: 'x' }, { token: a })).toBe(42001);
    const b = (await stableToken()).access_token as string;
    expect(b).not.toBe(a);
    sim.expireAccessTokens();
    expect(await errcodeOf({ scene: 'x' }, { token: b })).toBe(42001);
    const c = (await stableToken()).access_token as string;
    await stableToken({ force_refresh: true });
    expect(await errcodeOf({ scene: 'x' }, { token: c })).toBe(40001);
  });

  it('counts calls and supports injected failures (JSON, no code recorded) and the HTTP control surface', async () => {
    const before = sim.wxaCodes.length;
    sim.failNext('getwxacodeunlimit', 45009);
    expect(await errcodeOf({ scene: 'x' })).toBe(45009);
    expect((await post('/__sim/fail-next', { api: 'getwxacodeunlimit', errcode: -1 })).status).toBe(200);
    expect(await errcodeOf({ scene: 'x' })).toBe(-1);
    expect(sim.wxaCodes.length).toBe(before);
    expect((await wxaCode({ scene: 'after-failures' })).contentType).toBe('image/png');
    expect(sim.calls.getwxacodeunlimit).toBe(3);
    const list = (await (await fetch(`${sim.url}/__sim/wxa-codes`)).json()) as Json;
    expect(list.codes.at(-1)).toMatchObject({ scene: 'after-failures', page: null });
    const calls = (await (await fetch(`${sim.url}/__sim/calls`)).json()) as Json;
    expect(calls.calls.getwxacodeunlimit).toBe(3);
  });
});
