import { clock } from '../../utils/clock';
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ClubEventQuery } from '@quanzi/shared/graphql';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import {
  cancelRsvp,
  canOrganize,
  clubUrl,
  countdownText,
  eventStatusLabel,
  isActiveMember,
  isLiveRsvp,
  ORGANIZER,
  pointsText,
  rsvpClosesAt,
  rsvpEvent,
  askSubscribe,
  rsvpOpen,
  useClubEvent,
  tierFits,
  TIER_PAGE,
  useSubscribeTemplates,
} from '../../state/club';
import { useMe } from '../../state/member';
import { useSession } from '../../state/session';
import { formatDateTime } from '../../utils/format';
import '../../components/club-ui/index.css';

type Event = ClubEventQuery['event'];

/**
 * An event (PRODUCT F7) — also the page notification links open (`pages/event/index?id=`): countdown to the
 * start, time and place, seats left and the waitlist, points cost/reward, the RSVP deadline; RSVP and cancel.
 */
export default function EventPage() {
  const id = useRouter()?.params?.id ?? null;
  const event = useClubEvent(id);
  return (
    <PageShell state={event} loginHint='登录后查看活动并报名' empty={{ title: '找不到这个活动' }} notFoundTitle='活动不存在或已删除' refetchOnShow>
      {({ event: e }) => <EventView event={e} refetch={event.refetch} />}
    </PageShell>
  );
}

