import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ClubEventQuery, CreateEventInput } from '@quanzi/shared/graphql';
import { toApiError, type ApiError } from '../../api/errors';
import { ErrorNotice, PageShell } from '../../components/page-shell';
import { createEvent, eventUrl, parseLocalDateTime, publishEvent, updateEvent, useClubEvent } from '../../state/club';
import { formatDateTime } from '../../utils/format';
import '../../components/club-ui/index.css';

type Event = ClubEventQuery['event'];

/**
 * Organizers: create (`?clubId=`) or edit (`?id=`) an event — title, description, times, place, capacity, points
 * cost/reward, RSVP deadline — then save as a draft or publish. Times are typed as "2026-12-01 19:30" (Beijing time).
 */
export default function EventEditPage() {
  const params = useRouter()?.params ?? {};
  const id = params.id ?? null;
  const event = useClubEvent(id);
  if (!id) {
    return params.clubId ? <EventForm clubId={params.clubId} event={null} /> : <PageShell state={{ data: null, error: null, loading: false }} empty={{ title: '缺少圈子参数' }}>{() => null}</PageShell>;
  }
  return (
    <PageShell state={event} loginHint='登录后编辑活动' empty={{ title: '找不到这个活动' }}>
      {({ event: e }) => <EventForm clubId={e.clubId} event={e} />}
    </PageShell>
  );
}

interface Form {
  title: string;
  description: string;
  address: string;
  startsAt: string;
  endsAt: string;
  rsvpDeadline: string;
  capacity: string;
  pointsCost: string;
  pointsReward: string;
  allowWalkIns: boolean;
}

function initial(e: Event | null): Form {
  return {
    title: e?.title ?? '',
    description: e?.description ?? '',
    address: e?.address ?? '',
    startsAt: e ? formatDateTime(e.startsAt) : '',
    endsAt: e ? formatDateTime(e.endsAt) : '',
    rsvpDeadline: e?.rsvpDeadline ? formatDateTime(e.rsvpDeadline) : '',
    capacity: e ? String(e.capacity) : '',
    pointsCost: e ? String(e.pointsCost) : '0',
    pointsReward: e ? String(e.pointsReward) : '0',
    allowWalkIns: e?.allowWalkIns ?? false,
  };
}

const wholeNumber = (s: string) => (/^\d{1,7}$/.test(s.trim()) ? Number(s.trim()) : null);

/** The form's input, or the first problem with it (in Chinese). */
export function validateEventForm(f: Form): { ok: true; input: Omit<CreateEventInput, 'clubId'> } | { ok: false; problem: string } {
  if (!f.title.trim()) return { ok: false, problem: '请填写活动标题' };
  if (!f.address.trim()) return { ok: false, problem: '请填写活动地点' };
  const startsAt = parseLocalDateTime(f.startsAt);
  const endsAt = parseLocalDateTime(f.endsAt);
  if (!startsAt || !endsAt) return { ok: false, problem: '时间格式应为 2026-12-01 19:30' };
  if (Date.parse(endsAt) <= Date.parse(startsAt)) return { ok: false, problem: '结束时间应晚于开始时间' };
  const rsvpDeadline = f.rsvpDeadline.trim() ? parseLocalDateTime(f.rsvpDeadline) : null;
  if (f.rsvpDeadline.trim() && !rsvpDeadline) return { ok: false, problem: '报名截止时间格式应为 2026-12-01 19:30' };
  if (rsvpDeadline && Date.parse(rsvpDeadline) > Date.parse(startsAt)) return { ok: false, problem: '报名截止时间不能晚于开始时间' };
  const capacity = wholeNumber(f.capacity);
  if (!capacity) return { ok: false, problem: '请填写名额（正整数）' };
  const pointsCost = wholeNumber(f.pointsCost || '0');
  const pointsReward = wholeNumber(f.pointsReward || '0');
  if (pointsCost === null || pointsReward === null) return { ok: false, problem: '积分应为不小于 0 的整数' };
  return {
    ok: true,
    input: {
      title: f.title.trim(),
      description: f.description.trim(),
      address: f.address.trim(),
      startsAt,
      endsAt,
      rsvpDeadline,
      capacity,
      pointsCost,
      pointsReward,
      allowWalkIns: f.allowWalkIns,
    },
  };
}

function EventForm({ clubId, event }: { clubId: string; event: Event | null }) {
  const [f, setF] = useState<Form>(() => initial(event));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (k: keyof Form) => (e: { detail: { value: string } }) => {
    setF((s) => ({ ...s, [k]: e.detail.value }));
    setProblem(null);
    setError(null);
  };
  const published = event?.status === 'PUBLISHED';

  const save = async (publish: boolean) => {
    const v = validateEventForm(f);
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

  const field = (k: keyof Form, label: string, placeholder: string, type: 'text' | 'number' = 'text') => (
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
      {field('startsAt', '开始时间', '2026-12-01 19:30')}
      {field('endsAt', '结束时间', '2026-12-01 21:30')}
      {field('rsvpDeadline', '报名截止（可选，默认开始时）', '2026-12-01 12:00')}
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
