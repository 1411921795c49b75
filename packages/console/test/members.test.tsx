import { afterEach, describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { errorMessageZh } from '@quanzi/shared';
import { AdjustmentForm } from '../src/sections/members/AdjustmentForm';
import { PendingAdjustments } from '../src/sections/members/PendingAdjustments';
import { TierHistory, type TierChange } from '../src/sections/members/TierHistory';
import { adjustmentApprovalHint, adjustmentFieldError } from '../src/validation';

const STORES = [{ id: '10', name: '北京国贸店' }];
/** antd puts a space between the two characters of a two-character Chinese button. */
const APPROVE = /^批\s?准$/;

describe('adjustment validation mirrors the API', () => {
  test.each<[number | null, string | null]>([
    [500, null],
    [-200, null],
    [0, '调整积分为非零整数'],
    [null, '调整积分为非零整数'],
    [1.5, '调整积分为非零整数'],
    [1_000_001, '调整积分不超过 ±1,000,000'],
  ])('delta %p', (delta, msg) => expect(adjustmentFieldError('delta', { delta, reason: 'x' })).toBe(msg));

  test.each<[string, string | null]>([
    ['补录', null],
    ['   ', '请填写调整原因'],
    ['字'.repeat(101), '调整原因最多 100 个字'],
  ])('reason %j', (reason, msg) => expect(adjustmentFieldError('reason', { delta: 1, reason })).toBe(msg));

  test('the approval hint follows the threshold', () => {
    expect(adjustmentApprovalHint(1000, 1000)).toBe('不超过 1000 积分，提交后立即入账');
    expect(adjustmentApprovalHint(-1001, 1000)).toBe('超过 1000 积分，提交后需另一位经理审批才会入账');
    expect(adjustmentApprovalHint(0, 1000)).toBeNull();
  });
});

describe('adjustment form', () => {
  test('zero points and an empty reason are refused, nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<AdjustmentForm threshold={1000} stores={STORES} hq={false} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('例如 500 或 -200'), '0');
    await user.click(screen.getByRole('button', { name: '提交调整' }));
    expect(await screen.findByText('调整积分为非零整数')).toBeTruthy();
    expect(await screen.findByText('请填写调整原因')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  }, 60_000);

  test('above the threshold it says a second manager must approve, and sends delta, reason and store', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<AdjustmentForm threshold={1000} stores={STORES} hq={false} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('例如 500 或 -200'), '5000');
    expect((await screen.findByTestId('approval-hint')).textContent).toContain('需另一位经理审批');
    await user.type(screen.getByPlaceholderText('例如：补录 12 月 3 日漏记积分'), ' 活动补偿 ');
    await user.click(screen.getByRole('button', { name: '提交调整' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ delta: 5000, reason: '活动补偿', storeId: '10' }));
  }, 60_000);
});

