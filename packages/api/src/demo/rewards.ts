/**
 * Demo rewards (F6) for the offline demo: a ¥30 China Mobile top-up and a ¥100 CNPC fuel card (fulfilled by the
 * recharge simulator; the ¥100 card is above the one-time-code threshold), a ¥50 Sinopec fuel card, a latte picked up
 * at 北京国贸店 and a ¥20-off coupon. Alice (8,176 points) can redeem the top-up and still reach the ¥50 fuel card.
 */
import type { Q } from '../db/sql';
import type { Services } from '../services';

export async function seedDemoRewards(s: Services, ids: { guomao: number; dave: number }, now: Date): Promise<void> {
  await s.db.tx(async (q: Q) => {
    const ts = q.ts(now);
    const on = q.bool(true);
    const partner = async (code: string, name: string) => (await q.run('INSERT INTO reward_partner (code, name, created_at) VALUES (?, ?, ?)', [code, name, ts])).insertId;
    const cmcc = await partner('cmcc', '中国移动');
    const cnpc = await partner('cnpc', '中国石油');
    const sinopec = await partner('sinopec', '中国石化');
    const reward = (r: Record<string, unknown>) => {
      const cols = Object.keys(r);
      return q.run(`INSERT INTO reward (${cols.join(', ')}, active, created_by_id, created_at, updated_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?, ?, ?)`, [...Object.values(r), on, ids.dave, ts, ts]);
    };
    await reward({ kind: 'MOBILE_TOPUP', name: '¥30 中国移动话费', description: '直充到手机号，通常几分钟内到账。', points_price: 3000, face_value_fen: 3000, brand: 'CMCC', partner_id: cmcc, cost_fen: 2950, provider: 'recharge', stock: 200, limit_per_day: 2, limit_per_month: 5 });
    await reward({ kind: 'FUEL_CARD', name: '¥100 中国石油加油卡', description: '充值到中国石油加油卡（16 位卡号），到站圈存后使用。', points_price: 10_000, face_value_fen: 10_000, brand: 'CNPC', partner_id: cnpc, cost_fen: 9900, provider: 'recharge', stock: 100, limit_per_month: 2 });
    await reward({ kind: 'FUEL_CARD', name: '¥50 中国石化加油卡', description: '充值到中国石化加油卡（19 位卡号，100011 开头），到站圈存后使用。', points_price: 5000, face_value_fen: 5000, brand: 'SINOPEC', partner_id: sinopec, cost_fen: 4950, provider: 'recharge', stock: 100, limit_per_month: 2 });
    await reward({ kind: 'OWN_PRODUCT', name: '招牌拿铁一杯', description: '到北京国贸店出示券码领取。', points_price: 800, cost_fen: 900, stock: 500, store_ids: JSON.stringify([ids.guomao]), voucher_valid_days: 30 });
    await reward({ kind: 'COUPON', name: '满 100 减 20 元券', description: '任意门店收银台使用，单笔满 100 元可用。', points_price: 1500, amount_off_fen: 2000, min_spend_fen: 10_000, cost_fen: 2000, stock: 1000, voucher_valid_days: 30 });
  });
}
