/**
 * Targeted campaigns (F9) in the console, pure: a segment condition as the builder edits it → the API's
 * `SegmentConditionInput`, checked with the API's own rule (`normalizeSegment` in @quanzi/shared); Beijing wall-clock
 * start times; the report's table and bar chart.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { normalizeSegment, SegmentError, SEGMENT_LIMITS, type SegmentConditionInput as SharedCondition } from '@quanzi/shared';
import type { TableModel } from '../../dashboard/charts';
import type { CampaignReportQuery, SegmentConditionInput, SegmentField } from '../../graphql/generated';
import { toFen } from '../../validation-ops';

export const FIELD_ZH: Record<SegmentField, string> = {
  GENDER: '性别',
  AGE_BAND: '年龄段',
  TIER: '会员等级',
  LIFECYCLE: '生命周期',
  SPEND: '消费金额',
  PREFERRED_CATEGORY: '偏好品类',
  LAST_PURCHASE: '最近消费时间',
  DISTANCE: '距门店距离',
};
export const GENDER_ZH: Record<string, string> = { MALE: '男', FEMALE: '女' };
export const AGE_BAND_ZH: Record<string, string> = {
  UNDER_18: '18 岁以下', AGE_18_24: '18–24', AGE_25_34: '25–34', AGE_35_44: '35–44', AGE_45_54: '45–54', AGE_55_64: '55–64', AGE_65_PLUS: '65 岁以上',
};
export const STAGE_ZH: Record<string, string> = { NEW: '新客', DEVELOPING: '成长', MATURE: '成熟', DECLINING: '衰退', LOST: '流失' };
export const STATUS_ZH: Record<string, { label: string; color: string }> = {
  DRAFT: { label: '草稿', color: 'default' },
  SCHEDULED: { label: '已排期', color: 'blue' },
  RUNNING: { label: '进行中', color: 'green' },
  DONE: { label: '已结束', color: 'purple' },
  CANCELLED: { label: '已取消', color: 'red' },
};

/** One condition as the builder holds it (money in yuan, dates as ISO strings, ids as the API's strings). */
export interface ConditionDraft {
  field: SegmentField;
  genders?: string[];
  ageBands?: string[];
  tierIds?: string[];
  stages?: string[];
  days?: number | null;
  minYuan?: number | null;
  maxYuan?: number | null;
  categories?: string[];
  after?: string | null;
  before?: string | null;
  storeId?: string | null;
  minKm?: number | null;
  maxKm?: number | null;
}

/** A new condition of a kind, with sensible defaults (the last 90 days; within 3 km). */
export function newCondition(field: SegmentField): ConditionDraft {
  switch (field) {
    case 'SPEND':
      return { field, days: 90, minYuan: null, maxYuan: null };
    case 'PREFERRED_CATEGORY':
      return { field, days: 90, categories: [] };
    case 'DISTANCE':
      return { field, storeId: null, minKm: null, maxKm: 3 };
    case 'LAST_PURCHASE':
      return { field, after: null, before: null };
    default:
      return { field };
  }
}

const list = <T>(v: T[] | undefined) => (v && v.length ? v : null);

/** The API's input for one condition: only the properties of its kind. */
export function toConditionInput(d: ConditionDraft): SegmentConditionInput {
  const base: SegmentConditionInput = { field: d.field };
  switch (d.field) {
    case 'GENDER':
      return { ...base, genders: list(d.genders) as SegmentConditionInput['genders'] };
    case 'AGE_BAND':
      return { ...base, ageBands: list(d.ageBands) as SegmentConditionInput['ageBands'] };
    case 'TIER':
      return { ...base, tierIds: list(d.tierIds) };
    case 'LIFECYCLE':
      return { ...base, stages: list(d.stages) as SegmentConditionInput['stages'] };
    case 'SPEND':
      return { ...base, days: d.days ?? null, minFen: d.minYuan == null ? null : toFen(d.minYuan), maxFen: d.maxYuan == null ? null : toFen(d.maxYuan) };
    case 'PREFERRED_CATEGORY':
      return { ...base, days: d.days ?? null, categories: list(d.categories) };
    case 'LAST_PURCHASE':
      return { ...base, after: d.after ?? null, before: d.before ?? null };
    case 'DISTANCE':
      return { ...base, storeId: d.storeId ?? null, minKm: d.minKm ?? null, maxKm: d.maxKm ?? null };
  }
}

