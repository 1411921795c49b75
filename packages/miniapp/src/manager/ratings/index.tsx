import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { RATING_NOTE_MAX, starsText } from '@quanzi/shared';
import type { RatingFollowUp } from '@quanzi/shared/graphql';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, StatusView } from '../../components/page-shell';
import { askSubscribe, useSubscribeTemplates } from '../../state/club';
import { CAN_SUBSCRIBE } from '../../utils/subscribe';
import { acknowledgeRating, LOW_RATINGS_PAGE, resolveRating, useLowRatings, useServiceRating, type LowRating } from '../../state/ratings';
import { formatDateTime } from '../../utils/format';
import './index.css';

const TABS: { key: RatingFollowUp; label: string }[] = [
  { key: 'OPEN', label: '待处理' },
  { key: 'ACKNOWLEDGED', label: '处理中' },
  { key: 'RESOLVED', label: '已解决' },
];

/** One low rating: what, where, who served, the comment, the member's rating profile; acknowledge or resolve. */
export function LowRatingCard({ r, onChanged, onTap }: { r: LowRating; onChanged(): void; onTap?(): void }) {
  const [note, setNote] = useState('');
  const [resolving, setResolving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    onTap?.(); // inside the tap: WeChat only asks for subscribe consent then
    setBusy(true);
    setError(null);
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'success' });
      onChanged();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const open = r.followUp === 'OPEN' || r.followUp === 'ACKNOWLEDGED';
  return (
    <View className='card low-rating'>
      <View className='low-rating__head'>
        <Text className='low-rating__stars'>{starsText(r.stars)}</Text>
        <Text className='muted low-rating__when'>{formatDateTime(r.createdAt)}</Text>
      </View>
      <Text className='low-rating__what'>{[r.storeName ?? '总部（线上）', r.summary].join(' · ')}</Text>
      <Text className='muted low-rating__line'>{`服务人员：${r.staffName ?? '未记录'} · 会员 ${r.memberNo}（共评价 ${r.memberRatings} 次，平均 ${r.memberAverage ?? '-'} 星）`}</Text>
      <Text className='low-rating__comment'>{r.comment ? `“${r.comment}”` : '（未填写评语）'}</Text>
      {r.resolutionNote ? <Text className='low-rating__note'>{`处理结果：${r.resolutionNote}`}</Text> : null}
      <ErrorNotice error={error} />
      {open && resolving ? (
        <>
          <Textarea className='low-rating__input' value={note} maxlength={RATING_NOTE_MAX} placeholder='如何处理的？如：已致电会员致歉并退还差价' onInput={(e) => setNote(e.detail.value)} />
          <View className='low-rating__actions'>
            <Button size='small' fill='outline' onClick={() => setResolving(false)}>
              取消
            </Button>
            <Button size='small' type='primary' loading={busy} disabled={!note.trim()} onClick={() => void act(() => resolveRating(r.id, note), '已解决')}>
              确认解决
            </Button>
          </View>
        </>
      ) : open ? (
        <View className='low-rating__actions'>
          {r.followUp === 'OPEN' ? (
            <Button size='small' fill='outline' loading={busy} onClick={() => void act(() => acknowledgeRating(r.id), '已知悉')}>
              知悉跟进
            </Button>
          ) : null}
          <Button size='small' type='primary' onClick={() => setResolving(true)}>
            解决
          </Button>
        </View>
      ) : null}
    </View>
  );
}

/** Managers: the 1–2 star service ratings in their scope (F11), by follow-up; the RATING_LOW notice opens here. */
export default function LowRatingsPage() {
  const [tab, setTab] = useState<RatingFollowUp>('OPEN');
  const [offset, setOffset] = useState(0);
  const list = useLowRatings(tab, offset);
  const linked = useServiceRating(useRouter()?.params?.id ?? null);
  const templates = useSubscribeTemplates();
  // Each acceptance of RATING_ALERT is worth one WeChat message: following a low rating up re-arms the next alert.
  const armAlert = () => void askSubscribe(templates.data?.subscribeTemplates, ['RATING_ALERT']);
  const changed = () => {
    void list.refetch();
    void linked.refetch();
  };
  const pick = (t: RatingFollowUp) => {
    setTab(t);
    setOffset(0);
  };
  return (
    <PageShell state={list} loginHint='登录后处理差评' refetchOnShow>
      {({ serviceRatings }) => (
        <View className='low-ratings'>
          {linked.data ? (
            <View className='low-ratings__linked'>
              <Text className='muted low-ratings__total'>来自差评提醒</Text>
              <LowRatingCard r={linked.data.serviceRating} onChanged={changed} onTap={armAlert} />
            </View>
          ) : (
            <ErrorNotice error={linked.error} />
          )}
          {CAN_SUBSCRIBE ? (
            <Text className='low-ratings__subscribe' onClick={armAlert}>
              有新差评时微信通知我 ›
            </Text>
          ) : null}
          <View className='low-ratings__tabs'>
            {TABS.map((t) => (
              <Text key={t.key} className={`low-ratings__tab ${t.key === tab ? 'low-ratings__tab--on' : ''}`} onClick={() => pick(t.key)}>
                {t.label}
              </Text>
            ))}
          </View>
          {serviceRatings.items.length === 0 ? (
            <StatusView kind='empty' title={tab === 'OPEN' ? '没有待处理的差评' : '暂无记录'} description='显示近 30 天内您管辖门店的 1–2 星评价' />
          ) : (
            <Text className='muted low-ratings__total'>{`共 ${serviceRatings.total} 条`}</Text>
          )}
          {serviceRatings.items.map((r) => (
            <LowRatingCard key={r.id} r={r} onChanged={changed} onTap={armAlert} />
          ))}
          <View className='low-ratings__pager'>
            {offset > 0 ? <Text className='low-ratings__page' onClick={() => setOffset(Math.max(0, offset - LOW_RATINGS_PAGE))}>‹ 上一页</Text> : null}
            {offset + serviceRatings.items.length < serviceRatings.total ? (
              <Text className='low-ratings__page' onClick={() => setOffset(offset + LOW_RATINGS_PAGE)}>下一页 ›</Text>
            ) : null}
          </View>
        </View>
      )}
    </PageShell>
  );
}
