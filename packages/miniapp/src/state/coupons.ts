import { expiryLabelZh } from '@quanzi/shared';
import { MyCouponsDocument, type CouponFieldsFragment, type CouponState } from '@quanzi/shared/graphql';
import { clock } from '../utils/clock';
import { yuan } from '../utils/format';
import { useQuery } from './use-query';

/** Coupons (PRODUCT F9): the member's wallet. */
export type Coupon = CouponFieldsFragment;
export type { CouponState };

export const COUPONS_PAGE = '/rewards/coupons/index';

export const couponStateLabel: Record<CouponState, string> = { VALID: '可使用', UPCOMING: '未开始', USED: '已使用', EXPIRED: '已过期' };
export const couponSourceLabel: Record<string, string> = { WELCOME: '新人礼', MANAGER: '门店赠送', CAMPAIGN: '活动赠送', POINTS: '积分兑换' };

/** The wallet: every state (valid first, soonest to lapse first), at most 100. */
export function useMyCoupons() {
  return useQuery(MyCouponsDocument, { state: null, first: 100 });
}

/** What the coupon gives: ¥20 / 8.5 折 / 赠 美式咖啡一杯. */
export function couponValue(c: Pick<Coupon, 'kind' | 'amountOffFen' | 'percentOff' | 'giftName'>): string {
  if (c.kind === 'AMOUNT_OFF' && c.amountOffFen !== null) return `¥${yuan(c.amountOffFen)}`;
  if (c.kind === 'PERCENT_OFF' && c.percentOff !== null) return `${(100 - c.percentOff) / 10} 折`;
  return `赠 ${c.giftName ?? '礼品'}`;
}

/** 满 ¥100 可用 / 无门槛. */
export function couponCondition(c: Pick<Coupon, 'minSpendFen'>): string {
  return c.minSpendFen > 0 ? `满 ¥${yuan(c.minSpendFen)} 可用` : '无门槛';
}

/** 今天到期 / 明天到期 / N 天后到期, by the device's clock (the API sends the same words as `expiryLabel`). */
export function couponExpiry(c: Pick<Coupon, 'expiresAt' | 'state'>): string | null {
  if (c.state === 'USED' || c.state === 'EXPIRED') return null;
  return expiryLabelZh(c.expiresAt ? new Date(c.expiresAt) : null, clock.now());
}
