import { describe, expect, test } from 'vitest';
import { toCsv } from '../src/format';
import { inventoryOption, inventoryTable, radarOption, radarSplitTable, radarTable, ratingsOption, ratingsTable, rfmOption, rfmTable, storeRatingRows, topShareText } from '../src/dashboard/charts';
import { KPI_DEFS, formatKpi, kpiChange } from '../src/dashboard/kpi';
import { addDays, beijingDate, defaultRange, previousRange, rangeDays, rangeError, rfmWindowRange, toApiRange } from '../src/dashboard/range';
import { defaultScopeKey, scopeArgs, scopeOptions } from '../src/dashboard/scope-pick';
import { INVENTORY, RADAR, RFM, STORE_RATINGS } from './dashboard-fixtures';

// Calendar cases: literal instants chosen for their Beijing date (16:30 UTC is already the next day in Beijing).
const NOW = Date.parse('2026-12-06T16:30:00Z');

describe('date range (Beijing dates, the API rules)', () => {
  test('the default is the last 30 Beijing days, today included', () => {
    expect(beijingDate(NOW)).toBe('2026-12-07');
    expect(defaultRange(NOW)).toEqual({ start: '2026-11-08', end: '2026-12-07' });
    expect(rangeDays(defaultRange(NOW))).toBe(30);
  });

  test('sent as the half-open range of Beijing midnights', () => {
    expect(toApiRange({ start: '2026-11-08', end: '2026-12-07' })).toEqual({ from: '2026-11-07T16:00:00.000Z', to: '2026-12-07T16:00:00.000Z' });
  });

  test("an RFM window is the last N whole Beijing days, up to today's midnight (the API's snapshot ranges)", () => {
    // Beijing today is 2026-12-07: 30 days are 11-07 … 12-06, i.e. [11-07 00:00, 12-07 00:00) +08:00.
    expect(rfmWindowRange(NOW, 30)).toEqual({ from: '2026-11-06T16:00:00.000Z', to: '2026-12-06T16:00:00.000Z' });
    expect(rfmWindowRange(NOW, 365)).toEqual({ from: '2025-12-06T16:00:00.000Z', to: '2026-12-06T16:00:00.000Z' });
    // One minute earlier it is still 12-06 in Beijing: the window ends a day earlier.
    expect(rfmWindowRange(Date.parse('2026-12-06T15:59:00Z'), 30).to).toBe('2026-12-05T16:00:00.000Z');
  });

  test('the comparison period is the same length just before', () => {
    expect(previousRange({ start: '2026-11-08', end: '2026-12-07' })).toEqual({ start: '2026-10-09', end: '2026-11-07' });
    expect(previousRange({ start: '2026-03-01', end: '2026-03-01' })).toEqual({ start: '2026-02-28', end: '2026-02-28' });
  });

  test.each<[string, string, string | null]>([
    ['2026-12-01', '2026-12-01', null],
    ['2026-12-02', '2026-12-01', '结束日期不能早于开始日期'],
    ['2024-01-01', addDays('2024-01-01', 1097), null], // 1098 days: the API's limit
    ['2024-01-01', addDays('2024-01-01', 1098), '日期范围最长 3 年（1098 天）'],
    ['2026-02-30', '2026-03-05', '日期格式应为 YYYY-MM-DD'],
    ['', '2026-03-05', '请选择日期范围'],
  ])('%s to %s', (start, end, msg) => expect(rangeError({ start, end })).toBe(msg));
});

describe('scope picker', () => {
  const scope = { hq: true, regions: [{ id: '1', name: '北京' }], stores: [{ id: '10', name: '北京国贸店' }] };
  test('HQ, each region, each store; the API gets one of storeId / regionId or neither', () => {
    expect(scopeOptions(scope).map((o) => o.value)).toEqual(['hq', 'r:1', 's:10']);
    expect(defaultScopeKey({ ...scope, hq: false })).toBe('r:1');
    expect(scopeArgs('hq')).toEqual({ regionId: null, storeId: null });
    expect(scopeArgs('r:1')).toEqual({ regionId: '1', storeId: null });
    expect(scopeArgs('s:10')).toEqual({ regionId: null, storeId: '10' });
  });
});

