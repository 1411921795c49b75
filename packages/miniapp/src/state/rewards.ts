import { clock } from '../utils/clock';
import { useEffect } from 'react';
import {
  MyRedemptionsDocument,
  RedeemRewardDocument,
  RedemptionDocument,
  RequestRewardOtpDocument,
  RewardDocument,
  RewardsDocument,
  UseVoucherDocument,
  VoucherDocument,
  type RedeemRewardMutation,
  type RedemptionFieldsFragment,
  type RequestRewardOtpMutation,
  type RewardFieldsFragment,
  type RewardKind,
  type UseVoucherMutation,
  type VoucherFieldsFragment,
} from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { useQuery } from './use-query';

/** Rewards (PRODUCT F6): the points mall, redemptions, vouchers. */
export type Reward = RewardFieldsFragment;
export type Redemption = RedemptionFieldsFragment;
export type Voucher = VoucherFieldsFragment;
export type RedeemResult = RedeemRewardMutation['redeemReward'];
export type RewardOtp = RequestRewardOtpMutation['requestRewardOtp'];
export type VoucherUse = UseVoucherMutation['useVoucher'];
export type { RewardKind };

export const MALL_PAGE = '/rewards/mall/index';
export const MY_REDEMPTIONS_PAGE = '/rewards/mine/index';
/** The redemption page's path is the one the REWARD_RESULT subscribe message opens (`pages/redemption/index?id=`). */
export const REDEMPTION_PAGE = '/pages/redemption/index';
export const VOUCHER_STAFF_PAGE = '/staff/voucher/index';

export const rewardDetailUrl = (id: string) => `/rewards/detail/index?id=${encodeURIComponent(id)}`;
export const redemptionUrl = (id: string) => `${REDEMPTION_PAGE}?id=${encodeURIComponent(id)}`;

export const REWARD_TABS: readonly { kind: RewardKind; label: string }[] = [
  { kind: 'MOBILE_TOPUP', label: '话费充值' },
  { kind: 'FUEL_CARD', label: '加油卡' },
  { kind: 'OWN_PRODUCT', label: '门店好礼' },
  { kind: 'COUPON', label: '优惠券' },
];

export const redemptionStatusLabel: Record<string, string> = {
  PENDING: '处理中',
  PROCESSING: '处理中',
  DELIVERED: '已到账',
  FAILED: '失败已退回',
  ISSUED: '待使用',
  USED: '已使用',
};

/** Poll redemptions in progress every 3 s for up to 2 minutes (a provider normally answers within seconds). */
export const REDEMPTION_POLL = { intervalMs: 3000, maxMs: 120_000 };

export const inProgress = (r: Pick<Redemption, 'status'>) => r.status === 'PENDING' || r.status === 'PROCESSING';

/** `1200 积分` or `800 积分 + ¥5` (the cash part is paid at the till). */
export function priceText(r: Pick<Reward, 'pointsPrice' | 'cashFen'>, yuan: (fen: number) => string): string {
  return r.cashFen > 0 ? `${r.pointsPrice} 积分 + ¥${yuan(r.cashFen)}` : `${r.pointsPrice} 积分`;
}

export function limitText(r: Pick<Reward, 'limitPerDay' | 'limitPerMonth'>): string | null {
  const parts = [r.limitPerDay ? `每日限 ${r.limitPerDay} 次` : null, r.limitPerMonth ? `每月限 ${r.limitPerMonth} 次` : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/** The tier lock: the reward needs a higher tier than the member's (guests see every lock). */
export function tierLocked(r: Pick<Reward, 'minTier'>, memberTierRank: number | null): boolean {
  return !!r.minTier && (memberTierRank === null || memberTierRank < r.minTier.rank);
}

/** A redemption key: 8–96 of [A-Za-z0-9_:.-]; one per confirmation, reused on its retries. */
export function newRedeemKey(): string {
  const rand = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `rw-${clock.ms().toString(36)}-${rand}`;
}

/** The catalogue (anyone may browse; signed in, what the member can afford comes first). */
export function useRewards(kind: RewardKind) {
  return useQuery(RewardsDocument, { kind, first: 50 }, { anonymous: true });
}

export function useReward(id: string | null) {
  return useQuery(RewardDocument, { id: id ?? '' }, { anonymous: true, skip: !id });
}

export function useMyRedemptions(first = 20) {
  return useQuery(MyRedemptionsDocument, { first });
}

export function useRedemption(id: string | null) {
  return useQuery(RedemptionDocument, { id: id ?? '' }, { skip: !id });
}

/**
 * Re-fetches every `intervalMs` while `active` (something is still processing), for at most `maxMs` after it became
 * active; stops on unmount. Pull-to-refresh (or showing the page again) still works after that.
 */
export function usePollWhile(active: boolean, refetch: () => Promise<void>, opts = REDEMPTION_POLL): void {
  useEffect(() => {
    if (!active) return undefined;
    const deadline = clock.ms() + opts.maxMs;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let live = true;
    const tick = () => {
      timer = setTimeout(() => {
        if (!live) return;
        void refetch().finally(() => {
          if (live && clock.ms() + opts.intervalMs <= deadline) tick();
        });
      }, opts.intervalMs);
    };
    tick();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // refetch is stable per query; restart only when polling turns on/off
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, opts.intervalMs, opts.maxMs]);
}

export async function requestRewardOtp(rewardId: string, target: string | null): Promise<RewardOtp> {
  const { requestRewardOtp: otp } = await request(RequestRewardOtpDocument, { rewardId, target });
  return otp;
}

export async function redeemReward(input: { rewardId: string; target: string | null; idempotencyKey: string; otp: string | null }): Promise<RedeemResult> {
  const { redeemReward: r } = await request(RedeemRewardDocument, { input });
  return r;
}

export async function lookUpVoucher(code: string, storeId: string): Promise<Voucher> {
  const { voucher } = await request(VoucherDocument, { code, storeId });
  return voucher;
}

export async function markVoucherUsed(code: string, storeId: string, spendFen: number | null): Promise<VoucherUse> {
  const { useVoucher: r } = await request(UseVoucherDocument, { code, storeId, spendFen });
  return r;
}
