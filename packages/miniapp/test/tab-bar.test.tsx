import Taro from '@tarojs/taro';
import { RoleTabBar } from '../src/components/tab-bar';
import CustomTabBar from '../src/custom-tab-bar';
import { tabsFor } from '../src/state/tabs';
import { carolViewer } from './fixtures';
import { click, mount, MEMBER_VIEWER, resetAll, signIn, text } from './harness';

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('tab bar by role', () => {
  it('members get card, points and profile', () => {
    expect(tabsFor(MEMBER_VIEWER).map((t) => t.text)).toEqual(['会员卡', '积分', '我的']);
    expect(tabsFor(null).map((t) => t.key)).toEqual(['card', 'points', 'profile']);
  });

  it('staff also get the till', () => {
    expect(tabsFor(carolViewer).map((t) => t.text)).toEqual(['会员卡', '积分', '收银台', '我的']);
  });

  it('renders for the signed-in role and switches tabs', async () => {
    const switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'ok' }) as never);
    signIn(MEMBER_VIEWER);
    await mount(() => <RoleTabBar current='card' />);
    expect(text()).toBe('会员卡积分我的');
    await click('积分');
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/points/index' });
  });

  it('the weapp custom tab bar shows the till to staff', async () => {
    signIn(carolViewer);
    await mount(CustomTabBar);
    expect(text()).toBe('会员卡积分收银台我的');
  });
});
