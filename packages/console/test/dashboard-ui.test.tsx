import { afterEach, describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { errorMessageZh } from '@quanzi/shared';
import { ChartCard } from '../src/dashboard/ChartCard';
import { inventoryTable, rfmTable } from '../src/dashboard/charts';
import { KPI_DEFS } from '../src/dashboard/kpi';
import { RangeBar } from '../src/dashboard/RangeBar';
import { KpiTile } from '../src/sections/dashboard/KpiTiles';
import { LowRatings } from '../src/sections/ratings/LowRatings';
import { ResolveForm, resolveNoteError } from '../src/sections/ratings/ResolveForm';
import { INVENTORY, RFM } from './dashboard-fixtures';

/** antd puts a space between the two characters of a two-character Chinese button. */
const RESOLVE = /^解\s?决$/;

/** Captures what `download` hands the browser: the file name and the CSV text. */
function captureDownloads() {
  const files: { name: string; blob: Blob }[] = [];
  let last: Blob | null = null;
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => ((last = b), 'blob:x'), revokeObjectURL: () => {} }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, blob: last as Blob });
  });
  return files;
}
/** The file's text with its BOM kept (FileReader.readAsText would strip it). */
const blobText = (b: Blob) =>
  new Promise<string>((res) => {
    const r = new FileReader();
    r.onload = () => res(new TextDecoder('utf-8', { ignoreBOM: true }).decode(r.result as ArrayBuffer));
    r.readAsArrayBuffer(b);
  });
afterEach(() => (vi.unstubAllGlobals(), vi.restoreAllMocks()));

describe('chart table view and CSV', () => {
  test('the inventory table view shows the fixture, and 导出 CSV downloads the same rows', async () => {
    const files = captureDownloads();
    render(<ChartCard name="inventory" title="会员生命周期" option={null} table={inventoryTable(INVENTORY)} initialView="table" />);
    const table = screen.getByTestId('card-inventory');
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['周末日期新会员成长期成熟期衰退期已流失合计', '2026-11-29310004', '2026-12-06220116']);
    await userEvent.setup().click(screen.getByRole('button', { name: '导出 CSV' }));
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toBe('inventory.csv');
    expect(await blobText(files[0]!.blob)).toBe('\uFEFF周末日期,新会员,成长期,成熟期,衰退期,已流失,合计\r\n2026-11-29,3,1,0,0,0,4\r\n2026-12-06,2,2,0,1,1,6\r\n');
  });

  test('switching to the table view shows the RFM grid', async () => {
    render(<ChartCard name="rfm" title="RFM" option={null} table={rfmTable(RFM)} />);
    expect(screen.queryByTestId('table-rfm')).toBeNull();
    await userEvent.setup().click(screen.getByText('表格'));
    const table = await screen.findByTestId('table-rfm');
    expect(within(table).getByText('R5').closest('tr')?.textContent).toBe('R500000000' + '2500.5');
  });
});

describe('KPI tile', () => {
  test('the value, the change against the previous period and the previous value', () => {
    const def = KPI_DEFS.find((d) => d.key === 'spendFen')!;
    render(<KpiTile def={def} current={150000} previous={120000} />);
    const tile = screen.getByTestId('kpi-spendFen');
    expect(tile.textContent).toContain('¥1,500.00');
    expect(screen.getByTestId('kpi-spendFen-change').textContent).toContain('↑ +25.0%');
    expect(screen.getByTestId('kpi-spendFen-change').textContent).toContain('上期 ¥1,200.00');
  });

  test('the definition is the tooltip', async () => {
    const def = KPI_DEFS.find((d) => d.key === 'churnRate')!;
    render(<KpiTile def={def} current={0.2} previous={0.1} />);
    expect(screen.getByTestId('kpi-churnRate-change').textContent).toContain('+10.0 个百分点');
    await userEvent.setup().hover(screen.getByText('流失率'));
    expect(await screen.findByText('流失会员 ÷ 流失基数')).toBeTruthy();
  });
});

describe('date range bar', () => {
  test('a backwards or too long range is refused with the reason; a good one shows the comparison period', () => {
    const { rerender } = render(<RangeBar range={{ start: '2026-12-02', end: '2026-12-01' }} onRange={() => {}} compare />);
    expect(screen.getByTestId('range-error').textContent).toBe('结束日期不能早于开始日期');
    rerender(<RangeBar range={{ start: '2023-01-01', end: '2026-12-01' }} onRange={() => {}} compare />);
    expect(screen.getByTestId('range-error').textContent).toBe('日期范围最长 3 年（1098 天）');
    rerender(<RangeBar range={{ start: '2026-11-08', end: '2026-12-07' }} onRange={() => {}} compare />);
    expect(screen.queryByTestId('range-error')).toBeNull();
    expect(screen.getByText(/对比上一期 2026-10-09 至 2026-11-07/)).toBeTruthy();
  });
});

