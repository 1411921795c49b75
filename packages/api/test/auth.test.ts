/**
 * Sign-in (F1) through the WeChat simulator over real HTTP on MariaDB: first and repeat sign-ins, concurrent
 * first sign-ins, WeChat's failure modes, phone binding, session tokens that must not be accepted, and logs
 * that never carry a raw phone number or openid.
 */
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { ErrorCode } from '@quanzi/shared';
import { startWechatMiniSimulator } from '@quanzi/simulators';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { toInt } from '../src/db/sql';
import { createTestDatabase } from './support/db';
import { startTestApp, type TestApp } from './support/harness';

const HARNESS_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
const LOGIN = 'mutation($code: String!) { login(code: $code) { token created viewer { userId roles { role } } member { id memberNo phone phoneBound points tier { code } } } }';
const BIND_PHONE = 'mutation($code: String!) { bindPhone(code: $code) { id phone phoneBound } }';
const ME = '{ me { id memberNo phone phoneBound points } }';

type Login = { login: { token: string; created: boolean; viewer: { userId: string; roles: unknown[] }; member: { id: string; memberNo: string; phone: string | null; phoneBound: boolean; points: number; tier: { code: string } } } };
const errCode = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

/** Collects everything a pino logger writes. */
function captureStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('sign-in with WeChat (F1)', () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb');
  }, 60_000);
  afterAll(async () => t?.close());

  const persona = () => `auth-${++n}-${Date.now().toString(36)}`;
  const login = (code: string) => t.gql<Login>(LOGIN, { code });
  const userRow = (openid: string) =>
    t.app.services.db.q.get<Record<string, unknown>>('SELECT id, registration_source, phone, phone_country_code FROM app_user WHERE openid = ?', [openid]);
  const usersWithOpenid = async (openid: string) => toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM app_user WHERE openid = ?', [openid]))?.n);

  test('the first sign-in creates the user, member and account (source MINIPROGRAM); the second returns the same member', async () => {
    const who = persona();
    const before = await t.counts();
    const first = await login(t.sim.login(who));
    expect(first.errors).toBeUndefined();
    const l1 = first.data!.login;
    expect(l1.created).toBe(true);
    expect(l1.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(l1.member).toMatchObject({ phone: null, phoneBound: false, points: 0, tier: { code: 'NORMAL' } });
    expect(l1.member.memberNo).toMatch(/^\d{10}$/);
    expect(l1.viewer.roles).toEqual([]);

    const row = await userRow(t.sim.openidOf(who));
    expect(row).toBeDefined();
    expect(String(row?.id)).toBe(l1.viewer.userId);
    expect(row?.registration_source).toBe('MINIPROGRAM');
    const member = await t.app.services.db.q.get<Record<string, unknown>>(
      'SELECT m.id, m.member_no, a.balance FROM member m JOIN member_account a ON a.id = m.id WHERE m.user_id = ?',
      [l1.viewer.userId],
    );
    expect(member).toMatchObject({ member_no: l1.member.memberNo });
    expect(String(member?.id)).toBe(l1.member.id);
    expect(toInt(member?.balance)).toBe(0);
    const after = await t.counts();
    expect(after.app_user).toBe(before.app_user! + 1);
    expect(after.member).toBe(before.member! + 1);

    const second = await login(t.sim.login(who));
    expect(second.errors).toBeUndefined();
    expect(second.data!.login).toMatchObject({ created: false, viewer: { userId: l1.viewer.userId }, member: { id: l1.member.id, memberNo: l1.member.memberNo } });
    expect(await t.counts()).toEqual(after);

    // The token works: `me` is this member.
    const me = await t.gql<{ me: { id: string } }>(ME, {}, second.data!.login.token);
    expect(me.data?.me.id).toBe(l1.member.id);
  });

  test('10 concurrent first sign-ins of one new persona create exactly one user and member', async () => {
    const who = persona();
    const before = await t.counts();
    const codes = Array.from({ length: 10 }, () => t.sim.login(who));
    const results = await Promise.all(codes.map((c) => login(c)));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.data!.login.viewer.userId)).size).toBe(1);
    expect(new Set(results.map((r) => r.data!.login.member.id)).size).toBe(1);
    expect(results.filter((r) => r.data!.login.created)).toHaveLength(1);
    expect(await usersWithOpenid(t.sim.openidOf(who))).toBe(1);
    const after = await t.counts();
    expect(after.app_user).toBe(before.app_user! + 1);
    expect(after.member).toBe(before.member! + 1);
    const accounts = await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM member_account a JOIN member m ON m.id = a.id WHERE m.user_id = ?', [
      results[0]!.data!.login.viewer.userId,
    ]);
    expect(toInt(accounts?.n)).toBe(1);
  });

  test('a code WeChat never issued is WECHAT_LOGIN_FAILED and creates nothing', async () => {
    const before = await t.counts();
    const r = await login('0a3Xk9000000000000000000000NotIssued');
    expect(r.data).toBeNull();
    expect(errCode(r)).toBe(ErrorCode.WECHAT_LOGIN_FAILED);
    expect(await t.counts()).toEqual(before);
  });

  test('an empty code is BAD_USER_INPUT without asking WeChat', async () => {
    const calls = t.sim.calls.jscode2session;
    expect(errCode(await login(''))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(t.sim.calls.jscode2session).toBe(calls);
  });

  test('a code used once already is WECHAT_LOGIN_FAILED the second time', async () => {
    const code = t.sim.login(persona());
    expect((await login(code)).errors).toBeUndefined();
    const before = await t.counts();
    const again = await login(code);
    expect(errCode(again)).toBe(ErrorCode.WECHAT_LOGIN_FAILED);
    expect(await t.counts()).toEqual(before);
  });

  test('a user WeChat flags as high-risk is WECHAT_RISKY_USER and gets no account', async () => {
    const who = persona();
    const before = await t.counts();
    const r = await login(t.sim.login({ user: who, risky: true }));
    expect(errCode(r)).toBe(ErrorCode.WECHAT_RISKY_USER);
    expect(await usersWithOpenid(t.sim.openidOf(who))).toBe(0);
    expect(await t.counts()).toEqual(before);
  });

  test("WeChat's minute quota (45011) is WECHAT_RATE_LIMITED; the same code works once WeChat answers again", async () => {
    const who = persona();
    const code = t.sim.login(who);
    const before = await t.counts();
    t.sim.failNext('jscode2session', 45011);
    const limited = await login(code);
    expect(errCode(limited)).toBe(ErrorCode.WECHAT_RATE_LIMITED);
    expect(await t.counts()).toEqual(before);
    const retry = await login(code);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.login.created).toBe(true);
  });

  test("bindPhone stores the number and shows it masked; the same phone code again is PHONE_CODE_INVALID", async () => {
    const who = persona();
    const { token, userId } = await t.signIn(who);
    const phoneCode = t.sim.phoneCode('13912345678');
    const bound = await t.gql<{ bindPhone: { phone: string; phoneBound: boolean } }>(BIND_PHONE, { code: phoneCode }, token);
    expect(bound.errors).toBeUndefined();
    expect(bound.data?.bindPhone).toMatchObject({ phone: '139****5678', phoneBound: true });
    const me = await t.gql<{ me: { phone: string; phoneBound: boolean } }>(ME, {}, token);
    expect(me.data?.me).toMatchObject({ phone: '139****5678', phoneBound: true });
    const row = await userRow(t.sim.openidOf(who));
    expect(row).toMatchObject({ phone: '13912345678', phone_country_code: '86' });
    expect(String(row?.id)).toBe(String(userId));

    // The same phone code again: single-use at WeChat.
    const again = await t.gql(BIND_PHONE, { code: phoneCode }, token);
    expect(errCode(again)).toBe(ErrorCode.PHONE_CODE_INVALID);
    expect(await userRow(t.sim.openidOf(who))).toMatchObject({ phone: '13912345678' });

    // Another member replaying the first member's phone code gets nothing either.
    const other = await t.signIn(persona());
    const reused = await t.gql(BIND_PHONE, { code: phoneCode }, other.token);
    expect(errCode(reused)).toBe(ErrorCode.PHONE_CODE_INVALID);
    const otherMe = await t.gql<{ me: { phone: string | null; phoneBound: boolean } }>(ME, {}, other.token);
    expect(otherMe.data?.me).toMatchObject({ phone: null, phoneBound: false });
  });

  test('bindPhone without a token is UNAUTHENTICATED and does not spend the phone code', async () => {
    const { token } = await t.signIn(persona());
    const phoneCode = t.sim.phoneCode('13700001111');
    expect(errCode(await t.gql(BIND_PHONE, { code: phoneCode }, null))).toBe(ErrorCode.UNAUTHENTICATED);
    const bound = await t.gql<{ bindPhone: { phone: string } }>(BIND_PHONE, { code: phoneCode }, token);
    expect(bound.data?.bindPhone.phone).toBe('137****1111');
  });

  test('`me` without a token is UNAUTHENTICATED', async () => {
    const r = await t.gql(ME, {}, null);
    expect(errCode(r)).toBe(ErrorCode.UNAUTHENTICATED);
    expect(r.data ?? null).toBeNull();
  });

  describe('tokens that must not be accepted', () => {
    let victim: { userId: number; token: string };
    beforeAll(async () => {
      victim = await t.signIn(persona());
    });

    /** POSTs a phone binding with a raw Authorization header: it would change the user's phone if accepted. */
    const bindWith = async (authorization: string) => {
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: BIND_PHONE, variables: { code: t.sim.phoneCode('13800138000') } }),
      });
      return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
    };
    const phoneOf = async (userId: number) => (await t.app.services.db.q.get<{ phone: unknown }>('SELECT phone FROM app_user WHERE id = ?', [userId]))?.phone ?? null;
    const signed = (secret: string, build: (j: SignJWT) => SignJWT) =>
      build(new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(String(victim.userId))).sign(new TextEncoder().encode(secret));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

    const cases: [string, () => Promise<string>][] = [
      ['a malformed JWT', async () => 'Bearer abc.def'],
      ['a token signed with another secret', async () => `Bearer ${await signed('another-secret-another-secret-another-0', (j) => j.setIssuer('quanzi').setAudience('quanzi:session').setIssuedAt().setExpirationTime('1h'))}`],
      [
        'an expired token (right secret and issuer)',
        async () => {
          const now = Math.floor(Date.now() / 1000);
          return `Bearer ${await signed(HARNESS_JWT_SECRET, (j) => j.setIssuer('quanzi').setAudience('quanzi:session').setIssuedAt(now - 7200).setExpirationTime(now - 3600))}`;
        },
      ],
      ['a till ticket used as a session (right secret and issuer, another audience)', async () => `Bearer ${await signed(HARNESS_JWT_SECRET, (j) => j.setIssuer('quanzi').setAudience('quanzi:till').setIssuedAt().setExpirationTime('1h'))}`],
      ['a token from another issuer (right secret)', async () => `Bearer ${await signed(HARNESS_JWT_SECRET, (j) => j.setIssuer('not-quanzi').setAudience('quanzi:session').setIssuedAt().setExpirationTime('1h'))}`],
      ['an unsigned token (alg none)', async () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: String(victim.userId), iss: 'quanzi', exp: Math.floor(Date.now() / 1000) + 3600 })}.`],
      ['a Basic authorization header', async () => 'Basic xyz'],
    ];

    test.each(cases)('%s is UNAUTHENTICATED (HTTP 401) and changes nothing', async (_name, header) => {
      const before = await t.counts();
      const r = await bindWith(await header());
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
      expect(r.body.data ?? null).toBeNull();
      expect(await phoneOf(victim.userId)).toBeNull();
      expect(await t.counts()).toEqual(before);
    });

    test('an expired token says so', async () => {
      const now = Math.floor(Date.now() / 1000);
      const r = await bindWith(`Bearer ${await signed(HARNESS_JWT_SECRET, (j) => j.setIssuer('quanzi').setAudience('quanzi:session').setIssuedAt(now - 7200).setExpirationTime(now - 3600))}`);
      expect(r.body.errors?.[0]?.message).toMatch(/expired/i);
    });

    test('control: the same request with a genuine token is accepted', async () => {
      const genuine = await signed(HARNESS_JWT_SECRET, (j) => j.setIssuer('quanzi').setAudience('quanzi:session').setIssuedAt().setExpirationTime('1h'));
      const r = await bindWith(`Bearer ${genuine}`);
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(await phoneOf(victim.userId)).toBe('13800138000');
    });
  });
});

describe('logs mask phone numbers and openids', () => {
  const phone = '13812345678';
  const openid = 'oAbcdefghijklmnopqrstuvwxyz1';

  test('createLogger masks them at the top level and nested', () => {
    const out = captureStream();
    const log = createLogger('info', out.stream);
    log.info({ phone, openid }, 'top level');
    log.info({ user: { phone, openid, payer: { payerOpenid: openid } }, list: [{ mobile: phone }] }, 'nested');
    log.flush?.();
    const text = out.text();
    expect(text).toContain('top level');
    expect(text).toContain('nested');
    expect(text).not.toContain(phone);
    expect(text).not.toContain(openid);
    expect(text).toContain('138****5678');
    expect(text).toContain('oAbc****xyz1');
  });

  test('the sign-in and phone-binding log lines of a running API carry neither', async () => {
    const out = captureStream();
    const appid = 'wx_log_test';
    const sim = await startWechatMiniSimulator({ appid, secret: 'log_test_secret' });
    const db = await createTestDatabase('sqlite');
    const config = loadConfig({ NODE_ENV: 'test', WECHAT_APPID: appid, WECHAT_SECRET: 'log_test_secret', EXPIRY_JOB_INTERVAL_MINUTES: '0', DEMO: 'false', JWT_SECRET: HARNESS_JWT_SECRET });
    config.database = db.config;
    const app = await createApp({ config, wechatBase: sim.url, logger: createLogger('debug', out.stream) });
    try {
      await app.services.db.q.run("INSERT INTO tier (code, name, `rank`, threshold_fen, multiplier_pct) VALUES ('NORMAL', '普通', 0, 0, 100)");
      await app.fastify.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.fastify.server.address();
      const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/graphql`;
      const post = async (query: string, variables: object, token?: string) =>
        (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) })).json()) as {
          data?: Login & { bindPhone: unknown };
          errors?: unknown[];
        };
      const signedIn = await post(LOGIN, { code: sim.login({ user: 'log-persona', openid }) });
      expect(signedIn.errors).toBeUndefined();
      const bound = await post(BIND_PHONE, { code: sim.phoneCode(phone) }, signedIn.data!.login.token);
      expect(bound.errors).toBeUndefined();
    } finally {
      await app.close();
      await sim.close();
      await db.drop();
    }
    const text = out.text();
    expect(text).toContain('member signed in');
    expect(text).toContain('phone bound');
    expect(text).not.toContain(phone);
    expect(text).not.toContain(openid);
  }, 60_000);
});
