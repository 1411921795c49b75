import Taro from '@tarojs/taro';
import CardPage from '../src/pages/card';
import ProfilePage from '../src/pages/profile';
import { aliceMe } from './fixtures';
import { api, click, mount, resetAll, signIn, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('entry points to clubs', () => {
  it('the card page opens 发现圈子', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Me', aliceMe);
    await mount(CardPage);
    await waitForText('圈子 · 兴趣社群与线下活动');
    await click('圈子 · 兴趣社群与线下活动');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/club/discover/index' });
  });

  it('the profile opens 我的活动 and 圈子', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('我的活动');
    await click('我的活动');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/event/mine/index' });
    await click('圈子');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/club/discover/index' });
  });
});
