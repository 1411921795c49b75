/**
 * The hand-built analytics fixture (issue #15): six members, their purchases, ledger entries, redemptions, an
 * expiry, club check-ins and consented locations, every date derived from one NOW. The expected figures are
 * computed by hand in test/support/analytics-suite.ts from the table below — not by the code under test.
 *
 *   day n = NOW − n days (midnight UTC); stores G = 北京国贸 (39.9088, 116.4600), S = 北京三里屯, Z = 西安钟楼
 *
 *   member  joined  home  profile                          purchases (store day ¥)                          ledger (kind store day Δ)
 *   A       d400    G     F, 1990-05-10, 39.95/116.46 ✓    G d150 100, d120 100, d100 100, d80 100,         EARN G d50 +200, d20 +300, d5 +100;
 *                                                          d50 200, d20 300, d5 100                          REDEEM – d12 −150 (own reward, in app)
 *   B       d130    G     M, 2000-03-02, 39.90/116.40 ✓    G d120 4000 (the gym card), d110 20               EARN G d120 +4000; REDEEM G d8 −1000 (fuel card at the till)
 *   C       d20     –     F                                S d10 50                                          EARN S d10 +50
 *   D       d40     Z     – (signed up through a referral) Z d35 80                                          EARN Z d35 +80
 *   E       d300    G     –, –, 39.80/116.60 ✓             G d200 500                                        EARN G d200 +500; REDEEM – d9 −200 (fuel card, FAILED)
 *                                                                                                            REVERSAL – d9 +200 (its refund); EXPIRE – d3 −300
 *   F       d200    G     – (no location)                  G d100 60, d15 −20 (a refund)                     EARN G d100 +60; REVERSAL G d15 −20 (clawback)
 *
 *   Club events: A checked in at a 国贸 club's event (store G) on d6; C at an organisation-wide club's event on d6.
 */
import { clock } from '../../src/clock';
import type { TestApp } from './harness';

export const NOW = new Date('2026-03-01T00:00:00.000Z');
export const DAY = 86_400_000;
export const day = (n: number): Date => new Date(NOW.getTime() - n * DAY);

export interface Persona { token: string; userId: number; memberId: number; memberNo: string }
export interface Fixture { A: Persona; B: Persona; C: Persona; D: Persona; E: Persona; F: Persona }

const PROFILE = 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { gender birthday homeStore { id } location { lat lng } locationConsent } }';

