import Taro from '@tarojs/taro';

export const NOT_FOUND_PAGE = '/pages/not-found/index';

/**
 * H5: Taro's router keeps showing the previous page when the address names no page (a mistyped or outdated link);
 * send it to 页面不存在 instead. (WeChat shows its own page for an unknown path in the mini-program.)
 */
export function redirectUnknownRoutes(): void {
  Taro.onPageNotFound(() => {
    void Taro.redirectTo({ url: NOT_FOUND_PAGE }).catch(() => Taro.reLaunch({ url: NOT_FOUND_PAGE }));
  });
}
