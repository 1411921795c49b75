import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWechatMiniSimulator, type WechatMiniSimulator } from '@quanzi/simulators';
import { WechatApiError, WechatClient } from './wechat-client';

const APPID = 'wx00c0ffee00c0ffee';
const SECRET = 'client-test-secret-9f8e7d6c5b4a';

let clock = Date.UTC(2025, 0, 1, 8, 0, 0);
const now = () => clock;
let sim: WechatMiniSimulator;

beforeAll(async () => {
  sim = await startWechatMiniSimulator({ appid: APPID, secret: SECRET, port: 0, now });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetCalls());

const newClient = (over: Partial<ConstructorParameters<typeof WechatClient>[0]> = {}) =>
  new WechatClient({ baseUrl: sim.url, appid: APPID, secret: SECRET, now, ...over });

async function rejection(p: Promise<unknown>): Promise<WechatApiError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WechatApiError);
  const e = err as WechatApiError;
  // Never leak the app secret.
  expect(e.message).not.toContain(SECRET);
  expect(JSON.stringify({ ...e, message: e.message })).not.toContain(SECRET);
  return e;
}

async function startRawServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stopRawServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('code2Session', () => {
  it('returns openid, sessionKey and unionid for a fresh login code', async () => {
    const session = await newClient().code2Session(sim.login('alice'));
    expect(session).toEqual({ openid: sim.openidOf('alice'), sessionKey: expect.any(String), unionid: sim.unionidOf('alice') });
    expect(session.openid).toHaveLength(28);
  });

  it('an invalid or reused code is WechatApiError 40029', async () => {
    const client = newClient();
    const code = sim.login('bob');
    await client.code2Session(code);
    const e = await rejection(client.code2Session(code));
    expect(e).toMatchObject({ api: 'jscode2session', errcode: 40029 });
    expect(e.errmsg).toMatch(/^invalid code/);
    expect((await rejection(client.code2Session('garbage'))).errcode).toBe(40029);
  });

  it('a risky user is 40226', async () => {
    const e = await rejection(newClient().code2Session(sim.login({ user: 'mallory', risky: true })));
    expect(e).toMatchObject({ api: 'jscode2session', errcode: 40226 });
  });

  it('rate limiting is 45011', async () => {
    sim.failNext('jscode2session', 45011);
    const e = await rejection(newClient().code2Session(sim.login('carol')));
    expect(e).toMatchObject({ api: 'jscode2session', errcode: 45011 });
  });

  it('a wrong secret is 40125 and the message does not contain the secret', async () => {
    const client = newClient({ secret: 'wrong-secret-value' });
    const e = await rejection(client.code2Session(sim.login('dave')));
    expect(e.errcode).toBe(40125);
    expect(e.message).not.toContain('wrong-secret-value');
  });

  it('reports a missing unionid as null', async () => {
    const { url, server } = await startRawServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ openid: 'oAbc', session_key: 'a2V5a2V5a2V5a2V5a2V5a2V5' }));
    });
    try {
      expect(await newClient({ baseUrl: url }).code2Session('x')).toEqual({ openid: 'oAbc', sessionKey: expect.any(String), unionid: null });
    } finally {
      await stopRawServer(server);
    }
  });
});

describe('getAccessToken', () => {
  it('caches the token: several calls, one request', async () => {
    const client = newClient();
    const a = await client.getAccessToken();
    const b = await client.getAccessToken();
    const c = await client.getAccessToken();
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(sim.calls.stable_token).toBe(1);
  });

  it('single-flight: 10 concurrent callers share one request', async () => {
    const client = newClient();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.calls.stable_token).toBe(1);
  });

  it('refreshes 5 minutes before expiry', async () => {
    const client = newClient();
    const first = await client.getAccessToken(true);
    clock += (7200 - 301) * 1000;
    expect(await client.getAccessToken()).toBe(first);
    expect(sim.calls.stable_token).toBe(1);
    clock += 2000; // now inside the 5-minute margin
    await client.getAccessToken();
    expect(sim.calls.stable_token).toBe(2);
    clock += 300 * 1000; // past the real expiry
    const later = await client.getAccessToken();
    expect(later).not.toBe(first);
  });

  it('forceRefresh fetches a new token', async () => {
    const client = newClient();
    const a = await client.getAccessToken();
    const b = await client.getAccessToken(true);
    expect(b).not.toBe(a);
    expect(await client.getAccessToken()).toBe(b);
  });

  it('does not cache failures', async () => {
    const client = newClient();
    sim.failNext('stable_token', -1);
    expect(await rejection(client.getAccessToken())).toMatchObject({ api: 'stable_token', errcode: -1 });
    expect(typeof (await client.getAccessToken())).toBe('string');
  });

  it('bad credentials are 40013', async () => {
    expect((await rejection(newClient({ appid: 'wxnope' }).getAccessToken())).errcode).toBe(40013);
  });
});

