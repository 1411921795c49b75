import { afterEach, describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { errorMessageZh } from '@quanzi/shared';
import type { CohortRetentionQuery } from '../src/graphql/generated';
import { cohortOption, cohortRange, cohortTable } from '../src/dashboard/cohorts';

// No canvas in jsdom: the chart is a stub that shows the option's heatmap data (the browser journey checks pixels).
vi.mock('../src/dashboard/EChart', () => ({
  EChart: ({ option, testId }: { option: { series: { data: unknown }[] }; testId?: string }) => <pre data-testid={testId}>{JSON.stringify(option.series[0]!.data)}</pre>,
}));
const { CohortCard } = await import('../src/sections/dashboard/CohortCard');

type Retention = CohortRetentionQuery['cohortRetention'];
const cell = (offset: number, month: string, active: number | null, rate: number | null, complete: boolean) => ({ offset, month, active, rate, complete });
const months = (first: string, n: number) => {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, k) => {
    const i = y * 12 + m - 1 + k;
    return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  });
};
/** Two cohorts as the API answers on 6 Dec 2026: October (4 members) and November (0); December is the current month. */
const RETENTION: Retention = {
  cohorts: [
    { month: '2026-10', members: 4, cells: months('2026-10', 12).map((m, k) => (k === 0 ? cell(0, m, 4, 1, true) : k === 1 ? cell(1, m, 1, 0.25, true) : k === 2 ? cell(2, m, 2, 0.5, false) : cell(k, m, null, null, false))) },
    { month: '2026-11', members: 0, cells: months('2026-11', 12).map((m, k) => (k === 0 ? cell(0, m, 0, null, true) : k === 1 ? cell(1, m, 0, null, false) : cell(k, m, null, null, false))) },
  ],
};
const NOW = Date.parse('2026-12-06T10:00:00.000Z');

const calls: { operationName: string; variables: Record<string, unknown> }[] = [];
function mockApi(answer: (vars: Record<string, unknown>) => unknown) {
  calls.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: { body: string }) => {
    const body = JSON.parse(init.body) as { operationName: string; variables: Record<string, unknown> };
    calls.push(body);
    return { status: 200, json: async () => answer(body.variables) };
  }));
}
afterEach(() => vi.unstubAllGlobals());

describe('cohort retention (pure parts)', () => {
  test('the last n Beijing months, the current one included', () => {
    expect(cohortRange(NOW, 12)).toEqual({ from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    // 31 Dec 2026 20:00 UTC is already 1 Jan 2027 in Beijing.
    expect(cohortRange(Date.parse('2026-12-31T20:00:00.000Z'), 6)).toEqual({ from: '2026-07-31T16:00:00.000Z', to: '2027-01-31T16:00:00.000Z' });
  });
  test('table: share and count per month, * for the unfinished month, — for an empty cohort, nothing for months to come', () => {
    const t = cohortTable(RETENTION);
    expect(t.header.slice(0, 5)).toEqual(['注册月份', '人数', '当月', '第 1 月', '第 2 月']);
    expect(t.header).toHaveLength(14);
    expect(t.rows[0]!.slice(0, 6)).toEqual(['2026-10', 4, '100.0% (4)', '25.0% (1)', '50.0% (2)*', null]);
    expect(t.rows[1]!.slice(0, 5)).toEqual(['2026-11', 0, '—', '—', null]);
  });
  test('heatmap: [offset, cohort row, %] for the cells with a rate', () => {
    const o = cohortOption(RETENTION) as { series: { data: number[][] }[]; yAxis: { data: string[] } };
    expect(o.series[0]!.data).toEqual([[0, 0, 100], [1, 0, 25], [2, 0, 50]]);
    expect(o.yAxis.data).toEqual(['2026-10（4人）', '2026-11（0人）']);
  });
});

describe('cohort card', () => {
  test('asks for the scope’s last 12 months, draws the grid, shows it as a table; 近 6 个月 asks again', async () => {
    mockApi(() => ({ data: { cohortRetention: RETENTION } }));
    render(<App><CohortCard regionId={null} storeId="10" nowMs={NOW} /></App>);
    expect((await screen.findByTestId('chart-cohorts')).textContent).toBe('[[0,0,100],[1,0,25],[2,0,50]]');
    expect(calls.map((c) => [c.operationName, c.variables])).toEqual([['CohortRetention', { from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z', regionId: null, storeId: '10' }]]);
    const user = userEvent.setup();
    await user.click(screen.getByText('表格'));
    const table = await screen.findByTestId('table-cohorts');
    expect(within(table).getByText('2026-10').closest('tr')?.textContent).toBe('2026-104100.0% (4)25.0% (1)50.0% (2)*' + '—'.repeat(9));
    await user.click(screen.getByText('近 6 个月'));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.variables).toEqual({ from: '2026-06-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z', regionId: null, storeId: '10' });
  }, 60_000);

  test('a refusal is shown in Chinese by its code', async () => {
    mockApi(() => ({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }));
    render(<App><CohortCard regionId="2" storeId={null} nowMs={NOW} /></App>);
    expect(await screen.findByText(`会员留存：${errorMessageZh.FORBIDDEN}`)).toBeTruthy();
    expect(calls[0]!.variables).toMatchObject({ regionId: '2', storeId: null });
  }, 60_000);
});
