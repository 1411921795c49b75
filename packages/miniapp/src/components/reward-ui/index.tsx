import { Text, View } from '@tarojs/components';
import { limitText, priceText, redemptionStatusLabel, tierLocked, type Redemption, type Reward } from '../../state/rewards';
import { yuan } from '../../utils/format';
import './index.css';

/** Price, stock, limits and the tier lock of a reward (mall rows and the detail page). */
export function RewardFacts({ reward: r, tierRank }: { reward: Reward; tierRank: number | null }) {
  const limits = limitText(r);
  const locked = tierLocked(r, tierRank);
  return (
    <View className='reward-facts'>
      <Text className='reward-facts__price'>{priceText(r, yuan)}</Text>
      <View className='reward-facts__tags'>
        {r.affordable ? <Text className='reward-tag reward-tag--ok'>积分够</Text> : null}
        {r.inStock ? <Text className='reward-tag'>{`剩余 ${r.stock}`}</Text> : <Text className='reward-tag reward-tag--out'>已兑完</Text>}
        {limits ? <Text className='reward-tag'>{limits}</Text> : null}
        {r.minTier ? (
          <Text className={`reward-tag${locked ? ' reward-tag--lock' : ''}`}>{locked ? `🔒 ${r.minTier.name}及以上可兑` : `${r.minTier.name}专享`}</Text>
        ) : null}
      </View>
    </View>
  );
}

export function RedemptionStatusTag({ status }: { status: Redemption['status'] }) {
  return <Text className={`redemption-status redemption-status--${status.toLowerCase()}`}>{redemptionStatusLabel[status] ?? '处理中'}</Text>;
}
