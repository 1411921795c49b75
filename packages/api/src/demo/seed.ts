/**
 * Demo data (regions, stores, tiers, earning rules, personas with history). Idempotent: does nothing when a
 * region already exists. Personas sign in through the WeChat simulator with their label (alice, bob, carol, …).
 */
import { clock } from '../clock';
import { ledgerReason } from '@quanzi/shared';
import { simulatedOpenid, simulatedUnionid } from '@quanzi/simulators';
import { toInt } from '../db/sql';
import { credit, debit } from '../modules/ledger/ledger.service';
import { ruleSlot, type EarningRuleRow } from '../modules/earning/earning.service';
import type { Services } from '../services';
import { seedDemoClubs } from './clubs';
import { seedDemoRewards } from './rewards';
import { seedDemoProfiles } from './profiles';
import { seedDemoAnalytics } from './analytics';

export const DEMO_PERSONAS = {
  alice: '会员 · 金卡，8,176 积分：兑换 ¥30 话费',
  bob: '新会员：让 Carol 在收银台记一笔消费，拿到第一笔积分',
  carol: '店员 · 北京国贸店',
  dave: '总部经理',
  erin: '俱乐部组织者：发布草稿活动',
  frank: '区域经理 · 北京',
  grace: '店长 · 北京国贸店',
} as const;

const DAY = 86_400_000;

/** The phone number a demo persona "owns" (alice's is the one seeded on her account). */
export function demoPhoneOf(user: string): string {
  if (user === 'alice') return '13812345678';
  let h = 0;
  for (const ch of user) h = (h * 31 + ch.charCodeAt(0)) % 100_000_000;
  return `139${String(h).padStart(8, '0')}`;
}

