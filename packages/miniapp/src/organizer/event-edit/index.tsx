import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Picker, Switch, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ClubEventQuery } from '@quanzi/shared/graphql';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell, READY } from '../../components/page-shell';
import { createEvent, eventUrl, publishEvent, updateEvent, useClubEvent } from '../../state/club';
import { deadlineAtTime, deadlineOnDate, initialEventForm, moveStart, validateEventForm, type EventForm as Form } from '../../state/event-form';
import { toBeijing, weekdayOf, type WallTime } from '../../utils/beijing-time';
import { clock } from '../../utils/clock';
import '../../components/club-ui/index.css';
import './index.css';

type Event = ClubEventQuery['event'];

/**
 * Organizers: create (`?clubId=`) or edit (`?id=`) an event — title, description, times, place, capacity, points
 * cost/reward, RSVP deadline — then save as a draft or publish. Times are picked (Taro's date and time pickers: native
 * on weapp, Taro's own popup on H5) in Beijing time whatever the phone's time zone, and sent as UTC instants.
 */
export default function EventEditPage() {
  const params = useRouter()?.params ?? {};
  const id = params.id ?? null;
  const event = useClubEvent(id);
  if (!id) {
    const clubId = params.clubId;
    return clubId ? (
      <PageShell state={READY}>{() => <EventForm clubId={clubId} event={null} />}</PageShell>
    ) : (
      <PageShell state={{ data: null, error: null, loading: false }} empty={{ title: '缺少圈子参数' }}>{() => null}</PageShell>
    );
  }
  return (
    <PageShell state={event} loginHint='登录后编辑活动' empty={{ title: '找不到这个活动' }}>
      {({ event: e }) => <EventForm clubId={e.clubId} event={e} />}
    </PageShell>
  );
}

