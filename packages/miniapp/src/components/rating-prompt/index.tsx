import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { PendingRating } from '../../state/ratings';
import './index.css';

/**
 * A one-line invitation to rate today's services (F11), on the points page where a member looks after a purchase.
 * Shows nothing when nothing is open for rating (or when the list failed to load): it must never get in the way.
 */
export function RatingPrompt({ items }: { items: readonly PendingRating[] | null | undefined }) {
  if (!items || items.length === 0) return null;
  const first = items[0];
  const bonus = first?.bonusPoints ?? 0;
  return (
    <View className='card rating-prompt' onClick={() => void Taro.navigateTo({ url: '/member/rate/index' })}>
      <View className='rating-prompt__main'>
        <Text className='rating-prompt__title'>{items.length === 1 ? `评价一下：${first?.summary ?? ''}` : `${items.length} 次服务待评价`}</Text>
        <Text className='muted rating-prompt__hint'>{bonus > 0 ? `24 小时内可评价，每次评价得 ${bonus} 积分` : '24 小时内可评价，您的反馈会直达店长'}</Text>
      </View>
      <Text className='rating-prompt__go'>去评价 ›</Text>
    </View>
  );
}
