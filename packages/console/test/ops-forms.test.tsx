import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ReactNode } from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { errorMessageZh } from '@quanzi/shared';
import { ScopeContext, type Scope } from '../src/scope';
import { CouponForm } from '../src/sections/coupons/CouponForm';
import CouponsSection from '../src/sections/coupons/CouponsSection';
import { IssueForm } from '../src/sections/coupons/IssueForm';
import { SettingsForm, SettingsTab } from '../src/sections/program/SettingsTab';
import { PayOrders } from '../src/sections/payments/PayOrders';
import { RefundForm } from '../src/sections/payments/RefundForm';

const HQ: Scope = {
  hq: true,
  regions: [{ id: '1', code: 'beijing', name: '北京' }],
  stores: [{ id: '10', code: 'bj-guomao', name: '北京国贸店', regionId: '1', regionName: '北京' }],
};
const inConsole = (ui: ReactNode, scope: Scope = HQ) => render(<App><ScopeContext.Provider value={scope}>{ui}</ScopeContext.Provider></App>);

/** A mocked API (fetch): answers by operation name; records what was sent. */
const calls: { operationName: string; variables: Record<string, unknown> }[] = [];
function mockApi(answer: (op: string, vars: Record<string, unknown>) => unknown) {
  calls.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: { body: string }) => {
    const body = JSON.parse(init.body) as { operationName: string; variables: Record<string, unknown> };
    calls.push(body);
    return { status: 200, json: async () => answer(body.operationName, body.variables) };
  }));
}
const sent = (op: string) => calls.filter((c) => c.operationName === op);
afterEach(() => vi.unstubAllGlobals());

const template = {
  id: '5', kind: 'AMOUNT_OFF', name: '满 100 减 20', description: '', amountOffFen: 2000, percentOff: null, giftName: null, minSpendFen: 10_000, storeIds: [], regionIds: [],
  scopeStoreId: null, scopeRegionId: null, validFrom: null, validUntil: null, validDays: 30, limitPerMember: 1, budget: 100, issued: 3, remaining: 97, used: 1, pointsPrice: null, active: true, welcome: false,
};

describe('coupon template form', () => {
  test('a gift without its item, 0 days and no budget are refused; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<CouponForm scope={HQ} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('满 100 减 20'), '新人券');
    const days = screen.getByDisplayValue('30');
    await user.clear(days);
    await user.type(days, '0');
    await user.click(screen.getByRole('button', { name: '创建优惠券' }));
    expect(await screen.findByText('减免金额为 ¥0.01–¥1000000')).toBeTruthy();
    expect(await screen.findByText('有效天数为 1–3650 天')).toBeTruthy();
    expect(await screen.findByText('总量为 1–10000000 张')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('editing: the budget cannot drop below what was issued', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<CouponForm scope={HQ} initial={{ ...template, budget: 50 } as never} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    const budget = screen.getByDisplayValue('50');
    await user.clear(budget);
    await user.type(budget, '2');
    await user.click(screen.getByRole('button', { name: '保存修改' }));
    expect(await screen.findByText('总量不能少于已发放的 3 张')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('create flow: the section sends createCouponTemplate with fen, days and the HQ scope, then lists it', async () => {
    let created = false;
    mockApi((op) => {
      if (op === 'CreateCouponTemplate') return (created = true), { data: { createCouponTemplate: template } };
      return { data: { couponTemplates: created ? [template] : [] } };
    });
    inConsole(<CouponsSection />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('new-coupon'));
    const form = await screen.findByTestId('coupon-form');
    await user.type(within(form).getByPlaceholderText('满 100 减 20'), '满 100 减 20');
    await user.type(within(form).getByPlaceholderText('20'), '20');
    const min = within(form).getByDisplayValue('0');
    await user.clear(min);
    await user.type(min, '100');
    await user.type(within(form).getByPlaceholderText('1000'), '100');
    await user.click(within(form).getByRole('button', { name: '创建优惠券' }));
    await waitFor(() => expect(sent('CreateCouponTemplate')).toHaveLength(1));
    expect(sent('CreateCouponTemplate')[0]?.variables.input).toMatchObject({
      kind: 'AMOUNT_OFF', name: '满 100 减 20', amountOffFen: 2000, percentOff: null, minSpendFen: 10_000, validDays: 30, validUntil: null, budget: 100, scopeStoreId: null, scopeRegionId: null, welcome: false, active: true,
    });
    expect(await screen.findByText('已创建优惠券')).toBeTruthy();
    expect(await screen.findByText('3 / 100')).toBeTruthy();
  }, 60_000);
});

describe('issue form', () => {
  test('a 9-digit member number is refused; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<IssueForm remaining={5} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox'), '123456789');
    await user.click(screen.getByRole('button', { name: '确认发放' }));
    expect(await screen.findByText('会员号为 10 位数字：123456789')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('issue flow: the list and a key are sent; a retry of the same list reuses the key; a refusal names the member in Chinese', async () => {
    let attempt = 0;
    mockApi((op) => {
      if (op === 'IssueCoupons') return ++attempt === 1 ? { errors: [{ message: 'limit', extensions: { code: 'LIMIT_REACHED', memberNo: '2345678901' } }] } : { data: { issueCoupons: { issued: 2, alreadyIssued: 0, remaining: 95 } } };
      return { data: { couponTemplates: [template] } };
    });
    inConsole(<CouponsSection />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /发\s?放/ }));
    const form = await screen.findByTestId('issue-form');
    fireEvent.change(within(form).getByRole('textbox'), { target: { value: '1234567890\n2345678901' } });
    await user.click(within(form).getByRole('button', { name: '确认发放' }));
    expect(await screen.findByText(`会员 2345678901：${errorMessageZh.LIMIT_REACHED}（本次未发放任何券）`)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: '确认发放' }));
    expect(await screen.findByText('已发放 2 张，剩余 95 张')).toBeTruthy();
    const [first, second] = sent('IssueCoupons');
    expect(first?.variables.input).toMatchObject({ templateId: '5', memberNos: ['1234567890', '2345678901'], idempotencyKey: expect.stringMatching(/^issue-[0-9a-f]{32}$/) });
    expect((second?.variables.input as { idempotencyKey: string }).idempotencyKey).toBe((first?.variables.input as { idempotencyKey: string }).idempotencyKey);
  }, 60_000);
});

