import { fenToYuan, ledgerReason, maskOpenid, maskPhone } from './format';

describe('maskPhone', () => {
  it.each<[string | null | undefined, string | null]>([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86****5678'],
    ['5551234', '****34'],
    ['123', '****23'],
    ['12', '****'],
    ['1', '****'],
    ['', ''],
    [null, null],
    [undefined, null],
  ])('%p → %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskOpenid', () => {
  it.each<[string | null | undefined, string | null]>([
    ['oAbcdEfGhIjKlMnOpQrStUvWxyz1', 'oAbc****xyz1'],
    ['o6_bmjrPTlm6_2sgVt7hMZOPfL2M', 'o6_b****fL2M'],
    ['abcdefghijkl', 'abcd****ijkl'],
    ['abcdefghijk', '****jk'],
    ['ab', '****'],
    ['', ''],
    [null, null],
    [undefined, null],
  ])('%p → %p', (input, expected) => {
    expect(maskOpenid(input)).toBe(expected);
  });
});

describe('fenToYuan', () => {
  it.each([
    [12345, '123.45'],
    [0, '0.00'],
    [5, '0.05'],
    [10, '0.10'],
    [100, '1.00'],
    [1000, '10.00'],
    [-150, '-1.50'],
    [-5, '-0.05'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('%i fen → %s', (fen, expected) => {
    expect(fenToYuan(fen)).toBe(expected);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('%p → RangeError', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(RangeError);
  });
});

describe('ledgerReason (the store is on the row, never in the reason)', () => {
  it.each<[string, string, string]>([
    ['purchase', ledgerReason.purchase(12345), '门店消费 ¥123.45'],
    ['purchase of 5 fen', ledgerReason.purchase(5), '门店消费 ¥0.05'],
    ['till deduction', ledgerReason.tillRedeem('兑换咖啡'), '门店抵扣 · 兑换咖啡'],
    ['WeChat Pay', ledgerReason.wechatPay(10_000), '微信支付 ¥100.00'],
    ['sign-up bonus', ledgerReason.signupBonus(), '新会员注册奖励'],
    ['manual adjustment', ledgerReason.adjustment('补录漏积分'), '人工调整 · 补录漏积分'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