export async function seedDemo(s: Services, now = clock.now()): Promise<{ seeded: boolean }> {
  const q = s.db.q;
  const existing = await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM region');
  if (toInt(existing?.n) > 0) return { seeded: false };
  const ts = (d: Date) => q.ts(d);

  await q.run("INSERT INTO loyalty_program (id, rounding, cap_per_purchase, points_validity_months, tier_period_months) VALUES (1, 'FLOOR', 50000, 24, 12)");
  const bj = (await q.run("INSERT INTO region (code, name, created_at) VALUES ('beijing', '北京', ?)", [ts(now)])).insertId;
  const xa = (await q.run("INSERT INTO region (code, name, created_at) VALUES ('xian', '西安', ?)", [ts(now)])).insertId;
  const store = async (region: number, code: string, name: string, lat: number, lng: number) =>
    (await q.run('INSERT INTO store (region_id, code, name, lat, lng, created_at) VALUES (?, ?, ?, ?, ?, ?)', [region, code, name, lat, lng, ts(now)])).insertId;
  const guomao = await store(bj, 'bj-guomao', '北京国贸店', 39.9087, 116.4605);
  const sanlitun = await store(bj, 'bj-sanlitun', '北京三里屯店', 39.9336, 116.4551);
  const zhonglou = await store(xa, 'xa-zhonglou', '西安钟楼店', 34.2612, 108.9423);
  await store(xa, 'xa-gaoxin', '西安高新店', 34.2296, 108.8845);

  const tiers: [string, string, number, number, string][] = [
    ['NORMAL', '普通', 0, 100, '消费积分'],
    ['SILVER', '银卡', 100_000, 110, '积分 1.1 倍；生日礼'],
    ['GOLD', '金卡', 500_000, 125, '积分 1.25 倍；专属俱乐部活动'],
    ['PLATINUM', '白金', 2_000_000, 150, '积分 1.5 倍；免费停车'],
    ['DIAMOND', '钻石', 5_000_000, 200, '积分 2 倍；专属客服'],
  ];
  for (const [i, [code, name, threshold, mult, benefits]] of tiers.entries()) {
    await q.run('INSERT INTO tier (code, name, `rank`, threshold_fen, multiplier_pct, benefits) VALUES (?, ?, ?, ?, ?, ?)', [code, name, i, threshold, mult, benefits]);
  }
  const rule = (kind: string, name: string, scope: string, scopeId: number | null, fen: number | null, mult: number | null, category: string | null, cats: string[] | null, from: Date | null, to: Date | null) =>
    q.run(
      'INSERT INTO earning_rule (kind, name, scope, scope_id, fen_per_point, multiplier_pct, category, categories, starts_at, ends_at, active, active_slot, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [kind, name, scope, scopeId, fen, mult, category, cats ? JSON.stringify(cats) : null, from ? ts(from) : null, to ? ts(to) : null, q.bool(true),
        ruleSlot({ kind: kind as EarningRuleRow['kind'], scope: scope as EarningRuleRow['scope'], scopeId, category }), ts(now)],
    );
  await rule('BASE_RATE', '全国：1 元 = 1 积分', 'HQ', null, 100, null, null, null, null, null);
  await rule('BASE_RATE', '北京：10 元 = 1 积分', 'REGION', bj, 1000, null, null, null, null, null);
  await rule('BASE_RATE', '西安：1 元 = 1 积分', 'REGION', xa, 100, null, null, null, null, null);
  await rule('CATEGORY', '生鲜 1.5 倍', 'HQ', null, null, 150, 'fresh', null, null, null);
  await rule('CATEGORY', '烟酒不积分', 'HQ', null, null, 0, 'tobacco', null, null, null);
  await rule('CAMPAIGN', '会员月双倍积分', 'HQ', null, null, 200, null, null, new Date(now.getTime() - 2 * DAY), new Date(now.getTime() + 12 * DAY));

  const users: Record<string, number> = {};
  for (const label of Object.keys(DEMO_PERSONAS)) {
    const u = await s.users.ensureUser(simulatedOpenid(s.config.wechat.appid, label), simulatedUnionid(label), 'DEMO', new Date(now.getTime() - 400 * DAY));
    users[label] = u.userId;
  }
  await q.run("UPDATE app_user SET phone = '13812345678', phone_country_code = '86', nickname = 'Alice' WHERE id = ?", [users.alice]);
  await q.run("UPDATE app_user SET nickname = 'Carol' WHERE id = ?", [users.carol]);
  await s.users.insertGrant(q, users.carol as number, { role: 'STAFF', scope: 'STORE', storeId: guomao, regionId: bj });
  await s.users.insertGrant(q, users.dave as number, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  await s.users.insertGrant(q, users.erin as number, { role: 'ORGANIZER', scope: 'HQ', storeId: null, regionId: null });
  // The manager console's other scopes (issue #13): a region manager and a store manager.
  await s.users.insertGrant(q, users.frank as number, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: bj });
  await s.users.insertGrant(q, users.grace as number, { role: 'MANAGER', scope: 'STORE', storeId: guomao, regionId: bj });
  await q.run("UPDATE app_user SET nickname = ? WHERE id = ?", ['Dave', users.dave]);
  await q.run("UPDATE app_user SET nickname = ? WHERE id = ?", ['Frank', users.frank]);
  await q.run("UPDATE app_user SET nickname = ? WHERE id = ?", ['Grace', users.grace]);

  // Alice: a year of purchases (gold tier), one lot expiring within the month, one redemption; 8,176 points, so in
  // the first minute she can redeem the ¥30 top-up (3,000) and still reach the ¥50 fuel card (5,000).
  const alice = await s.members.home(users.alice as number);
  const history: [number, number, number, string][] = [
    // [days ago, amount fen, points, store]
    [715, 80_000, 800, 'zhonglou'],
    [300, 250_000, 250, 'guomao'],
    [120, 180_000, 180, 'guomao'],
    [40, 120_000, 1_200, 'zhonglou'],
    [20, 600_000, 6_000, 'zhonglou'], // a ¥6,000 order in Xi'an (¥1 = 1 point): enough for the ¥30 top-up and the ¥50 fuel card
    [6, 36_800, 46, 'guomao'],
  ];
  let i = 0;
  const tierRows = await s.tiers.list(); // read before the transactions (TierSettings)
  for (const [ago, amount, points, where] of history) {
    const at = new Date(now.getTime() - ago * DAY);
    const storeId = where === 'guomao' ? guomao : zhonglou;
    await s.db.tx(async (t) => {
      const p = await t.run(
        'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [alice.id, storeId, users.carol, amount, JSON.stringify([{ category: 'general', amountFen: amount }]), points, `demo-seed-${++i}`, 'demo', t.ts(at)],
      );
      await credit(
        t,
        { memberId: alice.id, kind: 'EARN', reason: ledgerReason.purchase(amount), actorId: users.carol as number, storeId, sourceType: 'purchase', sourceRef: String(p.insertId), requestHash: 'demo', now: at },
        points,
        24, // the oldest lot (715 days ago) expires in about two weeks: "expiring soon"
      );
      // Her tier moves as it would have at the till, so the console's member page shows a tier history.
      await s.tiers.reevaluate(t, alice.id, at, { tierPeriodMonths: 12, tierUpgradeCoupons: [], tiers: tierRows });
    });
  }
  await s.db.tx((t) =>
    debit(t, { memberId: alice.id, kind: 'REDEEM', reason: ledgerReason.tillRedeem('兑换咖啡'), actorId: users.carol as number, storeId: guomao, sourceType: 'till_redeem', sourceRef: 'demo-seed-redeem', requestHash: 'demo', now: new Date(now.getTime() - 3 * DAY) }, 300),
  );
  await seedDemoClubs(s, { erin: users.erin as number, alice: users.alice as number, bob: users.bob as number, guomao }, now);
  await seedDemoRewards(s, { guomao, dave: users.dave as number }, now);
  await seedDemoProfiles(s, { alice: users.alice as number, bob: users.bob as number }, guomao, now);
  await seedDemoAnalytics(s, { guomao, sanlitun }, users.carol as number, now);
  return { seeded: true };
}
