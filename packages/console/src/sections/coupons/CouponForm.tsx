import { Alert, Button, Col, Form, Input, InputNumber, Radio, Row, Select, Switch } from 'antd';
import type { CouponTemplateFieldsFragment } from '../../graphql/generated';
import type { Scope } from '../../scope';
import { couponErrors, type CouponDraft, type CouponField } from '../../validation-ops';
import { COUPON_KIND_ZH, beijingDate, fromBeijingDate, untilFromBeijingDate, untilToBeijingDate } from './labels';

/** What the form holds: a CouponDraft with the dates as Beijing calendar days (YYYY-MM-DD, the last day inclusive). */
type Values = Omit<CouponDraft, 'validFrom' | 'validUntil'> & { fromDay?: string; untilDay?: string };

export function toDraft(v: Values): CouponDraft {
  const { fromDay, untilDay, ...rest } = v;
  return { ...rest, validFrom: fromDay ? fromBeijingDate(fromDay) : null, validUntil: untilDay ? untilFromBeijingDate(untilDay) : null };
}

/** The form's values for a stored template (editing). */
export function valuesOf(t: CouponTemplateFieldsFragment): Values {
  return {
    kind: t.kind,
    name: t.name,
    description: t.description,
    amountOffYuan: t.amountOffFen == null ? null : t.amountOffFen / 100,
    percentOff: t.percentOff,
    giftName: t.giftName,
    minSpendYuan: t.minSpendFen / 100,
    scope: t.scopeStoreId ? 'STORE' : t.scopeRegionId ? 'REGION' : 'HQ',
    scopeId: t.scopeStoreId ?? t.scopeRegionId ?? null,
    storeIds: t.storeIds,
    regionIds: t.regionIds,
    validity: t.validDays != null ? 'DAYS' : 'DATES',
    validDays: t.validDays,
    fromDay: t.validFrom ? beijingDate(t.validFrom) : undefined,
    untilDay: t.validUntil ? untilToBeijingDate(t.validUntil) : undefined,
    limitPerMember: t.limitPerMember,
    budget: t.budget,
    pointsPrice: t.pointsPrice,
    welcome: t.welcome,
    active: t.active,
  };
}

/**
 * A coupon template: kind and its terms, minimum spend, scope (fixed once created) and the stores/regions inside it,
 * validity as N days from issue or fixed dates, per-member limit, budget (not below what was issued), points price,
 * welcome flag, active. The checks are the API's (`couponErrors`).
 */
