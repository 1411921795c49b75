import { Button, Col, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { DEFAULT_REWARD_PROVIDER, FACE_VALUES_YUAN, FUEL_BRANDS, MOBILE_OPERATORS, REWARD_PROVIDER_IDS, REWARD_PROVIDERS } from '@quanzi/shared';
import type { RewardFieldsFragment } from '../../graphql/generated';
import type { Scope } from '../../scope';
import { rewardErrors, type ManagedRewardKind, type RewardDraft, type RewardField } from '../../validation-rewards';
import { beijingDate, fromBeijingDate, untilFromBeijingDate, untilToBeijingDate } from '../coupons/labels';

export const MANAGED_KIND_ZH: Record<ManagedRewardKind, string> = { MOBILE_TOPUP: '话费充值', FUEL_CARD: '加油卡', OWN_PRODUCT: '自有商品' };

/**
 * What the form holds: a RewardDraft with the window as Beijing calendar days (YYYY-MM-DD): on sale from the start of
 * `startDay`, until the end of `endDay` (inclusive).
 */
type Values = Omit<RewardDraft, 'startsAt' | 'endsAt'> & { startDay?: string; endDay?: string };

export function toRewardDraft(v: Values): RewardDraft {
  const { startDay, endDay, ...rest } = v;
  return { ...rest, startsAt: startDay ? fromBeijingDate(startDay) : null, endsAt: endDay ? untilFromBeijingDate(endDay) : null };
}

/** The form's values for a stored reward (editing). */
export function rewardValues(r: RewardFieldsFragment): Values {
  return {
    kind: r.kind as ManagedRewardKind,
    name: r.name,
    description: r.description,
    imageUrl: r.imageUrl,
    pointsPrice: r.pointsPrice,
    costYuan: r.costFen == null ? null : r.costFen / 100,
    limitPerDay: r.limitPerDay,
    limitPerMonth: r.limitPerMonth,
    minTierCode: r.minTier?.code ?? null,
    startDay: r.startsAt ? beijingDate(r.startsAt) : undefined,
    endDay: r.endsAt ? untilToBeijingDate(r.endsAt) : undefined,
    active: r.active,
    partnerId: r.partner?.id ?? null,
    faceValueYuan: r.faceValueFen == null ? null : r.faceValueFen / 100,
    brand: r.brand,
    provider: r.provider ?? null,
    cashYuan: r.cashFen / 100,
    voucherValidDays: r.voucherValidDays,
    storeIds: r.storeIds ?? [],
  };
}

interface Props {
  scope: Scope;
  partners: { id: string; name: string }[];
  tiers: { code: string; name: string }[];
  initial?: RewardFieldsFragment;
  onSubmit: (d: RewardDraft) => Promise<void>;
}

/**
 * A top-up, fuel card or own product: kind (fixed once created) and its fields — face value, operator/fuel company and
 * partner and provider adapter, or voucher validity, stores and cash part — points price, cost, stock (create only),
 * limits, minimum tier, first and last day on sale (Beijing time), description, image, on sale. The checks are the
 * API's (`rewardErrors`).
 */
export function RewardForm({ scope, partners, tiers, initial, onSubmit }: Props) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const editing = !!initial;
  const check = (field: RewardField) => ({
    validator: async () => {
      const m = rewardErrors(toRewardDraft(form.getFieldsValue(true) as Values), { creating: !editing })[field];
      if (m) throw new Error(m);
    },
  });
  const provider = kind === 'MOBILE_TOPUP' || kind === 'FUEL_CARD';
  const brands = kind === 'MOBILE_TOPUP' ? MOBILE_OPERATORS : FUEL_BRANDS;
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="reward-form"
      initialValues={initial ? rewardValues(initial) : { kind: 'OWN_PRODUCT', active: true, storeIds: [] }}
      onFinish={() => onSubmit(toRewardDraft(form.getFieldsValue(true) as Values))}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="kind" label="类别（创建后不可改）" rules={[check('kind')]}>
            <Select disabled={editing} options={Object.entries(MANAGED_KIND_ZH).map(([value, label]) => ({ value, label }))} onChange={() => form.setFieldsValue({ brand: null, faceValueYuan: null, partnerId: null, provider: null })} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="name" label="名称" rules={[check('name')]}>
            <Input placeholder="礼品名称" />
          </Form.Item>
        </Col>
      </Row>
      {provider ? (
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item name="brand" label={kind === 'MOBILE_TOPUP' ? '运营商' : '石油公司'} rules={[check('brand')]}>
              <Select options={Object.entries(brands).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="faceValueYuan" label="面值" rules={[check('faceValueYuan')]}>
              <Select options={FACE_VALUES_YUAN[kind as 'MOBILE_TOPUP' | 'FUEL_CARD'].map((y) => ({ value: y, label: `¥${y}` }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="partnerId" label="合作方" rules={[check('partnerId')]}>
              <Select options={partners.map((p) => ({ value: p.id, label: p.name }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="provider" label="发放渠道（留空默认）" rules={[check('provider')]}>
              <Select allowClear data-testid="reward-provider" placeholder={REWARD_PROVIDERS[DEFAULT_REWARD_PROVIDER]} options={REWARD_PROVIDER_IDS.map((id) => ({ value: id, label: REWARD_PROVIDERS[id] }))} />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="voucherValidDays" label="兑换券有效天数（留空不过期）" rules={[check('voucherValidDays')]}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="cashYuan" label="到店加付现金（元）" rules={[check('cashYuan')]}>
              <InputNumber style={{ width: '100%' }} placeholder="0" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="storeIds" label="可核销门店（不选 = 全部）" rules={[check('storeIds')]}>
              <Select mode="multiple" allowClear options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} placeholder="全部门店" />
            </Form.Item>
          </Col>
        </Row>
      )}
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="pointsPrice" label="积分价格" rules={[check('pointsPrice')]}>
            <InputNumber style={{ width: '100%' }} placeholder="1000" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="costYuan" label="单件成本（元）" rules={[check('costYuan')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          {!editing && (
            <Form.Item name="stock" label="初始库存" rules={[check('stock')]}>
              <InputNumber style={{ width: '100%' }} placeholder="100" />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="limitPerDay" label="每人每日限兑（留空不限）" rules={[check('limitPerDay')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="limitPerMonth" label="每人每月限兑（留空不限）" rules={[check('limitPerMonth')]} dependencies={['limitPerDay']}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="minTierCode" label="最低会员等级">
            <Select allowClear placeholder="所有会员" options={tiers.map((t) => ({ value: t.code, label: t.name }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="startDay" label="开始兑换日（北京时间；留空立即）" rules={[check('startsAt')]}>
            <Input type="date" data-testid="reward-start" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="endDay" label="最后兑换日（含，北京时间；留空长期）" rules={[check('endsAt')]} dependencies={['startDay']}>
            <Input type="date" data-testid="reward-end" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="imageUrl" label="图片地址（https）" rules={[check('imageUrl')]}>
            <Input placeholder="https://" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label="说明" rules={[check('description')]}>
        <Input.TextArea rows={2} placeholder="兑换说明（可选）" />
      </Form.Item>
      <Form.Item name="active" label="上架" valuePropName="checked">
        <Switch />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {editing ? '保存修改' : '创建礼品'}
      </Button>
    </Form>
  );
}

