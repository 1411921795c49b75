/**
 * The campaign's subscribe-message channel (F9, MariaDB, the WeChat mini-program simulator): a treated member who
 * accepted the CAMPAIGN_OFFER template (wx.requestSubscribeMessage, recorded with `recordSubscribeConsent`) gets one
 * subscribe message through the outbox per grant; a member without a consent gets the inbox notice only (no call);
 * WeChat's 43101 (the user withdrew it in WeChat) is recorded (the notice IN_APP, the consent count 0) and never
 * retried; running the sender and draining the outbox again sends nothing more. Time is the API's clock, set.
 */
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { ok } from './support/coupons';
import { startTestApp, type TestApp } from './support/harness';

const NOW = new Date('2026-05-10T02:00:00.000Z');
const CONSENT = 'mutation($ids: [String!]!) { recordSubscribeConsent(templateIds: $ids) { templateId remaining } }';

describe('campaign subscribe messages through the outbox (MariaDB)', () => {
  let t: TestApp;
  beforeAll(async () => {
    clock.set(NOW);
    t = await startTestApp('mariadb');
  }, 60_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  test('one message per consenting treated member, none without consent; 43101 recorded, not retried; nothing twice', async () => {
    const q = t.app.services.db.q;
    const templates = Object.fromEntries(ok(await t.gql<{ subscribeTemplates: { kind: string; templateId: string }[] }>('{ subscribeTemplates { kind templateId } }')).subscribeTemplates.map((x) => [x.kind, x.templateId]));
    const tmpl = templates.CAMPAIGN_OFFER as string;
    expect(tmpl).toBe('demo-tmpl-campaign-offer');
    const hq = await t.signIn('csub-hq');
    await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    const [consented, silent, withdrawn] = [await t.signIn('csub-a'), await t.signIn('csub-b'), await t.signIn('csub-c')];
    const openid = async (userId: number) => String((await q.get<{ o: unknown }>('SELECT openid AS o FROM app_user WHERE id = ?', [userId]))?.o);
    for (const m of [consented, silent, withdrawn]) await q.run("INSERT INTO member_profile (member_id, gender, location_consent, updated_at) VALUES (?, 'FEMALE', ?, ?)", [m.memberId, q.bool(false), q.ts(NOW)]);
    // consented: accepted in WeChat and told the API; withdrawn: told the API, but WeChat holds no consent (43101).
    t.sim.grantSubscribeConsent(await openid(consented.userId), tmpl);
    expect(ok(await t.gql<{ recordSubscribeConsent: unknown[] }>(CONSENT, { ids: [tmpl] }, consented.token)).recordSubscribeConsent).toEqual([{ templateId: tmpl, remaining: 1 }]);
    ok(await t.gql(CONSENT, { ids: [tmpl] }, withdrawn.token));

    const template = ok(await t.gql<{ createCouponTemplate: { id: string } }>('mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }', { input: { kind: 'AMOUNT_OFF', name: '母亲节券', amountOffFen: 1000, validDays: 7, budget: 10 } }, hq.token)).createCouponTemplate.id;
    const c = ok(
      await t.gql<{ createCampaign: { id: string } }>('mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }', {
        input: { name: '母亲节专享', conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], couponTemplateId: template, startsAt: NOW.toISOString(), holdoutPct: 0 },
      }, hq.token),
    ).createCampaign;
    ok(await t.gql('mutation($id: ID!) { scheduleCampaign(id: $id) { id } }', { id: c.id }, hq.token));
    const before = t.sim.sentMessages.length;
    expect((await t.app.services.campaignSender.run()).sent).toBe(3);
    await t.app.services.outbox.drain();

    const sent = t.sim.sentMessages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ touser: await openid(consented.userId), template_id: tmpl, page: 'rewards/coupons/index', data: { thing1: { value: '母亲节专享' } } });
    const delivery = async (memberId: number) => String((await q.get<{ d: unknown }>("SELECT delivery AS d FROM notification WHERE kind = 'CAMPAIGN' AND ref = ? AND member_id = ?", [c.id, memberId]))?.d);
    expect(await delivery(consented.memberId)).toBe('WECHAT');
    expect(await delivery(silent.memberId)).toBe('IN_APP');
    expect(await delivery(withdrawn.memberId)).toBe('IN_APP'); // 43101: recorded, in the app only
    const remaining = async (memberId: number) => toInt((await q.get<{ r: unknown }>('SELECT remaining AS r FROM subscribe_consent WHERE member_id = ? AND template_id = ?', [memberId, tmpl]))?.r);
    expect(await remaining(consented.memberId)).toBe(0); // the grant was used
    expect(await remaining(withdrawn.memberId)).toBe(0); // WeChat said there is none
    // Not retried: no outbox row of this topic is left to run, and nothing more goes out.
    expect(toInt((await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'subscribe.send' AND status <> 'DONE'"))?.n)).toBe(0);

    // Once per member: another grant later does not make the sender send this campaign again.
    t.sim.grantSubscribeConsent(await openid(consented.userId), tmpl);
    ok(await t.gql(CONSENT, { ids: [tmpl] }, consented.token));
    await t.app.services.campaignSender.run();
    await t.app.services.outbox.drain();
    expect(t.sim.sentMessages.length - before).toBe(1);
    expect(toInt((await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM notification WHERE kind = 'CAMPAIGN' AND ref = ?", [c.id]))?.n)).toBe(3);
  });
});
