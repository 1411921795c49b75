/**
 * Demo customers for the manager console's 数据看板 and 服务评价 (issue #15): four members who are not personas, with
 * consented locations around 北京国贸店, purchases over the last months (through the ledger, like the till) and three
 * ratings given through the real rating service (an hour after the purchase; the 1- and 2-star ones alert the
 * store's managers). Together with Alice and Bob they fill every lifecycle stage but LOST, several RFM cells and
 * the radar's rings. Deterministic: every date is relative to `now`.
 */
import { coarsenLocation, ledgerReason } from '@quanzi/shared';
import { simulatedOpenid, simulatedUnionid } from '@quanzi/simulators';
import { RequestContext } from '../context';
import { credit } from '../modules/ledger/ledger.service';
import type { Services } from '../services';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface DemoCustomer {
  label: string;
  nickname: string;
  joinedDaysAgo: number;
  gender: 'FEMALE' | 'MALE' | null;
  birthday: string | null;
  where: { lat: number; lng: number } | null;
  /** [days ago, amount fen, 'guomao' | 'sanlitun'] */
  purchases: [number, number, 'guomao' | 'sanlitun'][];
  /** The rating of the newest purchase: stars and comment */
  rating?: [number, string | null];
}

const CUSTOMERS: DemoCustomer[] = [
  // A regular of 国贸 (MATURE): nine visits in the last seven months.
  { label: 'demo-wang', nickname: '王芳', joinedDaysAgo: 420, gender: 'FEMALE', birthday: '1990-04-12', where: { lat: 39.9052, lng: 116.4457 }, // 建国门外, ~1.3 km W
    purchases: [[200, 32_000, 'guomao'], [170, 28_500, 'guomao'], [140, 41_000, 'guomao'], [100, 26_800, 'guomao'], [70, 35_200, 'guomao'], [40, 29_900, 'guomao'], [25, 45_600, 'guomao'], [12, 38_800, 'guomao'], [3, 52_000, 'guomao']],
    rating: [5, '店员很热情，推荐的新品不错'] },
  // Visits dropped (DECLINING): three visits three to five months ago, one small one this month.
  { label: 'demo-li', nickname: '李强', joinedDaysAgo: 380, gender: 'MALE', birthday: '1978-09-30', where: { lat: 39.9962, lng: 116.4703 }, // 望京, ~10 km N (coarsened: just past 10 km)
    purchases: [[160, 88_000, 'guomao'], [130, 64_000, 'guomao'], [110, 72_500, 'guomao'], [8, 5_800, 'guomao']],
    rating: [1, '排队结账等了二十分钟，只开了一个收银台'] },
  // A new member (NEW), two visits.
  { label: 'demo-zhao', nickname: '赵敏', joinedDaysAgo: 45, gender: 'FEMALE', birthday: '2001-06-01', where: { lat: 39.9095, lng: 116.6572 }, // 通州, ~17 km E
    purchases: [[30, 12_800, 'guomao'], [5, 19_900, 'guomao']],
    rating: [2, '想买的商品缺货'] },
  // Quiet for over 60 days (DECLINING), no birthday and no location shared (the radar's "未定位").
  { label: 'demo-chen', nickname: '陈磊', joinedDaysAgo: 300, gender: null, birthday: null, where: null,
    purchases: [[130, 46_000, 'sanlitun'], [100, 23_000, 'sanlitun']] },
];

export async function seedDemoAnalytics(s: Services, stores: { guomao: number; sanlitun: number }, staffUserId: number, now: Date): Promise<void> {
  const q = s.db.q;
  for (const c of CUSTOMERS) {
    const { userId } = await s.users.ensureUser(simulatedOpenid(s.config.wechat.appid, c.label), simulatedUnionid(c.label), 'DEMO', new Date(now.getTime() - c.joinedDaysAgo * DAY));
    await q.run('UPDATE app_user SET nickname = ? WHERE id = ?', [c.nickname, userId]);
    const member = await s.members.home(userId, now);
    if (c.gender || c.where) {
      const loc = c.where ? coarsenLocation(c.where) : null;
      await q.run(
        'INSERT INTO member_profile (member_id, gender, birthday, home_store_id, lat, lng, location_consent, location_consent_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [member.id, c.gender, c.birthday, stores.guomao, loc?.lat ?? null, loc?.lng ?? null, q.bool(loc !== null), loc ? q.ts(now) : null, q.ts(now)],
      );
    }
    let last: { id: number; at: Date } | null = null;
    for (const [i, [ago, amount, where]] of c.purchases.entries()) {
      const at = new Date(now.getTime() - ago * DAY);
      const storeId = stores[where];
      const points = Math.floor(amount / 1000); // 北京: ¥10 = 1 point
      last = await s.db.tx(async (t) => {
        const p = await t.run(
          'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [member.id, storeId, staffUserId, amount, JSON.stringify([{ category: 'general', amountFen: amount }]), points, `demo-${c.label}-${i}`, 'demo', t.ts(at)],
        );
        await credit(t, { memberId: member.id, kind: 'EARN', reason: ledgerReason.purchase(amount), actorId: staffUserId, storeId, sourceType: 'purchase', sourceRef: String(p.insertId), requestHash: 'demo', now: at }, points, 24);
        return { id: p.insertId, at };
      });
    }
    if (c.rating && last) {
      await s.ratings.rate(new RequestContext(userId, (id) => s.users.rolesOf(id)), 'PURCHASE', last.id, c.rating[0], c.rating[1], new Date(last.at.getTime() + HOUR));
    }
  }
}
