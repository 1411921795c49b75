/** The standard test organisation, shared by the integration tests, the journeys and the benchmark. */
import type { App } from '../../src/app';

export interface Org {
  beijing: number;
  xian: number;
  guomao: number; // 北京国贸店 (Beijing)
  sanlitun: number; // 北京三里屯店 (Beijing)
  zhonglou: number; // 西安钟楼店 (Xi'an)
}

/** 2 regions, 3 stores, 5 tiers (普通…钻石), base rates (HQ ¥1 = 1, Beijing ¥10 = 1) and a fresh ×1.5 category rule. */
export async function seedOrg(app: App): Promise<Org> {
  const q = app.services.db.q;
  const now = q.ts(new Date());
  await q.run("INSERT INTO loyalty_program (id, rounding, cap_per_purchase, points_validity_months, tier_period_months) VALUES (1, 'FLOOR', NULL, 24, 12)");
  const beijing = (await q.run("INSERT INTO region (code, name, created_at) VALUES ('beijing', '北京', ?)", [now])).insertId;
  const xian = (await q.run("INSERT INTO region (code, name, created_at) VALUES ('xian', '西安', ?)", [now])).insertId;
  const store = async (r: number, code: string, name: string) => (await q.run('INSERT INTO store (region_id, code, name, created_at) VALUES (?, ?, ?, ?)', [r, code, name, now])).insertId;
  const guomao = await store(beijing, 'bj-guomao', '北京国贸店');
  const sanlitun = await store(beijing, 'bj-sanlitun', '北京三里屯店');
  const zhonglou = await store(xian, 'xa-zhonglou', '西安钟楼店');
  const tiers: [string, string, number, number][] = [
    ['NORMAL', '普通', 0, 100],
    ['SILVER', '银卡', 100_000, 110],
    ['GOLD', '金卡', 500_000, 125],
    ['PLATINUM', '白金', 2_000_000, 150],
    ['DIAMOND', '钻石', 5_000_000, 200],
  ];
  for (const [i, [code, name, th, m]] of tiers.entries()) {
    await q.run('INSERT INTO tier (code, name, `rank`, threshold_fen, multiplier_pct) VALUES (?, ?, ?, ?, ?)', [code, name, i, th, m]);
  }
  const on = q.bool(true);
  // active_slot: the unique slot an active base rate / category multiplier holds (earning.service.ts ruleSlot).
  await q.run("INSERT INTO earning_rule (kind, name, scope, scope_id, fen_per_point, active, active_slot, created_at) VALUES ('BASE_RATE', 'HQ ¥1=1', 'HQ', NULL, 100, ?, 'BASE_RATE:HQ::', ?)", [on, now]);
  await q.run("INSERT INTO earning_rule (kind, name, scope, scope_id, fen_per_point, active, active_slot, created_at) VALUES ('BASE_RATE', '北京 ¥10=1', 'REGION', ?, 1000, ?, ?, ?)", [beijing, on, `BASE_RATE:REGION:${beijing}:`, now]);
  await q.run("INSERT INTO earning_rule (kind, name, scope, scope_id, multiplier_pct, category, active, active_slot, created_at) VALUES ('CATEGORY', '生鲜 1.5x', 'HQ', NULL, 150, 'fresh', ?, 'CATEGORY:HQ::fresh', ?)", [on, now]);
  for (const s of [app.services.org, app.services.tiers, app.services.earning]) (s as unknown as { cache: { invalidate(): void } }).cache.invalidate();
  return { beijing, xian, guomao, sanlitun, zhonglou };
}
