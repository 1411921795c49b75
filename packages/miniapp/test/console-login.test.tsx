import Taro from '@tarojs/taro';
import { consoleLoginQr, errorMessageZh } from '@quanzi/shared';
import ConsoleLoginPage from '../src/staff/console-login';
import ProfilePage from '../src/pages/profile';
import appConfig from '../src/app.config';
import { managerViewer } from './club-fixtures';
import { aliceMe } from './fixtures';
import { api, click, fail, mount, openWith, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

const TICKET = 'Qz'.repeat(21) + 'x'; // 43 base64url characters
const QR = consoleLoginQr('https://quanzi.example.cn', TICKET);

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('登录管理后台 (a manager approves the console sign-in QR)', () => {
  it('is a page of the staff subpackage', () => {
    expect(appConfig.subPackages?.find((p) => p.root === 'staff')?.pages).toContain('console-login/index');
  });

  it('opened by WeChat’s scanner (the link URL-encoded in q): asks first, and only the tap confirms that ticket', async () => {
    signIn(managerViewer);
    openWith({ q: encodeURIComponent(QR) });
    api.on('ConfirmConsoleLogin', { confirmConsoleLogin: true });
    await mount(ConsoleLoginPage);
    await waitForText('登录 Quanzi 管理后台');
    expect(api.callsOf('ConfirmConsoleLogin')).toHaveLength(0);
    await click('确认登录');
    await waitForText('已确认登录');
    expect(api.callsOf('ConfirmConsoleLogin').map((c) => c.variables)).toEqual([{ ticket: TICKET }]);
    expect(text()).toContain('请回到电脑上继续操作');
  });

  it('cancel goes back without confirming', async () => {
    signIn(managerViewer);
    openWith({ ticket: TICKET });
    jest.spyOn(Taro, 'getCurrentPages').mockReturnValue([{}] as never); // opened from the scanner: nothing to go back to
    const back = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' } as never);
    await mount(ConsoleLoginPage);
    await click('取消');
    expect(back).toHaveBeenCalledWith({ url: '/pages/card/index' });
    expect(api.callsOf('ConfirmConsoleLogin')).toHaveLength(0);
  });

  it('an expired or used ticket says so in Chinese, with what to do next', async () => {
    signIn(managerViewer);
    openWith({ ticket: TICKET });
    api.on('ConfirmConsoleLogin', fail('LOGIN_TICKET_EXPIRED'));
    await mount(ConsoleLoginPage);
    await click('确认登录');
    await waitForText(errorMessageZh.LOGIN_TICKET_EXPIRED);
    expect(text()).not.toContain('已确认登录');
  });

  it('another QR code, or a member without a manager role: refused before any call', async () => {
    signIn(managerViewer);
    openWith({ q: encodeURIComponent('https://example.cn/other?ticket=' + TICKET) });
    await mount(ConsoleLoginPage);
    await waitForText('这不是管理后台的登录二维码');
    resetAll();

    signIn(); // a member
    openWith({ ticket: TICKET });
    await mount(ConsoleLoginPage);
    await waitForText('只有经理可以登录管理后台');
    expect(text()).not.toContain('确认登录');
    expect(api.callsOf('ConfirmConsoleLogin')).toHaveLength(0);
  });

  it('signed out: asks to sign in first', async () => {
    openWith({ ticket: TICKET });
    await mount(ConsoleLoginPage);
    await waitForText('登录后确认管理后台的登录');
  });

  it('我的 offers managers 扫码登录管理后台: a console QR opens the confirmation, anything else is refused with a toast', async () => {
    signIn(managerViewer);
    api.on('Me', aliceMe);
    const scan = jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: QR } as never);
    const nav = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    const toast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    await mount(ProfilePage);
    await waitForText('扫码登录管理后台');
    await click('扫码登录管理后台');
    await waitFor(() => expect(nav).toHaveBeenCalledWith({ url: `/staff/console-login/index?ticket=${TICKET}` }));
    scan.mockResolvedValue({ result: 'QZ1.1234567.123456' } as never);
    await click('扫码登录管理后台');
    await waitFor(() => expect(toast).toHaveBeenCalledWith({ title: '这不是管理后台的登录二维码', icon: 'none' }));
    expect(nav).toHaveBeenCalledTimes(1);
  });

  it('members do not see the entry', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('即将过期的积分');
    expect(text()).not.toContain('扫码登录管理后台');
  });
});

async function waitFor(check: () => void): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      return check();
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  check();
}
