import Taro from '@tarojs/taro';
import { MarkNotificationReadDocument, MyNotificationsDocument, MyUnreadNotificationCountDocument, type MyNotificationsQuery } from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { useQuery } from './use-query';

export type InboxItem = MyNotificationsQuery['myNotifications'][number];
/** Notices per "load more" step, and the most the API gives in one list (limits.ts: Query.myNotifications). */
export const INBOX_PAGE = 20;
export const INBOX_MAX = 100;

const TAB_PAGES = ['/pages/card/index', '/pages/points/index', '/pages/till/index', '/pages/profile/index'];

/** The member's inbox, newest first, the first `first` notices and the unread count. */
export function useInbox(first: number) {
  return useQuery(MyNotificationsDocument, { first: Math.min(Math.max(1, first), INBOX_MAX) });
}

/** The unread count for the badges (我的, the card page). */
export function useUnreadCount(options: { skip?: boolean } = {}) {
  return useQuery(MyUnreadNotificationCountDocument, {}, options);
}

export async function markNotificationRead(id: string) {
  return (await request(MarkNotificationReadDocument, { id })).markNotificationRead;
}

/**
 * Opens a notice's page (e.g. `pages/event/index?id=7`): tab pages by switchTab (which drops the query), others by
 * navigateTo. Anything that is not a plain mini-program page path is ignored.
 */
export function openNotificationPage(page: string | null | undefined): void {
  if (!page || page.length > 128 || !/^\/?[a-z][a-z0-9_-]*(\/[a-z0-9_-]+)*(\?[A-Za-z0-9_=&%.-]*)?$/.test(page)) return;
  const url = page.startsWith('/') ? page : `/${page}`;
  const path = url.split('?')[0]!;
  if (TAB_PAGES.includes(path)) void Taro.switchTab({ url: path }).catch(() => undefined);
  else void Taro.navigateTo({ url }).catch(() => undefined);
}
