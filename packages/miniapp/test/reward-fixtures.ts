import type { RedemptionFieldsFragment, RewardFieldsFragment, VoucherFieldsFragment } from '@quanzi/shared/graphql';

/** A valid voucher code (Luhn mod 32 check character). */
export { voucherCheckChar } from '@quanzi/shared';

export function reward(over: Partial<RewardFieldsFragment> = {}): RewardFieldsFragment {
  return {
    id: 'r1',
    kind: 'MOBILE_TOPUP',
    name: '移动话费 ¥30',
    description: '充值到手机，通常几分钟内到账',
    imageUrl: null,
    pointsPrice: 800,
    cashFen: 0,
    faceValueFen: 3000,
    brand: 'CMCC',
    brandName: '中国移动',
    amountOffFen: null,
    discountPct: null,
    minSpendFen: 0,
    stock: 42,
    inStock: true,
    limitPerDay: 1,
    limitPerMonth: 3,
    minTier: null,
    endsAt: null,
    needsOtp: false,
    affordable: true,
    partner: { id: 'p1', name: '充值通' },
    voucherValidDays: null,
    ...over,
  };
}

export function redemption(over: Partial<RedemptionFieldsFragment> = {}): RedemptionFieldsFragment {
  return {
    id: 'd1',
    rewardId: 'r1',
    rewardName: '移动话费 ¥30',
    kind: 'MOBILE_TOPUP',
    status: 'PROCESSING',
    points: 800,
    cashFen: 0,
    pointsRefunded: 0,
    target: '138****5678',
    failReason: null,
    stuck: false,
    voucherCode: null,
    voucherExpiresAt: null,
    usedAt: null,
    usedStoreName: null,
    createdAt: '2026-11-23T02:00:00.000Z', // absolute on purpose: a display case — printed as Beijing time, compared with nothing
    finishedAt: null,
    ...over,
  };
}

export const VOUCHER_BODY = 'ABCDEFGHJKL';
/** A voucher code as the API sends it (grouped by the server): pages must show it exactly like this. */
export const API_VOUCHER_CODE = 'HLCN 2E6V RVJY';

export function voucher(code: string, over: Partial<VoucherFieldsFragment> = {}): VoucherFieldsFragment {
  return {
    code,
    redemptionId: 'd9',
    rewardName: '门店咖啡一杯',
    kind: 'OWN_PRODUCT',
    status: 'ISSUED',
    memberNo: '10000042',
    cashFen: 0,
    amountOffFen: null,
    discountPct: null,
    minSpendFen: 0,
    // Absolute on purpose: the staff desk prints 有效期至 in Beijing time; whether the voucher is still valid (usableHere)
    // is the API's decision, so the mini-program compares this with nothing.
    expiresAt: '2026-12-31T15:59:59.000Z',
    usedAt: null,
    usedStoreName: null,
    usableHere: true,
    ...over,
  };
}
