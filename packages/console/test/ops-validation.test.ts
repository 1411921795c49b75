import { describe, expect, test } from 'vitest';
import { refundClawback } from '@quanzi/shared';
import { couponErrors, memberNosError, parseMemberNos, refundErrors, settingsErrors, toFen, type CouponDraft } from '../src/validation-ops';

// The coupon, settings and refund checks mirror the API's (CouponTemplateService.normalize, CouponService.issue,
// EarningService.updateSettings, RatingService.updateBonusPoints, PaymentService.refund); these tables pin them.
const base: CouponDraft = { kind: 'AMOUNT_OFF', name: '满 100 减 20', amountOffYuan: 20, minSpendYuan: 100, scope: 'HQ', validity: 'DAYS', validDays: 30, budget: 1000 };

describe('coupon template checks', () => {
  test.each<[string, Partial<CouponDraft>, Record<string, string>, number?]>([
    ['a valid amount-off template', {}, {}],
    ['no name', { name: '  ' }, { name: '名称为 1–64 个字' }],
    ['an amount of ¥0', { amountOffYuan: 0 }, { amountOffYuan: '减免金额为 ¥0.01–¥1000000' }],
    ['an amount of ¥0.001', { amountOffYuan: 0.001 }, { amountOffYuan: '减免金额为 ¥0.01–¥1000000' }],
    ['100 % off', { kind: 'PERCENT_OFF', percentOff: 100 }, { percentOff: '折扣为 1–99（%）的整数，15 = 减 15%' }],
    ['a gift without its item', { kind: 'GIFT', giftName: '' }, { giftName: '请填写赠品（1–64 个字）' }],
    ['a region template without its region', { scope: 'REGION' }, { scopeId: '请选择区域' }],
    ['0 days', { validDays: 0 }, { validDays: '有效天数为 1–3650 天' }],
    ['fixed dates without an end', { validity: 'DATES' }, { validUntil: '请选择截止时间' }],
    ['fixed dates ending before they start', { validity: 'DATES', validFrom: new Date(2000), validUntil: new Date(1000) }, { validUntil: '截止时间须晚于开始时间' }],
    ['a limit of 0 per member', { limitPerMember: 0 }, { limitPerMember: '每人限领为 1–1000 张（留空不限）' }],
    ['no budget', { budget: null }, { budget: '总量为 1–10000000 张' }],
    ['a budget below what was issued', { budget: 10 }, { budget: '总量不能少于已发放的 12 张' }, 12],
    ['a negative points price', { pointsPrice: -1 }, { pointsPrice: '积分价格为 0–10000000（留空或 0 为不出售）' }],
    ['a welcome coupon of a store', { scope: 'STORE', scopeId: '1', welcome: true }, { welcome: '只有总部优惠券可设为新会员礼券' }],
  ])('%s', (_n, over, expected, issued) => expect(couponErrors({ ...base, ...over }, issued)).toEqual(expected));
});

describe('issue list checks', () => {
  test('member numbers are split on lines, commas and spaces, without repeats', () => {
    expect(parseMemberNos('1234567890\n2345678901, 1234567890 ，3456789012')).toEqual(['1234567890', '2345678901', '3456789012']);
  });
  test.each<[string, string | null]>([
    ['1234567890', null],
    ['', '请输入会员号'],
    ['123456789', '会员号为 10 位数字：123456789'],
    [Array.from({ length: 201 }, (_, i) => String(1_000_000_000 + i)).join('\n'), '一次最多发放给 200 位会员（当前 201 位）'],
  ])('%j', (text, msg) => expect(memberNosError(text)).toBe(msg));
});

describe('programme settings checks', () => {
  const ok = { rounding: 'FLOOR' as const, capPerPurchase: null, pointsValidityMonths: 24, tierPeriodMonths: 12, signupBonusPoints: 100, birthdayBonusPoints: 0, profileBonusPoints: 50, ratingBonusPoints: 10 };
  test.each<[string, object, Record<string, string>]>([
    ['valid', {}, {}],
    ['a negative sign-up bonus', { signupBonusPoints: -1 }, { signupBonusPoints: '注册奖励为 0–100000 积分' }],
    ['a sign-up bonus over 100000', { signupBonusPoints: 100_001 }, { signupBonusPoints: '注册奖励为 0–100000 积分' }],
    ['a birthday bonus over 100000', { birthdayBonusPoints: 100_001 }, { birthdayBonusPoints: '生日月奖励为 0–100000 积分' }],
    ['a negative profile bonus', { profileBonusPoints: -1 }, { profileBonusPoints: '完善资料奖励为 0–100000 积分' }],
    ['a missing birthday bonus', { birthdayBonusPoints: null }, { birthdayBonusPoints: '生日月奖励为 0–100000 积分' }],
    ['a rating bonus over 1000', { ratingBonusPoints: 1001 }, { ratingBonusPoints: '评价奖励为 0–1000 积分' }],
    ['validity of 0 months', { pointsValidityMonths: 0 }, { pointsValidityMonths: '积分有效期为 1–120 个月' }],
    ['a tier period of 37 months', { tierPeriodMonths: 37 }, { tierPeriodMonths: '等级评定周期为 1–36 个月' }],
    ['a cap of 0', { capPerPurchase: 0 }, { capPerPurchase: '单笔上限为正整数（留空不限）' }],
  ])('%s', (_n, over, expected) => expect(settingsErrors({ ...ok, ...over })).toEqual(expected));
});

describe('refund checks', () => {
  test.each<[number | null, string | null, Record<string, string>]>([
    [30, '退货', {}],
    [70, null, {}],
    [70.01, null, { amountYuan: '最多可退 ¥70.00' }],
    [0, null, { amountYuan: '请输入退款金额（最小 ¥0.01）' }],
    [null, null, { amountYuan: '请输入退款金额（最小 ¥0.01）' }],
    [1, '字'.repeat(81), { reason: '退款原因最多 80 个字' }],
  ])('¥%p %j', (amountYuan, reason, expected) => expect(refundErrors({ amountYuan, reason }, 7_000)).toEqual(expected));

  test('yuan become whole fen or nothing', () => {
    expect(toFen(19.99)).toBe(1999);
    expect(toFen(0.1 + 0.2)).toBe(30);
    expect(toFen(1.005)).toBeNaN();
  });

  test('the clawback preview is the API rule', () => {
    expect(refundClawback({ orderPoints: 100, orderFen: 10_000, refundedFen: 0, pointsReversed: 0, amountFen: 3_000 })).toBe(30);
  });
});