describe('KPI change', () => {
  const count = { format: 'count', better: 'up' } as const;
  test.each<[number | null, number | null, string, string, string]>([
    [125, 100, '+25.0%', 'up', 'good'],
    [80, 100, '−20.0%', 'down', 'bad'],
    [7, 0, '新增', 'up', 'good'],
    [0, 0, '持平', 'flat', 'neutral'],
    [5, null, '—', 'none', 'neutral'],
  ])('count %p vs %p', (cur, prev, text, direction, tone) => expect(kpiChange(count, cur, prev)).toMatchObject({ text, direction, tone }));

  test('rates change in percentage points; a higher churn rate is bad news', () => {
    const churn = KPI_DEFS.find((d) => d.key === 'churnRate')!;
    expect(kpiChange(churn, 0.125, 0.1)).toMatchObject({ text: '+2.5 个百分点', direction: 'up', tone: 'bad', pct: null });
    expect(kpiChange(churn, 0.1, 0.1)).toMatchObject({ text: '持平', tone: 'neutral' });
  });

  test('a fall in money is shown against the previous amount', () => {
    const spend = KPI_DEFS.find((d) => d.key === 'spendFen')!;
    expect(kpiChange(spend, 0, 5000)).toMatchObject({ text: '−100.0%', delta: -5000 });
    expect(kpiChange(spend, -300, 0)).toMatchObject({ text: '−¥3.00' });
  });

  test('formatting', () => {
    expect(formatKpi('fen', 123456)).toBe('¥1,234.56');
    expect(formatKpi('rate', 0.4567)).toBe('45.7%');
    expect(formatKpi('ratio', 1.5)).toBe('1.50');
    expect(formatKpi('count', 12345)).toBe('12,345');
    expect(formatKpi('rate', null)).toBe('—');
  });

  test('every KPI the API returns has a tile with a definition', () => {
    const keys = ['newMembers', 'referrals', 'activeMembers', 'churnBase', 'churned', 'churnRate', 'visits', 'visitors', 'spendFen', 'avgSpendPerVisitFen', 'visitFrequency', 'pointsIssued', 'pointsRedeemed', 'pointsExpired', 'redemptionRate', 'liabilityPoints', 'liabilityFen', 'ownRedemptions', 'partnerRedemptions', 'ownRedemptionRatio', 'clubAttendees', 'clubParticipationRate'];
    expect(KPI_DEFS.map((d) => d.key).sort()).toEqual([...keys].sort());
    for (const d of KPI_DEFS) expect(d.definition.length).toBeGreaterThan(4);
  });
});

