import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { INVITE_PAGE, referralStateLabel, useMyReferrals, type MyReferral } from '../../state/referrals';
import { formatDate } from '../../utils/format';
import './index.css';

/** The friends I invited (PRODUCT F8), newest first, masked: their state and the points I earned from each. */
export default function ReferralsPage() {
  const referrals = useMyReferrals(20);
  return (
    <PageShell
      state={referrals}
      loginHint='登录后查看你邀请的好友'
      isEmpty={(d) => d.myReferrals.length === 0}
      empty={{
        title: '还没有邀请好友',
        description: '好友通过你的邀请注册并消费，你就能获得积分',
        action: (
          <Button type='primary' onClick={() => void Taro.navigateTo({ url: INVITE_PAGE })}>
            去邀请
          </Button>
        ),
      }}
      refetchOnShow
    >
      {({ myReferrals }) => (
        <View className='card referrals'>
          {myReferrals.map((r) => (
            <ReferralRow key={r.id} referral={r} />
          ))}
          {myReferrals.length >= 20 ? <Text className='muted referrals__more'>仅显示最近 20 位好友</Text> : null}
        </View>
      )}
    </PageShell>
  );
}

function ReferralRow({ referral: r }: { referral: MyReferral }) {
  return (
    <View className='referral'>
      <View className='referral__main'>
        <Text className='referral__name'>{r.referee}</Text>
        <Text className='muted'>{`${formatDate(r.boundAt)} 注册`}</Text>
      </View>
      <View className='referral__side'>
        <Text className={`referral__state referral__state--${r.state.toLowerCase()}`}>{referralStateLabel[r.state] ?? '已注册'}</Text>
        <Text className='referral__points'>{`+${r.pointsEarned} 积分`}</Text>
      </View>
    </View>
  );
}
