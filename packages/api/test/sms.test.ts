/**
 * SMS through the Tencent Cloud SMS API v3 (issue #14, item 5): the TC3-HMAC-SHA256 signer against Tencent's published
 * example, the client against the simulator (which verifies signatures like the real service), and the reward
 * one-time code sent by SMS through the outbox on MariaDB: delivered once, across a restart, retried after a
 * retryable refusal, never sent twice when the outcome of a send is unknown, never sent after it expired.
 */
import { createServer } from 'node:net';
import type { TencentSmsSimulator } from '@quanzi/simulators';
import { clock } from '../src/clock';
import { toDate, toInt } from '../src/db/sql';
import { tc3Sign } from '../src/integrations/sms/tc3';
import { isRetryableSmsCode, TencentSmsClient, type TencentSmsOptions } from '../src/integrations/sms/tencent-sms-client';
import { createLogger } from '../src/logger';
import { createServices } from '../src/services';
import { startSimulatedSms } from '../src/demo/sms';
import { loadConfig, type SmsConfig } from '../src/config';
import { startTestApp, type TestApp } from './support/harness';
import { NOTIFICATIONS, ok, REQUEST_OTP, RewardKit, type RewardRowGql } from './support/rewards';

describe('tc3Sign', () => {
  test("reproduces Tencent's published Signature v3 example (cvm DescribeInstances at 1551113065)", () => {
    const s = tc3Sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      timestampS: 1551113065,
      headers: { 'content-type': 'application/json; charset=utf-8', host: 'cvm.tencentcloudapi.com' },
      payload: String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`,
    });
    expect(s.stringToSign).toBe('TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(s.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  test('which refusals are worth retrying', () => {
    for (const c of ['InternalError.Timeout', 'RequestLimitExceeded', 'LimitExceeded.PhoneNumberThirtySecondLimit', 'AuthFailure.SignatureExpire', 'FailedOperation.InsufficientBalanceInSmsPackage']) expect(isRetryableSmsCode(c)).toBe(true);
    for (const c of ['AuthFailure.SignatureFailure', 'InvalidParameterValue.IncorrectPhoneNumber', 'LimitExceeded.PhoneNumberDailyLimit', 'FailedOperation.PhoneNumberInBlacklist', 'FailedOperation.TemplateIncorrectOrUnapproved']) expect(isRetryableSmsCode(c)).toBe(false);
  });
});

describe('SMS configuration', () => {
  const full = { SMS_PROVIDER: 'tencent', TENCENT_SMS_SECRET_ID: 'AKIDabc', TENCENT_SMS_SECRET_KEY: 'key', TENCENT_SMS_SDK_APP_ID: '1400006666', TENCENT_SMS_SIGN_NAME: '圈子会员' };

  test('unset: no SMS (codes go to the inbox); set: every Tencent setting, with defaults for region, endpoint and timeout', () => {
    expect(loadConfig({}).sms).toBeNull();
    expect(loadConfig({ ...full, TENCENT_SMS_TEMPLATES: 'REWARD_OTP=1234567' }).sms).toEqual({
      provider: 'tencent', secretId: 'AKIDabc', secretKey: 'key', sdkAppId: '1400006666', signName: '圈子会员', region: 'ap-guangzhou',
      endpoint: 'https://sms.tencentcloudapi.com', timeoutMs: 5000, templates: { REWARD_OTP: '1234567' }, inboxCopy: false,
    });
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['a missing secret', { ...full, TENCENT_SMS_SECRET_KEY: '' }, /set TENCENT_SMS_SECRET_KEY/],
    ['Tencent settings without SMS_PROVIDER', { TENCENT_SMS_SECRET_ID: 'AKIDabc' }, /SMS_PROVIDER/],
    ['an unknown provider', { ...full, SMS_PROVIDER: 'aliyun' }, /SMS_PROVIDER/],
    ['an unknown template kind', { ...full, TENCENT_SMS_TEMPLATES: 'WELCOME=1' }, /TENCENT_SMS_TEMPLATES/],
    ['a region SMS is not sold in', { ...full, TENCENT_SMS_REGION: 'ap-tokyo' }, /TENCENT_SMS_REGION/],
  ])('%s is a configuration error', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

function clientOf(sms: SmsConfig, over: Partial<TencentSmsOptions> = {}): TencentSmsClient {
  return new TencentSmsClient({ secretId: sms.secretId, secretKey: sms.secretKey, sdkAppId: sms.sdkAppId, signName: sms.signName, region: sms.region, endpoint: sms.endpoint, timeoutMs: sms.timeoutMs, ...over });
}

describe('TencentSmsClient against the simulator', () => {
  let sim: TencentSmsSimulator;
  let sms: SmsConfig;
  beforeAll(async () => {
    ({ sim, sms } = await startSimulatedSms({ now: () => clock.ms() }, { timeoutMs: 300 }));
  });
  afterAll(() => sim.close());
  afterEach(() => clock.reset());
  const send = (c: TencentSmsClient, phone: string, params = ['123456', '5']) => c.send({ phone, templateId: '1000001', params, sessionContext: 'qz-test' });

  test('a correctly signed send is delivered: SENT with the serial number; the simulator shows the text', async () => {
    const r = await send(clientOf(sms), '+8613800000001');
    expect(r).toEqual({ kind: 'SENT', serialNo: expect.stringMatching(/\d+:\d+/), fee: 1, requestId: expect.any(String) });
    expect(sim.messagesTo('13800000001')).toEqual([expect.objectContaining({ text: '【圈子会员】您的验证码为123456，5分钟内有效。请勿告诉他人，如非本人操作请忽略本短信。', sessionContext: 'qz-test' })]);
  });

  test('the request carries the TC3 headers, signed with the API clock', () => {
    clock.set(Date.UTC(2026, 5, 10, 16, 30, 0)); // 00:30 in Beijing on 11 June: the credential date is still 10 June (UTC)
    const { headers } = clientOf(sms).signedRequest({ phone: '+8613800000001', templateId: '1000001', params: ['1', '2'] });
    expect(headers).toMatchObject({ 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-region': 'ap-guangzhou', 'x-tc-timestamp': String(Date.UTC(2026, 5, 10, 16, 30, 0) / 1000) });
    expect(headers.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${sms.secretId}/2026-06-10/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
  });

  test('a wrong secret is refused by the simulator (AuthFailure.SignatureFailure, final) and nothing is sent', async () => {
    const before = sim.messages.length;
    expect(await send(clientOf(sms, { secretKey: 'wrong-secret' }), '+8613800000002')).toMatchObject({ kind: 'REJECTED', code: 'AuthFailure.SignatureFailure', retryable: false });
    expect(sim.messages.length).toBe(before);
  });

  test('our clock 10 minutes off: AuthFailure.SignatureExpire (retryable)', async () => {
    expect(await send(clientOf(sms, { now: () => clock.ms() - 600_000 }), '+8613800000003')).toMatchObject({ kind: 'REJECTED', code: 'AuthFailure.SignatureExpire', retryable: true });
  });

  test('per-number refusals: an incorrect number (final), the same number within 30 s (retryable)', async () => {
    const c = clientOf(sms);
    expect(await send(c, '+86123')).toMatchObject({ kind: 'REJECTED', code: 'InvalidParameterValue.IncorrectPhoneNumber', retryable: false });
    expect((await send(c, '+8613800000004')).kind).toBe('SENT');
    expect(await send(c, '+8613800000004')).toMatchObject({ kind: 'REJECTED', code: 'LimitExceeded.PhoneNumberThirtySecondLimit', retryable: true });
  });

  test('no answer in time is UNKNOWN (it may have been sent); a refused connection is a retryable REJECTED', async () => {
    sim.hangNext();
    expect(await send(clientOf(sms), '+8613800000005')).toMatchObject({ kind: 'UNKNOWN', reason: expect.stringMatching(/no answer within 300 ms/) });
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    expect(await send(clientOf(sms, { endpoint: `http://127.0.0.1:${port}` }), '+8613800000006')).toMatchObject({ kind: 'REJECTED', code: 'ECONNREFUSED', retryable: true });
  });
});

