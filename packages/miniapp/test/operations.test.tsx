import { errorMessageZh } from '@quanzi/shared';
import OperationsPage from '../src/staff/operations';
import { carolViewer } from './fixtures';
import { api, fail, mount, MEMBER_VIEWER, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

describe('till operations page (staff)', () => {
  it('asks to sign in when signed out', async () => {
    await mount(OperationsPage);
    expect(text()).toContain('请先登录');
  });

  it('is forbidden without a store', async () => {
    signIn(MEMBER_VIEWER);
    await mount(OperationsPage);
    expect(text()).toContain(errorMessageZh.FORBIDDEN);
  });

  it('shows loading', async () => {
    signIn(carolViewer);
    api.on('TillOperations', () => pending());
    await mount(OperationsPage);
    expect(text()).toContain('加载中');
  });

  it('shows the empty state', async () => {
    signIn(carolViewer);
    api.on('TillOperations', { tillOperations: [] });
    await mount(OperationsPage);
    await waitForText('本店还没有操作记录');
  });

  it('shows an error in Chinese', async () => {
    signIn(carolViewer);
    api.on('TillOperations', fail('FORBIDDEN'));
    await mount(OperationsPage);
    await waitForText(errorMessageZh.FORBIDDEN);
  });

  it('lists the last ten operations of this store', async () => {
    signIn(carolViewer);
    // createdAt: absolute on purpose — a display case; the page prints it as Beijing time and compares it with nothing.
    api.on('TillOperations', {
      tillOperations: [
        { id: '2', kind: 'REDEMPTION', memberNo: '10000042', amountFen: null, points: 120, createdAt: '2026-11-23T03:00:00.000Z' },
        { id: '1', kind: 'PURCHASE', memberNo: '10000042', amountFen: 12345, points: 18, createdAt: '2026-11-23T02:00:00.000Z' },
      ],
    });
    await mount(OperationsPage);
    await waitForText('北京国贸店 · 最近 2 笔');
    expect(text()).toContain('积分抵扣 · 会员 10000042');
    expect(text()).toContain('-120');
    expect(text()).toContain('消费积分 · 会员 10000042');
    expect(text()).toContain('+18');
    expect(text()).toContain('¥123.45');
    expect(text()).toContain('2026-11-23 11:00'); // absolute on purpose: 03:00 UTC printed as Beijing time
    expect(api.callsOf('TillOperations')[0]?.variables).toEqual({ storeId: '11', first: 10 });
  });
});
