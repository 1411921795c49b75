/**
 * Targeted campaigns (F9, issue #14 item 3) on MariaDB: a segment of 1,000 members with a 10 % holdout, sent exactly
 * once to each treated member across a crash of the sender and two concurrent runs; the report's treated/holdout
 * figures against a hand computation; scope (another region's manager) and bad input changing nothing.
 *
 * Every date derives from NOW (the API's clock is set); members are written by SQL (1,000 sign-ins would take minutes),
 * one of them signs in for real to read the inbox.
 */
import { randomBytes } from 'node:crypto';
import { campaignGroup, upliftInterval } from '@quanzi/shared';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';
import { errCode, ok } from './support/coupons';

const NOW = new Date('2026-04-01T02:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = new Date(NOW.getTime() + HOUR);

const CAMPAIGN_FIELDS = 'id name status holdoutPct responseDays startsAt couponTemplateId scopeRegionId scopeStoreId conditions { field genders days minFen } progress { materialised complete treated holdout pending sent failed }';
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { ${CAMPAIGN_FIELDS} } }`;
const SCHEDULE = `mutation($id: ID!) { scheduleCampaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelCampaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const CAMPAIGNS = `query($first: Int, $after: ID) { campaigns(first: $first, after: $after) { items { id name status } pageInfo { hasNextPage endCursor } } }`;
const PREVIEW = 'query($conditions: [SegmentConditionInput!]!, $regionId: ID, $storeId: ID) { previewSegment(conditions: $conditions, regionId: $regionId, storeId: $storeId) { count sample { memberNo gender ageBand } } }';
const REPORT = `query($id: ID!) { campaignReport(id: $id) { windowStart windowEnd final couponsIssued couponsRedeemed redemptionRate
  treated { members responders responseRate visits spendFen visitsPerMember spendPerMemberFen }
  holdout { members responders responseRate visits spendFen visitsPerMember spendPerMemberFen }
  uplift { uplift lower upper } } }`;
const RUN = 'mutation { runCampaignJobs { started materialised sent failed finished } }';
const CREATE_TEMPLATE = 'mutation($input: CreateCouponTemplateInput!) { createCouponTemplate(input: $input) { id } }';

const FEMALE = [{ field: 'GENDER', genders: ['FEMALE'] }];

describe('targeted campaigns (MariaDB)', () => {
  let t: TestApp;
  let hq: string;
  let bj: string;
  let xa: string;
  let template: string;
  let reader: { token: string; memberId: number };
  /** The 1,000 segment members (FEMALE), by id. */
  const segment: number[] = [];

  /** Writes `n` members (user, member, account, profile) in a few statements; returns their ids. */
  async function bulkMembers(n: number, gender: 'FEMALE' | 'MALE', homeStore: number, tag: string): Promise<number[]> {
    const q = t.app.services.db.q;
    const tier = toInt((await q.get<{ id: unknown }>('SELECT id FROM tier ORDER BY `rank` LIMIT 1'))?.id);
    const joined = q.ts(new Date(NOW.getTime() - 100 * DAY));
    const ids: number[] = [];
    for (let i = 0; i < n; i += 250) {
      const k = Math.min(250, n - i);
      const openids = Array.from({ length: k }, (_, j) => `${tag}-${i + j}-${randomBytes(4).toString('hex')}`);
      await q.run(`INSERT INTO app_user (openid, registration_source, created_at) VALUES ${openids.map(() => "(?, 'MINIPROGRAM', ?)").join(', ')}`, openids.flatMap((o) => [o, joined]));
      const users = await q.all<{ id: unknown }>(`SELECT id FROM app_user WHERE openid IN (${openids.map(() => '?').join(', ')}) ORDER BY id`, openids);
      const nos = users.map(() => String(9e11 + Math.floor(Math.random() * 9e10)) + String(ids.length).padStart(4, '0'));
      await q.run(
        `INSERT INTO member (user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at) VALUES ${users.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        users.flatMap((u, j) => [toInt(u.id), nos[j]?.slice(0, 20) + String(j), tier, q.ts(new Date(NOW.getTime() + 300 * DAY)), 'JBSWY3DPEHPK3PXP', joined]),
      );
      const members = await q.all<{ id: unknown }>(`SELECT id FROM member WHERE user_id IN (${users.map(() => '?').join(', ')}) ORDER BY id`, users.map((u) => toInt(u.id)));
      const mids = members.map((m) => toInt(m.id));
      await q.run(`INSERT INTO member_account (id, balance, lifetime_earned, updated_at) VALUES ${mids.map(() => '(?, 0, 0, ?)').join(', ')}`, mids.flatMap((m) => [m, joined]));
      await q.run(`INSERT INTO member_profile (member_id, gender, home_store_id, location_consent, updated_at) VALUES ${mids.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, mids.flatMap((m) => [m, gender, homeStore, q.bool(false), joined]));
      ids.push(...mids);
    }
    return ids;
  }

  const count = async (sql: string, params: unknown[] = []): Promise<number> => toInt((await t.app.services.db.q.get<{ n: unknown }>(sql, params))?.n);
  const snapshot = async () => ({
    campaigns: await count('SELECT COUNT(*) AS n FROM campaign'),
    rows: (await t.app.services.db.q.all('SELECT id, name, status, holdout_pct, response_days, starts_at, segment, updated_at FROM campaign ORDER BY id')).map((r) => JSON.stringify(r)),
    members: await count('SELECT COUNT(*) AS n FROM campaign_member'),
    audit: await count('SELECT COUNT(*) AS n FROM audit_log'),
  });

  function input(over: Record<string, unknown> = {}) {
    return { name: '春季回馈', conditions: FEMALE, couponTemplateId: template, startsAt: START.toISOString(), holdoutPct: 10, responseDays: 14, ...over };
  }

  beforeAll(async () => {
    t = await startTestApp('mariadb');
    clock.set(NOW);
    const m = async (label: string, grant: Parameters<TestApp['grant']>[1]) => {
      const p = await t.signIn(label);
      await t.grant(p.userId, grant);
      return p.token;
    };
    hq = await m('camp-hq', { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    bj = await m('camp-bj', { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
    xa = await m('camp-xa', { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
    template = ok(await t.gql<{ createCouponTemplate: { id: string } }>(CREATE_TEMPLATE, { input: { kind: 'AMOUNT_OFF', name: '春季回馈券', amountOffFen: 2000, minSpendFen: 10000, validDays: 14, budget: 5000 } }, hq)).createCouponTemplate.id;
    // 999 members by SQL and one who signs in (to read the inbox), all FEMALE with a home store in Beijing; 50 MALE ones outside.
    const p = await t.signIn('camp-reader');
    const q = t.app.services.db.q;
    await q.run("INSERT INTO member_profile (member_id, gender, home_store_id, location_consent, updated_at) VALUES (?, 'FEMALE', ?, ?, ?)", [p.memberId, t.org.guomao, q.bool(false), q.ts(NOW)]);
    reader = { token: p.token, memberId: p.memberId };
    segment.push(...(await bulkMembers(999, 'FEMALE', t.org.guomao, 'camp-f')), p.memberId);
    segment.sort((a, b) => a - b);
    await bulkMembers(50, 'MALE', t.org.zhonglou, 'camp-m');
  }, 120_000);
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  test('previewSegment counts the segment in scope and shows a masked sample; nothing is stored', async () => {
    const before = await snapshot();
    const all = ok(await t.gql<{ previewSegment: { count: number; sample: { memberNo: string; gender: string }[] } }>(PREVIEW, { conditions: FEMALE }, hq)).previewSegment;
    expect(all.count).toBe(1000);
    expect(all.sample).toHaveLength(5);
    for (const s of all.sample) {
      expect(s.gender).toBe('FEMALE');
      expect(s.memberNo).toMatch(/^\d{3}\*+\d{2}$/);
    }
    // Xi'an's scope has none of them (their home store is in Beijing); Beijing has all of them.
    expect(ok(await t.gql<{ previewSegment: { count: number } }>(PREVIEW, { conditions: FEMALE, regionId: String(t.org.xian) }, xa)).previewSegment.count).toBe(0);
    expect(ok(await t.gql<{ previewSegment: { count: number } }>(PREVIEW, { conditions: FEMALE, regionId: String(t.org.beijing) }, bj)).previewSegment.count).toBe(1000);
    expect(ok(await t.gql<{ previewSegment: { count: number } }>(PREVIEW, { conditions: [{ field: 'GENDER', genders: ['MALE'] }], storeId: String(t.org.zhonglou) }, xa)).previewSegment.count).toBe(50);
    // Another region's scope: FORBIDDEN.
    expect(errCode(await t.gql(PREVIEW, { conditions: FEMALE, regionId: String(t.org.beijing) }, xa))).toBe('FORBIDDEN');
    expect(errCode(await t.gql(PREVIEW, { conditions: [] }, hq))).toBe('BAD_USER_INPUT');
    expect(await snapshot()).toEqual(before);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['no conditions (an empty segment)', { conditions: [] }, 'BAD_USER_INPUT'],
    ['a segment nobody matches', { conditions: [...FEMALE, { field: 'SPEND', days: 30, minFen: 1 }] }, 'BAD_USER_INPUT'],
    ['a property of another field', { conditions: [{ field: 'GENDER', genders: ['FEMALE'], maxKm: 5 }] }, 'BAD_USER_INPUT'],
    ['negative spend', { conditions: [{ field: 'SPEND', days: 30, minFen: -1 }] }, 'BAD_USER_INPUT'],
    ['eleven conditions', { conditions: Array.from({ length: 11 }, () => FEMALE[0]) }, 'BAD_USER_INPUT'],
    ['a holdout over 50 %', { holdoutPct: 51 }, 'BAD_USER_INPUT'],
    ['a negative holdout', { holdoutPct: -1 }, 'BAD_USER_INPUT'],
    ['a zero response window', { responseDays: 0 }, 'BAD_USER_INPUT'],
    ['a start in the past', { startsAt: new Date(NOW.getTime() - 2 * DAY).toISOString() }, 'BAD_USER_INPUT'],
    ['an empty name', { name: '  ' }, 'BAD_USER_INPUT'],
    ['an unknown coupon template', { couponTemplateId: '999999' }, 'NOT_FOUND'],
    ['an unknown tier', { conditions: [{ field: 'TIER', tierIds: ['999999'] }] }, 'BAD_USER_INPUT'],
    ['a distance from a store outside the scope', { scopeRegionId: 'BJ', conditions: [{ field: 'DISTANCE', storeId: 'ZL', maxKm: 5 }] }, 'BAD_USER_INPUT'],
  ])('createCampaign refuses %s, nothing stored', async (_name, over, code) => {
    const before = await snapshot();
    const fix = (v: unknown): unknown => (v === 'BJ' ? String(t.org.beijing) : v === 'ZL' ? String(t.org.zhonglou) : v);
    const patched = { ...over, ...(over.scopeRegionId ? { scopeRegionId: fix(over.scopeRegionId) } : {}) } as Record<string, unknown>;
    if (Array.isArray(over.conditions)) patched.conditions = (over.conditions as Record<string, unknown>[]).map((c) => ({ ...c, ...(c.storeId ? { storeId: fix(c.storeId) } : {}) }));
    const r = await t.gql(CREATE, { input: input(patched) }, hq);
    expect(errCode(r)).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  test("another region's manager can neither read nor change a campaign; a draft is edited, a scheduled one is not", async () => {
    // A Beijing template (a region manager offers coupons of its own scope only; HQ's template is refused).
    expect(errCode(await t.gql(CREATE, { input: input({ name: '北京专享', scopeRegionId: String(t.org.beijing) }) }, bj))).toBe('FORBIDDEN');
    const bjTemplate = ok(
      await t.gql<{ createCouponTemplate: { id: string } }>(CREATE_TEMPLATE, { input: { kind: 'PERCENT_OFF', name: '北京券', percentOff: 15, validDays: 7, budget: 100, scopeRegionId: String(t.org.beijing) } }, bj),
    ).createCouponTemplate.id;
    const c = ok(await t.gql<{ createCampaign: { id: string; status: string; scopeRegionId: string } }>(CREATE, { input: input({ name: '北京专享', scopeRegionId: String(t.org.beijing), couponTemplateId: bjTemplate }) }, bj)).createCampaign;
    expect(c.status).toBe('DRAFT');
    expect(c.scopeRegionId).toBe(String(t.org.beijing));
    const before = await snapshot();
    for (const [query, vars] of [
      [CAMPAIGN, { id: c.id }],
      [REPORT, { id: c.id }],
      [UPDATE, { id: c.id, input: { name: '被改' } }],
      [SCHEDULE, { id: c.id }],
      [CANCEL, { id: c.id }],
    ] as const) {
      expect(errCode(await t.gql(query, vars, xa))).toBe('FORBIDDEN');
      expect(errCode(await t.gql(query, vars, null))).toBe('UNAUTHENTICATED');
    }
    expect(await snapshot()).toEqual(before);
    // Xi'an's list does not show it; Beijing's and HQ's do.
    const ids = async (token: string) => ok(await t.gql<{ campaigns: { items: { id: string }[] } }>(CAMPAIGNS, { first: 50 }, token)).campaigns.items.map((x) => x.id);
    expect(await ids(xa)).not.toContain(c.id);
    expect(await ids(bj)).toContain(c.id);
    expect(await ids(hq)).toContain(c.id);
    // Beijing edits its draft; a bad edit changes nothing.
    expect(ok(await t.gql<{ updateCampaign: { name: string; holdoutPct: number } }>(UPDATE, { id: c.id, input: { name: '北京专享 2', holdoutPct: 20 } }, bj)).updateCampaign).toMatchObject({ name: '北京专享 2', holdoutPct: 20 });
    const mid = await snapshot();
    expect(errCode(await t.gql(UPDATE, { id: c.id, input: { holdoutPct: 80 } }, bj))).toBe('BAD_USER_INPUT');
    expect(errCode(await t.gql(UPDATE, { id: c.id, input: { conditions: [] } }, bj))).toBe('BAD_USER_INPUT');
    expect(await snapshot()).toEqual(mid);
    expect(ok(await t.gql<{ scheduleCampaign: { status: string } }>(SCHEDULE, { id: c.id }, bj)).scheduleCampaign.status).toBe('SCHEDULED');
    const scheduled = await snapshot();
    expect(errCode(await t.gql(UPDATE, { id: c.id, input: { name: '太迟了' } }, bj))).toBe('CONFLICT');
    expect(errCode(await t.gql(SCHEDULE, { id: c.id }, bj))).toBe('CONFLICT');
    expect(await snapshot()).toEqual(scheduled);
    expect(ok(await t.gql<{ cancelCampaign: { status: string } }>(CANCEL, { id: c.id }, bj)).cancelCampaign.status).toBe('CANCELLED');
    expect(errCode(await t.gql(CANCEL, { id: c.id }, bj))).toBe('CONFLICT');
    // Only HQ runs the sender.
    expect(errCode(await t.gql(RUN, {}, bj))).toBe('FORBIDDEN');
  });

  test('1,000 members, 10 % holdout: every treated member gets the offer exactly once across a crash and two concurrent runs; the report matches a hand computation', async () => {
    const q = t.app.services.db.q;
    const c = ok(await t.gql<{ createCampaign: { id: string } }>(CREATE, { input: input() }, hq)).createCampaign;
    const id = Number(c.id);
    ok(await t.gql(SCHEDULE, { id: c.id }, hq));
    // Before startsAt nothing happens.
    expect(ok(await t.gql<{ runCampaignJobs: Record<string, number> }>(RUN, {}, hq)).runCampaignJobs).toEqual({ started: 0, materialised: 0, sent: 0, failed: 0, finished: 0 });

    clock.set(START);
    const sender = t.app.services.campaignSender;
    // A crash after 137 members: the run dies mid-way.
    let n = 0;
    sender.afterMember = () => {
      if (++n === 137) throw new Error('simulated crash');
    };
    await expect(sender.run()).rejects.toThrow('simulated crash');
    sender.afterMember = null;
    expect(await count("SELECT COUNT(*) AS n FROM campaign_member WHERE campaign_id = ? AND state = 'SENT'", [id])).toBe(137);
    expect(await count('SELECT COUNT(*) AS n FROM campaign_member WHERE campaign_id = ?', [id])).toBe(1000);

    // Two runs at once, then one more: each member's offer is decided once.
    const [a, b] = await Promise.all([sender.run(), sender.run()]);
    const c3 = await sender.run();
    const treated = await count("SELECT COUNT(*) AS n FROM campaign_member WHERE campaign_id = ? AND grp = 'TREATED'", [id]);
    const holdout = await count("SELECT COUNT(*) AS n FROM campaign_member WHERE campaign_id = ? AND grp = 'HOLDOUT'", [id]);
    expect(treated + holdout).toBe(1000);
    expect(137 + a.sent + b.sent + c3.sent).toBe(treated);
    expect(a.failed + b.failed + c3.failed).toBe(0);
    // The holdout is the keyed draw's, reproducibly, and about 10 %.
    const seed = String((await q.get<{ seed: unknown }>('SELECT seed FROM campaign WHERE id = ?', [id]))?.seed);
    const heldIds = (await q.all<{ member_id: unknown }>("SELECT member_id FROM campaign_member WHERE campaign_id = ? AND grp = 'HOLDOUT' ORDER BY member_id", [id])).map((r) => toInt(r.member_id));
    expect(heldIds).toEqual(segment.filter((m) => campaignGroup(seed, m, 10) === 'HOLDOUT'));
    expect(holdout).toBeGreaterThan(60);
    expect(holdout).toBeLessThan(140);
    // Exactly one coupon and one inbox notice per treated member, none for the holdout.
    expect(await count("SELECT COUNT(*) AS n FROM reward_redemption WHERE idempotency_key = ? AND issue_source = 'CAMPAIGN'", [`campaign:${id}`])).toBe(treated);
    expect(await count("SELECT COUNT(DISTINCT member_id) AS n FROM reward_redemption WHERE idempotency_key = ?", [`campaign:${id}`])).toBe(treated);
    expect(await count("SELECT COUNT(*) AS n FROM notification WHERE kind = 'CAMPAIGN' AND ref = ?", [String(id)])).toBe(treated);
    expect(await count(`SELECT COUNT(*) AS n FROM notification n JOIN campaign_member cm ON cm.member_id = n.member_id AND cm.campaign_id = ? WHERE n.kind = 'CAMPAIGN' AND n.ref = ? AND cm.grp = 'HOLDOUT'`, [id, String(id)])).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM reward_redemption r JOIN campaign_member cm ON cm.member_id = r.member_id AND cm.campaign_id = ? WHERE r.idempotency_key = ? AND cm.grp = 'HOLDOUT'`, [id, `campaign:${id}`])).toBe(0);
    const fin = ok(await t.gql<{ campaign: { status: string; progress: Record<string, unknown> } }>(CAMPAIGN, { id: c.id }, hq)).campaign;
    expect(fin.status).toBe('DONE');
    expect(fin.progress).toEqual({ materialised: 1000, complete: true, treated, holdout, pending: 0, sent: treated, failed: 0 });
    // A later run changes nothing.
    expect(ok(await t.gql<{ runCampaignJobs: Record<string, number> }>(RUN, {}, hq)).runCampaignJobs).toEqual({ started: 0, materialised: 0, sent: 0, failed: 0, finished: 0 });

    // The reader's inbox, in plain Chinese (when treated).
    const inbox = ok(await t.gql<{ myNotifications: { kind: string; title: string; body: string }[] }>('{ myNotifications(first: 10) { kind title body } }', {}, reader.token)).myNotifications.filter((x) => x.kind === 'CAMPAIGN');
    if (heldIds.includes(reader.memberId)) expect(inbox).toEqual([]);
    else expect(inbox).toEqual([{ kind: 'CAMPAIGN', title: '专属优惠：春季回馈', body: '送您一张「春季回馈券」：满 100 元减 20 元，有效期至 4月14日，已放入「我的优惠券」，到店出示券码即可使用。' }]);

    // Response: purchases written for chosen members, inside and outside the window [START, START + 14 days).
    const treatedIds = segment.filter((m) => !heldIds.includes(m));
    let seq = 0;
    const buy = async (member: number, at: Date, fen: number) =>
      q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [
        member, t.org.guomao, fen, JSON.stringify([{ category: 'general', amountFen: fen }]), `camp-resp-${++seq}`, 'x', q.ts(at),
      ]);
    const d = (days: number) => new Date(START.getTime() + days * DAY);
    for (const m of treatedIds.slice(0, 90)) await buy(m, d(2), 10_000); // 90 treated responders, ¥100 each
    for (const m of treatedIds.slice(0, 10)) await buy(m, d(3), 5_000); // 10 of them come back, ¥50
    await buy(treatedIds[0] as number, d(5), -2_000); // a refund: spend −¥20, not a visit
    for (const m of heldIds.slice(0, 5)) await buy(m, d(4), 8_000); // 5 holdout responders, ¥80 each
    await buy(treatedIds[100] as number, new Date(START.getTime() - HOUR), 9_900); // before the window: not counted
    await buy(heldIds[10] as number, d(14), 9_900); // at the window's end (exclusive): not counted
    // 30 treated members used their campaign coupon.
    await q.run(`UPDATE reward_redemption SET status = 'USED' WHERE idempotency_key = ? AND member_id IN (${treatedIds.slice(0, 30).map(() => '?').join(', ')})`, [`campaign:${id}`, ...treatedIds.slice(0, 30)]);

    clock.set(d(15));
    const hqNow = (await t.signIn('camp-hq')).token; // the first session lapsed (7 days)
    const r = ok(await t.gql<{ campaignReport: Record<string, any> }>(REPORT, { id: c.id }, hqNow)).campaignReport;
    // By hand: treated 90 responders, visits 90 + 10 = 100, spend 90 × 10000 + 10 × 5000 − 2000 = 948000 fen;
    // holdout 5 responders, 5 visits, 5 × 8000 = 40000 fen.
    expect(r.treated).toEqual({ members: treated, responders: 90, responseRate: 90 / treated, visits: 100, spendFen: 948_000, visitsPerMember: 100 / treated, spendPerMemberFen: Math.round(948_000 / treated) });
    expect(r.holdout).toEqual({ members: holdout, responders: 5, responseRate: 5 / holdout, visits: 5, spendFen: 40_000, visitsPerMember: 5 / holdout, spendPerMemberFen: Math.round(40_000 / holdout) });
    expect(r.couponsIssued).toBe(treated);
    expect(r.couponsRedeemed).toBe(30);
    expect(r.redemptionRate).toBeCloseTo(30 / treated, 12);
    const u = upliftInterval({ responders: 90, members: treated }, { responders: 5, members: holdout });
    expect(r.uplift.uplift).toBeCloseTo(90 / treated - 5 / holdout, 12);
    expect(r.uplift.lower).toBeCloseTo(u.lower, 12);
    expect(r.uplift.upper).toBeCloseTo(u.upper, 12);
    expect(r.uplift.lower).toBeLessThan(r.uplift.uplift);
    expect(r.final).toBe(true);
    expect(new Date(r.windowEnd).getTime() - new Date(r.windowStart).getTime()).toBe(14 * DAY);
  }, 180_000);
});
