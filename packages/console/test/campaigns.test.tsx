import { afterEach, describe, expect, test, vi } from 'vitest';
import { useState, type ReactNode } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { ScopeContext, type Scope } from '../src/scope';
import { SegmentBuilder } from '../src/sections/campaigns/SegmentBuilder';
import { CampaignReport } from '../src/sections/campaigns/CampaignReport';
import { beijingToIso, campaignReportTable, isoToBeijing, segmentError, toConditionInput, upliftText, type ConditionDraft } from '../src/sections/campaigns/model';

const HQ: Scope = {
  hq: true,
  regions: [{ id: '1', code: 'beijing', name: '北京' }],
  stores: [{ id: '10', code: 'bj-guomao', name: '北京国贸店', regionId: '1', regionName: '北京' }],
};
const inConsole = (ui: ReactNode) => render(<App><ScopeContext.Provider value={HQ}>{ui}</ScopeContext.Provider></App>);

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

const REPORT = {
  final: true,
  windowStart: '2026-03-01T02:00:00.000Z',
  windowEnd: '2026-03-15T02:00:00.000Z',
  couponsIssued: 900,
  couponsRedeemed: 180,
  redemptionRate: 0.2,
  treated: { members: 900, responders: 270, responseRate: 0.3, spendFen: 4_500_000, spendPerMemberFen: 5000, visits: 360, visitsPerMember: 0.4 },
  holdout: { members: 100, responders: 20, responseRate: 0.2, spendFen: 300_000, spendPerMemberFen: 3000, visits: 25, visitsPerMember: 0.25 },
  uplift: { uplift: 0.1, lower: 0.0123, upper: 0.1789 },
};

describe('segment rules (the API’s, in Chinese)', () => {
  test('empty lists, a spend without bounds and min above max are refused; a valid segment passes', () => {
    expect(segmentError([])).toBe('请至少添加一个条件');
    expect(segmentError([{ field: 'GENDER', genders: [] }])).toBe('第 1 个条件：请至少选择一项');
    expect(segmentError([{ field: 'GENDER', genders: ['FEMALE'] }, { field: 'SPEND', days: 90, minYuan: null, maxYuan: null }])).toMatch(/^第 2 个条件：请填写金额/);
    expect(segmentError([{ field: 'SPEND', days: 90, minYuan: 500, maxYuan: 100 }])).toMatch(/^第 1 个条件：请填写金额/);
    expect(segmentError([{ field: 'SPEND', days: 2000, minYuan: 100, maxYuan: null }])).toBe('第 1 个条件：天数为 1–1095');
    expect(segmentError([{ field: 'DISTANCE', storeId: '10', minKm: null, maxKm: 3 }, { field: 'TIER', tierIds: ['2'] }])).toBeNull();
  });

  test('a condition sends only its kind’s properties, money in fen', () => {
    expect(toConditionInput({ field: 'SPEND', days: 90, minYuan: 199.5, maxYuan: null })).toEqual({ field: 'SPEND', days: 90, minFen: 19950, maxFen: null });
  });

  test('start times are Beijing wall clock whatever the browser zone', () => {
    expect(beijingToIso({ year: 2026, month: 2, day: 1, hour: 10, minute: 0 })).toBe('2026-03-01T02:00:00.000Z');
    expect(isoToBeijing('2026-03-01T17:30:00.000Z')).toEqual({ year: 2026, month: 2, day: 2, hour: 1, minute: 30 });
  });
});

describe('segment builder', () => {
  test('adding a gender condition asks previewSegment for the scope and shows 预计人数', async () => {
    mockApi((op, vars) => (op === 'PreviewSegment' ? { data: { previewSegment: { count: (vars.conditions as unknown[]).length * 1234, sample: [] } } } : { data: {} }));
    function Harness() {
      const [v, setV] = useState<ConditionDraft[]>([]);
      return <SegmentBuilder value={v} onChange={setV} regionId="1" storeId={null} />;
    }
    inConsole(<Harness />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: '条件类型' }));
    await user.click(await screen.findByTitle('性别'));
    await user.click(screen.getByRole('button', { name: '添加条件' }));
    const row = await screen.findByTestId('condition-0');
    expect(row.querySelector('strong')?.textContent).toBe('性别');
    expect(await screen.findByText('第 1 个条件：请至少选择一项')).toBeTruthy();
    expect(sent('PreviewSegment')).toHaveLength(0);

    await user.click(within(row).getByRole('combobox', { name: '性别' }));
    await user.click(await screen.findByTitle('女'));
    expect((await screen.findByTestId('segment-count', {}, { timeout: 3000 })).textContent).toBe('预计 1234 人');
    expect(sent('PreviewSegment').at(-1)!.variables).toEqual({ conditions: [{ field: 'GENDER', genders: ['FEMALE'] }], regionId: '1', storeId: null });

    await user.click(within(row).getByRole('button', { name: /删\s?除/ }));
    await waitFor(() => expect(screen.queryByTestId('condition-0')).toBeNull());
    expect(screen.queryByTestId('segment-count')).toBeNull();
  }, 60_000);
});

