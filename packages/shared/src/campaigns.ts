/**
 * Targeted campaigns (F9, seed 002): the segment definition a manager builds (an AND of conditions), the
 * reproducible holdout assignment, and a member's preferred category. Pure: the API evaluates segments in SQL and
 * decides groups with these rules; the console can validate a segment before sending it.
 */
import { AGE_BANDS, GENDERS, type AgeBand, type Gender } from './demographics';
import { LIFECYCLE_STAGES, type LifecycleStage } from './lifecycle';
import { hmacSha1 } from './sha1';
import { SHANGHAI_OFFSET_MS } from './shanghai';

export const SEGMENT_FIELDS = ['GENDER', 'AGE_BAND', 'TIER', 'LIFECYCLE', 'SPEND', 'PREFERRED_CATEGORY', 'LAST_PURCHASE', 'DISTANCE'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

/** Bounds of a segment definition (production is hostile: everything is bounded). */
export const SEGMENT_LIMITS = {
  maxConditions: 10,
  maxDays: 1095,
  maxFen: 10_000_000_000,
  maxKm: 500,
  maxTiers: 20,
  maxCategories: 20,
} as const;

/** One condition as a client sends it: `field` says which of the other properties apply; the rest must be absent. */
export interface SegmentConditionInput {
  field: string;
  genders?: readonly string[] | null;
  ageBands?: readonly string[] | null;
  tierIds?: readonly number[] | null;
  stages?: readonly string[] | null;
  /** SPEND and PREFERRED_CATEGORY: the last `days` days before the evaluation time. */
  days?: number | null;
  minFen?: number | null;
  maxFen?: number | null;
  categories?: readonly string[] | null;
  /** LAST_PURCHASE: the last purchase (a positive amount) at or after `after` and/or before `before`. */
  after?: Date | null;
  before?: Date | null;
  /** DISTANCE: from this store, members with a consented location only. */
  storeId?: number | null;
  minKm?: number | null;
  maxKm?: number | null;
}

/** A normalised condition (sorted, de-duplicated lists; dates as ISO strings so it stores as JSON). */
export type SegmentCondition =
  | { field: 'GENDER'; genders: Gender[] }
  | { field: 'AGE_BAND'; ageBands: AgeBand[] }
  | { field: 'TIER'; tierIds: number[] }
  | { field: 'LIFECYCLE'; stages: LifecycleStage[] }
  | { field: 'SPEND'; days: number; minFen: number | null; maxFen: number | null }
  | { field: 'PREFERRED_CATEGORY'; days: number; categories: string[] }
  | { field: 'LAST_PURCHASE'; after: string | null; before: string | null }
  | { field: 'DISTANCE'; storeId: number; minKm: number | null; maxKm: number };

/** A refusal of a segment definition, naming the offending input (`conditions[2].maxKm`). */
export class SegmentError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const USES: Record<SegmentField, readonly (keyof SegmentConditionInput)[]> = {
  GENDER: ['genders'],
  AGE_BAND: ['ageBands'],
  TIER: ['tierIds'],
  LIFECYCLE: ['stages'],
  SPEND: ['days', 'minFen', 'maxFen'],
  PREFERRED_CATEGORY: ['days', 'categories'],
  LAST_PURCHASE: ['after', 'before'],
  DISTANCE: ['storeId', 'minKm', 'maxKm'],
};
const ALL_PROPS: (keyof SegmentConditionInput)[] = ['genders', 'ageBands', 'tierIds', 'stages', 'days', 'minFen', 'maxFen', 'categories', 'after', 'before', 'storeId', 'minKm', 'maxKm'];
const CATEGORY_RE = /^[\w-]{1,32}$/;

function enumList<T extends string>(v: readonly string[] | null | undefined, allowed: readonly T[], path: string): T[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 2 * allowed.length) throw new SegmentError(`${path}: 1–${allowed.length} of ${allowed.join(', ')}`, path);
  for (const x of v) if (!(allowed as readonly string[]).includes(x)) throw new SegmentError(`${path}: ${String(x).slice(0, 32)} is not one of ${allowed.join(', ')}`, path);
  return allowed.filter((a) => v.includes(a));
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw new SegmentError(`${path} must be an integer ${min}–${max}`, path);
  return v;
}

function km(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > SEGMENT_LIMITS.maxKm) throw new SegmentError(`${path} must be ${min}–${SEGMENT_LIMITS.maxKm} km`, path);
  return Math.round(v * 1000) / 1000;
}

function date(v: unknown, path: string): string {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new SegmentError(`${path} must be a date-time`, path);
  return v.toISOString();
}