/** A stored condition (as the API returns it) back into the builder. */
export function fromCondition(c: SegmentConditionInput): ConditionDraft {
  return {
    field: c.field,
    genders: (c.genders as string[] | null) ?? undefined,
    ageBands: (c.ageBands as string[] | null) ?? undefined,
    tierIds: c.tierIds?.map(String),
    stages: (c.stages as string[] | null) ?? undefined,
    days: c.days ?? null,
    minYuan: c.minFen == null ? null : c.minFen / 100,
    maxYuan: c.maxFen == null ? null : c.maxFen / 100,
    categories: c.categories ?? undefined,
    after: (c.after as string | null) ?? null,
    before: (c.before as string | null) ?? null,
    storeId: c.storeId == null ? null : String(c.storeId),
    minKm: c.minKm ?? null,
    maxKm: c.maxKm ?? null,
  };
}

const WHY_ZH: [RegExp, (n: number) => string][] = [
  [/genders|ageBands|stages|tierIds|categories/, (n) => `第 ${n} 个条件：请至少选择一项`],
  [/\.days/, (n) => `第 ${n} 个条件：天数为 1–${SEGMENT_LIMITS.maxDays}`],
  [/minFen|maxFen/, (n) => `第 ${n} 个条件：请填写金额下限和/或上限（¥0 起，精确到分，下限不高于上限）`],
  [/after|before/, (n) => `第 ${n} 个条件：请选择开始和/或截止时间（开始早于截止）`],
  [/storeId/, (n) => `第 ${n} 个条件：请选择门店`],
  [/Km/, (n) => `第 ${n} 个条件：距离为 0–${SEGMENT_LIMITS.maxKm} 公里，最近小于最远`],
];

/** Why the segment cannot be sent (the API's rule, in Chinese), or null. */
export function segmentError(drafts: readonly ConditionDraft[]): string | null {
  if (drafts.length === 0) return '请至少添加一个条件';
  if (drafts.length > SEGMENT_LIMITS.maxConditions) return `最多 ${SEGMENT_LIMITS.maxConditions} 个条件`;
  const inputs: SharedCondition[] = drafts.map((d) => {
    const c = toConditionInput(d);
    return {
      ...c,
      tierIds: c.tierIds ? c.tierIds.map(Number) : null,
      storeId: c.storeId == null ? null : Number(c.storeId),
      after: c.after ? new Date(c.after as string) : null,
      before: c.before ? new Date(c.before as string) : null,
    } as SharedCondition;
  });
  try {
    normalizeSegment(inputs);
    return null;
  } catch (e) {
    if (!(e instanceof SegmentError)) throw e;
    const n = Number(/conditions\[(\d+)\]/.exec(e.field)?.[1] ?? 0) + 1;
    return WHY_ZH.find(([re]) => re.test(e.field))?.[1](n) ?? `第 ${n} 个条件不完整`;
  }
}

const BEIJING_MS = 8 * 3600_000;
/** A Beijing wall-clock time (as picked) → the instant, whatever the browser's zone. */
export function beijingToIso(wall: { year: number; month: number; day: number; hour: number; minute: number }): string {
  return new Date(Date.UTC(wall.year, wall.month, wall.day, wall.hour, wall.minute) - BEIJING_MS).toISOString();
}
/** The instant → its Beijing wall clock (month 0-based). */
export function isoToBeijing(iso: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const d = new Date(Date.parse(iso) + BEIJING_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

type Report = CampaignReportQuery['campaignReport'];
const pct = (v: number | null | undefined) => (v == null ? null : `${(v * 100).toFixed(1)}%`);
const pp = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} 个百分点`;
const money = (fen: number | null | undefined) => (fen == null ? null : `¥${(fen / 100).toFixed(2)}`);

/** Treated vs holdout: one row per group (the table view and the CSV). */
export function campaignReportTable(r: Report): TableModel {
  const row = (name: string, g: Report['treated']) => [name, g.members, g.responders, pct(g.responseRate), money(g.spendFen), money(g.spendPerMemberFen), g.visits, g.visitsPerMember == null ? null : g.visitsPerMember.toFixed(2)];
  return {
    header: ['分组', '人数', '响应人数', '响应率', '消费额', '人均消费', '到店次数', '人均到店'],
    rows: [row('处理组', r.treated), row('对照组', r.holdout)],
  };
}

/** The uplift line: "+3.2 个百分点（95% 区间 +0.4 ～ +6.0 个百分点）". */
export function upliftText(r: Report): string {
  if (!r.uplift) return '任一分组为空，暂无提升';
  return `${pp(r.uplift.uplift)}（95% 区间 ${pp(r.uplift.lower)} ～ ${pp(r.uplift.upper)}）`;
}

/** Response rate per group as bars (per cent). */
export function campaignReportOption(r: Report): EChartsCoreOption {
  const v = (x: number | null) => (x == null ? null : Math.round(x * 1000) / 10);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: ['处理组', '对照组'] },
    yAxis: { type: 'value', name: '响应率 %' },
    series: [{ type: 'bar', data: [v(r.treated.responseRate), v(r.holdout.responseRate)], label: { show: true, position: 'top', formatter: '{c}%' } }],
  };
}