describe('programme settings form', () => {
  const settings = { rounding: 'FLOOR', capPerPurchase: null, pointsValidityMonths: 24, tierPeriodMonths: 12, signupBonusPoints: 0, birthdayBonusPoints: 0, profileBonusPoints: 0 };
  // Saved: the birthday coupon is template 5, rising into 银卡 (tier 2) gives template 6, 金卡 (tier 3) nothing.
  const saved = { ...settings, birthdayCouponTemplateId: '5', tierUpgradeCoupons: [{ tierId: '2', templateId: '6' }] };
  const templates = [
    template,
    { ...template, id: '6', name: '升级礼 ¥30' },
    { ...template, id: '7', name: '北京区域券', scopeRegionId: '1' },
    { ...template, id: '8', name: '已停用的券', active: false },
  ];
  const tiers = [
    { id: '1', code: 'member', name: '会员', rank: 0, thresholdFen: 0, multiplierPct: 100 },
    { id: '3', code: 'gold', name: '金卡', rank: 2, thresholdFen: 500_000, multiplierPct: 150 },
    { id: '2', code: 'silver', name: '银卡', rank: 1, thresholdFen: 100_000, multiplierPct: 120 },
  ];
  const lookups = (op: string) =>
    op === 'CouponTemplates' ? { data: { couponTemplates: templates } } : op === 'Tiers' ? { data: { tiers } } : undefined;
  /** The text an antd select shows for its value. */
  const shown = (name: string) => screen.getByRole('combobox', { name }).closest('.ant-select')?.textContent;
  const pick = async (user: ReturnType<typeof userEvent.setup>, name: string, option: string) => {
    await user.click(screen.getByRole('combobox', { name }));
    const opts = await screen.findAllByTitle(option);
    await user.click(opts.at(-1) as HTMLElement);
  };
  test('a sign-up bonus over 100000 is refused; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<SettingsForm initial={{ ...settings, rounding: 'FLOOR', ratingBonusPoints: 0 }} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    const bonus = screen.getAllByRole('spinbutton')[3] as HTMLInputElement;
    await user.clear(bonus);
    await user.type(bonus, '100001');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('注册奖励为 0–100000 积分')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('a birthday bonus over 100000 or a negative profile bonus is refused; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<SettingsForm initial={{ ...settings, rounding: 'FLOOR', ratingBonusPoints: 0 }} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    const [, , , , , birthday, profile] = screen.getAllByRole('spinbutton') as HTMLInputElement[];
    await user.clear(birthday as HTMLInputElement);
    await user.type(birthday as HTMLInputElement, '100001');
    await user.clear(profile as HTMLInputElement);
    await user.type(profile as HTMLInputElement, '-5');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('生日月奖励为 0–100000 积分')).toBeTruthy();
    expect(await screen.findByText('完善资料奖励为 0–100000 积分')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('save flow: the sign-up, birthday, profile and rating bonuses are sent (the unchanged rule coupons are not)', async () => {
    mockApi((op, v) => {
      if (op === 'UpdateProgramSettings') return { data: { updateProgramSettings: { ...settings, ...(v.input as object) } } };
      if (op === 'UpdateRatingSettings') return { data: { updateRatingSettings: { bonusPoints: v.bonusPoints } } };
      return lookups(op) ?? { data: { programSettings: saved, ratingSettings: { bonusPoints: 0 } } };
    });
    inConsole(<SettingsTab />);
    const user = userEvent.setup();
    await screen.findByTestId('settings-form');
    const [, , , signup, rating, birthday, profile] = screen.getAllByRole('spinbutton') as HTMLInputElement[];
    await user.clear(signup as HTMLInputElement);
    await user.type(signup as HTMLInputElement, '200');
    await user.clear(birthday as HTMLInputElement);
    await user.type(birthday as HTMLInputElement, '300');
    await user.clear(profile as HTMLInputElement);
    await user.type(profile as HTMLInputElement, '50');
    await user.clear(rating as HTMLInputElement);
    await user.type(rating as HTMLInputElement, '5');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('已保存设置')).toBeTruthy();
    expect(sent('UpdateProgramSettings')[0]?.variables.input).toEqual({ rounding: 'FLOOR', capPerPurchase: null, pointsValidityMonths: 24, tierPeriodMonths: 12, signupBonusPoints: 200, birthdayBonusPoints: 300, profileBonusPoints: 50 });
    expect(sent('UpdateRatingSettings')[0]?.variables).toEqual({ bonusPoints: 5 });
  }, 60_000);

  test('the rule coupons: saved values shown, HQ templates switched on offered, the changes sent', async () => {
    mockApi((op, v) => {
      if (op === 'UpdateProgramSettings') return { data: { updateProgramSettings: { ...saved, ...(v.input as object) } } };
      return lookups(op) ?? { data: { programSettings: saved, ratingSettings: { bonusPoints: 0 } } };
    });
    inConsole(<SettingsTab />);
    const user = userEvent.setup();
    await screen.findByTestId('settings-form');
    expect(shown('生日月优惠券')).toBe('满 100 减 20');
    expect(shown('升级优惠券 · 银卡')).toBe('升级礼 ¥30');
    expect(shown('升级优惠券 · 金卡')).toBe('不发');
    expect(screen.queryByRole('combobox', { name: '升级优惠券 · 会员' })).toBeNull(); // nobody rises into the entry tier
    // Offered: 不发 and the HQ templates switched on; not a region's template, not one switched off.
    await user.click(screen.getByRole('combobox', { name: '升级优惠券 · 金卡' }));
    await waitFor(() => expect(document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')).toBeTruthy());
    const offered = [...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')].map((o) => o.getAttribute('title'));
    expect(offered).toEqual(['不发', '满 100 减 20', '升级礼 ¥30']);
    await user.click((await screen.findAllByTitle('满 100 减 20')).at(-1) as HTMLElement);
    await pick(user, '生日月优惠券', '不发');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('已保存设置')).toBeTruthy();
    expect(sent('UpdateProgramSettings')[0]?.variables.input).toEqual({
      ...settings,
      birthdayCouponTemplateId: null, // 不发 clears it
      tierUpgradeCoupons: [{ tierId: '2', templateId: '6' }, { tierId: '3', templateId: '5' }], // the whole list replaces the old one
    });
  }, 60_000);

  test('a region manager reads the rule coupons (no template list asked for, no save button)', async () => {
    mockApi((op) => lookups(op) ?? { data: { programSettings: saved, ratingSettings: { bonusPoints: 0 } } });
    inConsole(<SettingsTab />, { ...HQ, hq: false });
    await screen.findByTestId('settings-form');
    expect(shown('生日月优惠券')).toBe('券模板 #5');
    expect(shown('升级优惠券 · 银卡')).toBe('券模板 #6');
    expect(sent('CouponTemplates')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: '保存设置' })).toBeNull();
  }, 60_000);

  test('an API refusal of a rule coupon reads in Chinese, naming the coupon', async () => {
    let answer = { code: 'REWARD_UNAVAILABLE', field: 'tierUpgradeCoupons', reason: 'INACTIVE' } as Record<string, string>;
    mockApi((op) => {
      if (op === 'UpdateProgramSettings') return { errors: [{ message: 'x', extensions: answer }] };
      return lookups(op) ?? { data: { programSettings: saved, ratingSettings: { bonusPoints: 0 } } };
    });
    inConsole(<SettingsTab />);
    const user = userEvent.setup();
    await screen.findByTestId('settings-form');
    await pick(user, '升级优惠券 · 金卡', '满 100 减 20');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('升级优惠券：该券模板已停用')).toBeTruthy();
    answer = { code: 'NOT_FOUND', field: 'birthdayCouponTemplateId' };
    await pick(user, '生日月优惠券', '升级礼 ¥30');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText(`生日月优惠券：${errorMessageZh.NOT_FOUND}`)).toBeTruthy();
    expect(sent('UpdateProgramSettings').at(-1)?.variables.input).toMatchObject({ birthdayCouponTemplateId: '6' });
  }, 60_000);
});

