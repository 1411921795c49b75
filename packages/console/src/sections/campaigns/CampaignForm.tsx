import { Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { MAX_HOLDOUT_PCT } from '@quanzi/shared';
import { useGql } from '../../api/use-gql';
import { defaultScopeKey, scopeArgs, scopeOptions } from '../../dashboard/scope-pick';
import { CouponTemplatesDocument, type CampaignOfferKind, type CreateCampaignInput, type TargetedCampaignFieldsFragment } from '../../graphql/generated';
import { useScope } from '../../scope';
import { beijingToIso, fromCondition, isoToBeijing, segmentError, toConditionInput, type ConditionDraft } from './model';
import { SegmentBuilder } from './SegmentBuilder';

export interface CampaignDraft {
  name: string;
  scopeKey: string;
  conditions: ConditionDraft[];
  offerKind: CampaignOfferKind;
  couponTemplateId: string | null;
  multiplierPct: number | null;
  multiplierDays: number | null;
  sms: boolean;
  /** Beijing wall clock, as picked */
  start: Dayjs | null;
  holdoutPct: number | null;
  responseDays: number | null;
  message: string;
}

const int = (v: number | null, min: number, max: number) => v != null && Number.isSafeInteger(v) && v >= min && v <= max;

/** Field → Chinese message where the draft breaks the API's rules (createCampaign / updateCampaign). */
export function campaignErrors(d: CampaignDraft): Partial<Record<keyof CampaignDraft, string>> {
  const out: Partial<Record<keyof CampaignDraft, string>> = {};
  const name = (d.name ?? '').trim();
  if ([...name].length < 1 || [...name].length > 64) out.name = '名称为 1–64 个字';
  if ([...(d.message ?? '').trim()].length > 200) out.message = '消息最多 200 个字';
  const seg = segmentError(d.conditions ?? []);
  if (seg) out.conditions = seg;
  if (d.offerKind === 'COUPON' && !d.couponTemplateId) out.couponTemplateId = '请选择优惠券';
  if (d.offerKind === 'MULTIPLIER') {
    if (!int(d.multiplierPct, 101, 1000)) out.multiplierPct = '倍数为 101–1000%（200 = 双倍积分）';
    if (!int(d.multiplierDays, 1, 90)) out.multiplierDays = '持续 1–90 天';
  }
  if (!d.start) out.start = '请选择开始时间（北京时间）';
  if (!int(d.holdoutPct, 0, MAX_HOLDOUT_PCT)) out.holdoutPct = `对照组比例为 0–${MAX_HOLDOUT_PCT}%`;
  if (!int(d.responseDays, 1, 90)) out.responseDays = '观察期为 1–90 天';
  return out;
}

const startIso = (d: Dayjs) => beijingToIso({ year: d.year(), month: d.month(), day: d.date(), hour: d.hour(), minute: d.minute() });
const startWall = (iso: string) => {
  const w = isoToBeijing(iso);
  return dayjs(new Date(w.year, w.month, w.day, w.hour, w.minute));
};

/** What createCampaign takes (the scope included); updateCampaign takes the same minus the scope. */
export function campaignInput(d: CampaignDraft): CreateCampaignInput {
  const { regionId, storeId } = scopeArgs(d.scopeKey);
  const coupon = d.offerKind === 'COUPON';
  return {
    name: d.name.trim(),
    scopeRegionId: regionId,
    scopeStoreId: storeId,
    conditions: d.conditions.map(toConditionInput),
    couponTemplateId: coupon ? d.couponTemplateId : null,
    multiplierPct: coupon ? null : d.multiplierPct,
    multiplierDays: coupon ? null : d.multiplierDays,
    sms: d.sms,
    startsAt: d.start ? startIso(d.start) : '',
    holdoutPct: d.holdoutPct,
    responseDays: d.responseDays,
    message: d.message.trim() || null,
  };
}

function draftOf(c: TargetedCampaignFieldsFragment | undefined, scopeKey: string): CampaignDraft {
  if (!c) return { name: '', scopeKey, conditions: [], offerKind: 'COUPON', couponTemplateId: null, multiplierPct: 200, multiplierDays: 7, sms: false, start: null, holdoutPct: 10, responseDays: 14, message: '' };
  return {
    name: c.name,
    scopeKey: c.scopeStoreId ? `s:${c.scopeStoreId}` : c.scopeRegionId ? `r:${c.scopeRegionId}` : 'hq',
    conditions: c.conditions.map((x) => fromCondition(x as never)),
    offerKind: c.offerKind,
    couponTemplateId: c.couponTemplateId ?? null,
    multiplierPct: c.multiplierPct ?? 200,
    multiplierDays: c.multiplierDays ?? 7,
    sms: c.sms,
    start: startWall(c.startsAt as string),
    holdoutPct: c.holdoutPct,
    responseDays: c.responseDays,
    message: c.message ?? '',
  };
}

/** The campaign form: name, scope (within managerScope; fixed once created), segment, offer, channels, start, holdout. */
export function CampaignForm({ initial, onSubmit }: { initial?: TargetedCampaignFieldsFragment; onSubmit: (d: CampaignDraft) => Promise<void> }) {
  const scope = useScope();
  const [form] = Form.useForm<CampaignDraft>();
  const templates = useGql(CouponTemplatesDocument, { activeOnly: true });
  const scopeKey = Form.useWatch('scopeKey', form) ?? draftOf(initial, defaultScopeKey(scope)).scopeKey;
  const offerKind = Form.useWatch('offerKind', form) ?? initial?.offerKind ?? 'COUPON';
  const { regionId, storeId } = scopeArgs(scopeKey);
  const check = (field: keyof CampaignDraft) => ({
    validator: async () => {
      const m = campaignErrors(form.getFieldsValue(true) as CampaignDraft)[field];
      if (m) throw new Error(m);
    },
  });
  return (
    <Form form={form} layout="vertical" initialValues={draftOf(initial, defaultScopeKey(scope))} onFinish={() => onSubmit(form.getFieldsValue(true) as CampaignDraft)} data-testid="campaign-form">
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="name" label="活动名称" rules={[check('name')]}>
            <Input placeholder="例如：沉睡会员唤醒" maxLength={64} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="scopeKey" label="范围">
            <Select disabled={!!initial} options={scopeOptions(scope)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="conditions" rules={[check('conditions')]}>
        <SegmentBuilder value={[]} onChange={() => {}} regionId={regionId} storeId={storeId} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="offerKind" label="权益">
            <Radio.Group options={[{ value: 'COUPON', label: '优惠券' }, { value: 'MULTIPLIER', label: '积分倍数' }]} />
          </Form.Item>
        </Col>
        {offerKind === 'COUPON' ? (
          <Col span={16}>
            <Form.Item name="couponTemplateId" label="优惠券（每位处理组会员一张）" rules={[check('couponTemplateId')]}>
              <Select placeholder="选择优惠券" loading={templates.loading} options={(templates.data?.couponTemplates ?? []).map((t) => ({ value: t.id, label: `${t.name}（剩余 ${t.remaining}）` }))} />
            </Form.Item>
          </Col>
        ) : (
          <>
            <Col span={8}>
              <Form.Item name="multiplierPct" label="积分倍数（%，200 = 双倍）" rules={[check('multiplierPct')]}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="multiplierDays" label="持续天数" rules={[check('multiplierDays')]}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="start" label="开始时间（北京时间）" rules={[check('start')]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item name="holdoutPct" label="对照组（%）" rules={[check('holdoutPct')]}>
            <InputNumber style={{ width: '100%' }} aria-label="对照组（%）" />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item name="responseDays" label="观察期（天）" rules={[check('responseDays')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="sms" label="渠道：站内消息 + 短信" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="message" label="消息内容（留空按权益自动生成）" rules={[check('message')]}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {initial ? '保存草稿' : '创建草稿'}
      </Button>
    </Form>
  );
}
