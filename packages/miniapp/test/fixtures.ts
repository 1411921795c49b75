import type {
  EarningRulesQuery,
  LedgerQuery,
  MeQuery,
  PayOrderFieldsFragment,
  PaymentIntentFieldsFragment,
  PayStoresQuery,
  TiersQuery,
} from '@quanzi/shared/graphql';
import type { Viewer } from '../src/state/session';

export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const aliceMe: MeQuery = {
  me: {
    id: '1',
    memberNo: '10000042',
    phone: '138****5678',
    phoneBound: true,
    points: 1280,
    codeSecret: SECRET,
    tier: { id: '3', code: 'SILVER', name: '银卡', rank: 1, thresholdFen: 100000, multiplierPct: 120 },
    nextTier: { code: 'GOLD', name: '金卡', spendNeeded: 35000 },
    // Absolute on purpose: pages print it as a Beijing date (31 December); the expiring page's day count is tested
    // with the clock frozen relative to it (member-pages.test).
    expiringSoon: { points: 200, on: '2026-12-31T15:59:59.000Z' },
  },
};

export const bobMe: MeQuery = {
  me: {
    id: '2',
    memberNo: '10000043',
    phone: null,
    phoneBound: false,
    points: 0,
    codeSecret: SECRET,
    tier: { id: '1', code: 'NORMAL', name: '普通会员', rank: 0, thresholdFen: 0, multiplierPct: 100 },
    nextTier: { code: 'SILVER', name: '银卡', spendNeeded: 100000 },
    expiringSoon: null,
  },
};

export const tiers: TiersQuery = {
  tiers: [
    { id: '1', code: 'NORMAL', name: '普通会员', rank: 0, thresholdFen: 0, multiplierPct: 100 },
    { id: '3', code: 'SILVER', name: '银卡', rank: 1, thresholdFen: 100000, multiplierPct: 120 },
    { id: '4', code: 'GOLD', name: '金卡', rank: 2, thresholdFen: 500000, multiplierPct: 150 },
  ],
};

export function ledgerPage(from: number, count: number, hasNextPage: boolean): LedgerQuery {
  const edges = Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      cursor: `c${n}`,
      node: {
        id: String(n),
        delta: n % 3 === 0 ? -50 : 100 + n,
        kind: (n % 3 === 0 ? 'REDEEM' : 'EARN') as 'REDEEM' | 'EARN',
        reason: n % 3 === 0 ? `门店积分抵扣 #${n}` : `北京国贸店消费 #${n}`,
        storeName: '北京国贸店',
        createdAt: '2026-11-20T02:30:00.000Z', // absolute on purpose: a display case — printed as Beijing time, compared with nothing
      },
    };
  });
  return { me: { id: '1', ledger: { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } } } };
}

export const GUOMAO = { id: '11', name: '北京国贸店', regionId: '1', regionName: '北京' };
export const SANLITUN = { id: '12', name: '北京三里屯店', regionId: '1', regionName: '北京' };

export const carolViewer: Viewer = {
  userId: '3',
  roles: [{ role: 'STAFF', scope: 'STORE', storeId: '11', regionId: null }],
  staffStores: [GUOMAO],
};

/** ¥10 = 1 point in the region (北京), fresh food ×1.5, tobacco earns nothing. */
export const rules: EarningRulesQuery = {
  earningRules: {
    baseRates: [{ id: 'b1', scope: 'REGION', scopeId: '1', scopeName: '北京', fenPerPoint: 1000 }],
    categories: [
      { id: 'c1', category: 'fresh', multiplierPct: 150, scope: 'HQ', scopeId: null, scopeName: null },
      { id: 'c2', category: 'tobacco', multiplierPct: 0, scope: 'HQ', scopeId: null, scopeName: null },
    ],
    campaigns: [],
    capPerPurchase: null,
    rounding: 'FLOOR',
    storeId: '11',
    regionId: '1',
  },
};

// ---- WeChat Pay -------------------------------------------------------------------------------------------------

export const ORDER_NO = 'QZ20261123100000A1B2C3D4E5F6';

export function payOrder(patch: Partial<PayOrderFieldsFragment> = {}): PayOrderFieldsFragment {
  return {
    outTradeNo: ORDER_NO,
    state: 'PENDING',
    amountFen: 10000,
    discountFen: 0,
    description: '北京国贸店 消费',
    storeId: '11',
    storeName: '北京国贸店',
    points: null,
    refundedFen: 0,
    pointsReversed: 0,
    // Absolute on purpose: pages print createdAt as Beijing time. expiresAt is 15 min later and long past; the pages
    // that compare it with the clock (my orders, the till's collect page) are tested with an expiry relative to their clock.
    createdAt: '2026-11-23T02:00:00.000Z',
    paidAt: null,
    expiresAt: '2026-11-23T02:15:00.000Z',
    ...patch,
  };
}

/** wx.requestPayment's parameters as the API returns them (RSA, v3). */
export const PAYMENT_PARAMS = {
  appId: 'wx0123456789abcdef',
  timeStamp: '1795400000',
  nonceStr: 'n0nce5tr1ng',
  package: 'prepay_id=wx23100000PREPAY',
  signType: 'RSA',
  paySign: 'c2lnbmF0dXJl',
};

export function intent(patch: Partial<PayOrderFieldsFragment> = {}, pointsPreview = 12): PaymentIntentFieldsFragment {
  return { order: payOrder(patch), payment: PAYMENT_PARAMS, pointsPreview };
}

export const payStores: PayStoresQuery = { stores: [GUOMAO, SANLITUN] };