describe('reward one-time codes by SMS, through the outbox (MariaDB)', () => {
  let t: TestApp;
  let kit: RewardKit;
  let sim: TencentSmsSimulator;
  let sms: SmsConfig;
  let fuel: RewardRowGql;
  const CARD = '9030123456780001';

  beforeAll(async () => {
    ({ sim, sms } = await startSimulatedSms({ now: () => clock.ms() }));
    t = await startTestApp('mariadb', {
      rewards: {},
      env: {
        SMS_PROVIDER: 'tencent',
        TENCENT_SMS_SECRET_ID: sms.secretId,
        TENCENT_SMS_SECRET_KEY: sms.secretKey,
        TENCENT_SMS_SDK_APP_ID: sms.sdkAppId,
        TENCENT_SMS_SIGN_NAME: sms.signName,
        TENCENT_SMS_TEMPLATES: 'REWARD_OTP=1000001',
        TENCENT_SMS_ENDPOINT: sim.url,
        TENCENT_SMS_TIMEOUT_MS: '300',
      },
    });
    kit = new RewardKit(t, 'sms');
    await kit.setUp();
    fuel = await kit.reward({ kind: 'FUEL_CARD', name: '¥100 加油卡（短信验证）', pointsPrice: 10_000, stock: 50 });
  });
  afterAll(async () => {
    clock.reset();
    await t?.close();
    await sim?.close();
  });
  afterEach(() => clock.reset());

  const q = () => t.app.services.db.q;
  const requestOtp = async (m: { token: string }) => ok(await t.gql<{ requestRewardOtp: { sentTo: string } }>(REQUEST_OTP, { rewardId: fuel.id, target: CARD }, m.token)).requestRewardOtp;
  const smsRow = async (memberId: number) => {
    const r = await q().get<Record<string, unknown>>('SELECT id, status, attempts, serial_no, error_code, params_sealed, phone, expires_at FROM sms_message WHERE member_id = ? ORDER BY id DESC LIMIT 1', [memberId]);
    if (!r) throw new Error('no sms_message');
    return { id: toInt(r.id), status: String(r.status), attempts: toInt(r.attempts), serialNo: r.serial_no == null ? null : String(r.serial_no), errorCode: r.error_code == null ? null : String(r.error_code), sealed: r.params_sealed != null, phone: String(r.phone), expiresAt: toDate(r.expires_at) };
  };
  const sentFor = (id: number) => sim.messages.filter((m) => m.sessionContext === `qz-sms-${id}`);

  test('the code goes out by SMS (not the inbox) once the outbox runs, and redeems the reward', async () => {
    const m = await kit.member({ points: 20_000 });
    expect((await requestOtp(m)).sentTo).toMatch(/^139\*{4}\d{4}$/);
    const row = await smsRow(m.memberId);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 0, sealed: true, phone: `+86${m.phone}` });
    expect(sentFor(row.id)).toHaveLength(0);
    await t.app.services.outbox.drain();
    const sent = sentFor(row.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ phoneNumber: `+86${m.phone}`, templateId: '1000001', signName: '圈子会员' });
    const code = sent[0]!.params[0] as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(await smsRow(m.memberId)).toMatchObject({ status: 'SENT', attempts: 1, serialNo: sent[0]!.serialNo, sealed: false, errorCode: null });
    const inbox = ok(await t.gql<{ myNotifications: { kind: string }[] }>(NOTIFICATIONS, {}, m.token)).myNotifications;
    expect(inbox.filter((n) => n.kind === 'REWARD_OTP')).toEqual([]);
    const done = ok(await kit.redeem(m, fuel.id, { target: CARD, otp: code })).redeemReward;
    expect(done.redemption.status).toBe('PENDING');
    await t.app.services.outbox.drain();
    expect(sentFor(row.id)).toHaveLength(1);
  });

  test('a crash before sending loses nothing: a freshly started process sends it, once', async () => {
    const m = await kit.member();
    await requestOtp(m);
    const { id } = await smsRow(m.memberId);
    // The first process died before its worker ran; a new one (new service graph, same database) picks the message up.
    const restarted = createServices(t.app.services.config, t.app.services.orm, createLogger('silent'), t.sim.url);
    await restarted.outbox.drain();
    await t.app.services.outbox.drain();
    expect(sentFor(id)).toHaveLength(1);
    expect((await smsRow(m.memberId)).status).toBe('SENT');
  });

  test('the demo channel (inboxCopy: a simulated phone has no screen): the same code by SMS and in the inbox', async () => {
    const m = await kit.member();
    const base = t.app.services.config;
    const demo = createServices({ ...base, sms: { ...(base.sms as SmsConfig), inboxCopy: true } }, t.app.services.orm, createLogger('silent'), t.sim.url);
    await demo.redemptions.sendOtp(await demo.redemptions.memberById(m.memberId), Number(fuel.id), CARD, '国贸店');
    const { id } = await smsRow(m.memberId);
    await demo.outbox.drain();
    const sent = sentFor(id);
    expect(sent).toHaveLength(1);
    const inbox = ok(await t.gql<{ myNotifications: { kind: string; body: string }[] }>(NOTIFICATIONS, {}, m.token)).myNotifications.filter((n) => n.kind === 'REWARD_OTP');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.body).toContain(`验证码 ${sent[0]!.params[0]}，用于在国贸店兑换「¥100 加油卡（短信验证）」`);
  });

  test('a retryable refusal (the same number within 30 s) is sent again 30 s later, exactly once', async () => {
    const m = await kit.member();
    expect((await clientOf(sms).send({ phone: `+86${m.phone}`, templateId: '1000001', params: ['000000', '5'] })).kind).toBe('SENT');
    await requestOtp(m);
    const { id } = await smsRow(m.memberId);
    await t.app.services.outbox.drain();
    expect(await smsRow(m.memberId)).toMatchObject({ status: 'PENDING', attempts: 1, errorCode: 'LimitExceeded.PhoneNumberThirtySecondLimit', sealed: true });
    expect(sentFor(id)).toHaveLength(0);
    await t.app.services.outbox.drain(); // not due yet
    expect((await smsRow(m.memberId)).attempts).toBe(1);
    clock.offset(31_000);
    await t.app.services.outbox.drain();
    expect(sentFor(id)).toHaveLength(1);
    expect(await smsRow(m.memberId)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  test('no answer (timeout): UNKNOWN, and it is never sent a second time, even when the outbox runs it again', async () => {
    const m = await kit.member();
    await requestOtp(m);
    const { id } = await smsRow(m.memberId);
    sim.hangNext();
    await t.app.services.outbox.drain();
    expect(await smsRow(m.memberId)).toMatchObject({ status: 'UNKNOWN', errorCode: 'NO_ANSWER', sealed: false });
    expect(sentFor(id)).toHaveLength(1); // the service did accept it
    await t.app.services.outbox.requeue('sms.send', String(id));
    await t.app.services.outbox.drain();
    expect(sentFor(id)).toHaveLength(1);
  });

  test('a worker that died mid-send leaves SENDING: the next run marks it UNKNOWN without sending', async () => {
    const m = await kit.member();
    await requestOtp(m);
    const { id } = await smsRow(m.memberId);
    await q().run("UPDATE sms_message SET status = 'SENDING', attempts = 1 WHERE id = ?", [id]);
    await t.app.services.outbox.drain();
    expect(await smsRow(m.memberId)).toMatchObject({ status: 'UNKNOWN', errorCode: 'INTERRUPTED' });
    expect(sentFor(id)).toHaveLength(0);
  });

  test('a final refusal (do-not-disturb list) is FAILED and not retried; an expired code is never sent', async () => {
    const blocked = await kit.member();
    sim.blacklist(`+86${blocked.phone}`);
    await requestOtp(blocked);
    await t.app.services.outbox.drain();
    expect(await smsRow(blocked.memberId)).toMatchObject({ status: 'FAILED', errorCode: 'FailedOperation.PhoneNumberInBlacklist', attempts: 1, sealed: false });
    const late = await kit.member();
    await requestOtp(late);
    const row = await smsRow(late.memberId);
    clock.set(row.expiresAt.getTime() + 1);
    await t.app.services.outbox.drain();
    expect(await smsRow(late.memberId)).toMatchObject({ status: 'FAILED', errorCode: 'EXPIRED', attempts: 0 });
    expect(sentFor(row.id)).toHaveLength(0);
    clock.reset();
    await t.app.services.outbox.drain();
    expect((await smsRow(blocked.memberId)).attempts).toBe(1);
  });
});
