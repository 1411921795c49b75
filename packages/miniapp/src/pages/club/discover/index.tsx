import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PageShell } from '../../../components/page-shell';
import { Picture } from '../../../components/picture';
import { canCreateClub, clubUrl, joinPolicyLabel, MY_EVENTS_PAGE, ORGANIZER, tierFits, useClubs, type ClubSummary } from '../../../state/club';
import { useMe } from '../../../state/member';
import { useSession } from '../../../state/session';
import '../../../components/club-ui/index.css';

const ALL = '全部';
const MINE = '我加入的';

/**
 * Discover clubs (PRODUCT F7): biggest first, filtered by theme (or the member's own), with "适合你的等级" on
 * tier-restricted clubs the member's tier reaches.
 */
export default function DiscoverPage() {
  const [filter, setFilter] = useState(ALL);
  const clubs = useClubs(filter === MINE);
  const me = useMe();
  const { viewer } = useSession();
  const rank = me.data?.me.tier.rank ?? null;
  // The theme chips come from the full list (kept while "我加入的" shows only the member's clubs).
  const themesRef = useRef<string[]>([]);
  if (clubs.data && filter !== MINE) themesRef.current = [...new Set(clubs.data.clubs.map((c) => c.theme))];
  const themes = themesRef.current;
  return (
    <View className='discover'>
      <PageShell
        above={
          <>
            <View className='card discover__filters'>
              {[ALL, ...themes, MINE].map((t) => (
                <Text key={t} className={`club-chip${t === filter ? ' club-chip--on' : ''}`} onClick={() => setFilter(t)}>
                  {t}
                </Text>
              ))}
              <Text className='club-chip discover__mine' onClick={() => void Taro.navigateTo({ url: MY_EVENTS_PAGE })}>
                我的活动 ›
              </Text>
              {canCreateClub(viewer) ? (
                <Text className='club-chip discover__create' onClick={() => void Taro.navigateTo({ url: ORGANIZER.editClub })}>
                  + 创建圈子
                </Text>
              ) : null}
            </View>
          </>
        }
        state={clubs}
        loginHint='登录后发现身边的兴趣圈子'
        isEmpty={(d) => d.clubs.filter((c) => filter === ALL || filter === MINE || c.theme === filter).length === 0}
        empty={{ title: filter === MINE ? '还没有加入圈子' : '暂时没有圈子', description: '新的圈子和活动会出现在这里' }}
      >
        {({ clubs: list }) => (
          <View className='card'>
            {list
              .filter((c) => filter === ALL || filter === MINE || c.theme === filter)
              .map((c) => (
                <ClubRow key={c.id} club={c} rank={rank} />
              ))}
          </View>
        )}
      </PageShell>
    </View>
  );
}

const statusTag: Record<string, string> = { ACTIVE: '已加入', PENDING: '审核中' };

function ClubRow({ club: c, rank }: { club: ClubSummary; rank: number | null }) {
  const fits = tierFits(c.minTier, rank);
  const mine = c.myMembership ? statusTag[c.myMembership.status] : undefined;
  return (
    <View className='club-item club-item--pictured discover__club' onClick={() => void Taro.navigateTo({ url: clubUrl(c.id) })}>
      <Picture src={c.coverUrl} name={c.name} tone={c.theme} />
      <View className='club-item__body'>
        <Text className='club-item__title'>{c.name}</Text>
        <View className='club-item__line'>
        <Text className='club-tag'>{c.theme}</Text>
        <Text className='club-tag'>{joinPolicyLabel[c.joinPolicy] ?? c.joinPolicy}</Text>
        {fits === true ? <Text className='club-tag club-tag--fit'>适合你的等级</Text> : null}
        {fits === false && c.minTier ? <Text className='club-tag club-tag--warn'>{`需${c.minTier.name}`}</Text> : null}
        {mine ? <Text className='club-tag club-tag--fit'>{mine}</Text> : null}
      </View>
      <Text className='club-item__line'>{`${c.memberCount} 位成员${c.store ? ` · ${c.store.name}` : ''}`}</Text>
      {c.description ? <Text className='club-item__line muted'>{c.description}</Text> : null}
      </View>
    </View>
  );
}