describe('campaign report', () => {
  test('the table model and the uplift line from a fixture', () => {
    expect(campaignReportTable(REPORT)).toEqual({
      header: ['分组', '人数', '响应人数', '响应率', '消费额', '人均消费', '到店次数', '人均到店'],
      rows: [
        ['处理组', 900, 270, '30.0%', '¥45000.00', '¥50.00', 360, '0.40'],
        ['对照组', 100, 20, '20.0%', '¥3000.00', '¥30.00', 25, '0.25'],
      ],
    });
    expect(upliftText(REPORT)).toBe('+10.0 个百分点（95% 区间 +1.2 个百分点 ～ +17.9 个百分点）');
    expect(upliftText({ ...REPORT, uplift: null })).toBe('任一分组为空，暂无提升');
  });

  test('the report drawer shows the groups and the uplift', async () => {
    mockApi(() => ({ data: { campaignReport: REPORT } }));
    inConsole(<CampaignReport id="7" />);
    expect((await screen.findByTestId('campaign-uplift')).textContent).toBe('+10.0 个百分点（95% 区间 +1.2 个百分点 ～ +17.9 个百分点）');
    const table = screen.getByTestId('table-campaign-7');
    expect(within(table).getByText('处理组')).toBeTruthy();
    expect(within(table).getByText('30.0%')).toBeTruthy();
    expect(within(table).getByText('¥30.00')).toBeTruthy();
    expect(sent('CampaignReport')[0]!.variables).toEqual({ id: '7' });
  }, 60_000);
});

describe('campaign form', () => {
  test('editing a draft: its segment, offer and Beijing start come back unchanged; a bad holdout is refused', async () => {
    const { CampaignForm, campaignInput } = await import('../src/sections/campaigns/CampaignForm');
    mockApi((op) =>
      op === 'PreviewSegment' ? { data: { previewSegment: { count: 42, sample: [] } } } : op === 'CouponTemplates' ? { data: { couponTemplates: [{ id: '5', name: '满 100 减 20', remaining: 97 }] } } : { data: {} },
    );
    const draft = {
      id: '7', name: '沉睡唤醒', status: 'DRAFT', offerKind: 'COUPON', couponTemplateId: '5', multiplierPct: null, multiplierDays: null, holdoutPct: 10, responseDays: 14, sms: true, message: null,
      startsAt: '2026-03-01T02:00:00.000Z', scopeRegionId: '1', scopeStoreId: null, createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z',
      conditions: [{ field: 'SPEND', genders: null, ageBands: null, tierIds: null, stages: null, minFen: 10000, maxFen: null, days: 90, categories: null, after: null, before: null, storeId: null, minKm: null, maxKm: null }],
      progress: { materialised: 0, treated: 0, holdout: 0, sent: 0, pending: 0, failed: 0, complete: false },
    };
    const onSubmit = vi.fn(async () => {});
    inConsole(<CampaignForm initial={draft as never} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    expect((await screen.findByTestId('segment-count', {}, { timeout: 3000 })).textContent).toBe('预计 42 人');
    const holdout = screen.getByLabelText('对照组（%）');
    await user.clear(holdout);
    await user.type(holdout, '60');
    await user.click(screen.getByRole('button', { name: '保存草稿' }));
    expect(await screen.findByText('对照组比例为 0–50%')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(holdout);
    await user.type(holdout, '20');
    await user.click(screen.getByRole('button', { name: '保存草稿' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const calls = onSubmit.mock.calls as unknown as [Parameters<typeof campaignInput>[0]][];
    expect(campaignInput(calls[0]![0])).toEqual({
      name: '沉睡唤醒', scopeRegionId: '1', scopeStoreId: null, conditions: [{ field: 'SPEND', days: 90, minFen: 10000, maxFen: null }],
      couponTemplateId: '5', multiplierPct: null, multiplierDays: null, sms: true, startsAt: '2026-03-01T02:00:00.000Z', holdoutPct: 20, responseDays: 14, message: null,
    });
  }, 60_000);
});