function EventForm({ clubId, event }: { clubId: string; event: Event | null }) {
  const [f, setF] = useState<Form>(() => initialEventForm(event, clock.ms()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const update = (next: (s: Form) => Form) => {
    setF(next);
    setProblem(null);
    setError(null);
  };
  const set = (k: 'title' | 'description' | 'address' | 'capacity' | 'pointsCost' | 'pointsReward') => (e: { detail: { value: string } }) =>
    update((s) => ({ ...s, [k]: e.detail.value }));
  const published = event?.status === 'PUBLISHED';
  const today = toBeijing(clock.ms())?.date ?? '';

  const save = async (publish: boolean) => {
    const v = validateEventForm(f, clock.ms(), event);
    if (!v.ok) {
      setProblem(v.problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The cost is fixed once published: not sent then.
      const { pointsCost, ...rest } = v.input;
      let saved = event
        ? await updateEvent(event.id, published ? rest : { ...rest, pointsCost })
        : await createEvent({ clubId, ...v.input });
      if (publish && saved.status === 'DRAFT') saved = await publishEvent(saved.id);
      void Taro.showToast({ title: publish || published ? '已发布' : '已保存草稿', icon: 'success' });
      void Taro.redirectTo({ url: eventUrl(saved.id) }).catch(() => Taro.navigateTo({ url: eventUrl(saved.id) }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (k: 'title' | 'address' | 'capacity' | 'pointsCost' | 'pointsReward', label: string, placeholder: string, type: 'text' | 'number' = 'text') => (
    <View>
      <Text className='club-label'>{label}</Text>
      <Input className={`club-input event-edit__${k}`} type={type} value={String(f[k])} placeholder={placeholder} onInput={set(k)} />
    </View>
  );

  return (
    <View className='card event-edit'>
      {field('title', '标题', '如：周末咖啡品鉴会')}
      <Text className='club-label'>介绍</Text>
      <Textarea className='club-textarea event-edit__description' value={f.description} maxlength={500} placeholder='活动内容、注意事项' onInput={set('description')} />
      {field('address', '地点', '门店或详细地址')}
      <Text className='club-label'>开始时间（北京时间）</Text>
      <WhenPicker name='start' value={f.start} minDate={today} onChange={(w) => update((s) => moveStart(s, w))} />
      <Text className='club-label'>结束时间（北京时间）</Text>
      <WhenPicker name='end' value={f.end} minDate={today} onChange={(w) => update((s) => ({ ...s, end: w }))} />
      <View className='row club-label'>
        <Text>报名截止（可选，默认开始时截止）</Text>
        {f.deadline ? (
          <Text className='event-edit__deadline-clear' onClick={() => update((s) => ({ ...s, deadline: null }))}>
            清除
          </Text>
        ) : null}
      </View>
      <WhenPicker
        name='deadline'
        value={f.deadline}
        fallback={f.start}
        minDate={today}
        onDate={(date) => update((s) => ({ ...s, deadline: deadlineOnDate(s, date) }))}
        onTime={(time) => update((s) => ({ ...s, deadline: deadlineAtTime(s, time) }))}
      />
      {field('capacity', '名额', '如：20', 'number')}
      {published ? (
        <Text className='club-item__line'>{`报名消耗 ${f.pointsCost} 积分（发布后不可修改）`}</Text>
      ) : (
        field('pointsCost', '报名消耗积分', '0 为免费', 'number')
      )}
      {field('pointsReward', '签到奖励积分', '0 为无奖励', 'number')}
      <View className='row club-label'>
        <Text>允许现场报名签到</Text>
        <Switch checked={f.allowWalkIns} onChange={(e) => setF((s) => ({ ...s, allowWalkIns: e.detail.value }))} />
      </View>
      {problem ? <Text className='club-note event-edit__problem'>{problem}</Text> : null}
      <ErrorNotice error={error} />
      <View className='club-actions'>
        {published ? null : (
          <Button fill='outline' loading={busy} onClick={() => void save(false)}>
            保存草稿
          </Button>
        )}
        <Button type='primary' loading={busy} onClick={() => void save(true)}>
          {published ? '保存修改' : '保存并发布'}
        </Button>
      </View>
    </View>
  );
}

/**
 * A Beijing date and time as two pickers (mode="date", mode="time"). `value` null shows "未设置" (picking opens at
 * `fallback`). Either `onChange` (the whole wall time) or `onDate`/`onTime` (each part).
 */
function WhenPicker(props: {
  name: 'start' | 'end' | 'deadline';
  value: WallTime | null;
  fallback?: WallTime;
  minDate: string;
  onChange?: (w: WallTime) => void;
  onDate?: (date: string) => void;
  onTime?: (time: string) => void;
}) {
  const { name, value, minDate } = props;
  const shown = value ?? props.fallback ?? { date: minDate, time: '00:00' };
  // A saved time may lie before today (editing a running event): the picker's range must still include it.
  const start = shown.date < minDate ? shown.date : minDate;
  const onDate = props.onDate ?? ((date: string) => props.onChange?.({ ...shown, date }));
  const onTime = props.onTime ?? ((time: string) => props.onChange?.({ ...shown, time }));
  return (
    <View className='event-edit__when'>
      <Picker mode='date' className={`event-edit__when-date event-edit__${name}-date`} value={shown.date} start={start} onChange={(e) => onDate(e.detail.value)}>
        <View className='row club-input'>
          <Text className={value ? '' : 'muted'}>{value ? `${value.date} ${weekdayOf(value.date)}` : '未设置'}</Text>
          <Text className='muted'>▾</Text>
        </View>
      </Picker>
      <Picker mode='time' className={`event-edit__when-time event-edit__${name}-time`} value={shown.time} onChange={(e) => onTime(e.detail.value)}>
        <View className='row club-input'>
          <Text className={value ? '' : 'muted'}>{value ? value.time : '--:--'}</Text>
          <Text className='muted'>▾</Text>
        </View>
      </Picker>
    </View>
  );
}
