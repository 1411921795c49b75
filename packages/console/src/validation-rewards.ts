/**
 * Checks of the partner and reward forms, mirroring the API's (RewardService.createPartner and normalize). Each returns
 * Chinese messages per field; the API still decides and its codes are shown in Chinese.
 */
import { FACE_VALUES_YUAN, isBrandOf, REWARD_PROVIDER_IDS } from '@quanzi/shared';
import { toFen } from './validation-ops';

type Errors<K extends string> = Partial<Record<K, string>>;
const chars = (s: string | null | undefined) => [...(s ?? '').trim()].length;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export const MAX_REWARD_POINTS = 10_000_000;
export const MAX_REWARD_FEN = 100_000_000;
export const MAX_REWARD_STOCK = 10_000_000;
export const MAX_REWARD_LIMIT = 1000;
export const MAX_REWARD_STORES = 200;

export interface PartnerDraft { code?: string; name?: string }

/** RewardService.createPartner: code 2–32 of lower-case letters, digits, _ and - (starting with a letter or digit); name 1–64. */
export function partnerErrors(d: PartnerDraft): Errors<keyof PartnerDraft> {
  const e: Errors<keyof PartnerDraft> = {};
  const code = (d.code ?? '').trim();
  if (chars(code) < 2 || chars(code) > 32) e.code = '代码为 2–32 个字符';
  else if (!/^[a-z0-9][a-z0-9_-]*$/.test(code)) e.code = '代码只能用小写字母、数字、_ 和 -（以字母或数字开头）';
  if (chars(d.name) < 1 || chars(d.name) > 64) e.name = '名称为 1–64 个字';
  return e;
}

/** The reward kinds these forms manage (COUPON rewards are coupon templates: 优惠券). */
export type ManagedRewardKind = 'MOBILE_TOPUP' | 'FUEL_CARD' | 'OWN_PRODUCT';

export interface RewardDraft {
  kind?: ManagedRewardKind;
  name?: string;
  description?: string | null;
  imageUrl?: string | null;
  pointsPrice?: number | null;
  costYuan?: number | null;
  /** Create only: later through adjustRewardStock. */
  stock?: number | null;
  limitPerDay?: number | null;
  limitPerMonth?: number | null;
  minTierCode?: string | null;
  /** On sale from (null: at once). */
  startsAt?: Date | null;
  /** On sale until, exclusive (null: no end). */
  endsAt?: Date | null;
  active?: boolean;
  partnerId?: string | null;
  faceValueYuan?: number | null;
  brand?: string | null;
  /** Top-ups and fuel cards: the provider adapter that fulfils them (shared REWARD_PROVIDERS). */
  provider?: string | null;
  cashYuan?: number | null;
  voucherValidDays?: number | null;
  storeIds?: string[] | null;
}
export type RewardField = keyof RewardDraft;

/**
 * RewardService.normalize for top-ups, fuel cards and own products; `creating` checks the stock; `startsAt` is the
 * stored start, used when the draft does not carry one (`d.startsAt` undefined).
 */
