import { describe, expect, test } from 'vitest';
import { orgCode, ruleErrors, stockDeltaError, tierErrors } from '../src/validation';

// The console's checks mirror the API's (class-validator decorators and service rules); these tables pin them.
const TIERS = [
  { code: 'NORMAL', name: '普通', rank: 0, thresholdFen: 0 },
  { code: 'SILVER', name: '银卡', rank: 1, thresholdFen: 100_000 },
  { code: 'GOLD', name: '金卡', rank: 2, thresholdFen: 500_000 },
];

describe('validation mirrors the API', () => {
  test.each([
    ['bj-wangjing', null],
    ['BJ', '编码为 2–32 位小写字母、数字或 -'],
    ['a', '编码为 2–32 位小写字母、数字或 -'],
    ['', '请输入编码'],
  ])('store/region code %j', (v, m) => expect(orgCode(v)).toBe(m));

  test.each<[string, Parameters<typeof tierErrors>[0], Record<string, string>]>([
    ['a new top tier', { code: 'VIP', name: '黑金', rank: 3, thresholdYuan: 20000, multiplierPct: 150 }, {}],
    ['rank 0 needs threshold 0', { code: 'NORMAL', name: '普通', rank: 0, thresholdYuan: 10, multiplierPct: 100 }, { thresholdYuan: '入门等级（级别 0）的门槛必须为 0' }],
    ['threshold below a lower rank', { code: 'VIP', name: '黑金', rank: 3, thresholdYuan: 4000, multiplierPct: 150 }, { thresholdYuan: '门槛须高于「金卡」的 ¥5000' }],
    ['a taken rank', { code: 'VIP', name: '黑金', rank: 2, thresholdYuan: 3000, multiplierPct: 150 }, { rank: '级别 2 已被「金卡」占用' }],
    ['multiplier out of 100–1000', { code: 'VIP', name: '黑金', rank: 3, thresholdYuan: 20000, multiplierPct: 50 }, { multiplierPct: '积分倍数为 100–1000（%）的整数' }],
    ['lower-case code', { code: 'vip', name: '黑金', rank: 3, thresholdYuan: 20000, multiplierPct: 150 }, { code: '编码为大写字母开头的 1–16 位大写字母、数字或 _' }],
    ['editing a tier ignores itself', { code: 'GOLD', name: '金卡', rank: 2, thresholdYuan: 6000, multiplierPct: 130 }, {}],
  ])('tier: %s', (_n, draft, expected) => expect(tierErrors(draft, TIERS)).toEqual(expected));

  test.each<[string, Parameters<typeof ruleErrors>[0], Record<string, string>]>([
    ['a store category rule', { kind: 'CATEGORY', name: '服装 2 倍', scope: 'STORE', scopeId: '1', multiplierPct: 200, category: 'apparel' }, {}],
    ['a store rule needs its store', { kind: 'CATEGORY', name: '服装 2 倍', scope: 'STORE', multiplierPct: 200, category: 'apparel' }, { scopeId: '请选择门店' }],
    ['a base rate of ¥0.001', { kind: 'BASE_RATE', name: '基础', scope: 'HQ', yuanPerPoint: 0.001 }, { yuanPerPoint: '每积分消费金额为 ¥0.01–¥10000' }],
    ['a multiplier over 10000', { kind: 'CATEGORY', name: 'x', scope: 'HQ', multiplierPct: 10_001, category: 'a' }, { multiplierPct: '倍数为 0–10000（%）的整数' }],
    ['a campaign ending before it starts', { kind: 'CAMPAIGN', name: '双倍', scope: 'HQ', multiplierPct: 200, startsAt: new Date(2000), endsAt: new Date(1000) }, { endsAt: '活动结束时间须晚于开始时间' }],
  ])('earning rule: %s', (_n, draft, expected) => expect(ruleErrors(draft)).toEqual(expected));

  test.each<[number | null, number, string | null]>([
    [10, 5, null],
    [-5, 5, null],
    [-6, 5, '库存不能低于 0（当前 5）'],
    [0, 5, '请输入非零整数'],
    [1.5, 5, '请输入非零整数'],
    [null, 5, '请输入非零整数'],
  ])('stock delta %j on %j', (d, stock, m) => expect(stockDeltaError(d, stock)).toBe(m));
});
