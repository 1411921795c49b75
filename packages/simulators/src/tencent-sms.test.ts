/**
 * Drives the Tencent Cloud SMS simulator the way a client would: raw HTTP with a hand-written TC3-HMAC-SHA256 signer
 * (step by step as Tencent's "Signature v3" page describes it), so the simulator's verification is checked against an
 * independent implementation and against the documentation's published example.
 */
import { createHash, createHmac } from 'node:crypto';
import { startTencentSmsSimulator, tc3Signature, type TencentSmsSimulator } from './tencent-sms';

const SECRET_ID = 'AKIDqz0test0000000000000000000000000';
const SECRET_KEY = 'qz-test-secret-key-0123456789abcdef';
const APP_ID = '1400123456';
const SIGN = '圈子会员';
const TEMPLATE = '1000001';

const hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s, 'utf8').digest();

/** The client's signer, written from the documentation: canonical request → string to sign → derived key → signature. */
function authorization(o: { host: string; body: string; ts: number; secretId?: string; secretKey?: string; service?: string; date?: string }): string {
  const date = o.date ?? new Date(o.ts * 1000).toISOString().slice(0, 10);
  const service = o.service ?? 'sms';
  const canonical = `POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:${o.host}\n\ncontent-type;host\n${hex(o.body)}`;
  const scope = `${date}/${service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${o.ts}\n${scope}\n${hex(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${o.secretKey ?? SECRET_KEY}`, date), service), 'tc3_request');
  const sig = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${o.secretId ?? SECRET_ID}/${scope}, SignedHeaders=content-type;host, Signature=${sig}`;
}

describe('tc3Signature', () => {
  test("Tencent's published example (cvm DescribeInstances, 2019-02-25) gives the documented hashes and signature", () => {
    const payload = String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`;
    const r = tc3Signature({
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      timestampS: 1551113065,
      headers: { 'content-type': 'application/json; charset=utf-8', host: 'cvm.tencentcloudapi.com' },
      payload,
    });
    expect(hex(payload)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(r.canonicalRequest).toBe('POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(r.stringToSign).toBe('TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(r.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
  });

  test('the date is the UTC date of the timestamp (00:44 in Beijing is still the previous day)', () => {
    expect(tc3Signature({ secretKey: 'k', service: 'sms', timestampS: 1551113065, headers: { host: 'h', 'content-type': 'application/json' }, payload: '' }).scope).toBe('2019-02-25/sms/tc3_request');
  });
});

