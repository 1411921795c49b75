import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { consoleTicketFromQr } from '@quanzi/shared';
import { ConfirmConsoleLoginDocument } from '@quanzi/shared/graphql';
import { request } from '../../api/client';
import { apiError, toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, READY, StatusView } from '../../components/page-shell';
import { goBackOrHome } from '../../components/page-shell/page-header';
import { isManager, useSession } from '../../state/session';
import './index.css';

/**
 * A manager approves the manager console's sign-in (issue #13), as on WeChat's website QR login: the console shows a
 * QR code; scanning it (WeChat's scanner opens this page with the link in `q`, or 我的 → 扫码登录管理后台 passes
 * `ticket`) asks "登录管理后台？" and the tap confirms that browser's session. Nothing happens without the tap.
 */
export default function ConsoleLoginPage() {
  const params = useRouter()?.params ?? {};
  const ticket = consoleTicketFromQr(params.ticket ?? params.q ?? null);
  const { token, viewer } = useSession();
  const state = token ? READY : { data: null, error: apiError('UNAUTHENTICATED'), loading: false };
  return (
    <PageShell state={state} loginHint='登录后确认管理后台的登录'>
      {() =>
        !isManager(viewer) ? (
          <StatusView kind='error' title='只有经理可以登录管理后台' description='请用有经理权限的微信扫码' />
        ) : ticket ? (
          <Confirm ticket={ticket} />
        ) : (
          <StatusView kind='error' title='这不是管理后台的登录二维码' description='请在电脑上刷新管理后台，重新扫码' />
        )
      }
    </PageShell>
  );
}

function Confirm({ ticket }: { ticket: string }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await request(ConfirmConsoleLoginDocument, { ticket });
      setDone(true);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  if (done) return <StatusView kind='success' title='已确认登录' description='请回到电脑上继续操作' />;
  return (
    <View className='card console-login'>
      <View className='console-login__screen' aria-hidden />
      <Text className='console-login__title'>登录 Quanzi 管理后台</Text>
      <Text className='muted console-login__hint'>请确认是你本人正在电脑上登录。如果不是，请点取消。</Text>
      <ErrorNotice error={error} />
      <Button type='primary' block loading={busy} disabled={busy} onClick={() => void confirm()}>
        确认登录
      </Button>
      <Button className='console-login__cancel' block fill='none' disabled={busy} onClick={goBackOrHome}>
        取消
      </Button>
    </View>
  );
}