export async function buildAnalyticsFixture(t: TestApp, tag: string): Promise<Fixture> {
  clock.set(NOW);
  const q = t.app.services.db.q;
  const { guomao: G, sanlitun: S, zhonglou: Z } = t.org;
  await q.run('UPDATE store SET lat = ?, lng = ? WHERE id = ?', [39.9088, 116.46, G]);

  const people = {} as Record<keyof Fixture, Persona>;
  const joined: Record<keyof Fixture, number> = { A: 400, B: 130, C: 20, D: 40, E: 300, F: 200 };
  for (const k of ['A', 'B', 'C', 'D', 'E', 'F'] as const) {
    const p = await t.signIn(`${tag}-${k}`);
    people[k] = p;
    await q.run('UPDATE member SET created_at = ? WHERE id = ?', [q.ts(day(joined[k])), p.memberId]);
  }
  await q.run("UPDATE app_user SET registration_source = 'REFERRAL' WHERE id = ?", [people.D.userId]);

  // Profiles through the member's own mutation (locations are sent precise and stored coarsened).
  const profile = async (k: keyof Fixture, input: Record<string, unknown>): Promise<void> => {
    const r = await t.gql(PROFILE, { input }, people[k].token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
  };
  await profile('A', { gender: 'FEMALE', birthday: '1990-05-10', homeStoreId: String(G), location: { lat: 39.9512, lng: 116.4598, consent: true } });
  await profile('B', { gender: 'MALE', birthday: '2000-03-02', homeStoreId: String(G), location: { lat: 39.9013, lng: 116.3987, consent: true } });
  await profile('C', { gender: 'FEMALE' });
  await profile('D', { homeStoreId: String(Z) });
  await profile('E', { homeStoreId: String(G), location: { lat: 39.7961, lng: 116.6049, consent: true } });
  await profile('F', { homeStoreId: String(G) });

  let seq = 0;
  const purchase = async (k: keyof Fixture, store: number, n: number, fen: number): Promise<void> => {
    await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [
      people[k].memberId, store, fen, JSON.stringify([{ category: 'general', amountFen: fen }]), `${tag}-p${++seq}`, 'fixture', q.ts(day(n)),
    ]);
  };
  for (const n of [150, 120, 100, 80]) await purchase('A', G, n, 10_000);
  await purchase('A', G, 50, 20_000);
  await purchase('A', G, 20, 30_000);
  await purchase('A', G, 5, 10_000);
  await purchase('B', G, 120, 400_000);
  await purchase('B', G, 110, 2_000);
  await purchase('C', S, 10, 5_000);
  await purchase('D', Z, 35, 8_000);
  await purchase('E', G, 200, 50_000);
  await purchase('F', G, 100, 6_000);
  await purchase('F', G, 15, -2_000);

  const entry = async (k: keyof Fixture, kind: string, store: number | null, n: number, delta: number): Promise<void> => {
    await q.run('INSERT INTO points_entry (member_id, delta, kind, reason, store_id, source_type, source_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      people[k].memberId, delta, kind, 'fixture', store, 'fixture', `${tag}-e${++seq}`, q.ts(day(n)),
    ]);
    // The ledger's invariant: the account's balance is the sum of the member's entries.
    await q.run('UPDATE member_account SET balance = balance + ? WHERE id = ?', [delta, people[k].memberId]);
  };
  await entry('A', 'EARN', G, 50, 200);
  await entry('A', 'EARN', G, 20, 300);
  await entry('A', 'EARN', G, 5, 100);
  await entry('A', 'REDEEM', null, 12, -150);
  await entry('B', 'EARN', G, 120, 4000);
  await entry('B', 'REDEEM', G, 8, -1000);
  await entry('C', 'EARN', S, 10, 50);
  await entry('D', 'EARN', Z, 35, 80);
  await entry('E', 'EARN', G, 200, 500);
  await entry('E', 'REDEEM', null, 9, -200);
  await entry('E', 'REVERSAL', null, 9, 200);
  await entry('E', 'EXPIRE', null, 3, -300);
  await entry('F', 'EARN', G, 100, 60);
  await entry('F', 'REVERSAL', G, 15, -20);

  // Rewards: one of the brand's own, one a partner's; three redemptions (one failed).
  const now = q.ts(NOW);
  const partner = (await q.run('INSERT INTO reward_partner (code, name, created_at) VALUES (?, ?, ?)', [`${tag}-cnpc`, '中石油', now])).insertId;
  const reward = async (kind: string, name: string, partnerId: number | null): Promise<number> =>
    (await q.run('INSERT INTO reward (kind, name, description, points_price, stock, active, partner_id, created_at, updated_at) VALUES (?, ?, ?, 100, 10, ?, ?, ?, ?)', [kind, name, name, q.bool(true), partnerId, now, now]))
      .insertId;
  const own = await reward('OWN_PRODUCT', `${tag} 咖啡`, null);
  const fuel = await reward('FUEL_CARD', `${tag} 加油卡`, partner);
  const redemption = async (k: keyof Fixture, rewardId: number, kind: string, status: string, store: number | null, n: number, points: number): Promise<void> => {
    await q.run(
      'INSERT INTO reward_redemption (reward_id, member_id, kind, points, status, idempotency_key, request_hash, store_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [rewardId, people[k].memberId, kind, points, status, `${tag}-x${++seq}`, 'fixture', store, q.ts(day(n)), q.ts(day(n))],
    );
  };
  await redemption('A', own, 'OWN_PRODUCT', 'DELIVERED', null, 12, 150);
  await redemption('B', fuel, 'FUEL_CARD', 'DELIVERED', G, 8, 1000);
  await redemption('E', fuel, 'FUEL_CARD', 'FAILED', null, 9, 200);

  // Clubs: a store club's event at 国贸 (A checks in) and an organisation-wide club's event without a store (C).
  const club = async (name: string, store: number | null): Promise<number> =>
    (await q.run("INSERT INTO club (name, theme, description, join_policy, store_id, created_at, updated_at) VALUES (?, 'reading', '', 'OPEN', ?, ?, ?)", [name, store, now, now])).insertId;
  const event = async (clubId: number, store: number | null): Promise<number> =>
    (await q.run("INSERT INTO club_event (club_id, title, description, starts_at, ends_at, address, store_id, capacity, status, created_at, updated_at) VALUES (?, 'e', '', ?, ?, 'x', ?, 10, 'FINISHED', ?, ?)", [
      clubId, q.ts(day(6)), q.ts(day(6)), store, now, now,
    ])).insertId;
  const checkIn = async (eventId: number, k: keyof Fixture): Promise<void> => {
    await q.run('INSERT INTO event_attendance (event_id, member_id, walk_in, points_awarded, created_at) VALUES (?, ?, ?, 0, ?)', [eventId, people[k].memberId, q.bool(true), q.ts(day(6))]);
  };
  await checkIn(await event(await club(`${tag} 国贸读书会`, G), G), 'A');
  await checkIn(await event(await club(`${tag} 全国跑团`, null), null), 'C');
  return people;
}