/** Checks and normalises one condition; throws SegmentError naming the property. */
export function normalizeCondition(c: SegmentConditionInput, path = 'condition'): SegmentCondition {
  const field = c?.field as SegmentField;
  if (!(SEGMENT_FIELDS as readonly string[]).includes(field)) throw new SegmentError(`${path}.field must be one of ${SEGMENT_FIELDS.join(', ')}`, `${path}.field`);
  for (const p of ALL_PROPS) {
    if (!USES[field].includes(p) && c[p] != null) throw new SegmentError(`${path}.${p} does not apply to ${field}`, `${path}.${p}`);
  }
  switch (field) {
    case 'GENDER':
      return { field, genders: enumList(c.genders, GENDERS, `${path}.genders`) };
    case 'AGE_BAND':
      return { field, ageBands: enumList(c.ageBands, AGE_BANDS, `${path}.ageBands`) };
    case 'LIFECYCLE':
      return { field, stages: enumList(c.stages, LIFECYCLE_STAGES, `${path}.stages`) };
    case 'TIER': {
      const ids = c.tierIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > SEGMENT_LIMITS.maxTiers) throw new SegmentError(`${path}.tierIds: 1–${SEGMENT_LIMITS.maxTiers} tiers`, `${path}.tierIds`);
      return { field, tierIds: [...new Set(ids.map((id) => int(id, `${path}.tierIds`, 1, Number.MAX_SAFE_INTEGER)))].sort((a, b) => a - b) };
    }
    case 'SPEND': {
      const days = int(c.days, `${path}.days`, 1, SEGMENT_LIMITS.maxDays);
      const minFen = c.minFen == null ? null : int(c.minFen, `${path}.minFen`, 0, SEGMENT_LIMITS.maxFen);
      const maxFen = c.maxFen == null ? null : int(c.maxFen, `${path}.maxFen`, 0, SEGMENT_LIMITS.maxFen);
      if (minFen === null && maxFen === null) throw new SegmentError(`${path}: give minFen, maxFen or both`, `${path}.minFen`);
      if (minFen !== null && maxFen !== null && minFen > maxFen) throw new SegmentError(`${path}.minFen is above maxFen`, `${path}.minFen`);
      return { field, days, minFen, maxFen };
    }
    case 'PREFERRED_CATEGORY': {
      const days = int(c.days, `${path}.days`, 1, SEGMENT_LIMITS.maxDays);
      const cats = c.categories;
      if (!Array.isArray(cats) || cats.length === 0 || cats.length > SEGMENT_LIMITS.maxCategories) throw new SegmentError(`${path}.categories: 1–${SEGMENT_LIMITS.maxCategories} categories`, `${path}.categories`);
      for (const x of cats) if (typeof x !== 'string' || !CATEGORY_RE.test(x)) throw new SegmentError(`${path}.categories: 1–32 letters, digits, _ or -`, `${path}.categories`);
      return { field, days, categories: [...new Set(cats)].sort() };
    }
    case 'LAST_PURCHASE': {
      const after = c.after == null ? null : date(c.after, `${path}.after`);
      const before = c.before == null ? null : date(c.before, `${path}.before`);
      if (after === null && before === null) throw new SegmentError(`${path}: give after, before or both`, `${path}.after`);
      if (after !== null && before !== null && after >= before) throw new SegmentError(`${path}.after must be before before`, `${path}.after`);
      return { field, after, before };
    }
    case 'DISTANCE': {
      const storeId = int(c.storeId, `${path}.storeId`, 1, Number.MAX_SAFE_INTEGER);
      const maxKm = km(c.maxKm, `${path}.maxKm`, 0.001);
      const minKm = c.minKm == null ? null : km(c.minKm, `${path}.minKm`, 0);
      if (minKm !== null && minKm >= maxKm) throw new SegmentError(`${path}.minKm must be below maxKm`, `${path}.minKm`);
      return { field, storeId, minKm, maxKm };
    }
  }
}

/** Checks and normalises a segment: 1–10 conditions, each valid. Throws SegmentError (an empty segment included). */
export function normalizeSegment(conditions: readonly SegmentConditionInput[] | null | undefined): SegmentCondition[] {
  if (!Array.isArray(conditions) || conditions.length === 0) throw new SegmentError('A segment needs at least one condition', 'conditions');
  if (conditions.length > SEGMENT_LIMITS.maxConditions) throw new SegmentError(`A segment has at most ${SEGMENT_LIMITS.maxConditions} conditions`, 'conditions');
  return conditions.map((c, i) => normalizeCondition(c, `conditions[${i}]`));
}

/** Re-reads a stored (normalised, JSON) segment: the same checks, dates from their ISO strings. */
export function parseStoredSegment(json: unknown): SegmentCondition[] {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as Array<Record<string, unknown>>;
  return normalizeSegment(
    list.map((c) => ({ ...c, after: c.after == null ? null : new Date(String(c.after)), before: c.before == null ? null : new Date(String(c.before)) }) as SegmentConditionInput),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Holdout
// ---------------------------------------------------------------------------------------------------------------

export type CampaignGroup = 'TREATED' | 'HOLDOUT';

/** Largest holdout share a campaign may have (per cent). */
export const MAX_HOLDOUT_PCT = 50;

const ascii = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 0x7f) throw new RangeError('ASCII only');
    out[i] = code;
  }
  return out;
};

