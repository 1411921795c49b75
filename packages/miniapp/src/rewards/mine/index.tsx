import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { RedemptionStatusTag } from '../../components/reward-ui';
import { inProgress, MALL_PAGE, redemptionUrl, usePollWhile, useMyRedemptions, type Redemption } from '../../state/rewards';
import { formatDateTime } from '../../utils/format';
import './index.css';

/** 我的兑换: the latest 20 redemptions with live status (polled while any is processing); a voucher opens its code. */
export default function MyRedemptionsPage() {
  const q = useMyRedemptions(20);
  usePollWhile(!!q.data?.myRedemptions.some(inProgress), q.refetch);
  return (
    <PageShell
      state={q}
      loginHint='登录后查看你的兑换'
      isEmpty={(d) => d.myRedemptions.length === 0}
      empty={{
        title: '还没有兑换记录',
        description: '积分可以兑换话费、加油卡和门店好礼',
        action: (
          <Button type='primary' onClick={() => void Taro.navigateTo({ url: MALL_PAGE })}>
            去积分商城
          </Button>
        ),
      }}
      refetchOnShow
    >
      {({ myRedemptions }) => (
        <View className='card'>
          {myRedemptions.map((r) => (
            <Row key={r.id} r={r} />
          ))}
        </View>
      )}
    </PageShell>
  );
}

function Row({ r }: { r: Redemption }) {
  return (
    <View className='redemption-row' onClick={() => void Taro.navigateTo({ url: redemptionUrl(r.id) })}>
      <View className='redemption-row__head'>
        <Text className='redemption-row__name'>{r.rewardName}</Text>
        <RedemptionStatusTag status={r.status} />
      </View>
      <Text className='muted redemption-row__line'>{`-${r.points} 积分 · ${formatDateTime(r.createdAt)}${r.target ? ` · ${r.target}` : ''}`}</Text>
      {r.status === 'FAILED' && r.pointsRefunded > 0 ? <Text className='redemption-row__refund'>{`${r.pointsRefunded} 积分已退回`}</Text> : null}
      {r.status === 'ISSUED' ? <Text className='redemption-row__show'>出示券码 ›</Text> : null}
    </View>
  );
}
