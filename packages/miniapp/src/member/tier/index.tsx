import { Text, View } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import { PageShell } from '../../components/page-shell';
import { TierProgress } from '../../components/tier-progress';
import { useMe, useTiers } from '../../state/member';
import { yuan } from '../../utils/format';
import './index.css';

/** Tier progress (PRODUCT F1: "spend ¥X more to reach Gold") and every tier's threshold and multiplier. */
export default function TierPage() {
  const me = useMe();
  const tiers = useTiers();
  const both = {
    data: me.data && tiers.data ? { me: me.data.me, tiers: [...tiers.data.tiers].sort((a, b) => a.rank - b.rank) } : null,
    error: me.error ?? tiers.error,
    loading: me.loading || tiers.loading,
    refetch: () => Promise.all([me.refetch(), tiers.refetch()]).then(() => undefined),
  };
  return (
    <PageShell state={both} loginHint='登录后查看你的会员等级'>
      {({ me: m, tiers: list }) => {
        const next = m.nextTier ? list.find((t) => t.code === m.nextTier?.code) : null;
        return (
          <View className='tier-page'>
            <View className='card'>
              <View className='row'>
                <Text className='card__title'>{`当前等级：${m.tier.name}`}</Text>
                <Tag type='warning'>{`积分 ×${m.tier.multiplierPct / 100}`}</Tag>
              </View>
              <TierProgress member={m} nextThresholdFen={next?.thresholdFen ?? null} />
              <Text className='muted tier-page__note'>等级按近 12 个月累计消费评定，升级立即生效。</Text>
            </View>
            <View className='card'>
              <Text className='card__title'>全部等级</Text>
              {list.map((t) => (
                <View key={t.id} className={`row tier-page__tier${t.id === m.tier.id ? ' tier-page__tier--current' : ''}`}>
                  <Text>{t.name}</Text>
                  <Text className='muted'>{t.thresholdFen > 0 ? `年消费满 ¥${yuan(t.thresholdFen)}` : '注册即得'}</Text>
                  <Text>{`积分 ×${t.multiplierPct / 100}`}</Text>
                </View>
              ))}
            </View>
          </View>
        );
      }}
    </PageShell>
  );
}
