import Taro from '@tarojs/taro';
import { Current } from '@tarojs/runtime';
import { errorMessageZh } from '@quanzi/shared';
import ManagerDashboardPage from '../src/manager/dashboard';
import ProfilePage from '../src/pages/profile';
import { clock } from '../src/utils/clock';
import { aliceMe } from './fixtures';
import { api, click, fail, mount, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

// AntV F2 draws on a real 2d canvas, which jsdom lacks: a stand-in keeps the element tree the page hands to F2
// (Canvas › Chart › Axis, Line…) and records each render, so the test checks what would be drawn.
const mockDrawn: { data: unknown; width: unknown; children: string[] }[] = [];
type MockNode = { type: { name?: string; displayName?: string }; props: Record<string, unknown> };
jest.mock('@antv/f2', () => {
  const tag = (name: string) => Object.assign(function () {}, { displayName: name });
  return {
    jsx: (type: MockNode['type'], props: Record<string, unknown>, ...children: MockNode[]) => ({ type, props: { ...props, children: children.length === 1 ? children[0] : children } }),
    Canvas: class {
      mockProps: Record<string, unknown>;
      constructor(mockInput: Record<string, unknown>) {
        this.mockProps = mockInput;
      }
      render() {
        const chart = this.mockProps.children as MockNode;
        const kids = ([] as MockNode[]).concat(chart.props.children as MockNode[]);
        mockDrawn.push({ data: chart.props.data, width: this.mockProps.width, children: kids.map((k) => `${k.type.displayName}:${String(k.props.field ?? k.props.y ?? k.props.position)}`) });
        return Promise.resolve();
      }
      destroy() {}
    },
    Chart: tag('Chart'),
    Axis: tag('Axis'),
    Line: tag('Line'),
    Legend: tag('Legend'),
  };
});

// 14:00 on 10 June 2030 in Beijing: today is [9 Jun 16:00Z, 10 Jun 16:00Z).
const NOW = Date.parse('2030-06-10T06:00:00.000Z');
const STORE_MANAGER = { userId: '2', roles: [{ role: 'MANAGER', scope: 'STORE', storeId: '1', regionId: '1' }], staffStores: [{ id: '1', name: '北京国贸店', regionId: '1', regionName: '北京' }] };

const kpis = (over: Record<string, unknown> = {}) => ({ newMembers: 0, activeMembers: 40, visits: 12, spendFen: 120_000, avgSpendPerVisitFen: 10_000, pointsIssued: 1_200, pointsRedeemed: 300, churnRate: 0.1, ...over });
const KPIS = { analyticsKpis: { activeDays: 90, current: kpis({ newMembers: 3, spendFen: 150_000, avgSpendPerVisitFen: null, churnRate: 0.2 }), previous: kpis() } };
const counts = (n: number[]) => ['NEW', 'DEVELOPING', 'MATURE', 'DECLINING', 'LOST'].map((stage, i) => ({ stage, members: n[i] }));
const INVENTORY = {
  customerInventory: {
    // The counts at the end of the weeks ending on 3 and 10 June (Beijing): `at` is the exclusive end.
    weeks: [
      { at: '2030-06-03T16:00:00.000Z', counts: counts([2, 5, 7, 1, 0]) },
      { at: '2030-06-10T16:00:00.000Z', counts: counts([3, 5, 6, 2, 1]) },
    ],
    trend: [
      { stage: 'NEW', first: 2, last: 3, change: 1 },
      { stage: 'DEVELOPING', first: 5, last: 5, change: 0 },
      { stage: 'MATURE', first: 7, last: 6, change: -1 },
      { stage: 'DECLINING', first: 1, last: 2, change: 1 },
      { stage: 'LOST', first: 0, last: 1, change: 1 },
    ],
  },
};

const tile = (key: string) => document.querySelector<HTMLElement>(`[data-kpi="${key}"]`)?.textContent;
const stage = (s: string) => document.querySelector<HTMLElement>(`[data-stage="${s}"]`)?.textContent;

beforeEach(() => {
  // What Taro's H5 router gives the selector query: the loaded page, whose element holds the canvas.
  Current.page = { path: 'mgr-page' } as typeof Current.page;
  document.body.id = 'mgr-page';
  mockDrawn.length = 0;
  clock.set(NOW);
});
afterEach(() => {
  Current.page = null;
  document.body.id = '';
  jest.restoreAllMocks();
  resetAll();
});

describe('经营看板 (manager/dashboard)', () => {
  it('a store manager sees today’s KPIs against yesterday, the lifecycle trend chart and the counts by stage', async () => {
    signIn(STORE_MANAGER as never);
    api.on('ManagerKpis', KPIS);
    api.on('ManagerInventory', INVENTORY);
    await mount(ManagerDashboardPage);
    await waitForText('消费额');
    expect(api.callsOf('ManagerKpis')[0]?.variables).toEqual({ from: '2030-06-09T16:00:00.000Z', to: '2030-06-10T16:00:00.000Z', regionId: null, storeId: '1' });
    // 8 weeks ending tomorrow 00:00: 56 days back from it.
    expect(api.callsOf('ManagerInventory')[0]?.variables).toEqual({ from: '2030-04-15T16:00:00.000Z', to: '2030-06-10T16:00:00.000Z', regionId: null, storeId: '1' });
    expect(text()).toContain('北京国贸店');
    expect(tile('spendFen')).toBe('消费额¥1500较上期 ↑ 25.0%');
    expect(tile('visits')).toBe('到店次数12较上期 持平');
    expect(tile('avgSpendPerVisitFen')).toBe('客单价—较上期 —');
    expect(tile('newMembers')).toBe('新会员3较上期 新增');
    expect(tile('churnRate')).toBe('流失率20.0%较上期 ↑ 10.0 个百分点');
    expect(document.querySelector('[data-kpi="churnRate"] .mgr__change--down')).not.toBeNull(); // more churn is bad news
    expect(document.querySelector('[data-kpi="spendFen"] .mgr__change--up')).not.toBeNull();
    await waitForText('已流失');
    expect(stage('NEW')).toBe('新会员3 人  +1');
    expect(stage('DEVELOPING')).toBe('成长期5 人  持平');
    expect(stage('MATURE')).toBe('成熟期6 人  -1');
  });

  it('hands F2 one line per stage over the weeks (x = the Beijing date each week ends)', async () => {
    // A laid-out box and a 2d context (jsdom has neither). The first two looks find the page not laid out yet (as
    // on a slow phone, or before Taro's canvas element has rendered its <canvas>): the chart asks again.
    const box = (width: number) => ({ width, height: 180, top: 0, left: 0, right: width, bottom: 180, x: 0, y: 0, toJSON: () => ({}) }) as DOMRect;
    let looks = 0;
    jest.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      return box(this.id === 'mgr-inventory-chart' && looks++ < 2 ? 0 : 320);
    });
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    signIn(STORE_MANAGER as never);
    api.on('ManagerKpis', KPIS);
    api.on('ManagerInventory', INVENTORY);
    await mount(ManagerDashboardPage);
    await waitForText('已流失');
    // The chart draws after Taro's nextTick and a selector query: on a loaded machine that can take seconds.
    for (let i = 0; i < 1000 && mockDrawn.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(mockDrawn.length).toBeGreaterThan(0);
    expect(looks).toBeGreaterThanOrEqual(3);
    const last = mockDrawn[mockDrawn.length - 1]!;
    expect(last.width).toBe(320);
    expect(last.children).toEqual(['Axis:x', 'Axis:y', 'Line:y', 'Legend:top']);
    expect(last.data).toEqual([
      { x: '06-03', series: '新会员', y: 2 }, { x: '06-03', series: '成长期', y: 5 }, { x: '06-03', series: '成熟期', y: 7 }, { x: '06-03', series: '衰退期', y: 1 }, { x: '06-03', series: '已流失', y: 0 },
      { x: '06-10', series: '新会员', y: 3 }, { x: '06-10', series: '成长期', y: 5 }, { x: '06-10', series: '成熟期', y: 6 }, { x: '06-10', series: '衰退期', y: 2 }, { x: '06-10', series: '已流失', y: 1 },
    ]);
  }, 60_000);

  it('近 7 天 asks for the last 7 Beijing days; a manager with two grants picks the scope', async () => {
    signIn({ ...STORE_MANAGER, roles: [{ role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null }, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: '1' }] } as never);
    api.on('ManagerKpis', KPIS);
    api.on('ManagerInventory', INVENTORY);
    await mount(ManagerDashboardPage);
    await waitForText('消费额');
    expect(api.callsOf('ManagerKpis')[0]?.variables).toMatchObject({ regionId: null, storeId: null });
    await click('近 7 天');
    await waitForText('消费额');
    expect(api.callsOf('ManagerKpis').at(-1)?.variables).toEqual({ from: '2030-06-03T16:00:00.000Z', to: '2030-06-10T16:00:00.000Z', regionId: null, storeId: null });
    await click('北京');
    await waitForText('消费额');
    expect(api.callsOf('ManagerKpis').at(-1)?.variables).toEqual({ from: '2030-06-03T16:00:00.000Z', to: '2030-06-10T16:00:00.000Z', regionId: '1', storeId: null });
    expect(api.callsOf('ManagerInventory').at(-1)?.variables).toMatchObject({ regionId: '1', storeId: null });
  });

  it('a refusal is shown in Chinese; a member without a manager grant is told and nothing is asked', async () => {
    signIn(STORE_MANAGER as never);
    api.on('ManagerKpis', fail('FORBIDDEN'));
    api.on('ManagerInventory', INVENTORY);
    await mount(ManagerDashboardPage);
    await waitForText(errorMessageZh.FORBIDDEN);
    resetAll();
    clock.set(NOW);
    document.body.id = 'mgr-page';
    signIn({ userId: '3', roles: [{ role: 'STAFF', scope: 'STORE', storeId: '1', regionId: '1' }], staffStores: [] } as never);
    await mount(ManagerDashboardPage);
    await waitForText('仅限管理人员');
    expect(api.callsOf('ManagerKpis')).toHaveLength(0);
  });

  it('我的 links managers to 经营看板; members do not see it', async () => {
    signIn(STORE_MANAGER as never);
    api.on('Me', aliceMe);
    api.on('LowRatings', { serviceRatings: { total: 0, items: [] } });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(ProfilePage);
    await waitForText('经营看板');
    await click('经营看板');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/manager/dashboard/index' });
    resetAll();
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('服务评价');
    expect(text()).not.toContain('经营看板');
  });
});