describe('resolve form', () => {
  test.each<[string, string | null]>([
    ['已致电致歉', null],
    ['   ', '请填写处理说明'],
    ['字'.repeat(500), null],
    ['字'.repeat(501), '处理说明最多 500 个字'],
  ])('note %#', (note, msg) => expect(resolveNoteError(note)).toBe(msg));

  test('an empty note is refused and nothing is sent', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<ResolveForm onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('例如：已致电会员致歉并赠送饮品券'), '   ');
    await user.click(screen.getByRole('button', { name: '标记已解决' }));
    expect(await screen.findByText('请填写处理说明')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

// The follow-up flow against a mocked API (fetch): the low ratings, resolve with a note, errors in Chinese.
describe('low ratings follow-up', () => {
  const rating = (over: Record<string, unknown> = {}) => ({
    id: '9', kind: 'PURCHASE', stars: 1, comment: '等了很久', summary: '门店消费 ¥88', storeId: '10', storeName: '北京国贸店', staffName: '店员 Carol',
    memberNo: '1234567897', memberRatings: 3, memberAverage: 2.3, operationAt: '2026-12-06T02:00:00.000Z', createdAt: '2026-12-06T02:10:00.000Z',
    followUp: 'OPEN', acknowledgedAt: null, resolvedAt: null, resolutionNote: null, ...over,
  });
  const calls: { operationName: string; variables: Record<string, unknown> }[] = [];
  function mockApi(answer: (op: string, vars: Record<string, unknown>) => unknown) {
    calls.length = 0;
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: { body: string }) => {
      const body = JSON.parse(init.body) as { operationName: string; variables: Record<string, unknown> };
      calls.push(body);
      return { status: 200, json: async () => answer(body.operationName, body.variables) };
    }));
  }
  const list = (items: unknown[]) => ({ data: { serviceRatings: { total: items.length, items } } });
  const renderList = () => render(<App><LowRatings since="2026-11-07T16:00:00.000Z" until="2026-12-07T16:00:00.000Z" storeId={null} /></App>);

  test('resolve sends the trimmed note once and the list refreshes', async () => {
    let resolved = false;
    mockApi((op) => {
      if (op === 'ResolveRating') return (resolved = true), { data: { resolveRating: { id: '9', followUp: 'RESOLVED', resolvedAt: '2026-12-06T03:00:00.000Z', resolutionNote: '已致歉' } } };
      return list(resolved ? [] : [rating()]);
    });
    renderList();
    const user = userEvent.setup();
    const row = (await screen.findByText('等了很久')).closest('tr') as HTMLElement;
    expect(within(row).getByText('待处理')).toBeTruthy();
    expect(calls[0]!.variables).toMatchObject({ filter: { lowOnly: true, followUp: 'OPEN' } });
    await user.click(within(row).getByRole('button', { name: RESOLVE }));
    await user.type(await screen.findByPlaceholderText('例如：已致电会员致歉并赠送饮品券'), '  已致歉  ');
    await user.click(screen.getByRole('button', { name: '标记已解决' }));
    await waitFor(() => expect(calls.filter((c) => c.operationName === 'ResolveRating')).toHaveLength(1));
    expect(calls.find((c) => c.operationName === 'ResolveRating')?.variables).toEqual({ id: '9', note: '已致歉' });
    await waitFor(() => expect(screen.queryByText('等了很久')).toBeNull());
  }, 60_000);

  test.each(['CONFLICT', 'FORBIDDEN'] as const)('an API refusal (%s) is shown in Chinese and the form stays open', async (code) => {
    mockApi((op) => (op === 'ResolveRating' ? { errors: [{ message: 'refused', extensions: { code } }] } : list([rating({ followUp: 'ACKNOWLEDGED' })])));
    renderList();
    const user = userEvent.setup();
    const row = (await screen.findByText('等了很久')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: RESOLVE }));
    await user.type(await screen.findByPlaceholderText('例如：已致电会员致歉并赠送饮品券'), '已处理');
    await user.click(screen.getByRole('button', { name: '标记已解决' }));
    expect((await screen.findByTestId('resolve-error')).textContent).toBe(errorMessageZh[code]);
    expect(screen.getByRole('button', { name: '标记已解决' })).toBeTruthy();
  }, 60_000);

  test('acknowledge asks first, then sends', async () => {
    mockApi((op) => (op === 'AcknowledgeRating' ? { data: { acknowledgeRating: { id: '9', followUp: 'ACKNOWLEDGED', acknowledgedAt: '2026-12-06T03:00:00.000Z' } } } : list([rating()])));
    renderList();
    const user = userEvent.setup();
    const row = (await screen.findByText('等了很久')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /^确\s?认$/ }));
    expect(await screen.findByText('确认已知晓这条差评？')).toBeTruthy();
    const ok = await screen.findAllByRole('button', { name: /^(确\s?定|OK)$/ });
    await user.click(ok[ok.length - 1] as HTMLElement);
    await waitFor(() => expect(calls.filter((c) => c.operationName === 'AcknowledgeRating')).toHaveLength(1));
    expect(await screen.findByText('已确认，处理中')).toBeTruthy();
  }, 60_000);
});
