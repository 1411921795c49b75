/**
 * Referral programme settings (F8) as the console edits them, checked with the API's own bounds
 * (`REFERRAL_LIMITS` / `referralSettingsProblems` in @quanzi/shared); the minimum purchase is entered in yuan.
 */
import { REFERRAL_LIMITS, referralSettingsProblems, type ReferralSettings } from '@quanzi/shared';
import { toFen } from './validation-ops';

export interface ReferralDraft {
  enabled: boolean;
  referrerBonus: number | null;
  refereeBonus: number | null;
  sharePct: number | null;
  shareMonths: number | null;
  monthlyCap: number | null;
  qualifyingMinYuan: number | null;
}

const LABEL_ZH: Record<keyof typeof REFERRAL_LIMITS, string> = {
  referrerBonus: '邀请人奖励',
  refereeBonus: '新会员欢迎积分',
  sharePct: '分成比例',
  shareMonths: '分成月数',
  monthlyCap: '每月上限',
  qualifyingMinFen: '最低消费',
};
const UNIT_ZH: Record<keyof typeof REFERRAL_LIMITS, string> = {
  referrerBonus: ' 积分',
  refereeBonus: ' 积分',
  sharePct: '%',
  shareMonths: ' 个月',
  monthlyCap: ' 积分',
  qualifyingMinFen: '',
};

/** What updateReferralProgram takes (NaN where the draft is empty or not a whole number of fen). */
export function referralInput(d: ReferralDraft): ReferralSettings {
  const n = (v: number | null) => (v == null ? NaN : v);
  return {
    enabled: Boolean(d.enabled),
    referrerBonus: n(d.referrerBonus),
    refereeBonus: n(d.refereeBonus),
    sharePct: n(d.sharePct),
    shareMonths: n(d.shareMonths),
    monthlyCap: n(d.monthlyCap),
    qualifyingMinFen: d.qualifyingMinYuan == null ? NaN : toFen(d.qualifyingMinYuan),
  };
}

export type ReferralDraftField = Exclude<keyof ReferralDraft, 'enabled'>;

/** Field → Chinese message for each value out of the API's bounds; empty when the draft can be saved. */
export function referralErrors(d: ReferralDraft): Partial<Record<ReferralDraftField, string>> {
  const out: Partial<Record<ReferralDraftField, string>> = {};
  for (const p of referralSettingsProblems(referralInput(d))) {
    const max = REFERRAL_LIMITS[p.field];
    if (p.field === 'qualifyingMinFen') out.qualifyingMinYuan = `最低消费为 ¥0–¥${max / 100}（精确到分）`;
    else out[p.field] = `${LABEL_ZH[p.field]}为 0–${max}${UNIT_ZH[p.field]} 的整数`;
  }
  return out;
}

export const referralDraft = (s: ReferralSettings): ReferralDraft => ({
  enabled: s.enabled,
  referrerBonus: s.referrerBonus,
  refereeBonus: s.refereeBonus,
  sharePct: s.sharePct,
  shareMonths: s.shareMonths,
  monthlyCap: s.monthlyCap,
  qualifyingMinYuan: s.qualifyingMinFen / 100,
});
