import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { decideJoin } from '@quanzi/shared';
import type { ClubQuery } from '@quanzi/shared/graphql';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { Picture } from '../../components/picture';
import {
  canOrganize,
  eventStatusLabel,
  eventUrl,
  joinClub,
  joinPolicyLabel,
  leaveClub,
  ORGANIZER,
  pointsText,
  rsvpStatusLabel,
  TIER_PAGE,
  useClub,
  type Membership,
} from '../../state/club';
import { useMe } from '../../state/member';
import { useSession } from '../../state/session';
import { formatDateTime } from '../../utils/format';
import '../../components/club-ui/index.css';

type Club = ClubQuery['club'];

/**
 * A club (PRODUCT F7) — also the page notification links open (`pages/club/index?id=`): what it is, members,
 * upcoming events, announcements (members only), join / leave, and the organizer tools for its organizers.
 */
export default function ClubPage() {
  const id = useRouter()?.params?.id ?? null;
  const club = useClub(id);
  return (
    <PageShell state={club} loginHint='登录后查看圈子' empty={{ title: '找不到这个圈子' }} notFoundTitle='圈子不存在或已删除' refetchOnShow>
      {({ club: c }) => <ClubView club={c} refetch={club.refetch} />}
    </PageShell>
  );
}

function ClubView({ club: c, refetch }: { club: Club; refetch(): Promise<void> }) {
  const { viewer } = useSession();
  const m = c.myMembership;
  const organizer = canOrganize(m, viewer);
  return (
    <View className='club-page'>
      <View className='card'>
        <Picture src={c.coverUrl} name={c.name} tone={c.theme} size='banner' />
        <Text className='club-big'>{c.name}</Text>
        <View className='club-item__line'>
          <Text className='club-tag'>{c.theme}</Text>
          <Text className='club-tag'>{joinPolicyLabel[c.joinPolicy] ?? c.joinPolicy}</Text>
          {c.minTier ? <Text className='club-tag club-tag--warn'>{`${c.minTier.name}及以上`}</Text> : null}
        </View>
        <Text className='club-item__line club-page__count'>{c.memberCap ? `成员 ${c.memberCount} / ${c.memberCap}` : `成员 ${c.memberCount} 人`}</Text>
        {c.store ? <Text className='club-item__line'>{`所属门店：${c.store.name}`}</Text> : null}
        {c.organizers.length ? <Text className='club-item__line'>{`组织者：${c.organizers.map((o) => o.nickname ?? '会员').join('、')}`}</Text> : null}
        {c.description ? <Text className='club-item__line'>{c.description}</Text> : null}
        <JoinPanel club={c} membership={m} onChange={refetch} />
      </View>
      {organizer ? <OrganizerTools club={c} /> : null}
      <View className='card'>
        <Text className='card__title'>近期活动</Text>
        {c.events.length === 0 ? <Text className='muted club-item__line'>暂无活动</Text> : null}
        {c.events.map((e) => (
          <View key={e.id} className='club-item club-event' onClick={() => void Taro.navigateTo({ url: eventUrl(e.id) })}>
            <Text className='club-item__title'>{e.title}</Text>
            <Text className='club-item__line'>{`${formatDateTime(e.startsAt)} · ${e.address}`}</Text>
            <Text className='club-item__line'>
              {[
                e.status !== 'PUBLISHED' ? eventStatusLabel[e.status] : e.spotsLeft > 0 ? `剩余 ${e.spotsLeft} 个名额` : '名额已满，可候补',
                pointsText(e),
                e.myRsvp && e.myRsvp.status !== 'CANCELLED' ? rsvpStatusLabel[e.myRsvp.status] : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </View>
        ))}
      </View>
      {m?.status === 'ACTIVE' ? (
        <View className='card'>
          <Text className='card__title'>公告</Text>
          {c.announcements.length === 0 ? <Text className='muted club-item__line'>暂无公告</Text> : null}
          {c.announcements.map((a) => (
            <View key={a.id} className='club-item club-announcement'>
              <Text className='club-item__title'>{a.title}</Text>
              <Text className='club-item__line'>{a.body}</Text>
              <Text className='muted club-item__line'>{formatDateTime(a.createdAt)}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}


/** The member's tier is too low for this club, by the rule the API applies on join (false while the tier is unknown). */
export function isTierLocked(c: Pick<Club, 'joinPolicy' | 'minTier'>, rank: number | null): boolean {
  if (!c.minTier || rank === null) return false;
  const d = decideJoin({ policy: c.joinPolicy, memberTierRank: rank, minTierRank: c.minTier.rank, clubInviteCode: null, inviteCode: null });
  return !d.ok && d.error === 'TIER_REQUIRED';
}

/** Join (with the invitation code for INVITE clubs; APPROVAL clubs wait as PENDING), withdraw, leave. */
function JoinPanel({ club: c, membership: m, onChange }: { club: Club; membership: Membership | null; onChange(): Promise<void> }) {
  const rank = useMe().data?.me.tier.rank ?? null;
  const tierLocked = isTierLocked(c, rank);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await onChange();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const leave = () =>
    void Taro.showModal({ title: '退出圈子', content: `确定退出「${c.name}」吗？`, confirmText: '退出' })
      .then((r) => (r.confirm ? act(() => leaveClub(c.id)) : undefined))
      .catch(() => undefined);

  let body;
  if (m?.status === 'ACTIVE') {
    body = (
      <View className='club-actions'>
        <Text className='club-success club-page__joined'>{m.role === 'ORGANIZER' ? '你是这个圈子的组织者' : '已加入'}</Text>
        {m.role === 'ORGANIZER' ? null : (
          <Button size='small' fill='outline' loading={busy} onClick={leave}>
            退出圈子
          </Button>
        )}
      </View>
    );
  } else if (m?.status === 'PENDING') {
    body = (
      <View className='club-actions'>
        <Text className='club-note club-page__pending'>申请已提交，等待组织者审核</Text>
        <Button size='small' fill='outline' loading={busy} onClick={() => void act(() => leaveClub(c.id))}>
          撤回申请
        </Button>
      </View>
    );
  } else if (m?.status === 'REMOVED') {
    body = <Text className='club-note'>你已被移出该圈子，无法再次加入</Text>;
  } else if (tierLocked && c.minTier) {
    // Known before the tap (the server's own rule, decideJoin): show the lock and why, instead of a refusal after it.
    body = (
      <View className='club-page__locked'>
        <View className='club-lock-row'>
          <View className='club-lock' aria-hidden />
          <Text className='club-note club-page__tier-note'>{`${c.minTier.name}及以上会员可加入`}</Text>
        </View>
        <View className='club-actions'>
          <Button type='primary' block disabled>
            加入圈子
          </Button>
        </View>
        <Text className='club-item__line club-page__upgrade' onClick={() => void Taro.navigateTo({ url: TIER_PAGE })}>
          查看如何升级 ›
        </Text>
      </View>
    );
  } else {
    const invite = c.joinPolicy === 'INVITE';
    body = (
      <View>
        {m?.status === 'REJECTED' ? <Text className='club-note'>上次的申请未通过，可以再次申请</Text> : null}
        {invite ? (
          <Input
            className='club-input club-page__invite'
            value={code}
            maxlength={32}
            placeholder='请输入邀请码'
            onInput={(e) => {
              setCode(e.detail.value);
              setError(null);
            }}
          />
        ) : null}
        <View className='club-actions'>
          <Button
            type='primary'
            block
            loading={busy}
            disabled={invite && !code.trim()}
            onClick={() => void act(() => joinClub(c.id, invite ? code : undefined))}
          >
            {c.joinPolicy === 'APPROVAL' ? '申请加入' : '加入圈子'}
          </Button>
        </View>
      </View>
    );
  }
  return (
    <View className='club-page__join'>
      {body}
      <ErrorNotice error={error} />
    </View>
  );
}

function OrganizerTools({ club: c }: { club: Club }) {
  const go = (url: string) => void Taro.navigateTo({ url });
  return (
    <View className='card club-page__organizer'>
      <Text className='card__title'>组织者工具</Text>
      {c.inviteCode ? <Text className='club-item__line'>{`邀请码：${c.inviteCode}`}</Text> : null}
      <View className='club-actions'>
        <Button size='small' type='primary' onClick={() => go(`${ORGANIZER.editEvent}?clubId=${c.id}`)}>
          发起活动
        </Button>
        <Button size='small' fill='outline' onClick={() => go(`${ORGANIZER.requests}?clubId=${c.id}`)}>
          入会审核
        </Button>
        <Button size='small' fill='outline' onClick={() => go(`${ORGANIZER.announce}?clubId=${c.id}`)}>
          发布公告
        </Button>
        <Button size='small' fill='outline' onClick={() => go(`${ORGANIZER.editClub}?id=${c.id}`)}>
          编辑圈子
        </Button>
      </View>
    </View>
  );
}
