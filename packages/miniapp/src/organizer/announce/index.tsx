import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, READY } from '../../components/page-shell';
import { postAnnouncement } from '../../state/club';
import '../../components/club-ui/index.css';

/** Organizers: post an announcement to every active member (in the app, and as a subscribe message). */
export default function AnnouncePage() {
  const clubId = useRouter()?.params?.clubId ?? null;
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [posted, setPosted] = useState(false);
  const submit = async () => {
    if (!clubId) return;
    setBusy(true);
    setError(null);
    try {
      await postAnnouncement(clubId, { title: title.trim(), body: body.trim() });
      setPosted(true);
      setTitle('');
      setBody('');
      void Taro.showToast({ title: '已发布', icon: 'success' });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <PageShell state={READY}>
      {() => (
        <View className='card announce'>
          <Text className='club-label'>标题</Text>
          <Input className='club-input announce__title' value={title} maxlength={20} placeholder='如：本周六活动改到二楼' onInput={(e) => { setTitle(e.detail.value); setPosted(false); }} />
          <Text className='club-label'>内容</Text>
          <Textarea className='club-textarea announce__body' value={body} maxlength={500} placeholder='将发送给圈子全体成员' onInput={(e) => { setBody(e.detail.value); setPosted(false); }} />
          {posted ? <Text className='club-success announce__posted'>公告已发布，成员会在消息中看到</Text> : null}
          <ErrorNotice error={error} />
          <View className='club-actions'>
            <Button type='primary' block loading={busy} disabled={!clubId || !title.trim() || !body.trim()} onClick={() => void submit()}>
              发布公告
            </Button>
          </View>
        </View>
      )}
    </PageShell>
  );
}
