import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { reviewJoinRequest, useJoinRequests } from '../../state/club';
import { formatDateTime } from '../../utils/format';
import '../../components/club-ui/index.css';

/** Organizers: pending join requests of an APPROVAL club — approve (within the cap) or reject. */
export default function RequestsPage() {
  const clubId = useRouter()?.params?.clubId ?? null;
  const q = useJoinRequests(clubId);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const review = async (memberId: string, approve: boolean) => {
    if (!clubId) return;
    setBusy(memberId);
    setError(null);
    try {
      await reviewJoinRequest(clubId, memberId, approve);
      await q.refetch();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <PageShell state={q} loginHint='登录后审核入会申请' isEmpty={(d) => d.clubMembers.length === 0} empty={{ title: '没有待审核的申请' }} refetchOnShow>
      {({ clubMembers }) => (
        <View className='card'>
          <ErrorNotice error={error} />
          {clubMembers.map((p) => (
            <View key={p.memberId} className='club-item requests__row'>
              <Text className='club-item__title'>{`${p.nickname ?? '会员'} · ${p.memberNo}`}</Text>
              <Text className='club-item__line'>{`${p.tierName} · 申请于 ${formatDateTime(p.since)}`}</Text>
              <View className='club-actions'>
                <Button size='small' type='primary' loading={busy === p.memberId} onClick={() => void review(p.memberId, true)}>
                  通过
                </Button>
                <Button size='small' fill='outline' disabled={busy === p.memberId} onClick={() => void review(p.memberId, false)}>
                  拒绝
                </Button>
              </View>
            </View>
          ))}
        </View>
      )}
    </PageShell>
  );
}
