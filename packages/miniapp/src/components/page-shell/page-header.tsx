import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';

export const HOME_PAGE = '/pages/card/index';

/** The title a page declares in its index.config.ts (`navigationBarTitleText`), read from the page instance. */
function declaredTitle(): string {
  const page = Taro.getCurrentInstance()?.page as { config?: { navigationBarTitleText?: unknown } } | null | undefined;
  const t = page?.config?.navigationBarTitleText;
  return typeof t === 'string' ? t : '';
}

/** Back one page when there is one; a page opened directly (a shared link, a reload) goes to the card instead. */
export function goBackOrHome(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: HOME_PAGE });
}

/**
 * The H5 build's navigation bar for pages below the tabs: back arrow + the page's title. WeChat draws its own bar
 * in the mini-program, so PageShell renders this only on H5. The title is read once, on the first render, while
 * this page is the current instance (later renders may happen while another page is on top).
 */
export function PageHeader({ title }: { title?: string }) {
  const [declared] = useState(declaredTitle);
  const shown = title ?? declared;
  return (
    <View className='page-header' role='navigation'>
      <View className='page-header__back' aria-label='返回' onClick={goBackOrHome}>
        <View className='page-header__chevron' />
      </View>
      <Text className='page-header__title'>{shown}</Text>
    </View>
  );
}
