import CardPage from '../src/pages/card';
import { aliceMe } from './fixtures';
import { api, fail, mount, OFFLINE, pending, resetAll, signIn, text, waitForText, $ } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

describe('member card page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(CardPage);
    expect(text()).toContain('请先登录');
    expect(text()).toContain('去登录');
  });

  it('shows loading while the member loads', async () => {
    signIn();
    api.on('Me', () => pending());
    await mount(CardPage);
    expect(text()).toContain('加载中');
  });

  it('shows the card: tier badge, points, QR code, progress, expiring points', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(CardPage);
    await waitForText('会员号 10000042');
    expect(text()).toContain('银卡');
    expect(text()).toContain('1280');
    expect(text()).toContain('再消费 ¥350 升级金卡');
    expect(text()).toContain('200 积分将于 2026年12月31日 过期');
    expect($('.member-qr__image').getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    expect(api.callsOf('Me')[0]?.headers.authorization).toBe('Bearer test-token');
  });

  it('shows an API error in Chinese with a retry', async () => {
    signIn();
    api.on('Me', fail('INTERNAL'));
    await mount(CardPage);
    await waitForText('系统繁忙，请稍后再试');
    api.on('Me', aliceMe);
    await (await import('./harness')).click('重试');
    await waitForText('会员号 10000042');
  });
});
