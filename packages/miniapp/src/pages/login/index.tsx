import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { PersonaPicker } from '../../components/persona-picker';
import { signInWithInvite } from '../../state/auth';
import { inviteFrom } from '../../state/referrals';
import { isStaff } from '../../state/session';
import { LOGIN_PERSONAS } from '../../utils/wx-login';
import './index.css';

const READY = { data: true as const, error: null, loading: false };

/** Refusals worth telling a member who came through an invitation (a returning member needs no word on it). */
const TOLD = new Set(['REFERRAL_SELF', 'REFERRAL_UNKNOWN', 'REFERRAL_DISABLED']);

/**
 * Sign-in (PRODUCT F1): on weapp one tap (wx.login → `login`); in the H5 demo, one button per seeded persona
 * (the demo API mints their WeChat login code). Opened from a friend's share card (`?invite=`) or mini-program code
 * (`scene`), the sign-in carries the invitation (PRODUCT F8).
 */
export default function LoginPage() {
  const invite = inviteFrom(useRouter()?.params);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  /** weapp: one tap, wx.login → `login` (the H5 demo signs in through the persona picker). */
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const { viewer, referral } = await signInWithInvite(undefined, invite);
      if (referral?.bound) void Taro.showToast({ title: '已接受好友邀请', icon: 'success' });
      else if (referral?.refusal && TOLD.has(referral.refusal)) void Taro.showToast({ title: errorMessageZh[referral.refusal as keyof typeof errorMessageZh], icon: 'none' });
      await Taro.switchTab({ url: isStaff(viewer) ? '/pages/till/index' : '/pages/card/index' }).catch(() =>
        Taro.reLaunch({ url: '/pages/card/index' }),
      );
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell state={READY}>
      {() => (
        <View className='login'>
          <View className='login__brand'>
            <Text className='login__logo'>圈</Text>
            <Text className='login__title'>圈子会员</Text>
            <Text className='login__subtitle'>积分、等级、会员码，一个小程序就够了</Text>
          </View>
          {invite ? <Text className='login__invite'>好友邀请你加入圈子会员，登录即可接受邀请</Text> : null}
          <ErrorNotice error={error} />
          {LOGIN_PERSONAS ? (
            <PersonaPicker />
          ) : (
            <Button block type='primary' loading={busy} disabled={busy} onClick={() => void go()}>
              微信一键登录
            </Button>
          )}
          <Text className='muted login__terms'>登录即表示同意《会员服务协议》与《隐私政策》</Text>
        </View>
      )}
    </PageShell>
  );
}
