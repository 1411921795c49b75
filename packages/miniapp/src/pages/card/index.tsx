import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { MemberQr } from '../../components/member-qr';
import { PageShell } from '../../components/page-shell';
import { TierProgress } from '../../components/tier-progress';
import { useMe } from '../../state/member';
import { useUnreadCount } from '../../state/inbox';
import { formatDate } from '../../utils/format';
import './index.css';

/**
 * The member card (PRODUCT F2): tier badge, points, the rotating code, tier progress, points expiring soon; 付款 opens
 * the pay page (F5, member subpackage).
 */
export default function CardPage() {
  const me = useMe();
  const unread = useUnreadCount().data?.myUnreadNotificationCount ?? 0;
  return (
    <PageShell state={me} tab='card' loginHint='登录后出示会员码，消费即可积分' refetchOnShow>
      {({ me: m }) => (
        <View className='member-card'>
          <View className='card member-card__head'>
            <View className='row'>
              <Text className='member-card__no'>{`会员号 ${m.memberNo}`}</Text>
              <Tag type='warning' className={`tier-badge tier-badge--${m.tier.code.toLowerCase()}`}>
                {m.tier.name}
              </Tag>
            </View>
            <View className='member-card__summary'>
              <View className='member-card__points' onClick={() => void Taro.switchTab({ url: '/pages/points/index' })}>
                <Text className='member-card__points-value'>{m.points}</Text>
                <Text className='member-card__points-label'>可用积分</Text>
              </View>
              <Button className='member-card__pay' type='primary' size='small' onClick={() => void Taro.navigateTo({ url: '/member/pay/index' })}>
                付款
              </Button>
            </View>
          </View>
          <View className='card'>
            <MemberQr memberNo={m.memberNo} secret={m.codeSecret} />
          </View>
          <View className='card' onClick={() => void Taro.navigateTo({ url: '/member/tier/index' })}>
            <TierProgress member={m} />
          </View>
          {unread > 0 ? (
            <View className='card member-card__inbox' onClick={() => void Taro.navigateTo({ url: '/member/inbox/index' })}>
              <Text>{`你有 ${unread} 条未读消息`}</Text>
              <Text className='member-card__inbox-go'>查看 ›</Text>
            </View>
          ) : null}
          <View className='card member-card__clubs' onClick={() => void Taro.navigateTo({ url: '/pages/club/discover/index' })}>
            <Text>圈子 · 兴趣社群与线下活动</Text>
            <Text className='muted'>发现 ›</Text>
          </View>
          <View className='card member-card__mall' onClick={() => void Taro.navigateTo({ url: '/rewards/mall/index' })}>
            <Text>积分商城 · 话费、加油卡、门店好礼</Text>
            <Text className='muted'>去兑换 ›</Text>
          </View>
          {m.expiringSoon ? (
            <View className='card member-card__expiring' onClick={() => void Taro.navigateTo({ url: '/member/expiring/index' })}>
              <Text>{`${m.expiringSoon.points} 积分将于 ${formatDate(m.expiringSoon.on)} 过期`}</Text>
              <Text className='muted'>查看 ›</Text>
            </View>
          ) : null}
        </View>
      )}
    </PageShell>
  );
}