describe('refund form', () => {
  const order = {
    outTradeNo: 'QZ20261206000001', storeId: '10', storeName: '北京国贸店', memberNo: '1234567890', amountFen: 10_000, description: '消费', state: 'PAID', points: 100,
    refundedFen: 3_000, pointsReversed: 30, refundableFen: 7_000, paidAt: '2026-12-06T02:00:00.000Z', createdAt: '2026-12-06T01:59:00.000Z', refunds: [],
  };

  test('more than is refundable is refused; the clawback preview follows the amount', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<RefundForm order={order as never} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    const amount = screen.getByRole('spinbutton');
    await user.type(amount, '80');
    await user.click(screen.getByRole('button', { name: '确认退款' }));
    expect(await screen.findByText('最多可退 ¥70.00')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(amount);
    await user.type(amount, '35');
    // floor(100 × (30 + 35) ÷ 100) − 30 already reversed = 35
    expect((await screen.findByTestId('clawback-preview')).textContent).toContain('将扣回 35 积分');
  }, 60_000);

  test('refund flow: the order, amount in fen, reason and key are sent; the answer and refund status are shown', async () => {
    mockApi((op) => {
      if (op === 'RefundPayment') return { data: { refundPayment: { outRefundNo: 'RFX', outTradeNo: order.outTradeNo, amountFen: 2_000, status: 'SUCCESS', pointsReversed: 15, pointsUncollected: 5, createdAt: order.paidAt } } };
      return { data: { payOrders: { total: 1, items: [order] } } };
    });
    inConsole(<PayOrders />);
    const user = userEvent.setup();
    const row = (await screen.findByText('1234567890')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /退\s?款/ }));
    const form = await screen.findByTestId('refund-form');
    await user.type(within(form).getByRole('spinbutton'), '20');
    await user.type(within(form).getByPlaceholderText('退货一件'), '退货一件');
    await user.click(within(form).getByRole('button', { name: '确认退款' }));
    expect((await screen.findByTestId('refund-result')).textContent).toBe('退款 ¥20：已退款，扣回 15 积分，5 积分未收回（会员已使用）');
    expect(sent('RefundPayment')[0]?.variables.input).toEqual({ outTradeNo: order.outTradeNo, amountFen: 2_000, reason: '退货一件', idempotencyKey: expect.stringMatching(/^refund-[0-9a-f]{32}$/) });
  }, 60_000);

  test('an API refusal is shown in Chinese', async () => {
    mockApi((op) => (op === 'RefundPayment' ? { errors: [{ message: 'x', extensions: { code: 'WECHAT_UNAVAILABLE' } }] } : { data: { payOrders: { total: 1, items: [order] } } }));
    inConsole(<PayOrders />);
    const user = userEvent.setup();
    const row = (await screen.findByText('1234567890')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /退\s?款/ }));
    const form = await screen.findByTestId('refund-form');
    await user.type(within(form).getByRole('spinbutton'), '1');
    await user.click(within(form).getByRole('button', { name: '确认退款' }));
    expect(await screen.findByText(errorMessageZh.WECHAT_UNAVAILABLE)).toBeTruthy();
  }, 60_000);
});
