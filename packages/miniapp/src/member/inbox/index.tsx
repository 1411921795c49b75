import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { INBOX_MAX, INBOX_PAGE, markNotificationRead, openNotificationPage, useInbox, type InboxItem } from '../../state/inbox';
import { askSubscribe, useSubscribeTemplates } from '../../state/club';
import { formatDateTime } from '../../utils/format';
import { CAN_SUBSCRIBE } from '../../utils/subscribe';
import './index.css';

/**
 * 消息: the member's in-app notices newest first (campaign offers, coupons, club announcements, event changes,
 * reward results, low-rating alerts for managers); unread ones are marked; a tap marks it read and opens its page.
 * In WeChat, 订阅优惠提醒 asks for the CAMPAIGN_OFFER subscribe message (each acceptance = one WeChat message about
 * the next targeted offer; recorded with recordSubscribeConsent).
 */
export default function InboxPage() {
  const [first, setFirst] = useState(INBOX_PAGE);
  const inbox = useInbox(first);
  const [read, setRead] = useState<Record<string, true>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const templates = useSubscribeTemplates();
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  // Called from the tap itself: WeChat shows the dialog only for a tap.
  const subscribe = () => void askSubscribe(templates.data?.subscribeTemplates, ['CAMPAIGN_OFFER']).then((ids) => setSubscribed(ids.length > 0));

  const open = async (n: InboxItem) => {
    setError(null);
    if (!n.readAt && !read[n.id]) {
      try {
        await markNotificationRead(n.id);
        setRead((r) => ({ ...r, [n.id]: true }));
      } catch (e) {
        setError(toApiError(e));
        return;
      }
    }
    openNotificationPage(n.page);
  };

  return (
    <PageShell state={inbox} loginHint='登录后查看消息' isEmpty={(d) => d.myNotifications.length === 0} empty={{ title: '暂无消息' }} refetchOnShow>
      {({ myNotifications, myUnreadNotificationCount }) => {
        const unread = Math.max(0, myUnreadNotificationCount - myNotifications.filter((n) => !n.readAt && read[n.id]).length);
        return (
          <View className='inbox'>
            <Text className='muted inbox__count'>{unread > 0 ? `${unread} 条未读` : '全部已读'}</Text>
            {CAN_SUBSCRIBE ? (
              <View className='inbox__subscribe' onClick={subscribe}>
                <Text className='inbox__link'>{subscribed ? '已订阅：下一份专属优惠将通过微信通知您' : '订阅优惠提醒 ›'}</Text>
                {subscribed === false ? <Text className='muted'>未订阅（可在微信设置中开启）</Text> : null}
              </View>
            ) : null}
            <ErrorNotice error={error} />
            {myNotifications.map((n) => {
              const isUnread = !n.readAt && !read[n.id];
              return (
                <View key={n.id} className={`card inbox__item ${isUnread ? 'inbox__item--unread' : ''}`} onClick={() => void open(n)}>
                  <View className='inbox__head'>
                    <Text className='inbox__title'>{n.title}</Text>
                    <Text className='muted inbox__when'>{formatDateTime(n.createdAt)}</Text>
                  </View>
                  <Text className='inbox__body'>{n.body}</Text>
                  {n.page ? <Text className='inbox__link'>查看详情 ›</Text> : null}
                </View>
              );
            })}
            {myNotifications.length >= first && first < INBOX_MAX ? (
              <Text className='inbox__more' onClick={() => setFirst(Math.min(INBOX_MAX, first + INBOX_PAGE))}>
                加载更多
              </Text>
            ) : null}
          </View>
        );
      }}
    </PageShell>
  );
}
