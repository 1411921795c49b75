import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { isLowRating, RATING_COMMENT_MAX, ratingInputProblem, starsText } from '@quanzi/shared';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { rateOperation, useMyRatings, usePendingRatings, type PendingRating } from '../../state/ratings';
import { formatDateTime } from '../../utils/format';
import './index.css';

const STAR_WORDS = ['', '非常不满意', '不满意', '一般', '满意', '非常满意'];

/** The rating sheet for one service: 1–5 stars, an optional comment, one tap to send. */
export function RatingSheet({ item, onRated }: { item: PendingRating; onRated(): void }) {
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const problem = stars === 0 ? 'STARS' : ratingInputProblem(stars, comment);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await rateOperation(item.kind, item.operationId, stars, comment);
      void Taro.showToast({ title: r.pointsAwarded > 0 ? `感谢评价 +${r.pointsAwarded} 积分` : '感谢您的评价', icon: 'success' });
      onRated();
    } catch (e) {
      const err = toApiError(e);
      setError(err);
      // Rated elsewhere, or too late: the list is out of date.
      if (err.code === 'ALREADY_RATED' || err.code === 'RATING_CLOSED' || err.code === 'NOT_FOUND') onRated();
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className='card rating-sheet'>
      <Text className='rating-sheet__what'>{item.summary}</Text>
      <Text className='muted rating-sheet__meta'>{[item.storeName, formatDateTime(item.occurredAt), `${formatDateTime(item.closesAt)} 前可评价`].filter(Boolean).join(' · ')}</Text>
      <View className='rating-sheet__stars'>
        {[1, 2, 3, 4, 5].map((n) => (
          <Text key={n} className={`rating-sheet__star ${n <= stars ? 'rating-sheet__star--on' : ''}`} onClick={() => setStars(n)}>
            {n <= stars ? '★' : '☆'}
          </Text>
        ))}
        <Text className='muted rating-sheet__word'>{STAR_WORDS[stars]}</Text>
      </View>
      {stars > 0 ? (
        <>
          <Textarea
            className='rating-sheet__comment'
            value={comment}
            maxlength={RATING_COMMENT_MAX}
            placeholder={isLowRating(stars) ? '哪里让您不满意？店长会尽快联系您（选填）' : '说说您的感受（选填）'}
            onInput={(e) => setComment(e.detail.value)}
          />
          {problem === 'COMMENT_TOO_LONG' ? <Text className='rating-sheet__warn'>{`评语最多 ${RATING_COMMENT_MAX} 字`}</Text> : null}
        </>
      ) : null}
      <ErrorNotice error={error} />
      <Button type='primary' block loading={busy} disabled={problem !== null} onClick={() => void send()}>
        {item.bonusPoints > 0 ? `提交评价（得 ${item.bonusPoints} 积分）` : '提交评价'}
      </Button>
    </View>
  );
}

/** My past ratings and the average I give (the member's rating profile). */
function MyRatings({ refreshKey }: { refreshKey: number }) {
  const mine = useMyRatings();
  const { refetch } = mine;
  useEffect(() => {
    if (refreshKey > 0) void refetch();
  }, [refreshKey, refetch]);
  const d = mine.data;
  if (!d || d.myRatings.length === 0) return null;
  const s = d.me.ratingStats;
  return (
    <View className='card my-ratings'>
      <Text className='card__title'>我的评价</Text>
      <Text className='muted my-ratings__stats'>{`共 ${s.count} 次，平均 ${s.average ?? '-'} 星`}</Text>
      {d.myRatings.map((r) => (
        <View key={r.id} className='my-ratings__row'>
          <Text className='my-ratings__stars'>{starsText(r.stars)}</Text>
          <Text className='my-ratings__what'>{[r.summary, r.storeName].filter(Boolean).join(' · ')}</Text>
          {r.comment ? <Text className='muted my-ratings__comment'>{r.comment}</Text> : null}
        </View>
      ))}
    </View>
  );
}

/** Rate today's services (F11): every service of the last 24 hours not rated yet, and my past ratings. */
export default function RatePage() {
  const pending = usePendingRatings();
  const [rated, setRated] = useState(0);
  const onRated = () => {
    setRated((n) => n + 1);
    void pending.refetch();
  };
  return (
    <PageShell
      state={pending}
      loginHint='登录后评价您的服务体验'
      refetchOnShow
      isEmpty={(d) => d.myPendingRatings.length === 0 && rated === 0}
      empty={{ title: '暂无待评价的服务', description: '到店消费、付款、兑换或参加活动后 24 小时内可评价' }}
    >
      {({ myPendingRatings }) => (
        <View className='rate-page'>
          {myPendingRatings.length === 0 ? <Text className='muted rate-page__done'>全部评价完成，谢谢您的反馈！</Text> : null}
          {myPendingRatings.map((item) => (
            <RatingSheet key={`${item.kind}:${item.operationId}`} item={item} onRated={onRated} />
          ))}
          <MyRatings refreshKey={rated} />
        </View>
      )}
    </PageShell>
  );
}
