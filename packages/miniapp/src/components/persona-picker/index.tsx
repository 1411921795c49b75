import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { signIn } from '../../state/auth';
import { isStaff } from '../../state/session';
import { LOGIN_PERSONAS } from '../../utils/wx-login';
import './index.css';

/**
 * The H5 demo's persona buttons, on the sign-in page and in place of "请先登录" when signed out (the demo opens on
 * `/` signed out, so its first screen is the picker). Null on weapp, where LOGIN_PERSONAS is null and sign-in is
 * wx.login.
 */
export function PersonaPicker(): JSX.Element | null {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (!LOGIN_PERSONAS) return null;
  const go = async (persona: string) => {
    setBusy(persona);
    setError(null);
    try {
      const viewer = await signIn(persona);
      await Taro.reLaunch({ url: isStaff(viewer) ? '/pages/till/index' : '/pages/card/index' });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <View className='persona-picker login__personas'>
      <Text className='muted persona-picker__hint'>演示环境：选择一个身份登录</Text>
      {error ? <Text className='error-notice__text'>{error.message}</Text> : null}
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
  );
}
