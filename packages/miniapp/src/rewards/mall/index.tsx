import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PageShell } from '../../components/page-shell';
import { RewardFacts } from '../../components/reward-ui';
import { useMe } from '../../state/member';
import { MY_REDEMPTIONS_PAGE, REWARD_TABS, rewardDetailUrl, useRewards, type Reward, type RewardKind } from '../../state/rewards';
import { useSession } from '../../state/session';
import { Picture } from '../../components/picture';
import './index.css';

/**
 * 积分商城 (PRODUCT F6): one tab per category; each reward with its points price (and cash part), stock, limits and
 * tier lock. The API lists what the member can afford first ("积分够"); guests may browse.
 */
export default function MallPage() {
  const [kind, setKind] = useState<RewardKind>('MOBILE_TOPUP');
  const rewards = useRewards(kind);
  const { token } = useSession();
  const me = useMe();
  const member = token ? me.data?.me ?? null : null;
  const tierRank = member?.tier.rank ?? null;

  return (
    <View className='mall'>
      <PageShell
        above={
          <>
            <View className='mall__head'>
              <Text>{member ? `可用积分 ${member.points}` : '登录后查看可兑换的礼品'}</Text>
              <Text className='mall__mine' onClick={() => void Taro.navigateTo({ url: MY_REDEMPTIONS_PAGE })}>
                我的兑换 ›
              </Text>
            </View>
            <View className='mall__tabs'>
              {REWARD_TABS.map((t) => (
                <Text key={t.kind} className={`mall__tab${t.kind === kind ? ' mall__tab--active' : ''}`} onClick={() => setKind(t.kind)}>
                  {t.label}
                </Text>
              ))}
            </View>
          </>
        }
        state={rewards}
        isEmpty={(d) => d.rewards.length === 0}
        empty={{ title: '暂无可兑换的礼品', description: '看看其他分类吧' }}
        refetchOnShow
      >
        {({ rewards: list }) => (
          <View className='card mall__list'>
            {affordableFirst(list).map((r) => (
              <View key={r.id} className={`mall__item${r.affordable ? '' : ' mall__item--dim'}`} onClick={() => void Taro.navigateTo({ url: rewardDetailUrl(r.id) })}>
                <Picture src={r.imageUrl} name={r.brandName ?? r.name} tone={r.kind} />
                <View className='mall__body'>
                  <Text className='mall__name'>{r.name}</Text>
                  {r.brandName ? <Text className='muted mall__brand'>{r.brandName}</Text> : null}
                  <RewardFacts reward={r} tierRank={tierRank} />
                </View>
              </View>
            ))}
          </View>
        )}
      </PageShell>
    </View>
  );
}

/** The API already orders affordable rewards first; keep that order stable if it ever does not. */
function affordableFirst(list: readonly Reward[]): Reward[] {
  return [...list.filter((r) => r.affordable), ...list.filter((r) => !r.affordable)];
}
