import { Text, View } from '@tarojs/components';
import { useSession } from '../../state/session';
import { useStore } from '../../state/store';
import { currentTab, switchToTab, tabsFor, type TabKey } from '../../state/tabs';
import './index.css';

/**
 * The bottom tab bar, by role. On weapp it is the custom tab bar (src/custom-tab-bar); on H5 PageShell renders it
 * (Taro's H5 router draws no bar when `tabBar.custom` is set).
 */
export function RoleTabBar({ current }: { current?: TabKey }) {
  const { viewer } = useSession();
  const shown = useStore(currentTab);
  const selected = current ?? shown;
  const tabs = tabsFor(viewer);
  return (
    <View className='role-tab-bar' role='tablist'>
      {tabs.map((t) => (
        <View
          key={t.key}
          className={`role-tab-bar__item${t.key === selected ? ' role-tab-bar__item--active' : ''}`}
          role='tab'
          aria-selected={t.key === selected}
          onClick={() => t.key !== selected && switchToTab(t.key)}
        >
          <View className={`role-tab-bar__icon role-tab-bar__icon--${t.key}`} />
          <Text className='role-tab-bar__text'>{t.text}</Text>
        </View>
      ))}
    </View>
  );
}
