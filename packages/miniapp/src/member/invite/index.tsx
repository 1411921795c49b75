import Taro, { useShareAppMessage } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { PageShell } from '../../components/page-shell';
import { REFERRALS_PAGE, useMyInvitation } from '../../state/referrals';
import './index.css';

const SHARE_TITLE = '邀请你加入圈子会员，积分好礼等你来';

/**
 * My invitation (PRODUCT F8): the mini-program code friends scan (it opens the sign-in page with my token) and the
 * share button (a share card whose path carries the token). A friend who signs up through it is bound to me.
 */
export default function InvitePage() {
  const invitation = useMyInvitation();
  const path = invitation.data?.myInvitation.path ?? null;
  useShareAppMessage(() => ({ title: SHARE_TITLE, ...(path ? { path } : {}) }));
  return (
    <PageShell state={invitation} loginHint='登录后邀请好友' refetchOnShow>
      {({ myInvitation: inv }) => (
        <View className='invite'>
          <View className='card invite__card'>
            <Text className='invite__title'>邀请好友加入圈子会员</Text>
            <Text className='muted invite__rule'>好友通过你的邀请注册并首次消费，你将获得奖励积分，之后好友消费你还能获得分成</Text>
            {inv.codeDataUrl ? (
              <Image className='invite__code' src={inv.codeDataUrl} mode='aspectFit' showMenuByLongpress />
            ) : (
              <Text className='muted invite__nocode'>小程序码暂时无法生成，请直接分享给好友</Text>
            )}
            <Text className='invite__token'>{`邀请码 ${inv.token}`}</Text>
            <Button className='invite__share' openType='share' type='primary'>
              分享给好友
            </Button>
          </View>
          <View className='card invite__stats' onClick={() => void Taro.navigateTo({ url: REFERRALS_PAGE })}>
            <View className='invite__stat'>
              <Text className='invite__num'>{String(inv.referees)}</Text>
              <Text className='muted'>已邀请</Text>
            </View>
            <View className='invite__stat'>
              <Text className='invite__num'>{String(inv.qualified)}</Text>
              <Text className='muted'>已消费</Text>
            </View>
            <View className='invite__stat'>
              <Text className='invite__num'>{String(inv.pointsEarned)}</Text>
              <Text className='muted'>获得积分</Text>
            </View>
            <Text className='muted'>›</Text>
          </View>
        </View>
      )}
    </PageShell>
  );
}
