import Taro from '@tarojs/taro';

/** Keys in Taro storage (wx storage on weapp, localStorage on H5). */
export const StorageKey = {
  token: 'quanzi.token',
  viewer: 'quanzi.viewer',
  persona: 'quanzi.persona',
  /** The member card, kept so the rotating code works offline. */
  card: 'quanzi.card',
  tillStore: 'quanzi.till-store',
  /** The store the member last paid at. */
  payStore: 'quanzi.pay-store',
} as const;

export function readStorage<T>(key: string): T | null {
  try {
    const v = Taro.getStorageSync(key) as T | '' | undefined;
    return v === '' || v === undefined ? null : (v as T);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) Taro.removeStorageSync(key);
    else Taro.setStorageSync(key, value);
  } catch {
    /* storage full or unavailable: the app still works, only without the offline copy */
  }
}