describe('Tencent Cloud SMS simulator', () => {
  let sim: TencentSmsSimulator;
  let t = Date.UTC(2026, 5, 10, 2, 0, 0); // the simulator's clock, moved by the tests (never slept)
  const nowS = () => Math.floor(t / 1000);

  beforeAll(async () => {
    sim = await startTencentSmsSimulator({ secretId: SECRET_ID, secretKey: SECRET_KEY, sdkAppId: APP_ID, signNames: [SIGN], now: () => t });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    t += 86_400_000; // a new day: frequency counters of earlier tests do not matter
  });

  interface Call { body?: Record<string, unknown>; raw?: string; ts?: number; secretKey?: string; secretId?: string; service?: string; date?: string; headers?: Record<string, string>; auth?: string }

  async function call(c: Call = {}): Promise<{ Response: Record<string, any> }> {
    const host = new URL(sim.url).host;
    const raw = c.raw ?? JSON.stringify({ PhoneNumberSet: ['+8613812345678'], SmsSdkAppId: APP_ID, SignName: SIGN, TemplateId: TEMPLATE, TemplateParamSet: ['123456', '5'], ...c.body });
    const ts = c.ts ?? nowS();
    const res = await fetch(`${sim.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-tc-action': 'SendSms',
        'x-tc-version': '2021-01-11',
        'x-tc-region': 'ap-guangzhou',
        'x-tc-timestamp': String(ts),
        authorization: c.auth ?? authorization({ host, body: raw, ts, secretKey: c.secretKey, secretId: c.secretId, service: c.service, date: c.date }),
        ...c.headers,
      },
      body: raw,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { Response: Record<string, any> };
  }

  test('a correctly signed SendSms is delivered: SendStatusSet Ok with SerialNo and Fee; the message is recorded with its text', async () => {
    const r = await call({ body: { SessionContext: 'otp-42' } });
    expect(r.Response.Error).toBeUndefined();
    expect(r.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.Response.SendStatusSet).toEqual([
      { SerialNo: expect.stringMatching(/^\d+:\d+$/), PhoneNumber: '+8613812345678', Fee: 1, SessionContext: 'otp-42', Code: 'Ok', Message: 'send success', IsoCode: 'CN' },
    ]);
    expect(sim.messagesTo('13812345678')).toEqual([
      expect.objectContaining({ phoneNumber: '+8613812345678', templateId: TEMPLATE, params: ['123456', '5'], text: '【圈子会员】您的验证码为123456，5分钟内有效。请勿告诉他人，如非本人操作请忽略本短信。', sessionContext: 'otp-42' }),
    ]);
  });

  test.each<[string, Call, string]>([
    ['a wrong secret', { secretKey: 'not-the-secret' }, 'AuthFailure.SignatureFailure'],
    ['an unknown SecretId', { secretId: 'AKIDsomeoneelse' }, 'AuthFailure.SecretIdNotFound'],
    ['another service in the scope', { service: 'cvm' }, 'AuthFailure.SignatureFailure'],
    ['a date that is not the UTC date of the timestamp', { date: '2019-01-01' }, 'AuthFailure.SignatureFailure'],
    ['a malformed Authorization', { auth: 'Bearer x' }, 'AuthFailure.InvalidAuthorization'],
    ['a body changed after signing', { auth: 'SIGNED-OTHER' }, 'AuthFailure.SignatureFailure'],
  ])('%s is refused with the real error shape and sends nothing', async (_name, c, code) => {
    let over = c;
    if (c.auth === 'SIGNED-OTHER') {
      const host = new URL(sim.url).host;
      over = { auth: authorization({ host, body: '{"PhoneNumberSet":["+8613900000000"]}', ts: nowS() }) };
    }
    const r = await call(over);
    expect(r.Response).toEqual({ Error: { Code: code, Message: expect.any(String) }, RequestId: expect.any(String) });
    expect(sim.messages).toHaveLength(0);
  });

  test('a timestamp more than 5 minutes off (either way) is SignatureExpire; within 5 minutes it passes', async () => {
    expect((await call({ ts: nowS() - 301 })).Response.Error.Code).toBe('AuthFailure.SignatureExpire');
    expect((await call({ ts: nowS() + 301 })).Response.Error.Code).toBe('AuthFailure.SignatureExpire');
    expect((await call({ ts: nowS() - 299 })).Response.SendStatusSet[0].Code).toBe('Ok');
    expect(sim.messages).toHaveLength(1);
  });

  test('the same number twice within 30 s: the second is LimitExceeded.PhoneNumberThirtySecondLimit; 30 s later it goes', async () => {
    expect((await call()).Response.SendStatusSet[0].Code).toBe('Ok');
    t += 29_000;
    expect((await call()).Response.SendStatusSet[0]).toMatchObject({ Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', SerialNo: '', Fee: 0 });
    t += 1_000;
    expect((await call()).Response.SendStatusSet[0].Code).toBe('Ok');
    expect(sim.messages).toHaveLength(2);
  });

  test('5 an hour, then PhoneNumberOneHourLimit; 10 a (China) day, then PhoneNumberDailyLimit until midnight in Beijing', async () => {
    t = Date.UTC(2026, 6, 1, 16, 0, 0); // 00:00 in Beijing
    for (let i = 0; i < 5; i++) {
      expect((await call()).Response.SendStatusSet[0].Code).toBe('Ok');
      t += 31_000;
    }
    expect((await call()).Response.SendStatusSet[0].Code).toBe('LimitExceeded.PhoneNumberOneHourLimit');
    t += 3600_000;
    for (let i = 0; i < 5; i++) {
      expect((await call()).Response.SendStatusSet[0].Code).toBe('Ok');
      t += 31_000;
    }
    t += 3600_000;
    expect((await call()).Response.SendStatusSet[0].Code).toBe('LimitExceeded.PhoneNumberDailyLimit');
    t = Date.UTC(2026, 6, 2, 16, 0, 0); // next midnight in Beijing
    expect((await call()).Response.SendStatusSet[0].Code).toBe('Ok');
  });

  test('per-number results: an incorrect number and a do-not-disturb number fail, the others go', async () => {
    sim.blacklist('13900000000');
    const r = await call({ body: { PhoneNumberSet: ['+8613812345670', '12345', '8613900000000', '13712345678'] } });
    expect(r.Response.SendStatusSet.map((s: { Code: string }) => s.Code)).toEqual([
      'Ok', 'InvalidParameterValue.IncorrectPhoneNumber', 'FailedOperation.PhoneNumberInBlacklist', 'Ok',
    ]);
    expect(sim.messages.map((m) => m.phoneNumber)).toEqual(['+8613812345670', '+8613712345678']);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['an unknown SdkAppId', { SmsSdkAppId: '1400999999' }, 'InvalidParameterValue.SdkAppIdNotExist'],
    ['an unapproved signature', { SignName: '别家' }, 'FailedOperation.SignatureIncorrectOrUnapproved'],
    ['an unknown template', { TemplateId: '999' }, 'FailedOperation.TemplateIncorrectOrUnapproved'],
    ['too few template params', { TemplateParamSet: ['1'] }, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate'],
    ['no numbers', { PhoneNumberSet: [] }, 'MissingParameter.EmptyPhoneNumberSet'],
    ['201 numbers', { PhoneNumberSet: Array.from({ length: 201 }, (_, i) => `+86138${String(i).padStart(8, '0')}`) }, 'LimitExceeded.PhoneNumberCountLimit'],
    ['a missing TemplateId', { TemplateId: undefined }, 'MissingParameter'],
  ])('%s is refused (%#)', async (_name, body, code) => {
    expect((await call({ body })).Response.Error.Code).toBe(code);
    expect(sim.messages).toHaveLength(0);
  });

  test('wrong action, version or region', async () => {
    expect((await call({ headers: { 'x-tc-action': 'SendSmsX' } })).Response.Error.Code).toBe('InvalidAction');
    expect((await call({ headers: { 'x-tc-version': '2019-07-11' } })).Response.Error.Code).toBe('NoSuchVersion');
    expect((await call({ headers: { 'x-tc-region': 'ap-mars' } })).Response.Error.Code).toBe('UnsupportedRegion');
  });

  test('failNext answers a queued error once; hangNext records the message but never answers', async () => {
    sim.failNext('InternalError.Timeout', 'request timed out');
    expect((await call()).Response.Error).toEqual({ Code: 'InternalError.Timeout', Message: 'request timed out' });
    expect(sim.messages).toHaveLength(0);
    sim.hangNext();
    const host = new URL(sim.url).host;
    const raw = JSON.stringify({ PhoneNumberSet: ['+8613812345678'], SmsSdkAppId: APP_ID, SignName: SIGN, TemplateId: TEMPLATE, TemplateParamSet: ['1', '2'] });
    await expect(
      fetch(`${sim.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-region': 'ap-guangzhou', 'x-tc-timestamp': String(nowS()), authorization: authorization({ host, body: raw, ts: nowS() }) },
        body: raw,
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    expect(sim.messages).toHaveLength(1);
  });
});
