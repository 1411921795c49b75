import { useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, InputNumber, Select, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { categoryCodes } from '@quanzi/shared';
import { TiersDocument } from '@quanzi/shared/graphql';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { categoryZh } from '../../format';
import { PreviewSegmentDocument, type SegmentField } from '../../graphql/generated';
import { useScope } from '../../scope';
import { AGE_BAND_ZH, FIELD_ZH, GENDER_ZH, newCondition, segmentError, STAGE_ZH, toConditionInput, type ConditionDraft } from './model';

const opts = (m: Record<string, string>) => Object.entries(m).map(([value, label]) => ({ value, label }));
const PREVIEW_DELAY_MS = 400;

/** One condition's editor: the properties of its kind only. */
function ConditionEditor({ c, onChange }: { c: ConditionDraft; onChange: (c: ConditionDraft) => void }) {
  const scope = useScope();
  const tiers = useGql(TiersDocument, {}, { skip: c.field !== 'TIER' });
  const set = (patch: Partial<ConditionDraft>) => onChange({ ...c, ...patch });
  const multi = (value: string[] | undefined, options: { value: string; label: string }[], key: keyof ConditionDraft, label: string) => (
    <Select mode="multiple" aria-label={label} placeholder={label} style={{ minWidth: 260 }} value={value ?? []} options={options} onChange={(v: string[]) => set({ [key]: v })} />
  );
  const num = (value: number | null | undefined, key: keyof ConditionDraft, label: string) => (
    <InputNumber aria-label={label} placeholder={label} value={value ?? null} onChange={(v) => set({ [key]: v })} style={{ width: 140 }} />
  );
  switch (c.field) {
    case 'GENDER':
      return multi(c.genders, opts(GENDER_ZH), 'genders', '性别');
    case 'AGE_BAND':
      return multi(c.ageBands, opts(AGE_BAND_ZH), 'ageBands', '年龄段');
    case 'LIFECYCLE':
      return multi(c.stages, opts(STAGE_ZH), 'stages', '阶段');
    case 'TIER':
      return multi(c.tierIds, (tiers.data?.tiers ?? []).map((t) => ({ value: t.id, label: t.name })), 'tierIds', '等级');
    case 'SPEND':
      return (
        <Space>
          近{num(c.days, 'days', '天数')}天 消费 {num(c.minYuan, 'minYuan', '最低（元）')} ～ {num(c.maxYuan, 'maxYuan', '最高（元）')}
        </Space>
      );
    case 'PREFERRED_CATEGORY':
      return (
        <Space>
          近{num(c.days, 'days', '天数')}天 最常消费{multi(c.categories, categoryCodes().map((v) => ({ value: v, label: categoryZh(v) })), 'categories', '品类')}
        </Space>
      );
    case 'LAST_PURCHASE':
      return (
        <Space>
          <DatePicker placeholder="不早于" value={c.after ? dayjs(c.after) : null} onChange={(d) => set({ after: d ? d.startOf('day').toISOString() : null })} />
          <DatePicker placeholder="早于" value={c.before ? dayjs(c.before) : null} onChange={(d) => set({ before: d ? d.startOf('day').toISOString() : null })} />
        </Space>
      );
    case 'DISTANCE':
      return (
        <Space>
          <Select aria-label="门店" placeholder="门店" style={{ minWidth: 180 }} value={c.storeId ?? undefined} options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} onChange={(v: string) => set({ storeId: v })} />
          {num(c.minKm, 'minKm', '最近（公里）')} ～ {num(c.maxKm, 'maxKm', '最远（公里）')} 公里
        </Space>
      );
  }
}

/**
 * The segment builder: an AND of conditions of the kinds `SegmentConditionInput` accepts, added and removed one by
 * one, with a live 预计人数 from `previewSegment` for the campaign's scope (asked once the segment is valid).
 */
export function SegmentBuilder({ value, onChange, regionId, storeId }: { value: ConditionDraft[]; onChange: (v: ConditionDraft[]) => void; regionId: string | null; storeId: string | null }) {
  const [adding, setAdding] = useState<SegmentField | null>(null);
  const [preview, setPreview] = useState<{ count: number | null; error: string | null; loading: boolean }>({ count: null, error: null, loading: false });
  const problem = segmentError(value);
  const key = JSON.stringify({ c: value.map(toConditionInput), regionId, storeId });
  useEffect(() => {
    if (problem) return setPreview({ count: null, error: null, loading: false });
    let live = true;
    setPreview((p) => ({ ...p, loading: true }));
    const t = setTimeout(() => {
      request(PreviewSegmentDocument, { conditions: value.map(toConditionInput), regionId, storeId })
        .then((d) => live && setPreview({ count: d.previewSegment.count, error: null, loading: false }))
        .catch((e) => live && setPreview({ count: null, error: errorZh(e), loading: false }));
    }, PREVIEW_DELAY_MS);
    return () => ((live = false), clearTimeout(t));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, problem]);
  return (
    <Card size="small" title="目标人群（同时满足以下全部条件）" data-testid="segment-builder" extra={<Statistic title="预计人数" value={preview.count ?? '—'} loading={preview.loading} styles={{ content: { fontSize: 18 } }} />}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {value.map((c, i) => (
          <Space key={i} wrap data-testid={`condition-${i}`}>
            <Typography.Text strong>{FIELD_ZH[c.field]}</Typography.Text>
            <ConditionEditor c={c} onChange={(n) => onChange(value.map((x, j) => (j === i ? n : x)))} />
            <Button size="small" danger onClick={() => onChange(value.filter((_, j) => j !== i))}>
              删除
            </Button>
          </Space>
        ))}
        <Space>
          <Select aria-label="条件类型" placeholder="条件类型" style={{ width: 160 }} value={adding} onChange={setAdding} options={opts(FIELD_ZH)} />
          <Button disabled={!adding || value.length >= 10} onClick={() => adding && (onChange([...value, newCondition(adding)]), setAdding(null))}>
            添加条件
          </Button>
        </Space>
        {problem && value.length > 0 && <Typography.Text type="warning">{problem}</Typography.Text>}
        {preview.error && <Alert type="error" title={preview.error} />}
        {!preview.loading && preview.count != null && <span data-testid="segment-count">预计 {preview.count} 人</span>}
      </Space>
    </Card>
  );
}
