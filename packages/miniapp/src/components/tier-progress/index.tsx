import { Text, View } from '@tarojs/components';
import { Progress } from '@nutui/nutui-react-taro';
import { yuan } from '../../utils/format';
import type { Member } from '../../state/member';
import './index.css';

/** "再消费 ¥X 升级金卡", or the top-tier line. `thresholdFen` of the next tier gives the bar's scale when known. */
export function tierProgressText(member: Pick<Member, 'nextTier' | 'tier'>): string {
  if (!member.nextTier) return `您已是最高等级 ${member.tier.name}`;
  return `再消费 ¥${yuan(member.nextTier.spendNeeded)} 升级${member.nextTier.name}`;
}

export function TierProgress({ member, nextThresholdFen }: { member: Pick<Member, 'nextTier' | 'tier'>; nextThresholdFen?: number | null }) {
  const next = member.nextTier;
  let percent = 100;
  if (next && nextThresholdFen && nextThresholdFen > member.tier.thresholdFen) {
    const span = nextThresholdFen - member.tier.thresholdFen;
    percent = Math.max(0, Math.min(100, Math.round(((span - next.spendNeeded) / span) * 100)));
  } else if (next) {
    percent = 0;
  }
  return (
    <View className='tier-progress'>
      <Text className='tier-progress__text'>{tierProgressText(member)}</Text>
      {next && nextThresholdFen ? <Progress percent={percent} color='#c8102e' strokeWidth='6' /> : null}
    </View>
  );
}
