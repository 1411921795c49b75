import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { signIn } from '../../state/auth';
import { isStaff } from '../../state/session';
import { LOGIN_PERSONAS } from '../../utils/wx-login';
import './index.css';

const READY = { data: true as const, error: null, loading: false };

/**
 * Sign-in (PRODUCT F1): on weapp one tap (wx.login → `login`); in the H5 demo, one button per seeded persona
 * (the demo API mints their WeChat login code).
 */
export default function LoginPage() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const go = async (persona?: string) => {
    setBusy(persona ?? 'wechat');
    setError(null);
    try {
      const viewer = await signIn(persona);
      await Taro.switchTab({ url: isStaff(viewer) ? '/pages/till/index' : '/pages/card/index' }).catch(() =>
        Taro.reLaunch({ url: '/pages/card/index' }),
      );
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
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
          <ErrorNotice error={error} />
          {LOGIN_PERSONAS ? (
            <View className='login__personas'>
              <Text className='muted login__demo-hint'>演示环境：选择一个身份登录</Text>
              {LOGIN_PERSONAS.map((p) => (
                <Button
                  key={p.user}
                  className={`login__persona login__persona--${p.user}`}
                  block
                  type='primary'
                  fill={p.user === 'alice' ? 'solid' : 'outline'}
                  loading={busy === p.user}
                  disabled={busy !== null}
                  onClick={() => void go(p.user)}
                >
                  {`${p.name}（${p.description}）`}
                </Button>
              ))}
            </View>
          ) : (
            <Button block type='primary' loading={busy !== null} disabled={busy !== null} onClick={() => void go()}>
              微信一键登录
            </Button>
          )}
          <Text className='muted login__terms'>登录即表示同意《会员服务协议》与《隐私政策》</Text>
        </View>
      )}
    </PageShell>
  );
}
