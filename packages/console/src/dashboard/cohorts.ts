/**
 * The cohort retention chart (issue #15 item 5): monthly sign-up cohorts down, months since sign-up across, the
 * share of each cohort that bought in that month as colour. One table model (table view and CSV) and one ECharts
 * heatmap option from the same data; pure (no canvas), `now` a parameter. Months are Beijing (Shanghai) months,
 * with the shared month rules.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { addMonthsToMonth, shanghaiMonth, shanghaiMonthStart } from '@quanzi/shared';
import type { CohortRetentionQuery } from '../graphql/generated';
import type { Cell, TableModel } from './charts';

type Retention = CohortRetentionQuery['cohortRetention'];
export const COHORT_SPANS = [6, 12, 24] as const;
export type CohortSpan = (typeof COHORT_SPANS)[number];

/** The API range for the last `months` Beijing months, the current one included: [start of the first, start of the next). */
export function cohortRange(nowMs: number, months: number): { from: string; to: string } {
  const current = shanghaiMonth(new Date(nowMs));
  return { from: shanghaiMonthStart(addMonthsToMonth(current, -(months - 1))).toISOString(), to: shanghaiMonthStart(addMonthsToMonth(current, 1)).toISOString() };
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
export const offsetLabel = (k: number) => (k === 0 ? '当月' : `第 ${k} 月`);

/**
 * One row per cohort: the month, its members, then each month's share and count as '50.0% (1)'; a month not yet
 * begun is empty, the current (unfinished) month is marked '*', an empty cohort's months show '—'.
 */
export function cohortTable(r: Retention): TableModel {
  const offsets = r.cohorts[0]?.cells.length ?? 12;
  return {
    header: ['注册月份', '人数', ...Array.from({ length: offsets }, (_, k) => offsetLabel(k))],
    rows: r.cohorts.map((c): Cell[] => [
      c.month,
      c.members,
      ...c.cells.map((x): Cell => (x.active == null ? null : x.rate == null ? '—' : `${pct(x.rate)} (${x.active})${x.complete ? '' : '*'}`)),
    ]),
  };
}

/** Heatmap: x = months since sign-up, y = cohorts (oldest on top), colour = retention %, label the %. */
export function cohortOption(r: Retention): EChartsCoreOption {
  const offsets = r.cohorts[0]?.cells.length ?? 12;
  const data = r.cohorts.flatMap((c, y) => c.cells.filter((x) => x.rate != null).map((x) => [x.offset, y, Math.round((x.rate as number) * 1000) / 10]));
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 96, right: 16, top: 16, bottom: 80 },
    xAxis: { type: 'category', data: Array.from({ length: offsets }, (_, k) => offsetLabel(k)), splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: r.cohorts.map((c) => `${c.month}（${c.members}人）`), splitArea: { show: true } },
    visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, text: ['100%', '0%'], inRange: { color: ['#f0f5ff', '#1d39c4'] } },
    series: [{ name: '留存率（%）', type: 'heatmap', data, label: { show: true, formatter: (p: { value: number[] }) => `${p.value[2]}%` } }],
  };
}
