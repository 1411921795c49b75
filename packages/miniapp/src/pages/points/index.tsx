import Taro, { useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { RatingPrompt } from '../../components/rating-prompt';
import { useLedger, type LedgerItem } from '../../state/ledger';
import { useMe } from '../../state/member';
import { usePendingRatings } from '../../state/ratings';
import { formatDate, formatDateTime, ledgerKindLabel, signedPoints } from '../../utils/format';
import './index.css';

function LedgerRow({ item }: { item: LedgerItem }) {
  return (
    <View className='ledger-row'>
      <View className='ledger-row__main'>
        <Text className='ledger-row__reason'>{item.reason}</Text>
        <Text className='ledger-row__meta'>{[formatDateTime(item.createdAt), item.storeName].filter(Boolean).join(' · ')}</Text>
      </View>
      <View className='ledger-row__side'>
        <Text className={`ledger-row__delta ${item.delta >= 0 ? 'ledger-row__delta--plus' : 'ledger-row__delta--minus'}`}>{signedPoints(item.delta)}</Text>
        <Tag plain type={item.kind === 'EARN' ? 'success' : item.kind === 'EXPIRE' ? 'warning' : 'default'}>
          {ledgerKindLabel[item.kind]}
        </Tag>
      </View>
    </View>
  );
}

/**
 * Points balance and history (PRODUCT F3), newest first, loading more at the bottom (infinite scroll); above the
 * history, an invitation to rate today's services (F11) when any is open.
 */
export default function PointsPage() {
  const me = useMe();
  const ledger = useLedger();
  const pendingRatings = usePendingRatings();
  useReachBottom(() => void ledger.loadMore());

  const state = {
    data: ledger.loading ? null : ledger.items,
    error: ledger.error,
    loading: ledger.loading,
    refreshing: ledger.refreshing,
    refetch: () => Promise.all([ledger.refetch(), me.refetch(), pendingRatings.refetch()]).then(() => undefined),
  };

  return (
    <PageShell
      state={state}
      tab='points'
      loginHint='登录后查看积分明细'
      refetchOnShow
      isEmpty={(items) => items.length === 0}
      empty={{ title: '还没有积分记录', description: '到店消费时出示会员码即可积分' }}
    >
      {(items) => (
        <View className='points-page'>
          {me.data ? (
            <View className='card points-page__summary'>
              <Text className='points-page__balance'>{me.data.me.points}</Text>
              <Text className='muted'>可用积分</Text>
              {me.data.me.expiringSoon ? (
                <Text className='points-page__expiring' onClick={() => void Taro.navigateTo({ url: '/member/expiring/index' })}>
                  {`${me.data.me.expiringSoon.points} 积分将于 ${formatDate(me.data.me.expiringSoon.on)} 过期 ›`}
                </Text>
              ) : null}
            </View>
          ) : null}
          <RatingPrompt items={pendingRatings.data?.myPendingRatings} />
          <View className='card ledger'>
            {items.map((item) => (
              <LedgerRow key={item.id} item={item} />
            ))}
            <View className='ledger__footer'>
              {ledger.loadingMore ? (
                <Text className='muted'>加载中…</Text>
              ) : ledger.moreError ? (
                <Text className='ledger__retry' onClick={() => void ledger.loadMore()}>
                  {`${ledger.moreError.message}，点击重试`}
                </Text>
              ) : ledger.hasMore ? (
                <Text className='ledger__more muted' onClick={() => void ledger.loadMore()}>
                  上拉加载更多
                </Text>
              ) : (
                <Text className='muted'>没有更多了</Text>
              )}
            </View>
          </View>
        </View>
      )}
    </PageShell>
  );
}
