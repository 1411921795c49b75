import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageShell } from '../../../components/page-shell';
import { DISCOVER_PAGE, eventUrl, rsvpStatusLabel, useMyClubEvents } from '../../../state/club';
import { formatDateTime } from '../../../utils/format';
import '../../../components/club-ui/index.css';

/** 我的活动 (PRODUCT F7): live RSVPs to upcoming events (seat or waitlist place) and the check-in history. */
export default function MyEventsPage() {
  const q = useMyClubEvents();
  return (
    <PageShell
      state={q}
      loginHint='登录后查看你报名的活动'
      isEmpty={(d) => d.myRsvps.length === 0 && d.myAttendance.length === 0}
      empty={{
        title: '还没有报名活动',
        description: '加入兴趣圈子，报名线下活动',
        action: (
          <Button type='primary' onClick={() => void Taro.navigateTo({ url: DISCOVER_PAGE })}>
            发现圈子
          </Button>
        ),
      }}
      refetchOnShow
    >
      {({ myRsvps, myAttendance }) => (
        <View>
          <View className='card'>
            <Text className='card__title'>即将参加</Text>
            {myRsvps.length === 0 ? <Text className='muted club-item__line'>暂无报名</Text> : null}
            {myRsvps.map((r) => (
              <View key={r.id} className='club-item my-events__rsvp' onClick={() => void Taro.navigateTo({ url: eventUrl(r.eventId) })}>
                <Text className='club-item__title'>{r.event.title}</Text>
                <Text className='club-item__line'>{`${r.event.club.name} · ${formatDateTime(r.event.startsAt)}`}</Text>
                <Text className='club-item__line'>
                  {r.status === 'WAITLISTED' ? `候补第 ${r.waitlistPosition ?? '-'} 位` : rsvpStatusLabel[r.status]}
                  {r.event.status === 'CANCELLED' ? ' · 活动已取消' : ''}
                  {r.pointsPaid > 0 ? ` · 已付 ${r.pointsPaid} 积分` : ''}
                </Text>
              </View>
            ))}
          </View>
          <View className='card'>
            <Text className='card__title'>签到记录</Text>
            {myAttendance.length === 0 ? <Text className='muted club-item__line'>暂无签到记录</Text> : null}
            {myAttendance.map((a) => (
              <View key={a.id} className='club-item my-events__attended' onClick={() => void Taro.navigateTo({ url: eventUrl(a.eventId) })}>
                <Text className='club-item__title'>{a.eventTitle}</Text>
                <Text className='club-item__line'>{`${a.clubName} · 签到于 ${formatDateTime(a.checkedInAt)}`}</Text>
                {a.pointsAwarded > 0 ? <Text className='club-item__line'>{`+${a.pointsAwarded} 积分`}</Text> : null}
              </View>
            ))}
          </View>
        </View>
      )}
    </PageShell>
  );
}
