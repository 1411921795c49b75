/**
 * The compact manager page's pure parts: the periods (Beijing days), the scopes a manager may pick (their MANAGER
 * grants), the KPI tiles with the change against the previous period, and the inventory's chart series and counts.
 */
import { shanghaiDayStart } from '@quanzi/shared';
import type { LifecycleStage, ManagerInventoryQuery, ManagerKpisQuery } from '@quanzi/shared/graphql';
import type { Viewer } from '../../state/session';
import { toBeijing } from '../../utils/beijing-time';
import { yuan } from '../../utils/format';
import type { TrendPoint } from './trend-chart';

const DAY = 86_400_000;

export const PERIODS = [
  { days: 1, label: '今日' },
  { days: 7, label: '近 7 天' },
  { days: 30, label: '近 30 天' },
] as const;

/** [start of the day `days − 1` before today, start of tomorrow) in Beijing time, as the API takes it. */
export function periodRange(nowMs: number, days: number): { from: string; to: string } {
  const today = shanghaiDayStart(new Date(nowMs)).getTime();
  return { from: new Date(today - (days - 1) * DAY).toISOString(), to: new Date(today + DAY).toISOString() };
}

/** The inventory's range: the last 8 weeks (8 weekly points ending tomorrow 00:00). */
export const INVENTORY_WEEKS = 8;
export const inventoryRange = (nowMs: number) => periodRange(nowMs, INVENTORY_WEEKS * 7);

export interface ScopeChoice {
  key: string;
  label: string;
  regionId: string | null;
  storeId: string | null;
}

/** One choice per MANAGER grant: HQ (全部门店), a region, a store (by name when the viewer's stores name it). */
export function managerScopes(viewer: Pick<Viewer, 'roles' | 'staffStores'> | null | undefined): ScopeChoice[] {
  if (!viewer) return [];
  const name = (id: string | null | undefined) => viewer.staffStores.find((s) => s.id === id)?.name ?? '本店';
  return viewer.roles
    .filter((r) => r.role === 'MANAGER')
    .map((r): ScopeChoice =>
      r.scope === 'HQ'
        ? { key: 'hq', label: '全部门店', regionId: null, storeId: null }
        : r.scope === 'REGION'
          ? { key: `r:${r.regionId}`, label: viewer.staffStores.find((s) => s.regionId === r.regionId)?.regionName ?? '本区域', regionId: r.regionId ?? null, storeId: null }
          : { key: `s:${r.storeId}`, label: name(r.storeId), regionId: null, storeId: r.storeId ?? null },
    );
}

type Kpis = ManagerKpisQuery['analyticsKpis']['current'];
export interface KpiTile {
  key: keyof Kpis;
  label: string;
  value: string;
  /** '↑ 25.0%', '↓ 3.2 个百分点', '新增', '持平' or '—' (nothing to compare with). */
  change: string;
  /** Whether the change is good news (green), bad (red) or neither. */
  tone: 'up' | 'down' | 'flat';
}

const DEFS: { key: keyof Kpis; label: string; kind: 'count' | 'money' | 'rate'; goodWhenUp: boolean }[] = [
  { key: 'spendFen', label: '消费额', kind: 'money', goodWhenUp: true },
  { key: 'visits', label: '到店次数', kind: 'count', goodWhenUp: true },
  { key: 'avgSpendPerVisitFen', label: '客单价', kind: 'money', goodWhenUp: true },
  { key: 'newMembers', label: '新会员', kind: 'count', goodWhenUp: true },
  { key: 'activeMembers', label: '活跃会员', kind: 'count', goodWhenUp: true },
  { key: 'churnRate', label: '流失率', kind: 'rate', goodWhenUp: false },
  { key: 'pointsIssued', label: '发放积分', kind: 'count', goodWhenUp: true },
  { key: 'pointsRedeemed', label: '兑换积分', kind: 'count', goodWhenUp: true },
];

const show = (v: number | null, kind: 'count' | 'money' | 'rate') =>
  v == null ? '—' : kind === 'money' ? `¥${yuan(v)}` : kind === 'rate' ? `${(v * 100).toFixed(1)}%` : v.toLocaleString('en-US');

/** The tiles: the value, and the change from the previous period (counts and money in %, rates in 个百分点). */
export function kpiTiles(current: Kpis, previous: Kpis): KpiTile[] {
  return DEFS.map((d) => {
    const c = current[d.key];
    const p = previous[d.key];
    let change = '—';
    let delta = 0;
    if (c != null && p != null) {
      delta = c - p;
      if (delta === 0) change = '持平';
      else if (d.kind === 'rate') change = `${delta > 0 ? '↑' : '↓'} ${Math.abs(delta * 100).toFixed(1)} 个百分点`;
      else if (p === 0) change = '新增';
      else change = `${delta > 0 ? '↑' : '↓'} ${Math.abs((delta / p) * 100).toFixed(1)}%`;
    }
    const tone = delta === 0 ? 'flat' : delta > 0 === d.goodWhenUp ? 'up' : 'down';
    return { key: d.key, label: d.label, value: show(c, d.kind), change, tone };
  });
}

export const STAGES: LifecycleStage[] = ['NEW', 'DEVELOPING', 'MATURE', 'DECLINING', 'LOST'];
export const STAGE_ZH: Record<LifecycleStage, string> = { NEW: '新会员', DEVELOPING: '成长期', MATURE: '成熟期', DECLINING: '衰退期', LOST: '已流失' };

type Inventory = ManagerInventoryQuery['customerInventory'];

/** The chart's points: one line per stage, x = the Beijing date the week ends (MM-DD; `at` is exclusive). */
export function inventorySeries(inv: Inventory): TrendPoint[] {
  return inv.weeks.flatMap((w) => {
    const x = (toBeijing(Date.parse(w.at) - 1)?.date ?? '').slice(5);
    return STAGES.map((s) => ({ x, series: STAGE_ZH[s], y: w.counts.find((c) => c.stage === s)?.members ?? 0 }));
  });
}

/** The inventory now (the last week) per stage, with the change over the weeks shown. */
export function stageRows(inv: Inventory): { stage: LifecycleStage; label: string; members: number; change: number }[] {
  return STAGES.map((s) => {
    const t = inv.trend.find((x) => x.stage === s);
    return { stage: s, label: STAGE_ZH[s], members: t?.last ?? 0, change: t?.change ?? 0 };
  });
}
