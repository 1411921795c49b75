/**
 * The campaign's SMS channel (F9 + the Tencent Cloud SMS API v3, MariaDB): with the CAMPAIGN template configured and
 * `sms: true`, each treated member with a bound phone gets one SMS through the outbox (signed, verified by the
 * simulator); a member without a phone gets the inbox notice only. Time is the API's clock, set by the test.
 */
import type { TencentSmsSimulator } from '@quanzi/simulators';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { startSimulatedSms } from '../src/demo/sms';
import { ok } from './support/coupons';
import { startTestApp, type TestApp } from './support/harness';

const NOW = new Date('2026-05-10T02:00:00.000Z');

describe('campaign SMS through the outbox (MariaDB)', () => {
  let t: TestApp;
  let sim: TencentSmsSimulator;

  beforeAll(async () => {
    clock.set(NOW);
    const started = await startSimulatedSms({ now: () => clock.ms(), templates: { '1000001': '您的验证码为{1}，{2}分钟内有效。', '1000002': '您有一份「{1}」专属优惠，请在小程序「我的优惠券」查看。' } });
    sim = started.sim;
    const sms = started.sms;
    t = await startTestApp('mariadb', {
      env: {
        SMS_PROVIDER: 'tencent',
        TENCENT_SMS_SECRET_ID: sms.secretId,
        TENCENT_SMS_SECRET_KEY: sms.secretKey,
        TENCENT_SMS_SDK_APP_ID: sms.sdkAppId,
        TENCENT_SMS_SIGN_NAME: sms.signName,
        TENCENT_SMS_TEMPLATES: 'REWARD_OTP=1000001,CAMPAIGN=1000002',
        TENCENT_SMS_ENDPOINT: sim.url,
      },
    });
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
    await sim?.close();
  });

  test('one SMS per treated member with a phone, none without; sending twice sends nothing more', async () => {
    const q = t.app.services.db.q;
    const hq = await t.signIn('csms-hq');
    await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    const withPhone = await t.signIn('csms-a');
    const noPhone = await t.signIn('csms-b');
    for (const m of [withPhone, noPhone]) await q.run("INSERT INTO member_profile (member_id, gender, location_consent, updated_at) VALUES (?, 'FEMALE', ?, ?)", [m.memberId, q.bool(false), q.ts(NOW)]);
    await q.run('UPDATE app_user SET phone = ?, phone_country_code = ? WHERE id = ?', ['13912345678', '86', withPhone.userId]);
    const template = ok(await t.gql<{ createCouponTemplate: { id: string } }>('mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }', { input: { kind: 'AMOUNT_OFF', name: '母亲节券', amountOffFen: 1000, validDays: 7, budget: 10 } }, hq.token)).createCouponTemplate.id;
    const c = ok(
      await t.gql<{ createCampaign: { id: string } }>('mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }', {
        input: { name: '母亲节', conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: template, startsAt: NOW.toISOString(), holdoutPct: 0, sms: true },
      }, hq.token),
    ).createCampaign;
    ok(await t.gql('mutation($id: ID!) { scheduleCampaign(id: $id) { id } }', { id: c.id }, hq.token));
    expect((await t.app.services.campaignSender.run()).sent).toBe(2);
    await t.app.services.outbox.drain();
    expect(sim.messages).toHaveLength(1);
    expect(sim.messages[0]).toMatchObject({ phoneNumber: '+8613912345678', templateId: '1000002', params: ['母亲节'], text: '【圈子会员】您有一份「母亲节」专属优惠，请在小程序「我的优惠券」查看。' });
    expect(toInt((await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM sms_message WHERE kind = 'CAMPAIGN' AND status = 'SENT'"))?.n)).toBe(1);
    // Both have the inbox notice.
    expect(toInt((await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM notification WHERE kind = 'CAMPAIGN' AND ref = ?", [c.id]))?.n)).toBe(2);
    await t.app.services.campaignSender.run();
    await t.app.services.outbox.drain();
    expect(sim.messages).toHaveLength(1);
  });
});