/**
 * The member's uniform draw in [0, 1) for a campaign: HMAC-SHA1 keyed with the campaign's secret seed over the
 * member id, its first 48 bits ÷ 2^48. Reproducible (the same seed and member always draw the same number),
 * independent across campaigns (each has its own random seed), and not guessable from the member id.
 */
export function holdoutDraw(seed: string, memberId: number): number {
  if (!/^[\x21-\x7e]{16,128}$/.test(seed)) throw new RangeError('seed: 16–128 printable ASCII characters');
  if (!Number.isSafeInteger(memberId) || memberId < 1) throw new RangeError('memberId must be a positive integer');
  const mac = hmacSha1(ascii(seed), ascii(String(memberId)));
  let x = 0;
  for (let i = 0; i < 6; i++) x = x * 256 + (mac[i] ?? 0);
  return x / 2 ** 48;
}

/** TREATED or HOLDOUT: a member whose draw is below the share (per cent, 0–50) is held out and gets nothing. */
export function campaignGroup(seed: string, memberId: number, holdoutPct: number): CampaignGroup {
  if (!Number.isInteger(holdoutPct) || holdoutPct < 0 || holdoutPct > MAX_HOLDOUT_PCT) throw new RangeError(`holdoutPct must be an integer 0–${MAX_HOLDOUT_PCT}`);
  return holdoutDraw(seed, memberId) < holdoutPct / 100 ? 'HOLDOUT' : 'TREATED';
}

// ---------------------------------------------------------------------------------------------------------------
// Preferred category
// ---------------------------------------------------------------------------------------------------------------

/**
 * The category with the most net spend over the given purchase lines (refund lines are negative and count
 * against their category); ties go to the alphabetically first code; null when no category has positive spend.
 */
export function preferredCategory(lines: readonly { category: string; amountFen: number }[]): string | null {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.category, (sums.get(l.category) ?? 0) + l.amountFen);
  let best: string | null = null;
  let bestFen = 0;
  for (const [cat, fen] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (fen > bestFen) {
      best = cat;
      bestFen = fen;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// The member's message
// ---------------------------------------------------------------------------------------------------------------

export interface CampaignOffer {
  name: string;
  kind: 'AMOUNT_OFF' | 'PERCENT_OFF' | 'GIFT';
  amountOffFen: number | null;
  /** 15 = 15 % off (八五折). */
  percentOff: number | null;
  giftName: string | null;
  minSpendFen: number;
  /** When the coupon lapses (exclusive); null: no end. */
  expiresAt: Date | null;
}

const yuan = (fen: number): string => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

/** The plain Chinese inbox text of a campaign coupon, e.g. 送您一张「春季回馈券」：满 100 元减 20 元，有效期至 3月14日，已放入「我的优惠券」。 */
export function campaignOfferText(o: CampaignOffer): string {
  const min = o.minSpendFen > 0 ? `满 ${yuan(o.minSpendFen)} 元` : '';
  let what: string;
  if (o.kind === 'AMOUNT_OFF') what = min ? `${min}减 ${yuan(o.amountOffFen ?? 0)} 元` : `立减 ${yuan(o.amountOffFen ?? 0)} 元`;
  else if (o.kind === 'PERCENT_OFF') what = `${min ? `${min}` : ''}享 ${String((100 - (o.percentOff ?? 0)) / 10)} 折`;
  else what = `${min ? `${min}` : ''}赠送 ${o.giftName ?? ''}`;
  let until = '';
  if (o.expiresAt) {
    // The last valid day in Asia/Shanghai (the coupon lapses at the start of the next).
    const last = new Date(o.expiresAt.getTime() - 1 + SHANGHAI_OFFSET_MS);
    until = `，有效期至 ${last.getUTCMonth() + 1}月${last.getUTCDate()}日`;
  }
  return `送您一张「${o.name}」：${what}${until}，已放入「我的优惠券」，到店出示券码即可使用。`;
}

/** The inbox text of a points multiplier window, e.g. 即日起至 3月16日 00:00，到店消费享 2 倍积分，无需领取，结账时自动计入。 (`endsAt` exclusive, Shanghai time.) */
export function multiplierOfferText(multiplierPct: number, endsAt: Date): string {
  const t = new Date(endsAt.getTime() + SHANGHAI_OFFSET_MS);
  const hm = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  return `即日起至 ${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${hm}，到店消费享 ${String(multiplierPct / 100)} 倍积分，无需领取，结账时自动计入。`;
}
