/**
 * The offline demo's seed lets every persona do their headline journey in the first minute: Alice redeems the ¥30
 * top-up and sees it delivered (the recharge simulator, as the demo runs it in-process) and can still reach a fuel
 * card; Carol records Bob's first purchase; Erin publishes the draft event waiting for her; Dave is an HQ manager.
 * Ledger rows written at a store carry the store, so their reasons do not repeat its name.
 */
import { randomUUID } from 'node:crypto';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { DEMO_PERSONAS } from '../src/demo/seed';
import { startTestApp, type TestApp } from './support/harness';
import { REWARDS, RewardKit } from './support/rewards';

type Gql = { data?: Record<string, any> | null; errors?: unknown[] };
const ok = (r: Gql) => {
  expect(r.errors).toBeUndefined();
  return r.data as Record<string, any>;
};

describe('demo seed: every persona’s first minute', () => {
  let t: TestApp;
  let kit: RewardKit;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000); // the one instant the test sets; the seed derives every date from it
  beforeAll(async () => {
    clock.set(now);
    t = await startTestApp('sqlite', { demoSeed: { now }, rewards: {}, demo: true });
    kit = new RewardKit(t, 'demo');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    clock.reset();
  });

  test('store ledger reasons name what happened, not the store (shown under each row)', async () => {
    const q = t.app.services.db.q;
    const rows = await q.all<{ reason: unknown; store_id: unknown }>('SELECT e.reason, e.store_id FROM points_entry e WHERE e.store_id IS NOT NULL ORDER BY e.id');
    expect(rows.length).toBeGreaterThan(5);
    const storeNames = (await q.all<{ name: unknown }>('SELECT name FROM store')).map((r) => String(r.name));
    for (const r of rows) for (const name of storeNames) expect(String(r.reason)).not.toContain(name);
    const reasons = rows.map((r) => String(r.reason));
    expect(reasons).toContain('门店抵扣 · 兑换咖啡');
    expect(reasons.filter((x) => /^门店消费 ¥\d+\.\d{2}$/.test(x)).length).toBeGreaterThan(3);
  });

  test('the personas exist with their roles', async () => {
    const viewers: Record<string, { roles: { role: string; scope: string }[] }> = {};
    for (const label of Object.keys(DEMO_PERSONAS)) {
      const s = await t.signIn(label);
      viewers[label] = ok(await t.gql('{ viewer { roles { role scope } } }', {}, s.token)).viewer;
    }
    expect(viewers.carol?.roles).toEqual([expect.objectContaining({ role: 'STAFF', scope: 'STORE' })]);
    expect(viewers.dave?.roles).toEqual([expect.objectContaining({ role: 'MANAGER', scope: 'HQ' })]);
    expect(viewers.erin?.roles).toEqual([expect.objectContaining({ role: 'ORGANIZER' })]);
    expect(viewers.bob?.roles).toEqual([]);
  });

  test('Alice can afford the ¥30 top-up, redeems it, sees it delivered, and can still reach the ¥50 fuel card', async () => {
    const alice = await t.signIn('alice');
    const rewards = ok(await t.gql(REWARDS, { first: 50 }, alice.token)).rewards as { id: string; kind: string; pointsPrice: number; faceValueFen: number; affordable: boolean }[];
    const topup = rewards.find((r) => r.kind === 'MOBILE_TOPUP' && r.faceValueFen === 3000);
    const fuel = rewards.filter((r) => r.kind === 'FUEL_CARD').sort((a, b) => a.pointsPrice - b.pointsPrice)[0];
    expect(topup).toBeDefined();
    expect(fuel).toBeDefined();
    const before = ok(await t.gql('{ me { points expiringSoon { points } } }', {}, alice.token)).me;
    expect(before.points).toBeGreaterThanOrEqual((topup?.pointsPrice ?? 0) + (fuel?.pointsPrice ?? 0));
    expect(before.expiringSoon?.points).toBeGreaterThan(0); // her "expiring soon" story stays
    expect(topup?.affordable).toBe(true);

    const r = ok(await kit.redeem(alice, topup?.id as string)).redeemReward;
    expect(r.redemption.status).toBe('PENDING');
    await kit.work();
    expect((await kit.redemption(alice, r.redemption.id)).status).toBe('DELIVERED');
    const after = ok(await t.gql('{ me { points } }', {}, alice.token)).me.points as number;
    expect(after).toBe(before.points - (topup?.pointsPrice ?? 0));
    expect(after).toBeGreaterThanOrEqual(fuel?.pointsPrice ?? Infinity);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('Carol records Bob’s first purchase at 北京国贸店 and he has his first points', async () => {
    const carol = await t.signIn('carol');
    const bob = await t.signIn('bob');
    expect(ok(await t.gql('{ me { points } }', {}, bob.token)).me.points).toBe(0);
    const input = { memberCode: t.codeOf(bob, clock.ms()), storeId: String(t.org.guomao), amountFen: 5000, lines: [{ category: 'general', amountFen: 5000 }], idempotencyKey: randomUUID() };
    const got = ok(await t.gql('mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }', { input }, carol.token)).recordPurchase.points;
    expect(got).toBeGreaterThan(0);
    expect(ok(await t.gql('{ me { points } }', {}, bob.token)).me.points).toBe(got);
  });

  test('Erin publishes the draft event waiting for her', async () => {
    const erin = await t.signIn('erin');
    const draft = await t.app.services.db.q.get<{ id: unknown }>("SELECT id FROM club_event WHERE status = 'DRAFT' ORDER BY id LIMIT 1");
    expect(draft).toBeDefined();
    const published = ok(await t.gql('mutation($id: ID!) { publishEvent(id: $id) { id status } }', { id: String(toInt(draft?.id)) }, erin.token)).publishEvent;
    expect(published.status).toBe('PUBLISHED');
  });
  // The manager console's 数据看板 and 服务评价 are not empty in the demo (src/demo/analytics.ts); figures by hand.
  test('Dave sees the demo customers: ratings at 北京国贸店, the radar around it, two declining members', async () => {
    const dave = await t.signIn('dave');
    const d = (r: Gql) => ok(r);
    const ratings = d(await t.gql('{ storeRatings { storeName count average distribution low openLow } }', {}, dave.token)).storeRatings;
    // 王芳 5 stars, 赵敏 2, 李强 1 (the 1- and 2-star ones still open).
    expect(ratings.find((r: { storeName: string }) => r.storeName === '北京国贸店')).toEqual({ storeName: '北京国贸店', count: 3, average: 2.67, distribution: [1, 1, 0, 0, 1], low: 2, openLow: 2 });
    const from = new Date(now.getTime() - 30 * 86_400_000).toISOString();
    const radar = d(await t.gql('query($s: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { tradeAreaRadar(storeId: $s, from: $f, to: $t) { located unlocated sectors { ring direction members } } }', { s: String(t.org.guomao), f: from, t: new Date(now.getTime() + 1000).toISOString() }, dave.token)).tradeAreaRadar;
    // Alice 团结湖 (~1.5 km NE), 王芳 建外 (~0.9 km W), 李强 望京 (~10.2 km N), 赵敏 通州 (~17 km E), Bob 中关村 (~15 km NW).
    expect(radar.located).toBe(5);
    expect(radar.sectors.filter((x: { members: number }) => x.members > 0)).toEqual([
      { ring: 'KM_0_5', direction: 'NE', members: 1 },
      { ring: 'KM_0_5', direction: 'W', members: 1 },
      { ring: 'KM_10_20', direction: 'N', members: 1 },
      { ring: 'KM_10_20', direction: 'E', members: 1 },
      { ring: 'KM_10_20', direction: 'NW', members: 1 },
    ]);
    // 李强 (1 visit in 90 days after 3 before) and 陈磊 (nothing for 100 days).
    const declining = d(await t.gql('{ decliningMembers(first: 10) { total items { reasons } } }', {}, dave.token)).decliningMembers;
    expect(declining.total).toBe(2);
    expect(declining.items.map((m: { reasons: string[] }) => m.reasons.join(',')).sort()).toEqual(['QUIET,VISITS_DROP,SPEND_DROP', 'VISITS_DROP,SPEND_DROP'].sort());
  });
});