describe('getPhoneNumber', () => {
  it('returns the phone number', async () => {
    const client = newClient();
    expect(await client.getPhoneNumber(sim.phoneCode('13812345678'))).toEqual({
      phoneNumber: '13812345678',
      purePhoneNumber: '13812345678',
      countryCode: '86',
    });
  });

  it('a reused phone code is 40029', async () => {
    const client = newClient();
    const code = sim.phoneCode('13812345678');
    await client.getPhoneNumber(code);
    expect(await rejection(client.getPhoneNumber(code))).toMatchObject({ api: 'getuserphonenumber', errcode: 40029 });
  });

  it('an expired token is refreshed once and the call retried', async () => {
    const client = newClient();
    await client.getAccessToken();
    sim.resetCalls();
    sim.expireAccessTokens();
    expect((await client.getPhoneNumber(sim.phoneCode('13812345678'))).purePhoneNumber).toBe('13812345678');
    expect(sim.calls).toMatchObject({ stable_token: 1, getuserphonenumber: 2 });
  });

  it('concurrent callers with an expired token share one refresh', async () => {
    const client = newClient();
    await client.getAccessToken();
    sim.resetCalls();
    sim.expireAccessTokens();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => client.getPhoneNumber(sim.phoneCode(`1381234567${i}`))));
    expect(results.map((r) => r.purePhoneNumber).sort()).toEqual(['13812345670', '13812345671', '13812345672', '13812345673', '13812345674']);
    expect(sim.calls.stable_token).toBe(1);
  });

  it('a token invalidated elsewhere (40001) is refreshed too', async () => {
    const client = newClient();
    await client.getAccessToken();
    // Another process force-refreshes, invalidating our cached token.
    await newClient().getAccessToken(true);
    expect((await client.getPhoneNumber(sim.phoneCode('13812345678'))).countryCode).toBe('86');
  });

  it('retries only once', async () => {
    const client = newClient();
    await client.getAccessToken();
    sim.resetCalls();
    sim.failNext('getuserphonenumber', 42001, 2);
    expect(await rejection(client.getPhoneNumber(sim.phoneCode('13812345678')))).toMatchObject({ errcode: 42001 });
    expect(sim.calls).toMatchObject({ stable_token: 1, getuserphonenumber: 2 });
  });
});

describe('msgSecCheck', () => {
  const visitor = async (client: WechatClient, user: string) => (await client.code2Session(sim.login(user))).openid;

  it('passes clean text and flags a configured word as risky (label kept)', async () => {
    const client = newClient();
    const openid = await visitor(client, 'sec-a');
    expect(await client.msgSecCheck({ openid, scene: 3, content: '本周六读书会：《活着》' })).toEqual({ suggest: 'pass', label: 100 });
    sim.setFlaggedWords([{ word: '赌博', suggest: 'risky', label: 20006 }, { word: '返现', suggest: 'review', label: 10001 }]);
    try {
      expect(await client.msgSecCheck({ openid, scene: 1, content: '一起去赌博' })).toEqual({ suggest: 'risky', label: 20006 });
      expect(await client.msgSecCheck({ openid, scene: 1, content: '扫码返现' })).toEqual({ suggest: 'review', label: 10001 });
    } finally {
      sim.setFlaggedWords([]);
    }
  });

  it('an author who has not opened the mini-program recently is 61010', async () => {
    const e = await rejection(newClient().msgSecCheck({ openid: sim.openidOf('sec-never'), scene: 1, content: 'hi' }));
    expect(e).toMatchObject({ api: 'msg_sec_check', errcode: 61010 });
  });

  it('an expired token is refreshed once and the check retried', async () => {
    const client = newClient();
    const openid = await visitor(client, 'sec-b');
    await client.getAccessToken();
    sim.resetCalls();
    sim.expireAccessTokens();
    expect((await client.msgSecCheck({ openid, scene: 2, content: 'hello' })).suggest).toBe('pass');
    expect(sim.calls).toMatchObject({ stable_token: 1, msg_sec_check: 2 });
  });

  it('a response without a result is malformed (-1)', async () => {
    const { url, server } = await startRawServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url?.startsWith('/cgi-bin/stable_token') ? { access_token: 'tok', expires_in: 7200 } : { errcode: 0, errmsg: 'ok' }));
    });
    try {
      expect(await rejection(newClient({ baseUrl: url }).msgSecCheck({ openid: 'o', scene: 1, content: 'x' }))).toMatchObject({ api: 'msg_sec_check', errcode: -1 });
    } finally {
      await stopRawServer(server);
    }
  });
});

