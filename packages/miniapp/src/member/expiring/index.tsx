import { clock } from '../../utils/clock';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { useMe } from '../../state/member';
import { MALL_PAGE } from '../../state/rewards';
import { daysUntil, formatDate } from '../../utils/format';
import './index.css';

/** Points expiring within 30 days (PRODUCT F3: members are reminded before points lapse). */
export default function ExpiringPage() {
  const me = useMe();
  return (
    <PageShell
      state={me}
      loginHint='登录后查看积分有效期'
      isEmpty={(d) => !d.me.expiringSoon}
      empty={{ title: '30 天内没有即将过期的积分', description: '积分按获得时间先后使用，最早获得的最先抵扣' }}
    >
      {({ me: m }) => {
        const e = m.expiringSoon!;
        const days = daysUntil(e.on, clock.ms());
        return (
          <View className='expiring'>
            <View className='card expiring__card'>
              <Text className='expiring__points'>{e.points}</Text>
              <Text className='expiring__label'>{`积分将于 ${formatDate(e.on)} 过期`}</Text>
              <Text className='expiring__days'>{days <= 0 ? '今天到期' : `还剩 ${days} 天`}</Text>
            </View>
            <View className='card'>
              <Text className='card__title'>怎样用掉它们</Text>
              <Text className='muted expiring__tip'>到积分商城兑换话费、加油卡或门店好礼，或到店消费时出示会员码，让店员为你抵扣积分；最早获得的积分最先使用。</Text>
              <Text className='muted expiring__tip'>{`你现在共有 ${m.points} 积分。`}</Text>
            </View>
            <Button type='primary' block onClick={() => void Taro.navigateTo({ url: MALL_PAGE })}>
              去积分商城兑换
            </Button>
            <View className='expiring__second'>
              <Button block fill='outline' type='primary' onClick={() => void Taro.switchTab({ url: '/pages/card/index' })}>
                出示会员码
              </Button>
            </View>
          </View>
        );
      }}
    </PageShell>
  );
}
