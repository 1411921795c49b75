import Taro from '@tarojs/taro';
import { isStaff, type Viewer } from './session';
import { createStore } from './store';

export type TabKey = 'card' | 'points' | 'till' | 'profile';

export interface Tab {
  key: TabKey;
  text: string;
  path: string;
}

const ALL_TABS: readonly Tab[] = [
  { key: 'card', text: '会员卡', path: '/pages/card/index' },
  { key: 'points', text: '积分', path: '/pages/points/index' },
  { key: 'till', text: '收银台', path: '/pages/till/index' },
  { key: 'profile', text: '我的', path: '/pages/profile/index' },
];

/** The tab bar by role: every user is a member; staff (anyone who may operate a till) also get the till. */
export function tabsFor(viewer: Viewer | null | undefined): Tab[] {
  return ALL_TABS.filter((t) => t.key !== 'till' || isStaff(viewer));
}

function initialTab(): TabKey {
  try {
    const route = Taro.getCurrentPages?.().slice(-1)[0]?.route ?? '';
    return ALL_TABS.find((t) => t.path === `/${route.replace(/^\//, '')}`)?.key ?? 'card';
  } catch {
    return 'card';
  }
}

/** Which tab is showing (set by each tab page when shown; read by the tab bar on both platforms). */
export const currentTab = createStore<TabKey>(initialTab());

export function switchToTab(key: TabKey): void {
  const tab = ALL_TABS.find((t) => t.key === key);
  if (!tab) return;
  currentTab.set(key);
  void Taro.switchTab({ url: tab.path }).catch(() => undefined);
}
