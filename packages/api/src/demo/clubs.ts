/**
 * Demo clubs and events (F7) for the offline demo: erin runs an open cycling club and a gold-tier coffee club at
 * 北京国贸店, with upcoming events and an announcement; alice (金卡) belongs to both and has a seat on the ride.
 * Seeded texts are the project's own, so they skip WeChat content security.
 */
import type { Q } from '../db/sql';
import type { Services } from '../services';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function seedDemoClubs(s: Services, ids: { erin: number; alice: number; bob: number; guomao: number }, now: Date): Promise<void> {
  const memberOf = async (userId: number) => Number((await s.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE user_id = ?', [userId]))?.id);
  const erin = await memberOf(ids.erin);
  const alice = await memberOf(ids.alice);
  const bob = await memberOf(ids.bob);
  const gold = Number((await s.db.q.get<{ id: unknown }>("SELECT id FROM tier WHERE code = 'GOLD'"))?.id);
  await s.db.tx(async (q: Q) => {
    const ts = (d: Date) => q.ts(d);
    const club = async (name: string, theme: string, description: string, policy: string, minTier: number | null, storeId: number | null, members: number[]) => {
      const c = await q.run(
        'INSERT INTO club (name, theme, description, join_policy, min_tier_id, member_cap, member_count, store_id, created_by_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)',
        [name, theme, description, policy, minTier, members.length + 1, storeId, ids.erin, ts(new Date(now.getTime() - 60 * DAY)), ts(now)],
      );
      await q.run("INSERT INTO club_member (club_id, member_id, role, status, created_at, updated_at) VALUES (?, ?, 'ORGANIZER', 'ACTIVE', ?, ?)", [c.insertId, erin, ts(now), ts(now)]);
      for (const m of members) await q.run("INSERT INTO club_member (club_id, member_id, role, status, created_at, updated_at) VALUES (?, ?, 'MEMBER', 'ACTIVE', ?, ?)", [c.insertId, m, ts(now), ts(now)]);
      return c.insertId;
    };
    /** `inDays` days from now at `beijingHour` o'clock Beijing time (UTC+8). */
    const event = async (clubId: number, title: string, description: string, inDays: number, beijingHour: number, hours: number, address: string, lat: number, lng: number, storeId: number | null, capacity: number, cost: number, reward: number, minTier: number | null, confirmed: number) => {
      const day = Math.floor((now.getTime() + 8 * HOUR) / DAY) + inDays;
      const starts = new Date(day * DAY - 8 * HOUR + beijingHour * HOUR);
      const e = await q.run(
        `INSERT INTO club_event (club_id, title, description, starts_at, ends_at, address, lat, lng, store_id, capacity, confirmed_count, waitlist_seq, min_tier_id, points_cost, points_reward, allow_walk_ins, status, created_by_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 1, 'PUBLISHED', ?, ?, ?)`,
        [clubId, title, description, ts(starts), ts(new Date(starts.getTime() + hours * HOUR)), address, lat, lng, storeId, capacity, confirmed, minTier, cost, reward, ids.erin, ts(now), ts(now)],
      );
      return e.insertId;
    };
    const ride = await club('周末骑行俱乐部', '骑行', '每周六早上在奥森骑行，新手友好，自备头盔。', 'OPEN', null, null, [alice, bob]);
    const coffee = await club('金卡咖啡品鉴会', '咖啡', '金卡及以上会员专享：店长每月带你品鉴新豆。', 'TIER_MIN', gold, ids.guomao, [alice]);
    const rideEvent = await event(ride, '奥森晨骑 30 公里', '南门集合，骑行结束后一起吃早餐。', 3, 7.5, 3, '北京奥林匹克森林公园南门', 40.0028, 116.3975, null, 20, 0, 50, null, 1);
    await event(coffee, '埃塞俄比亚新豆品鉴', '三款日晒豆对比品鉴，限 12 人。', 5, 19, 2, '北京国贸店二层', 39.9087, 116.4605, ids.guomao, 12, 100, 30, gold, 0);
    await q.run("INSERT INTO event_rsvp (event_id, member_id, live_member_id, status, points_paid, points_refunded, created_at, updated_at) VALUES (?, ?, ?, 'CONFIRMED', 0, 0, ?, ?)", [rideEvent, alice, alice, ts(now), ts(now)]);
    // A draft for erin to publish in her first minute (organizer: 我的活动 → 发布).
    const draft = await event(ride, '长安街夜骑 20 公里', '周五下班后夜骑，带好车灯，结束后一起吃宵夜。', 10, 19.5, 2, '北京天安门东地铁站 B 口', 39.9075, 116.4013, null, 30, 0, 30, null, 0);
    await q.run("UPDATE club_event SET status = 'DRAFT' WHERE id = ?", [draft]);
    await q.run('INSERT INTO club_post (club_id, author_id, title, body, created_at) VALUES (?, ?, ?, ?, ?)', [ride, ids.erin, '本周六照常骑行', '天气晴，7:30 南门集合，记得带水。', ts(new Date(now.getTime() - DAY))]);
  });
}