export function rewardErrors(d: RewardDraft, opts: { creating: boolean; startsAt?: Date | null }): Errors<RewardField> {
  const e: Errors<RewardField> = {};
  if (!d.kind) e.kind = '请选择类别';
  if (chars(d.name) < 1 || chars(d.name) > 64) e.name = '名称为 1–64 个字';
  if (chars(d.description) > 500) e.description = '说明最多 500 个字';
  const url = (d.imageUrl ?? '').trim();
  if (url && (chars(url) > 255 || !/^https:\/\/\S+$/.test(url))) e.imageUrl = '图片地址须为 https:// 开头的网址（最多 255 个字符）';
  if (!isInt(d.pointsPrice) || d.pointsPrice < 1 || d.pointsPrice > MAX_REWARD_POINTS) e.pointsPrice = '积分价格为 1–10000000';
  if (d.costYuan != null) {
    const fen = toFen(d.costYuan);
    if (!isInt(fen) || fen < 0 || fen > MAX_REWARD_FEN) e.costYuan = '成本为 ¥0–¥1000000';
  }
  if (opts.creating && (!isInt(d.stock) || d.stock < 0 || d.stock > MAX_REWARD_STOCK)) e.stock = '库存为 0–10000000';
  if (d.limitPerDay != null && (!isInt(d.limitPerDay) || d.limitPerDay < 1 || d.limitPerDay > MAX_REWARD_LIMIT)) e.limitPerDay = '每日限兑为 1–1000（留空不限）';
  if (d.limitPerMonth != null && (!isInt(d.limitPerMonth) || d.limitPerMonth < 1 || d.limitPerMonth > MAX_REWARD_LIMIT * 31)) e.limitPerMonth = '每月限兑为 1–31000（留空不限）';
  else if (d.limitPerMonth != null && d.limitPerDay != null && isInt(d.limitPerDay) && d.limitPerMonth < d.limitPerDay) e.limitPerMonth = '每月限兑不能少于每日限兑';
  const startsAt = d.startsAt === undefined ? (opts.startsAt ?? null) : d.startsAt;
  if (d.startsAt != null && Number.isNaN(d.startsAt.getTime())) e.startsAt = '开始日期无效';
  if (d.endsAt && startsAt && d.endsAt.getTime() <= startsAt.getTime()) e.endsAt = '结束日期须晚于开始时间';
  if (d.kind === 'MOBILE_TOPUP' || d.kind === 'FUEL_CARD') {
    if (!d.brand || !isBrandOf(d.kind, d.brand)) e.brand = d.kind === 'MOBILE_TOPUP' ? '请选择运营商' : '请选择石油公司';
    if (d.faceValueYuan == null || !FACE_VALUES_YUAN[d.kind].includes(d.faceValueYuan)) e.faceValueYuan = `面值为 ${FACE_VALUES_YUAN[d.kind].map((y) => `¥${y}`).join('/')}`;
    if (!d.partnerId) e.partnerId = '充值和加油卡须选择合作方';
    if (d.provider != null && !(REWARD_PROVIDER_IDS as readonly string[]).includes(d.provider)) e.provider = '请选择发放渠道';
  } else if (d.kind === 'OWN_PRODUCT') {
    if (d.cashYuan != null) {
      const fen = toFen(d.cashYuan);
      if (!isInt(fen) || fen < 0 || fen > MAX_REWARD_FEN) e.cashYuan = '加付现金为 ¥0–¥1000000';
    }
    if (d.voucherValidDays != null && (!isInt(d.voucherValidDays) || d.voucherValidDays < 1 || d.voucherValidDays > 3650)) e.voucherValidDays = '兑换券有效天数为 1–3650（留空不过期）';
    if ((d.storeIds?.length ?? 0) > MAX_REWARD_STORES) e.storeIds = `最多指定 ${MAX_REWARD_STORES} 家门店`;
  }
  return e;
}

/** The API input of a draft (kind-dependent fields only for their kind; empty optional fields as null). */
export function rewardInput(d: RewardDraft) {
  const provider = d.kind === 'MOBILE_TOPUP' || d.kind === 'FUEL_CARD';
  const url = (d.imageUrl ?? '').trim();
  return {
    name: (d.name ?? '').trim(),
    description: (d.description ?? '').trim(),
    imageUrl: url || null,
    pointsPrice: d.pointsPrice as number,
    costFen: d.costYuan == null ? 0 : toFen(d.costYuan),
    limitPerDay: d.limitPerDay ?? null,
    limitPerMonth: d.limitPerMonth ?? null,
    minTierCode: d.minTierCode || null,
    startsAt: d.startsAt ? d.startsAt.toISOString() : null,
    endsAt: d.endsAt ? d.endsAt.toISOString() : null,
    active: d.active ?? true,
    partnerId: d.partnerId || null,
    ...(provider
      ? { faceValueFen: Math.round((d.faceValueYuan as number) * 100), brand: d.brand ?? null, provider: d.provider || null }
      : { cashFen: d.cashYuan == null ? 0 : toFen(d.cashYuan), voucherValidDays: d.voucherValidDays ?? null, storeIds: d.storeIds?.length ? d.storeIds : null }),
  };
}