describe('chart data: table models and options from fixtures', () => {
  test('inventory: a row per week (the Beijing day before the exclusive instant), stages in lifecycle order', () => {
    const t = inventoryTable(INVENTORY);
    expect(t.header).toEqual(['周末日期', '新会员', '成长期', '成熟期', '衰退期', '已流失', '合计']);
    expect(t.rows).toEqual([
      ['2026-11-29', 3, 1, 0, 0, 0, 4],
      ['2026-12-06', 2, 2, 0, 1, 1, 6],
    ]);
    const o = inventoryOption(INVENTORY) as { series: { name: string; stack: string; data: number[] }[]; xAxis: { data: string[] } };
    expect(o.xAxis.data).toEqual(['2026-11-29', '2026-12-06']);
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['新会员', [3, 2]], ['成长期', [1, 2]], ['成熟期', [0, 0]], ['衰退期', [0, 1]], ['已流失', [0, 1]]]);
    expect(new Set(o.series.map((s) => s.stack)).size).toBe(1);
    expect(toCsv(t.header, t.rows)).toBe('\uFEFF周末日期,新会员,成长期,成熟期,衰退期,已流失,合计\r\n2026-11-29,3,1,0,0,0,4\r\n2026-12-06,2,2,0,1,1,6\r\n');
  });

  test('RFM: R5 on top, F1–F5 across with members and spend in yuan; heatmap cells at (f−1, r−1)', () => {
    const t = rfmTable(RFM);
    expect(t.rows).toHaveLength(5);
    expect(t.rows[0]).toEqual(['R5', 0, 0, 0, 0, 0, 0, 0, 0, 2, 500.5]);
    expect(t.rows[4]).toEqual(['R1', 1, 12, 0, 0, 0, 0, 0, 0, 0, 0]);
    const o = rfmOption(RFM, 'members') as { series: { data: number[][] }[]; visualMap: { max: number } };
    expect(o.series[0]!.data).toContainEqual([4, 4, 2]);
    expect(o.series[0]!.data).toContainEqual([0, 0, 1]);
    expect(o.visualMap.max).toBe(2);
    expect((rfmOption(RFM, 'spendFen') as { series: { data: number[][] }[] }).series[0]!.data).toContainEqual([4, 4, 500.5]);
    expect(topShareText(RFM.topSpendShare)).toBe('76.7%');
    expect(topShareText(null)).toBe('—');
  });

  test('radar: 32 sectors ring by ring clockwise from N; the polar chart stacks rings per direction', () => {
    const t = radarTable(RADAR);
    expect(t.rows).toHaveLength(32);
    expect(t.rows[0]).toEqual(['0–5 公里', '北', 2, 300, 150]);
    expect(t.rows[2]).toEqual(['0–5 公里', '东', 0, 0, 0]);
    expect(t.rows[8 + 5]).toEqual(['5–10 公里', '西南', 1, 12.34, 40]);
    const o = radarOption(RADAR, 'spendFen') as { angleAxis: { data: string[] }; series: { name: string; coordinateSystem: string; data: number[] }[] };
    expect(o.angleAxis.data).toEqual(['北', '东北', '东', '东南', '南', '西南', '西', '西北']);
    expect(o.series.map((s) => s.name)).toEqual(['0–5 公里', '5–10 公里', '10–20 公里', '20 公里以上']);
    expect(o.series.every((s) => s.coordinateSystem === 'polar')).toBe(true);
    expect(o.series[0]!.data).toEqual([300, 0, 0, 0, 0, 0, 0, 0]);
    expect(o.series[1]!.data).toEqual([0, 0, 0, 0, 0, 12.34, 0, 0]);
  });

  test('radar split by gender and by age band sums the sectors per ring', () => {
    const g = radarSplitTable(RADAR, 'gender', 'members');
    expect(g.header).toEqual(['性别', '0–5 公里', '5–10 公里', '10–20 公里', '20 公里以上', '合计']);
    expect(g.rows).toEqual([['女', 1, 1, 0, 0, 2], ['男', 1, 0, 0, 0, 1], ['未填', 0, 0, 0, 0, 0]]);
    const a = radarSplitTable(RADAR, 'age', 'spendFen');
    expect(a.rows.find((r) => r[0] === '25–34')).toEqual(['25–34', 300, 0, 0, 0, 300]);
    expect(a.rows.find((r) => r[0] === '未填生日')).toEqual(['未填生日', 0, 12.34, 0, 0, 12.34]);
  });

  test('ratings per store: distribution bars and the table', () => {
    const rows = storeRatingRows(STORE_RATINGS);
    expect(ratingsTable(rows, '门店').rows).toEqual([
      ['北京国贸店', 4, '3.25', 1, 1, 0, 0, 2, 1],
      ['上海静安店', 0, null, 0, 0, 0, 0, 0, 0],
    ]);
    const o = ratingsOption(rows) as { yAxis: { data: string[] }; series: { name: string; data: number[] }[] };
    expect(o.yAxis.data).toEqual(['北京国贸店（3.25★）', '上海静安店']);
    expect(o.series.map((s) => s.name)).toEqual(['1 星', '2 星', '3 星', '4 星', '5 星']);
    expect(o.series[3]!.data).toEqual([2, 0]);
  });
});
