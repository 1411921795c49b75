import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { checkInAttendee, rsvpStatusLabel, useEventRsvps, type CheckIn } from '../../state/club';
import { formatDateTime } from '../../utils/format';
import { CAN_SCAN, scanMemberCode } from '../../utils/scan';
import '../../components/club-ui/index.css';

/**
 * Organizers (and door staff): the event's RSVPs — confirmed, the waitlist in order, cancelled — and check-in at
 * the door: scan the member's code (weapp) or type it (H5). A second scan shows the first check-in.
 */
export default function AttendeesPage() {
  const eventId = useRouter()?.params?.eventId ?? null;
  const rsvps = useEventRsvps(eventId);
  return (
    <View className='attendees'>
      <PageShell
        above={eventId ? <CheckInPanel eventId={eventId} onCheckedIn={rsvps.refetch} /> : null}
        state={rsvps}
        loginHint='登录后管理活动'
        isEmpty={(d) => d.eventRsvps.length === 0}
        empty={{ title: eventId ? '还没有人报名' : '找不到这个活动' }}
      >
        {({ eventRsvps }) => {
          const live = eventRsvps.filter((r) => r.status === 'CONFIRMED').length;
          const waiting = eventRsvps.filter((r) => r.status === 'WAITLISTED').length;
          return (
            <View className='card'>
              <Text className='card__title attendees__summary'>{`已报名 ${live} 人 · 候补 ${waiting} 人`}</Text>
              {eventRsvps.map((r) => (
                <View key={r.id} className='club-item attendees__row'>
                  <Text className='club-item__title'>{`${r.nickname ?? '会员'} · ${r.memberNo}`}</Text>
                  <Text className='club-item__line'>
                    {r.status === 'WAITLISTED' ? `候补第 ${r.waitlistPosition ?? '-'} 位` : rsvpStatusLabel[r.status]}
                    {r.pointsPaid > 0 ? ` · ${r.pointsPaid} 积分` : ''}
                    {` · ${formatDateTime(r.createdAt)}`}
                  </Text>
                </View>
              ))}
            </View>
          );
        }}
      </PageShell>
    </View>
  );
}

function CheckInPanel({ eventId, onCheckedIn }: { eventId: string; onCheckedIn(): Promise<void> }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<CheckIn | null>(null);
  const submit = async (memberCode: string) => {
    if (!memberCode.trim()) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await checkInAttendee(eventId, memberCode));
      setCode('');
      void onCheckedIn();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const scan = async () => {
    const text = await scanMemberCode();
    if (text) await submit(text);
  };
  const a = result?.attendance;
  return (
    <View className='card attendees__checkin'>
      <Text className='card__title'>现场签到</Text>
      {CAN_SCAN ? (
        <Button type='primary' block loading={busy} onClick={() => void scan()}>
          扫描会员码签到
        </Button>
      ) : (
        <View>
          <Input
            className='club-input attendees__code'
            value={code}
            placeholder='输入或粘贴会员码（QZ1.…）'
            onInput={(e) => {
              setCode(e.detail.value);
              setError(null);
            }}
          />
          <View className='club-actions'>
            <Button type='primary' block loading={busy} disabled={!code.trim()} onClick={() => void submit(code)}>
              签到
            </Button>
          </View>
        </View>
      )}
      {a ? (
        <Text className='club-success attendees__result'>
          {result.replayed
            ? `${a.nickname ?? '会员'}（${a.memberNo}）已于 ${formatDateTime(a.checkedInAt)} 签到过`
            : `签到成功：${a.nickname ?? '会员'}（${a.memberNo}）${a.walkIn ? ' · 现场报名' : ''}${a.pointsAwarded > 0 ? ` · +${a.pointsAwarded} 积分` : ''}`}
        </Text>
      ) : null}
      <ErrorNotice error={error} />
    </View>
  );
}