describe('sendSubscribeMessage', () => {
  const TEMPLATE = 'tmpl-client-test';
  // time2: absolute on purpose — a protocol example (a `time` keyword value); the client passes it through, no clock involved.
  const msg = (touser: string) => ({ touser, template_id: TEMPLATE, page: 'pages/club/index?id=1', data: { thing1: { value: '读书会' }, time2: { value: '2026-06-10 19:30' } } });

  it('sends once per consent; without one it is WechatApiError 43101', async () => {
    const client = newClient();
    const openid = sim.openidOf('sub-a');
    sim.grantSubscribeConsent(openid, TEMPLATE);
    const sent = await client.sendSubscribeMessage(msg(openid));
    expect(sent.msgid).toMatch(/^\d+$/);
    expect(sim.sentMessages.at(-1)).toMatchObject({ msgid: Number(sent.msgid), touser: openid, template_id: TEMPLATE, data: msg(openid).data });
    expect(await rejection(client.sendSubscribeMessage(msg(openid)))).toMatchObject({ api: 'subscribe_send', errcode: 43101 });
  });

  it('a token invalidated elsewhere (40001) is refreshed and the message sent once', async () => {
    const client = newClient();
    await client.getAccessToken();
    await newClient().getAccessToken(true);
    const openid = sim.openidOf('sub-b');
    sim.grantSubscribeConsent(openid, TEMPLATE);
    const before = sim.sentMessages.length;
    await client.sendSubscribeMessage(msg(openid));
    expect(sim.sentMessages.length).toBe(before + 1);
    expect(sim.consentsLeft(openid, TEMPLATE)).toBe(0);
  });

  it('a value WeChat refuses is 47003', async () => {
    const openid = sim.openidOf('sub-c');
    sim.grantSubscribeConsent(openid, TEMPLATE);
    const e = await rejection(newClient().sendSubscribeMessage({ ...msg(openid), data: { thing1: { value: '超'.repeat(21) } } }));
    expect(e).toMatchObject({ errcode: 47003 });
    expect(sim.consentsLeft(openid, TEMPLATE)).toBe(1);
  });
});

