/**
 * Data shaping for the dashboard's charts: each chart has one table model (what the table view shows and the CSV
 * exports) and one ECharts option built from the same data. Pure functions (no canvas), unit-tested in jsdom.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { CustomerInventoryQuery, RfmReportQuery, StaffRatingsQuery, StoreRatingsQuery, TradeAreaRadarQuery } from '../graphql/generated';
import { beijingDate } from './range';

export type Cell = string | number | null;
/** A chart's table view: the header and the rows, exactly what its CSV holds. */
export interface TableModel {
  header: string[];
  rows: Cell[][];
}

const yuan2 = (fen: number) => Math.round(fen) / 100;

// --- Lifecycle inventory ---------------------------------------------------------------------------------------

export const STAGES = ['NEW', 'DEVELOPING', 'MATURE', 'DECLINING', 'LOST'] as const;
export const STAGE_ZH: Record<(typeof STAGES)[number], string> = { NEW: '新会员', DEVELOPING: '成长期', MATURE: '成熟期', DECLINING: '衰退期', LOST: '已流失' };
const STAGE_COLORS = ['#5b8ff9', '#61ddaa', '#65789b', '#f6bd16', '#e86452'];

type Inventory = CustomerInventoryQuery['customerInventory'];

/** One row per week (the Beijing date of the instant the counts are taken at — the day before, as `to` is exclusive). */
export function inventoryTable(inv: Inventory): TableModel {
  return {
    header: ['周末日期', ...STAGES.map((s) => STAGE_ZH[s]), '合计'],
    rows: inv.weeks.map((w) => {
      const n = STAGES.map((s) => w.counts.find((c) => c.stage === s)?.members ?? 0);
      return [beijingDate(Date.parse(w.at) - 1), ...n, n.reduce((a, b) => a + b, 0)];
    }),
  };
}

/** Stacked areas, one per stage, over the weeks. */
export function inventoryOption(inv: Inventory): EChartsCoreOption {
  const t = inventoryTable(inv);
  return {
    animation: false,
    color: STAGE_COLORS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', boundaryGap: false, data: t.rows.map((r) => r[0]) },
    yAxis: { type: 'value', minInterval: 1 },
    series: STAGES.map((s, i) => ({ name: STAGE_ZH[s], type: 'line', stack: 'members', areaStyle: {}, symbol: 'circle', symbolSize: 4, data: t.rows.map((r) => r[i + 1]) })),
  };
}

// --- RFM -------------------------------------------------------------------------------------------------------

type Rfm = RfmReportQuery['rfmReport'];
export type RfmMetric = 'members' | 'spendFen';

/** The 5 × 5 grid as a table: recency 5 (most recent) on top, frequency 1–5 across; members and spend per cell. */
export function rfmTable(rfm: Rfm): TableModel {
  const cell = (r: number, f: number) => rfm.cells.find((c) => c.r === r && c.f === f);
  const rows: Cell[][] = [];
  for (let r = 5; r >= 1; r--) {
    const row: Cell[] = [`R${r}`];
    for (let f = 1; f <= 5; f++) row.push(cell(r, f)?.members ?? 0, yuan2(cell(r, f)?.spendFen ?? 0));
    rows.push(row);
  }
  const header = ['最近消费（R）'];
  for (let f = 1; f <= 5; f++) header.push(`F${f} 人数`, `F${f} 消费额（元）`);
  return { header, rows };
}

/** Heatmap: x = frequency score, y = recency score, colour = members or spend (yuan). */
export function rfmOption(rfm: Rfm, metric: RfmMetric): EChartsCoreOption {
  const data = rfm.cells.map((c) => [c.f - 1, c.r - 1, metric === 'members' ? c.members : yuan2(c.spendFen)]);
  const max = Math.max(1, ...data.map((d) => d[2] as number));
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 64, right: 16, top: 16, bottom: 96 },
    xAxis: { type: 'category', name: '消费频次 F', nameLocation: 'middle', nameGap: 28, data: ['F1', 'F2', 'F3', 'F4', 'F5'], splitArea: { show: true } },
    yAxis: { type: 'category', name: '最近消费 R', nameLocation: 'middle', nameGap: 40, data: ['R1', 'R2', 'R3', 'R4', 'R5'], splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f0f5ff', '#1d39c4'] } },
    series: [{ name: metric === 'members' ? '人数' : '消费额（元）', type: 'heatmap', data, label: { show: true } }],
  };
}

/** '62.5%' of spend from the top 20 % of members, or '—' when nobody was scored. */
export const topShareText = (share: number | null | undefined): string => (share == null ? '—' : `${(share * 100).toFixed(1)}%`);

// --- Trade-area radar ------------------------------------------------------------------------------------------

type Radar = TradeAreaRadarQuery['tradeAreaRadar'];
export type RadarMetric = 'members' | 'spendFen' | 'points';
export const DIRECTIONS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export const DIRECTION_ZH: Record<string, string> = { N: '北', NE: '东北', E: '东', SE: '东南', S: '南', SW: '西南', W: '西', NW: '西北' };
export const RINGS = ['KM_0_5', 'KM_5_10', 'KM_10_20', 'KM_20_PLUS'] as const;
export const RING_ZH: Record<string, string> = { KM_0_5: '0–5 公里', KM_5_10: '5–10 公里', KM_10_20: '10–20 公里', KM_20_PLUS: '20 公里以上' };
export const GENDER_ZH: Record<string, string> = { FEMALE: '女', MALE: '男', UNKNOWN: '未填' };
export const AGE_BANDS = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS'] as const;
export const AGE_ZH: Record<string, string> = { UNDER_18: '18 岁以下', AGE_18_24: '18–24', AGE_25_34: '25–34', AGE_35_44: '35–44', AGE_45_54: '45–54', AGE_55_64: '55–64', AGE_65_PLUS: '65 岁以上', none: '未填生日' };
export const RADAR_METRIC_ZH: Record<RadarMetric, string> = { members: '人数', spendFen: '消费额（元）', points: '积分' };

