import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { goBackOrHome } from '../../components/page-shell/page-header';

/**
 * 页面不存在: where the H5 build sends an unknown route (utils/not-found), instead of silently keeping the previous
 * page. The header's back arrow and the button both leave it (back, or the card when it was opened directly).
 */
export default function NotFoundPage() {
  return (
    <PageShell
      state={{ data: null, error: null, loading: false }}
      empty={{
        title: '页面不存在',
        description: '链接可能已失效或输入有误',
        action: (
          <Button type='primary' onClick={goBackOrHome}>
            返回
          </Button>
        ),
      }}
    >
      {() => null}
    </PageShell>
  );
}
