import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import LoginPage from '../src/pages/login';
import { session } from '../src/state/session';
import { readStorage, StorageKey } from '../src/state/storage';
import { api, click, fail, mount, MEMBER_VIEWER, resetAll, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));
// The H5 build resolves wx-login.h5.ts (Taro's platform variants); jest resolves the base file, so swap it here.
jest.mock('../src/utils/wx-login', () => jest.requireActual('../src/utils/wx-login.h5'));

const loginPayload = { login: { token: 'jwt-alice', viewer: MEMBER_VIEWER, member: { id: '1', memberNo: '10000042', points: 1280 } } };

beforeEach(() => {
  jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }) as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('sign-in page (H5 demo: personas)', () => {
  it('shows the four personas and signs in as one through /demo/wx-code', async () => {
    const minted: unknown[] = [];
    api.route('/demo/wx-code', (body) => {
      minted.push(body);
      return { status: 200, data: { code: 'demo-code-alice' } };
    });
    api.on('Login', (v: { code: string }) => (v.code === 'demo-code-alice' ? loginPayload : fail('WECHAT_LOGIN_FAILED')));
    await mount(LoginPage);
    expect(text()).toContain('演示环境：选择一个身份登录');
    for (const who of ['Alice（金卡会员）', 'Bob（新会员）', 'Carol（北京国贸店 店员）', 'Dave（总部经理）']) expect(text()).toContain(who);
    expect(text()).not.toContain('微信一键登录');
    await click('Alice（金卡会员）');
    await waitForText('Alice（金卡会员）');
    expect(minted).toEqual([{ user: 'alice' }]);
    expect(api.calls.find((c) => c.url.endsWith('/demo/wx-code'))?.url).toBe('http://api.test/demo/wx-code');
    expect(session.get().token).toBe('jwt-alice');
    expect(readStorage(StorageKey.persona)).toBe('alice');
  });

  it('shows a Chinese error when the demo helper fails', async () => {
    api.route('/demo/wx-code', () => ({ status: 500, data: { message: 'boom' } }));
    await mount(LoginPage);
    await click('Bob（新会员）');
    await waitForText(errorMessageZh.WECHAT_LOGIN_FAILED);
    expect(session.get().token).toBeNull();
  });
});