const metricValue = (x: { members: number; spendFen: number; points: number }, m: RadarMetric) => (m === 'spendFen' ? yuan2(x.spendFen) : x[m]);

/** One row per sector (ring inside out, direction clockwise from N): members, spend, points. */
export function radarTable(radar: Radar): TableModel {
  return {
    header: ['距离', '方向', '人数', '消费额（元）', '积分'],
    rows: RINGS.flatMap((ring) =>
      DIRECTIONS.map((dir) => {
        const s = radar.sectors.find((x) => x.ring === ring && x.direction === dir);
        return [RING_ZH[ring] ?? ring, DIRECTION_ZH[dir] ?? dir, s?.members ?? 0, yuan2(s?.spendFen ?? 0), s?.points ?? 0];
      }),
    ),
  };
}

/** Split by gender or age band, summed over all sectors: one row per group with the metric per ring. */
export function radarSplitTable(radar: Radar, by: 'gender' | 'age', metric: RadarMetric): TableModel {
  const groups: string[] = by === 'gender' ? ['FEMALE', 'MALE', 'UNKNOWN'] : [...AGE_BANDS, 'none'];
  const label = (g: string) => (by === 'gender' ? GENDER_ZH[g] : AGE_ZH[g]) ?? g;
  const rows = groups.map((g) => {
    const perRing = RINGS.map((ring) =>
      radar.sectors
        .filter((s) => s.ring === ring)
        .flatMap((s): { members: number; spendFen: number; points: number }[] => (by === 'gender' ? s.byGender.filter((t) => t.gender === g) : s.byAgeBand.filter((t) => (t.ageBand ?? 'none') === g)))
        .reduce((sum: number, t) => sum + metricValue(t, metric), 0),
    );
    return [label(g), ...perRing.map((v) => Math.round(v * 100) / 100), Math.round(perRing.reduce((a, b) => a + b, 0) * 100) / 100];
  });
  return { header: [by === 'gender' ? '性别' : '年龄段', ...RINGS.map((r) => RING_ZH[r] ?? r), '合计'], rows };
}

/** Polar chart: 8 directions around, one stacked bar series per ring (inner ring at the centre). */
export function radarOption(radar: Radar, metric: RadarMetric): EChartsCoreOption {
  return {
    animation: false,
    color: ['#1d39c4', '#597ef7', '#85a5ff', '#d6e4ff'],
    tooltip: {},
    legend: { top: 0, data: RINGS.map((r) => RING_ZH[r] ?? r) },
    polar: { radius: ['8%', '78%'], center: ['50%', '55%'] },
    angleAxis: { type: 'category', data: DIRECTIONS.map((d) => DIRECTION_ZH[d]), startAngle: 90 + 22.5, clockwise: true },
    radiusAxis: { type: 'value', minInterval: metric === 'spendFen' ? 0 : 1 },
    series: RINGS.map((ring) => ({
      name: RING_ZH[ring],
      type: 'bar',
      coordinateSystem: 'polar',
      stack: 'rings',
      data: DIRECTIONS.map((dir) => {
        const s = radar.sectors.find((x) => x.ring === ring && x.direction === dir);
        return s ? metricValue(s, metric) : 0;
      }),
    })),
  };
}

// --- Ratings ---------------------------------------------------------------------------------------------------

type StoreRating = StoreRatingsQuery['storeRatings'][number];
type StaffRating = StaffRatingsQuery['staffRatings'][number];
export type RatingRow = Pick<StoreRating, 'count' | 'average' | 'distribution' | 'low'> & { name: string };

export const storeRatingRows = (rows: readonly StoreRating[]): RatingRow[] => rows.map((r) => ({ name: r.storeName, count: r.count, average: r.average, distribution: r.distribution, low: r.low }));
export const staffRatingRows = (rows: readonly StaffRating[]): RatingRow[] => rows.map((r) => ({ name: r.staffName, count: r.count, average: r.average, distribution: r.distribution, low: r.low }));

/** Per store (or staff member): count, average, low ones and the distribution 1–5 stars. */
export function ratingsTable(rows: readonly RatingRow[], who: string): TableModel {
  return {
    header: [who, '评价数', '平均星级', '差评（1–2 星）', '1 星', '2 星', '3 星', '4 星', '5 星'],
    rows: rows.map((r) => [r.name, r.count, r.average == null ? null : r.average.toFixed(2), r.low, ...[0, 1, 2, 3, 4].map((i) => r.distribution[i] ?? 0)]),
  };
}

/** Horizontal bars stacked by stars (1★ red … 5★ green), one bar per store or staff member. */
export function ratingsOption(rows: readonly RatingRow[]): EChartsCoreOption {
  const names = rows.map((r) => (r.average == null ? r.name : `${r.name}（${r.average.toFixed(2)}★）`));
  return {
    animation: false,
    color: ['#e86452', '#ff9845', '#f6bd16', '#9fd36b', '#3ba272'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 16, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: names },
    series: [0, 1, 2, 3, 4].map((i) => ({ name: `${i + 1} 星`, type: 'bar', stack: 'stars', barMaxWidth: 28, data: rows.map((r) => r.distribution[i] ?? 0) })),
  };
}
