import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ReactNode } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { errorMessageZh } from '@quanzi/shared';
import { ScopeContext, type Scope } from '../src/scope';
import RewardsSection from '../src/sections/RewardsSection';
import { PartnerForm } from '../src/sections/rewards/PartnersCard';
import { RewardForm } from '../src/sections/rewards/RewardForm';

const HQ: Scope = {
  hq: true,
  regions: [{ id: '1', code: 'beijing', name: '北京' }],
  stores: [{ id: '10', code: 'bj-guomao', name: '北京国贸店', regionId: '1', regionName: '北京' }],
};
const inConsole = (ui: ReactNode) => render(<App><ScopeContext.Provider value={HQ}>{ui}</ScopeContext.Provider></App>);

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

const partner = { id: '3', code: 'recharge-co', name: '充值伙伴' };
const topup = {
  id: '7', kind: 'MOBILE_TOPUP', name: '移动话费 ¥50', description: '', imageUrl: null, pointsPrice: 5000, cashFen: 0, costFen: 4900, faceValueFen: 5000, brand: 'CMCC', stock: 20,
  limitPerDay: 2, limitPerMonth: 5, minTier: null, startsAt: null, endsAt: null, active: true, brandName: '中国移动', storeIds: null, voucherValidDays: null, provider: 'recharge', partner: { id: '3', name: '充值伙伴' },
};
const couponReward = { ...topup, id: '8', kind: 'COUPON', name: '满 100 减 20', faceValueFen: null, brand: null, brandName: null, provider: null, partner: null };
const api = (extra: (op: string, v: Record<string, unknown>) => unknown = () => undefined) =>
  mockApi((op, v) => {
    const answer = extra(op, v);
    if (answer) return answer;
    if (op === 'RewardPartners') return { data: { rewardPartners: [partner] } };
    if (op === 'Tiers') return { data: { tiers: [{ id: '1', code: 'GOLD', name: '金卡', rank: 2, thresholdFen: 100_000, multiplierPct: 150 }] } };
    return { data: { rewardCatalogue: [topup, couponReward] } };
  });

describe('partner form', () => {
  test('an upper-case code with a space and an empty name are refused; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => true);
    inConsole(<PartnerForm onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('cnpc'), 'CN PC');
    await user.click(screen.getByRole('button', { name: '添加合作方' }));
    expect(await screen.findByText('代码只能用小写字母、数字、_ 和 -（以字母或数字开头）')).toBeTruthy();
    expect(await screen.findByText('名称为 1–64 个字')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('create flow: a taken code is shown in Chinese; then the partner is sent and listed', async () => {
    let attempt = 0;
    let added = false;
    api((op) => {
      if (op === 'CreateRewardPartner') return ++attempt === 1 ? { errors: [{ message: 'taken', extensions: { code: 'CONFLICT' } }] } : ((added = true), { data: { createRewardPartner: { id: '4', code: 'cnpc', name: '中国石油' } } });
      if (op === 'RewardPartners') return { data: { rewardPartners: added ? [partner, { id: '4', code: 'cnpc', name: '中国石油' }] : [partner] } };
      return undefined;
    });
    inConsole(<RewardsSection />);
    const user = userEvent.setup();
    const form = await screen.findByTestId('partner-form');
    await user.type(within(form).getByPlaceholderText('cnpc'), 'cnpc');
    await user.type(within(form).getByPlaceholderText('中国石油'), '中国石油');
    await user.click(within(form).getByRole('button', { name: '添加合作方' }));
    expect(await screen.findByText(errorMessageZh.CONFLICT)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: '添加合作方' }));
    expect(await screen.findByText('已添加合作方 中国石油')).toBeTruthy();
    expect(await screen.findByText('cnpc')).toBeTruthy();
    expect(sent('CreateRewardPartner')[1]?.variables.input).toEqual({ code: 'cnpc', name: '中国石油' });
  }, 60_000);
});