// The approve flow against a mocked API (fetch): the list, a confirmation, the mutation, the refreshed list; errors in Chinese.
describe('approval list', () => {
  const item = (over: Record<string, unknown> = {}) => ({
    id: '7', memberId: '3', memberNo: '1234567897', delta: 5000, reason: '活动补偿', status: 'PENDING', storeId: '10',
    requestedById: '2', requestedBy: '2000000001', decidedBy: null, decisionNote: null, createdAt: '2026-12-06T02:00:00.000Z', decidedAt: null, ...over,
  });
  const listOf = (items: unknown[]) => ({ data: { pointsAdjustments: { items, pageInfo: { hasNextPage: false, endCursor: null } } } });
  const calls: { operationName: string; variables: Record<string, unknown> }[] = [];

  function mockApi(answer: (op: string, vars: Record<string, unknown>) => unknown) {
    calls.length = 0;
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: { body: string }) => {
      const body = JSON.parse(init.body) as { operationName: string; variables: Record<string, unknown> };
      calls.push(body);
      return { status: 200, json: async () => answer(body.operationName, body.variables) };
    }));
  }
  afterEach(() => vi.unstubAllGlobals());

  const renderList = (viewer = '5') =>
    render(
      <App>
        <PendingAdjustments viewerUserId={viewer} storeName={(id) => (id === '10' ? '北京国贸店' : '总部')} />
      </App>,
    );

  test('another manager approves: confirmed, sent once, the list refreshes', async () => {
    let approved = false;
    mockApi((op) => {
      if (op === 'ApprovePointsAdjustment') return (approved = true), { data: { approvePointsAdjustment: { id: '7', status: 'APPLIED' } } };
      return listOf(approved ? [] : [item()]);
    });
    renderList();
    const user = userEvent.setup();
    const row = (await screen.findByText('活动补偿')).closest('tr') as HTMLElement;
    expect(within(row).getByText('+5000')).toBeTruthy();
    expect(within(row).getByText('北京国贸店')).toBeTruthy();
    await user.click(within(row).getByRole('button', { name: APPROVE }));
    // The confirmation's own 批准 button (the last one on the page).
    const confirm = await screen.findAllByRole('button', { name: APPROVE });
    expect(confirm.length).toBe(2);
    await user.click(confirm[1] as HTMLElement);
    await waitFor(() => expect(calls.filter((c) => c.operationName === 'ApprovePointsAdjustment')).toHaveLength(1));
    expect(calls.find((c) => c.operationName === 'ApprovePointsAdjustment')?.variables).toEqual({ id: '7' });
    expect(await screen.findByText('已批准，积分已入账')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('活动补偿')).toBeNull());
  }, 60_000);

  test("one's own request cannot be approved (four eyes)", async () => {
    mockApi(() => listOf([item({ requestedById: '5' })]));
    renderList('5');
    const row = (await screen.findByText('活动补偿')).closest('tr') as HTMLElement;
    expect((within(row).getByRole('button', { name: APPROVE }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(row).getByRole('button', { name: /撤\s?回/ })).toBeTruthy();
  }, 60_000);

  test('an API refusal is shown in Chinese', async () => {
    mockApi((op) => (op === 'ApprovePointsAdjustment' ? { errors: [{ message: 'decided', extensions: { code: 'ADJUSTMENT_DECIDED' } }] } : listOf([item()])));
    renderList();
    const user = userEvent.setup();
    const row = (await screen.findByText('活动补偿')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: APPROVE }));
    const buttons = await screen.findAllByRole('button', { name: APPROVE });
    await user.click(buttons[buttons.length - 1] as HTMLElement);
    expect(await screen.findByText(errorMessageZh.ADJUSTMENT_DECIDED)).toBeTruthy();
  }, 60_000);
});

describe('tier history', () => {
  const change = (over: Partial<TierChange>): TierChange => ({
    id: '1',
    kind: 'UPGRADE',
    fromTierName: '普通',
    toTierName: '银卡',
    spendFen: 110_000,
    periodEndsAt: '2027-12-05T16:30:00.000Z',
    createdAt: '2026-12-05T16:30:00.000Z',
    ...over,
  });

  test('each change: when (Beijing time), what, the tiers, the spend behind it, until when', () => {
    render(
      <TierHistory
        changes={[
          change({ id: '3', kind: 'RENEWED', fromTierName: '金卡', toTierName: '金卡', spendFen: 520_000 }),
          change({ id: '2', kind: 'DOWNGRADE', fromTierName: '白金', toTierName: '金卡', spendFen: 600_000 }),
          change({ id: '1' }),
        ]}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['2026/12/06 00:30:00', '保级', '金卡', '¥5200', '2027/12/06 00:30:00'],
      ['2026/12/06 00:30:00', '降级', '白金 → 金卡', '¥6000', '2027/12/06 00:30:00'],
      ['2026/12/06 00:30:00', '升级', '普通 → 银卡', '¥1100', '2027/12/06 00:30:00'],
    ]);
  });

  test('none yet', () => {
    render(<TierHistory changes={[]} />);
    expect(screen.getByText('暂无等级变更')).toBeTruthy();
  });
});
