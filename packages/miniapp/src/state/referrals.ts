import { MyInvitationDocument, MyReferralsDocument, type MyReferralsQuery, type ReferralState } from '@quanzi/shared/graphql';
import Taro from '@tarojs/taro';
import { useQuery } from './use-query';

/** Referrals (PRODUCT F8): my invitation (code, share card) and the members I invited. */
export type MyReferral = MyReferralsQuery['myReferrals'][number];

export const INVITE_PAGE = '/member/invite/index';
export const REFERRALS_PAGE = '/member/referrals/index';

/** The member-facing label of each referral state (exhaustive: a new state in the schema fails the typecheck here). */
export const referralStateLabel: Record<ReferralState, string> = { BOUND: '已注册', QUALIFIED: '已消费', REVOKED: '已失效' };

/**
 * The invitation token a page or the app was opened with: `?invite=` (the share card's path) or `scene` (the
 * mini-program code, URL-encoded by WeChat). Null when there is none or it is not a token's shape.
 */
export function inviteFrom(params?: Record<string, string | undefined> | null): string | null {
  const raw = params?.invite ?? (params?.scene ? safeDecode(params.scene) : undefined);
  const t = raw?.trim().toUpperCase();
  return t && /^[0-9A-Z]{10}$/.test(t) ? t : null;
}

/** The invitation the mini-program was launched with (weapp: wx.getLaunchOptionsSync's query), or null. */
export function launchInvite(): string | null {
  try {
    return inviteFrom(Taro.getLaunchOptionsSync()?.query as Record<string, string> | undefined);
  } catch {
    return null;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function useMyInvitation() {
  return useQuery(MyInvitationDocument, {});
}

export function useMyReferrals(first = 20) {
  return useQuery(MyReferralsDocument, { first });
}
