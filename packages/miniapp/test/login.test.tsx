import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import LoginPage from '../src/pages/login';
import { session } from '../src/state/session';
import { readStorage, StorageKey } from '../src/state/storage';
import { carolViewer } from './fixtures';
import { api, click, fail, mount, MEMBER_VIEWER, resetAll, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

const loginPayload = (viewer = MEMBER_VIEWER) => ({ login: { token: 'jwt-1', viewer, member: { id: '1', memberNo: '10000042', points: 1280 } } });

let switchTab: jest.SpyInstance;
beforeEach(() => {
  switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }) as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('sign-in page (weapp: wx.login)', () => {
  it('signs in with the wx.login code and goes to the card', async () => {
    const login = jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'js-code-1', errMsg: 'login:ok' });
    api.on('Login', (v: { code: string }) => (v.code === 'js-code-1' ? loginPayload() : fail('WECHAT_LOGIN_FAILED')));
    await mount(LoginPage);
    expect(text()).toContain('微信一键登录');
    await click('微信一键登录');
    await waitForText('微信一键登录');
    expect(login).toHaveBeenCalled();
    expect(session.get().token).toBe('jwt-1');
    expect(readStorage(StorageKey.token)).toBe('jwt-1');
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/card/index' });
  });

  it('sends staff to the till', async () => {
    jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'js-code-2', errMsg: 'login:ok' });
    api.on('Login', loginPayload(carolViewer));
    await mount(LoginPage);
    await click('微信一键登录');
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/till/index' });
  });

  it('shows the API error in Chinese and stays signed out', async () => {
    jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'js-code-3', errMsg: 'login:ok' });
    api.on('Login', fail('WECHAT_RISKY_USER'));
    await mount(LoginPage);
    await click('微信一键登录');
    await waitForText(errorMessageZh.WECHAT_RISKY_USER);
    expect(session.get().token).toBeNull();
  });

  it('a failing wx.login is WECHAT_LOGIN_FAILED', async () => {
    jest.spyOn(Taro, 'login').mockRejectedValue({ errMsg: 'login:fail' });
    await mount(LoginPage);
    await click('微信一键登录');
    await waitForText(errorMessageZh.WECHAT_LOGIN_FAILED);
  });
});