/** Re-renders every second (the countdown). */
function useNow(): number {
  const [now, setNow] = useState(() => clock.ms());
  useEffect(() => {
    const t = setInterval(() => setNow(clock.ms()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function EventView({ event: e, refetch }: { event: Event; refetch(): Promise<void> }) {
  const now = useNow();
  const { viewer } = useSession();
  const organizer = canOrganize(e.club.myMembership, viewer);
  return (
    <View className='event-page'>
      <View className='card'>
        <Text className='club-big'>{e.title}</Text>
        <Text className='club-item__line event-page__club' onClick={() => void Taro.navigateTo({ url: clubUrl(e.club.id) })}>
          {`${e.club.name} ›`}
        </Text>
        {e.status === 'PUBLISHED' ? (
          <View className='event-page__countdown'>
            <Text className='muted'>距离开始</Text>
            <Text className='club-countdown'>{countdownText(e.startsAt, e.endsAt, now)}</Text>
          </View>
        ) : (
          <Text className='club-note event-page__status'>
            {e.status === 'CANCELLED' ? `活动已取消${e.cancelReason ? `：${e.cancelReason}` : ''}` : eventStatusLabel[e.status]}
          </Text>
        )}
      </View>
      <View className='card event-page__facts'>
        <Text className='club-item__line'>{`时间：${formatDateTime(e.startsAt)} – ${formatDateTime(e.endsAt)}`}</Text>
        <Text className='club-item__line'>{`地点：${e.address}`}</Text>
        <Text className='club-item__line event-page__spots'>
          {e.spotsLeft > 0 ? `剩余名额 ${e.spotsLeft} / ${e.capacity}` : `名额已满（共 ${e.capacity} 人）`}
          {e.waitlistCount > 0 ? ` · 候补 ${e.waitlistCount} 人` : ''}
        </Text>
        <Text className='club-item__line event-page__points'>{pointsText(e)}</Text>
        <Text className='club-item__line event-page__deadline'>{`报名截止：${formatDateTime(rsvpClosesAt(e))}`}</Text>
        {e.minTier ? <Text className='club-item__line'>{`仅限${e.minTier.name}及以上会员`}</Text> : null}
        {e.description ? <Text className='club-item__line'>{e.description}</Text> : null}
      </View>
      <RsvpPanel event={e} now={now} onChange={refetch} />
      {organizer ? (
        <View className='card event-page__organizer'>
          <Text className='card__title'>组织者工具</Text>
          <View className='club-actions'>
            <Button size='small' type='primary' onClick={() => void Taro.navigateTo({ url: `${ORGANIZER.attendees}?eventId=${e.id}` })}>
              报名名单与签到
            </Button>
            {e.status === 'DRAFT' || e.status === 'PUBLISHED' ? (
              <Button size='small' fill='outline' onClick={() => void Taro.navigateTo({ url: `${ORGANIZER.editEvent}?id=${e.id}&clubId=${e.clubId}` })}>
                编辑活动
              </Button>
            ) : null}
          </View>
        </View>
      ) : null}
    </View>
  );
}

/** The question before an RSVP that costs points (null when it is free). */
export function rsvpCostQuestion(e: Pick<Event, 'pointsCost' | 'spotsLeft'>): string | null {
  if (e.pointsCost <= 0) return null;
  return e.spotsLeft > 0 ? `报名将消耗 ${e.pointsCost} 积分，确定吗？` : `加入候补将先扣除 ${e.pointsCost} 积分，未获得名额会退回，确定吗？`;
}

function RsvpPanel({ event: e, now, onChange }: { event: Event; now: number; onChange(): Promise<void> }) {
  const templates = useSubscribeTemplates();
  // Known before the tap (the server's own rule, meetsTier): a member below the event's tier sees the lock, not a refusal.
  const tierLocked = tierFits(e.minTier, useMe().data?.me.tier.rank) === false;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const r = isLiveRsvp(e.myRsvp) ? e.myRsvp : null;
  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await fn());
      await onChange();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const rsvp = () => {
    // Reminders and changes as WeChat messages: asked within the tap, alongside the RSVP.
    void askSubscribe(templates.data?.subscribeTemplates, ['EVENT_REMINDER', 'EVENT_UPDATE']);
    return act(async () => {
      const res = await rsvpEvent(e.id);
      return res.status === 'WAITLISTED' ? `已加入候补，第 ${res.waitlistPosition ?? '-'} 位` : '报名成功';
    });
  };
  // Spending points takes a second tap: the API debits the cost for a seat and for a waitlist place alike.
  const confirmRsvp = () => {
    const question = rsvpCostQuestion(e);
    if (!question) return void rsvp();
    void Taro.showModal({ title: e.spotsLeft > 0 ? '确认报名' : '确认候补', content: question, confirmText: '确定' })
      .then((r) => (r.confirm ? rsvp() : undefined))
      .catch(() => undefined);
  };
  const cancel = () =>
    act(async () => {
      const res = await cancelRsvp(e.id);
      return res.pointsRefunded > 0 ? `已取消报名，退回 ${res.pointsRefunded} 积分` : '已取消报名';
    });

  let body;
  if (r) {
    const late = r.status === 'CONFIRMED' && r.pointsPaid > 0 && Date.parse(e.refundCutoff ?? e.startsAt) <= now;
    body = (
      <View>
        <Text className='club-success event-page__rsvp'>
          {r.status === 'WAITLISTED' ? `候补中 · 第 ${r.waitlistPosition ?? '-'} 位` : '已报名，记得准时到场签到'}
        </Text>
        {r.pointsPaid > 0 ? <Text className='club-item__line'>{`已支付 ${r.pointsPaid} 积分`}</Text> : null}
        {late ? <Text className='club-note'>已过退款截止时间，取消后积分不退还</Text> : null}
        {e.status === 'PUBLISHED' && Date.parse(e.startsAt) > now ? (
          <View className='club-actions'>
            <Button block fill='outline' loading={busy} onClick={() => void cancel()}>
              取消报名
            </Button>
          </View>
        ) : null}
      </View>
    );
  } else if (!isActiveMember(e.club.myMembership)) {
    body = (
      <View>
        <Text className='club-note'>加入圈子后才能报名</Text>
        <View className='club-actions'>
          <Button block type='primary' onClick={() => void Taro.navigateTo({ url: clubUrl(e.club.id) })}>
            去加入圈子
          </Button>
        </View>
      </View>
    );
  } else if (tierLocked && e.minTier && rsvpOpen(e, now)) {
    body = (
      <View className='event-page__locked'>
        <View className='club-lock-row'>
          <View className='club-lock' aria-hidden />
          <Text className='club-note event-page__tier-note'>{`${e.minTier.name}及以上会员可报名`}</Text>
        </View>
        <View className='club-actions'>
          <Button block type='primary' disabled>
            {e.pointsCost > 0 ? `报名（${e.pointsCost} 积分）` : '立即报名'}
          </Button>
        </View>
        <Text className='club-item__line event-page__upgrade' onClick={() => void Taro.navigateTo({ url: TIER_PAGE })}>
          查看如何升级 ›
        </Text>
      </View>
    );
  } else if (rsvpOpen(e, now)) {
    body = (
      <View className='club-actions'>
        <Button block type='primary' loading={busy} disabled={busy} onClick={confirmRsvp}>
          {e.spotsLeft > 0 ? (e.pointsCost > 0 ? `报名（${e.pointsCost} 积分）` : '立即报名') : '加入候补'}
        </Button>
      </View>
    );
  } else {
    body = <Text className='muted event-page__closed'>{e.status === 'PUBLISHED' ? '报名已截止' : '当前不可报名'}</Text>;
  }
  return (
    <View className='card event-page__rsvp-panel'>
      {body}
      {done ? <Text className='club-success event-page__done'>{done}</Text> : null}
      <ErrorNotice error={error} />
    </View>
  );
}
