/**
 * KPI tiles: every figure `analyticsKpis` returns, its Chinese label, its definition (the README's and the GraphQL
 * description's, in Chinese) and how it is formatted; the period-over-period change. Pure.
 */
import type { KpiFieldsFragment } from '../graphql/generated';

export type KpiKey = Exclude<keyof KpiFieldsFragment, 'from' | 'to'>;
/** count: an integer; fen: money; points; rate: a ratio shown as a percentage; ratio: a plain number (2 decimals). */
export type KpiFormat = 'count' | 'fen' | 'points' | 'rate' | 'ratio';

export interface KpiDef {
  key: KpiKey;
  label: string;
  format: KpiFormat;
  /** Is a rise good news (green), bad news (red) or neither (grey)? */
  better: 'up' | 'down' | 'none';
  definition: string;
}

export const KPI_DEFS: readonly KpiDef[] = [
  { key: 'newMembers', label: '新会员', format: 'count', better: 'up', definition: '范围内在本期加入的会员' },
  { key: 'referrals', label: '推荐入会', format: 'count', better: 'up', definition: '本期新会员中通过推荐注册的人数（注册来源 REFERRAL）' },
  { key: 'activeMembers', label: '活跃会员', format: 'count', better: 'up', definition: '期末前 activeDays 天（默认 90 天）内在范围内门店有到店消费的会员' },
  { key: 'churnBase', label: '流失基数', format: 'count', better: 'none', definition: '期初活跃的会员（期初前 activeDays 天内有到店消费）' },
  { key: 'churned', label: '流失会员', format: 'count', better: 'down', definition: '流失基数中，期末前 activeDays 天内没有到店消费的会员' },
  { key: 'churnRate', label: '流失率', format: 'rate', better: 'down', definition: '流失会员 ÷ 流失基数' },
  { key: 'visits', label: '到店次数', format: 'count', better: 'up', definition: '本期在范围内门店金额为正的消费笔数（退款不算到店）' },
  { key: 'visitors', label: '到店会员', format: 'count', better: 'up', definition: '本期有到店消费的不同会员数' },
  { key: 'spendFen', label: '消费额', format: 'fen', better: 'up', definition: '本期净消费额（已扣除退款）' },
  { key: 'avgSpendPerVisitFen', label: '客单价', format: 'fen', better: 'up', definition: '消费额 ÷ 到店次数，四舍五入到分' },
  { key: 'visitFrequency', label: '到店频次', format: 'ratio', better: 'up', definition: '到店次数 ÷ 到店会员（2 位小数）' },
  { key: 'pointsIssued', label: '发放积分', format: 'points', better: 'none', definition: '本期消费得分（EARN），减去消费退款收回的积分' },
  { key: 'pointsRedeemed', label: '兑换积分', format: 'points', better: 'up', definition: '本期兑换扣分（礼品、收银抵扣、活动费用），减去退回的兑换' },
  { key: 'pointsExpired', label: '过期积分', format: 'points', better: 'none', definition: '本期写入的积分过期扣减' },
  { key: 'redemptionRate', label: '兑换率', format: 'rate', better: 'up', definition: '兑换积分 ÷ 发放积分（兑换多于发放时超过 100%）' },
  { key: 'liabilityPoints', label: '未兑积分', format: 'points', better: 'none', definition: '期末范围内会员的积分余额（已过有效期但尚未被过期任务扣除的积分仍计入）' },
  { key: 'liabilityFen', label: '积分负债', format: 'fen', better: 'none', definition: '未兑积分 × 每 100 积分的价值（analyticsSettings.pointValueFenPer100）÷ 100，四舍五入' },
  { key: 'ownRedemptions', label: '自有礼品兑换', format: 'count', better: 'up', definition: '本期下单的自有礼品（无合作方）兑换笔数，不含失败的兑换' },
  { key: 'partnerRedemptions', label: '合作方礼品兑换', format: 'count', better: 'none', definition: '本期下单的合作方礼品（话费、加油卡等）兑换笔数，不含失败的兑换' },
  { key: 'ownRedemptionRatio', label: '自有兑换占比', format: 'rate', better: 'up', definition: '自有礼品兑换 ÷（自有 + 合作方）：越高说明会员越想要品牌自己的东西' },
  { key: 'clubAttendees', label: '俱乐部参与人数', format: 'count', better: 'up', definition: '本期在范围内门店的俱乐部活动签到的不同会员（活动的门店，否则其俱乐部的门店）' },
  { key: 'clubParticipationRate', label: '俱乐部参与率', format: 'rate', better: 'up', definition: '俱乐部参与人数 ÷ 活跃会员' },
];

const INT = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const DEC2 = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A KPI value as the tile shows it ('—' when the API says there is nothing to divide by). */
export function formatKpi(format: KpiFormat, v: number | null | undefined): string {
  if (v == null || Number.isNaN(v)) return '—';
  switch (format) {
    case 'fen':
      return `¥${DEC2.format(v / 100)}`;
    case 'rate':
      return `${(v * 100).toFixed(1)}%`;
    case 'ratio':
      return DEC2.format(v);
    default:
      return INT.format(v);
  }
}

export interface KpiChange {
  /** current − previous, null when either is missing */
  delta: number | null;
  /** relative change of counts and amounts (delta ÷ previous); null for rates, or when previous is 0 or missing */
  pct: number | null;
  /** '+12.5%', '−3 个百分点', '持平', '新增', '—' */
  text: string;
  /** up, down or flat, and whether that is good news */
  direction: 'up' | 'down' | 'flat' | 'none';
  tone: 'good' | 'bad' | 'neutral';
}

const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '');

/**
 * Period-over-period change: counts, amounts and points change by a percentage of the previous period; rates by
 * percentage points (a rate of a rate misleads). From 0 to something is 新增; both 0 is 持平.
 */
export function kpiChange(def: Pick<KpiDef, 'format' | 'better'>, current: number | null | undefined, previous: number | null | undefined): KpiChange {
  if (current == null || previous == null) return { delta: null, pct: null, text: '—', direction: 'none', tone: 'neutral' };
  const delta = current - previous;
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const tone = direction === 'flat' || def.better === 'none' ? 'neutral' : (direction === 'up') === (def.better === 'up') ? 'good' : 'bad';
  if (def.format === 'rate') {
    const pts = Math.round(delta * 1000) / 10; // percentage points, 1 decimal
    return { delta, pct: null, text: pts === 0 ? '持平' : `${sign(pts)}${Math.abs(pts).toFixed(1)} 个百分点`, direction: pts === 0 ? 'flat' : direction, tone: pts === 0 ? 'neutral' : tone };
  }
  if (delta === 0) return { delta, pct: 0, text: '持平', direction, tone };
  if (previous === 0) return { delta, pct: null, text: current > 0 ? '新增' : `${sign(delta)}${formatKpi(def.format, Math.abs(delta))}`, direction, tone };
  const pct = delta / Math.abs(previous);
  return { delta, pct, text: `${sign(pct)}${Math.abs(pct * 100).toFixed(1)}%`, direction, tone };
}

/** The KPI table (and CSV): one row per KPI with both periods and the change. */
export function kpiTable(current: KpiFieldsFragment, previous: KpiFieldsFragment): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['指标', '本期', '上期', '变化', '定义'],
    rows: KPI_DEFS.map((d) => [d.label, formatKpi(d.format, current[d.key]), formatKpi(d.format, previous[d.key]), kpiChange(d, current[d.key], previous[d.key]).text, d.definition]),
  };
}