describe('reward form', () => {
  test('creating: no name, no points, no stock and an http image are refused; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<RewardForm scope={HQ} partners={[partner]} tiers={[]} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('https://'), 'http://img.example.com/a.png');
    await user.type(screen.getByPlaceholderText('0'), '0.001');
    await user.click(screen.getByRole('button', { name: '创建礼品' }));
    expect(await screen.findByText('名称为 1–64 个字')).toBeTruthy();
    expect(await screen.findByText('积分价格为 1–10000000')).toBeTruthy();
    expect(await screen.findByText('库存为 0–10000000')).toBeTruthy();
    expect(await screen.findByText('图片地址须为 https:// 开头的网址（最多 255 个字符）')).toBeTruthy();
    expect(await screen.findByText('加付现金为 ¥0–¥1000000')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('editing a top-up: a monthly limit below the daily one is refused; the kind is fixed and there is no stock field', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<RewardForm scope={HQ} partners={[partner]} tiers={[]} initial={topup as never} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    const month = screen.getByDisplayValue('5');
    await user.clear(month);
    await user.type(month, '1');
    await user.click(screen.getByRole('button', { name: '保存修改' }));
    expect(await screen.findByText('每月限兑不能少于每日限兑')).toBeTruthy();
    expect(screen.queryByText('初始库存')).toBeNull();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('editing a top-up: a last day before the first day is refused as the API would; nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    inConsole(<RewardForm scope={HQ} partners={[partner]} tiers={[]} initial={{ ...topup, startsAt: '2027-01-31T16:00:00.000Z' } as never} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    // The stored start shows as its Beijing day; the provider adapter as its name.
    expect(screen.getByTestId('reward-start')).toHaveProperty('value', '2027-02-01');
    expect(screen.getByText('聚合充值平台（recharge）')).toBeTruthy();
    await user.type(screen.getByTestId('reward-end'), '2027-01-31');
    await user.click(screen.getByRole('button', { name: '保存修改' }));
    expect(await screen.findByText('结束日期须晚于开始时间')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    // A single day (first = last) is a valid window.
    await user.clear(screen.getByTestId('reward-end'));
    await user.type(screen.getByTestId('reward-end'), '2027-02-01');
    await user.click(screen.getByRole('button', { name: '保存修改' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]).toMatchObject([{ startsAt: new Date('2027-01-31T16:00:00.000Z'), endsAt: new Date('2027-02-01T16:00:00.000Z'), provider: 'recharge' }]);
  }, 60_000);

  test('create flow: an own product is sent with fen, days, the last day in Beijing time and no top-up fields', async () => {
    api((op) => (op === 'CreateReward' ? { data: { createReward: { ...topup, id: '9', kind: 'OWN_PRODUCT', name: '帆布袋' } } } : undefined));
    inConsole(<RewardsSection />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('new-reward'));
    const form = await screen.findByTestId('reward-form');
    await user.type(within(form).getByPlaceholderText('礼品名称'), '帆布袋');
    await user.type(within(form).getByPlaceholderText('1000'), '800');
    await user.type(within(form).getByPlaceholderText('100'), '50');
    await user.type(within(form).getByPlaceholderText('0'), '9.9');
    await user.type(within(form).getByPlaceholderText('https://'), 'https://img.example.com/bag.png');
    await user.type(within(form).getByTestId('reward-start'), '2027-01-01');
    await user.type(within(form).getByTestId('reward-end'), '2027-01-31');
    await user.click(within(form).getByRole('button', { name: '创建礼品' }));
    await waitFor(() => expect(sent('CreateReward')).toHaveLength(1));
    const input = sent('CreateReward')[0]?.variables.input as Record<string, unknown>;
    expect(input).toMatchObject({
      kind: 'OWN_PRODUCT', name: '帆布袋', pointsPrice: 800, stock: 50, cashFen: 990, costFen: 0, imageUrl: 'https://img.example.com/bag.png',
      startsAt: '2026-12-31T16:00:00.000Z', endsAt: '2027-01-31T16:00:00.000Z', storeIds: null, voucherValidDays: null, partnerId: null, active: true,
    });
    expect(input).not.toHaveProperty('faceValueFen');
    expect(input).not.toHaveProperty('provider');
    expect(await screen.findByText('已创建 帆布袋')).toBeTruthy();
  }, 60_000);

  test('edit flow: updateReward gets the top-up fields; coupon rewards are not editable here; a refusal is shown in Chinese', async () => {
    let attempt = 0;
    api((op, v) => {
      if (op !== 'UpdateReward') return undefined;
      return ++attempt === 1 ? { errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] } : { data: { updateReward: { ...topup, ...(v.input as object) } } };
    });
    inConsole(<RewardsSection />);
    const user = userEvent.setup();
    const couponRow = (await screen.findByText('满 100 减 20')).closest('tr') as HTMLElement;
    expect(within(couponRow).getByText('在优惠券中管理')).toBeTruthy();
    const row = screen.getByText('移动话费 ¥50').closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /编\s?辑/ }));
    const form = await screen.findByTestId('reward-form');
    const points = within(form).getByDisplayValue('5000');
    await user.clear(points);
    await user.type(points, '4500');
    await user.click(within(form).getByRole('button', { name: '保存修改' }));
    expect(await screen.findByText(errorMessageZh.BAD_USER_INPUT)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: '保存修改' }));
    expect(await screen.findByText('已保存 移动话费 ¥50')).toBeTruthy();
    const [, second] = sent('UpdateReward');
    expect(second?.variables).toMatchObject({ id: '7', input: { pointsPrice: 4500, faceValueFen: 5000, brand: 'CMCC', partnerId: '3', provider: 'recharge', costFen: 4900, limitPerDay: 2, limitPerMonth: 5, startsAt: null, endsAt: null } });
    expect(second?.variables.input).not.toHaveProperty('storeIds');
  }, 60_000);
});