describe('getUnlimitedWxaCode', () => {
  const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const SCENE = 'QZ20250101080000ABCDEF123456';

  it('returns the image bytes and their Content-Type; the simulator recorded the code', async () => {
    const before = sim.wxaCodes.length;
    const code = await newClient().getUnlimitedWxaCode({ scene: SCENE, page: 'member/pay/index', checkPath: false, envVersion: 'trial', width: 280 });
    expect(code.contentType).toBe('image/png');
    expect(code.image.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(code.image.readUInt32BE(16)).toBe(280); // IHDR width
    expect(sim.wxaCodes.slice(before)).toEqual([expect.objectContaining({ scene: SCENE, page: 'member/pay/index', check_path: false, env_version: 'trial', width: 280 })]);
  });

  it("leaves check_path, env_version and width to WeChat's defaults when not given", async () => {
    await newClient().getUnlimitedWxaCode({ scene: 'id=1', page: 'member/pay/index' });
    expect(sim.wxaCodes.at(-1)).toMatchObject({ scene: 'id=1', check_path: true, env_version: 'release', width: 430 });
  });

  it('a JSON answer is a WechatApiError with WeChat\'s errcode (bad scene 40169/40129, bad page 41030)', async () => {
    const client = newClient();
    const before = sim.wxaCodes.length;
    expect(await rejection(client.getUnlimitedWxaCode({ scene: 'x'.repeat(33), page: 'member/pay/index' }))).toMatchObject({ api: 'getwxacodeunlimit', errcode: 40169 });
    expect(await rejection(client.getUnlimitedWxaCode({ scene: '订单', page: 'member/pay/index' }))).toMatchObject({ errcode: 40129 });
    const e = await rejection(client.getUnlimitedWxaCode({ scene: 'x', page: '/member/pay/index' }));
    expect(e).toMatchObject({ errcode: 41030 });
    expect(e.errmsg).toMatch(/^invalid page, rid: /);
    expect(sim.wxaCodes.length).toBe(before);
  });

  it('an expired token is refreshed once and the call retried; one code is generated', async () => {
    const client = newClient();
    await client.getAccessToken();
    sim.resetCalls();
    sim.expireAccessTokens();
    const before = sim.wxaCodes.length;
    expect((await client.getUnlimitedWxaCode({ scene: 'exp', page: 'member/pay/index' })).contentType).toBe('image/png');
    expect(sim.calls).toMatchObject({ stable_token: 1, getwxacodeunlimit: 2 });
    expect(sim.wxaCodes.length).toBe(before + 1);
  });

  it('a token invalidated elsewhere (40001) is refreshed too; retried only once', async () => {
    const client = newClient();
    await client.getAccessToken();
    await newClient().getAccessToken(true);
    expect((await client.getUnlimitedWxaCode({ scene: 'inv', page: 'member/pay/index' })).image.length).toBeGreaterThan(100);
    sim.resetCalls();
    sim.failNext('getwxacodeunlimit', 42001, 2);
    expect(await rejection(client.getUnlimitedWxaCode({ scene: 'inv', page: 'member/pay/index' }))).toMatchObject({ errcode: 42001 });
    expect(sim.calls).toMatchObject({ stable_token: 1, getwxacodeunlimit: 2 });
  });

  it("passes WeChat's image/jpeg through; an answer that is neither an image nor an error is malformed (-1)", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
    let mode: 'jpeg' | 'ok-json' | 'html' | 'empty' = 'jpeg';
    const { url, server } = await startRawServer((req, res) => {
      if (req.url?.startsWith('/cgi-bin/stable_token')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: 'tok', expires_in: 7200 }));
      } else if (mode === 'jpeg') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.end(jpeg);
      } else if (mode === 'ok-json') {
        res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      } else if (mode === 'empty') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.end();
      } else {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
      }
    });
    try {
      const client = newClient({ baseUrl: url });
      expect(await client.getUnlimitedWxaCode({ scene: 'x', page: 'member/pay/index' })).toEqual({ contentType: 'image/jpeg', image: jpeg });
      mode = 'ok-json';
      expect(await rejection(client.getUnlimitedWxaCode({ scene: 'x', page: 'p' }))).toMatchObject({ api: 'getwxacodeunlimit', errcode: -1, errmsg: 'malformed response' });
      mode = 'empty';
      expect(await rejection(client.getUnlimitedWxaCode({ scene: 'x', page: 'p' }))).toMatchObject({ errcode: -1 });
      mode = 'html';
      const e = await rejection(client.getUnlimitedWxaCode({ scene: 'x', page: 'p' }));
      expect(e).toMatchObject({ errcode: -1 });
      expect(e.errmsg).toContain('502');
    } finally {
      await stopRawServer(server);
    }
  });
});

describe('transport failures are errcode -1', () => {
  it('unreachable base URL', async () => {
    // Grab a free port and close it again, so nothing listens there.
    const { url, server } = await startRawServer(() => undefined);
    await stopRawServer(server);
    const client = newClient({ baseUrl: url });
    expect(await rejection(client.code2Session('x'))).toMatchObject({ api: 'jscode2session', errcode: -1 });
    expect(await rejection(client.getAccessToken())).toMatchObject({ api: 'stable_token', errcode: -1 });
    expect(await rejection(client.getPhoneNumber('x'))).toMatchObject({ api: 'stable_token', errcode: -1 });
  });

  it('timeout', async () => {
    const { url, server } = await startRawServer(() => undefined); // never answers
    try {
      const e = await rejection(newClient({ baseUrl: url, timeoutMs: 100 }).code2Session('x'));
      expect(e).toMatchObject({ api: 'jscode2session', errcode: -1 });
      expect(e.errmsg).toMatch(/timeout/);
    } finally {
      await stopRawServer(server);
    }
  });

  it('non-JSON response', async () => {
    const { url, server } = await startRawServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    try {
      const e = await rejection(newClient({ baseUrl: url }).getAccessToken());
      expect(e).toMatchObject({ api: 'stable_token', errcode: -1 });
      expect(e.errmsg).toContain('502');
    } finally {
      await stopRawServer(server);
    }
  });
});
