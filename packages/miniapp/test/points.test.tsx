import PointsPage from '../src/pages/points';
import { aliceMe, ledgerPage } from './fixtures';
import { api, click, fail, firePage, mount, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

describe('points history page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(PointsPage);
    expect(text()).toContain('请先登录');
  });

  it('shows loading', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', () => pending());
    await mount(PointsPage);
    expect(text()).toContain('加载中');
  });

  it('shows the empty state', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', ledgerPage(1, 0, false));
    await mount(PointsPage);
    await waitForText('还没有积分记录');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', fail('WECHAT_UNAVAILABLE'));
    await mount(PointsPage);
    await waitForText('微信服务暂时不可用，请稍后再试');
  });

  it('lists entries with plain-Chinese reasons, balance and expiring points', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', ledgerPage(1, 3, false));
    await mount(PointsPage);
    await waitForText('北京国贸店消费 #1');
    expect(text()).toContain('门店积分抵扣 #3');
    expect(text()).toContain('+101');
    expect(text()).toContain('-50');
    expect(text()).toContain('获得');
    expect(text()).toContain('使用');
    expect(text()).toContain('2026-11-20 10:30'); // absolute on purpose: the ledger's 02:30 UTC printed as Beijing time
    expect(text()).toContain('1280');
    expect(text()).toContain('200 积分将于 2026年12月31日 过期');
    expect(text()).toContain('没有更多了');
  });

  it('loads the next page at the bottom (infinite scroll) with the cursor', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', (v: { after?: string | null }) => (v.after ? ledgerPage(21, 5, false) : ledgerPage(1, 20, true)));
    await mount(PointsPage);
    await waitForText('北京国贸店消费 #20');
    expect(text()).toContain('上拉加载更多');
    await firePage('onReachBottom');
    await waitForText('北京国贸店消费 #25');
    expect(api.callsOf('Ledger').map((c) => c.variables)).toEqual([
      { first: 20, after: null },
      { first: 20, after: 'c20' },
    ]);
    expect(text()).toContain('没有更多了');
  });

  it('keeps the list when a later page fails, and retries', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', (v: { after?: string | null }) => (v.after ? fail('INTERNAL') : ledgerPage(1, 20, true)));
    await mount(PointsPage);
    await waitForText('北京国贸店消费 #20');
    await firePage('onReachBottom');
    await waitForText('系统繁忙，请稍后再试，点击重试');
    expect(text()).toContain('北京国贸店消费 #1');
    api.on('Ledger', (v: { after?: string | null }) => (v.after ? ledgerPage(21, 1, false) : ledgerPage(1, 20, true)));
    await click('系统繁忙，请稍后再试，点击重试');
    await waitForText('北京国贸店消费 #22');
  });

  it('pull-to-refresh fetches again', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', ledgerPage(1, 2, false));
    await mount(PointsPage);
    await waitForText('北京国贸店消费 #1');
    api.on('Ledger', ledgerPage(100, 1, false));
    await firePage('onPullDownRefresh');
    await waitForText('北京国贸店消费 #100');
    expect(api.callsOf('Ledger')).toHaveLength(2);
    expect(api.callsOf('Me')).toHaveLength(2);
  });
});