export function CouponForm({ scope, initial, onSubmit }: { scope: Scope; initial?: CouponTemplateFieldsFragment; onSubmit: (d: CouponDraft) => Promise<void> }) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const tplScope = Form.useWatch('scope', form);
  const scopeId = Form.useWatch('scopeId', form);
  const validity = Form.useWatch('validity', form);
  const issued = initial?.issued ?? 0;
  const check = (field: CouponField) => ({
    validator: async () => {
      const m = couponErrors(toDraft(form.getFieldsValue(true) as Values), issued)[field];
      if (m) throw new Error(m);
    },
  });
  const scopes = (['HQ', 'REGION', 'STORE'] as const).filter((s) => (s === 'HQ' ? scope.hq : s === 'REGION' ? scope.regions.length > 0 : scope.stores.length > 0));
  const storeOptions = scope.stores
    .filter((s) => tplScope === 'HQ' || (tplScope === 'REGION' && s.regionId === scopeId) || (tplScope === 'STORE' && s.id === scopeId))
    .map((s) => ({ value: s.id, label: s.name }));
  const regionOptions = tplScope === 'STORE' ? [] : scope.regions.filter((r) => tplScope === 'HQ' || r.id === scopeId).map((r) => ({ value: r.id, label: r.name }));
  const editing = !!initial;
  const dates = validity === 'DATES';
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="coupon-form"
      initialValues={initial ? valuesOf(initial) : { kind: 'AMOUNT_OFF', scope: scopes[0], validity: 'DAYS', validDays: 30, minSpendYuan: 0, active: true, welcome: false, storeIds: [], regionIds: [] }}
      onFinish={() => onSubmit(toDraft(form.getFieldsValue(true) as Values))}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="kind" label="优惠类型" rules={[check('kind')]}>
            <Select disabled={editing} options={Object.entries(COUPON_KIND_ZH).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="name" label="名称" rules={[check('name')]}>
            <Input placeholder="满 100 减 20" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          {kind === 'AMOUNT_OFF' && (
            <Form.Item name="amountOffYuan" label="减免金额（元）" rules={[check('amountOffYuan')]}>
              <InputNumber style={{ width: '100%' }} placeholder="20" />
            </Form.Item>
          )}
          {kind === 'PERCENT_OFF' && (
            <Form.Item name="percentOff" label="减免比例（%，15 = 85 折）" rules={[check('percentOff')]}>
              <InputNumber style={{ width: '100%' }} placeholder="15" />
            </Form.Item>
          )}
          {kind === 'GIFT' && (
            <Form.Item name="giftName" label="赠品" rules={[check('giftName')]}>
              <Input placeholder="拿铁一杯" />
            </Form.Item>
          )}
        </Col>
        <Col span={12}>
          <Form.Item name="minSpendYuan" label="最低消费（元，0 = 无门槛）" rules={[check('minSpendYuan')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="scope" label="归属范围（创建后不可改）" rules={[check('scope')]}>
            <Select disabled={editing} options={scopes.map((s) => ({ value: s, label: { HQ: '总部', REGION: '区域', STORE: '门店' }[s] }))} onChange={() => form.setFieldsValue({ scopeId: null, storeIds: [], regionIds: [] })} />
          </Form.Item>
        </Col>
        <Col span={12}>
          {tplScope && tplScope !== 'HQ' && (
            <Form.Item name="scopeId" label={tplScope === 'REGION' ? '区域' : '门店'} rules={[check('scopeId')]}>
              <Select disabled={editing} options={(tplScope === 'REGION' ? scope.regions : scope.stores).map((x) => ({ value: x.id, label: x.name }))} onChange={() => form.setFieldsValue({ storeIds: [], regionIds: [] })} />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="storeIds" label="适用门店（不选 = 整个归属范围）" rules={[check('storeIds')]}>
            <Select mode="multiple" allowClear options={storeOptions} placeholder="全部门店" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="regionIds" label="适用区域" rules={[check('regionIds')]}>
            <Select mode="multiple" allowClear options={regionOptions} disabled={tplScope === 'STORE'} placeholder="全部区域" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="validity" label="有效期" rules={[check('validity')]}>
        <Radio.Group options={[{ value: 'DAYS', label: '领取后 N 天（含领取当天，北京时间）' }, { value: 'DATES', label: '固定日期' }]} />
      </Form.Item>
      {dates ? (
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="fromDay" label="开始日期（可选）">
              <Input type="date" data-testid="coupon-from" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="untilDay" label="最后一天（含）" rules={[check('validUntil')]} dependencies={['fromDay']}>
              <Input type="date" data-testid="coupon-until" />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <Form.Item name="validDays" label="有效天数" rules={[check('validDays')]}>
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
      )}
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="budget" label={`发放总量（张）${issued ? `，已发 ${issued}` : ''}`} rules={[check('budget')]}>
            <InputNumber style={{ width: '100%' }} placeholder="1000" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="limitPerMember" label="每人限领（留空不限）" rules={[check('limitPerMember')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="pointsPrice" label="积分兑换价（留空 = 不出售）" rules={[check('pointsPrice')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label="说明" rules={[check('description')]}>
        <Input.TextArea rows={2} placeholder="使用说明（可选）" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="welcome" label="新会员礼券（首次登录自动发放，仅总部）" valuePropName="checked" rules={[check('welcome')]} dependencies={['scope']}>
            <Switch />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="active" label="启用" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>
      {editing && <Alert type="info" style={{ marginBottom: 12 }} title="优惠类型和归属范围创建后不可修改；已发放的券按领取时的有效期计算" />}
      <Button type="primary" htmlType="submit">
        {editing ? '保存修改' : '创建优惠券'}
      </Button>
    </Form>
  );
}
