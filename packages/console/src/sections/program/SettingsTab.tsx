import { Alert, App, Button, Card, Col, Divider, Form, InputNumber, Row, Select, Spin } from 'antd';
import { TiersDocument } from '@quanzi/shared/graphql';
import { request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { CouponTemplatesDocument, ProgramSettingsDocument, UpdateProgramSettingsDocument, UpdateRatingSettingsDocument, type Rounding } from '../../graphql/generated';
import { useScope } from '../../scope';
import { settingsErrors, type SettingsDraft } from '../../validation-ops';
import { NO_COUPON, ruleCouponInput, ruleTemplateOptions, settingsErrorZh, tierCouponChoice, upgradeTiers, type RuleTemplate, type RuleTier } from './rule-coupons';

const ROUNDING_ZH: Record<Rounding, string> = { FLOOR: '向下取整', ROUND: '四舍五入', CEIL: '向上取整' };

/** The programme settings form: what updateProgramSettings and updateRatingSettings take, checked as the API does. */
export function SettingsForm({ initial, disabled, onSubmit, templates = [], tiers = [] }: {
  initial: SettingsDraft;
  disabled?: boolean;
  onSubmit: (d: SettingsDraft) => Promise<void>;
  /** The coupon templates the manager sees (the rule-coupon selects offer the HQ ones that are switched on). */
  templates?: readonly RuleTemplate[];
  /** The tiers (one 升级优惠券 select per tier above the entry tier). */
  tiers?: readonly RuleTier[];
}) {
  const [form] = Form.useForm<SettingsDraft>();
  const options = ruleTemplateOptions(templates, [initial.birthdayCoupon, ...Object.values(initial.tierCoupons ?? {})].filter((v): v is string => v != null));
  const check = (field: keyof SettingsDraft) => ({
    validator: async () => {
      const m = settingsErrors(form.getFieldsValue(true) as SettingsDraft)[field];
      if (m) throw new Error(m);
    },
  });
  return (
    <Form form={form} layout="vertical" initialValues={initial} disabled={disabled} onFinish={() => onSubmit(form.getFieldsValue(true) as SettingsDraft)} data-testid="settings-form">
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="rounding" label="积分取整" rules={[check('rounding')]}>
            <Select options={Object.entries(ROUNDING_ZH).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="capPerPurchase" label="单笔消费积分上限（留空不限）" rules={[check('capPerPurchase')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="pointsValidityMonths" label="积分有效期（月）" rules={[check('pointsValidityMonths')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="tierPeriodMonths" label="等级评定周期（月）" rules={[check('tierPeriodMonths')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="signupBonusPoints" label="新会员注册奖励（积分，0 = 不送）" rules={[check('signupBonusPoints')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="ratingBonusPoints" label="服务评价奖励（积分/次，0 = 不送）" rules={[check('ratingBonusPoints')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="birthdayBonusPoints" label="生日月奖励（积分，0 = 不送）" rules={[check('birthdayBonusPoints')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="profileBonusPoints" label="完善资料奖励（积分，0 = 不送）" rules={[check('profileBonusPoints')]}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start">规则优惠券（仅限总部券模板）</Divider>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="birthdayCoupon" label="生日月优惠券">
            <Select options={options} data-testid="birthday-coupon" />
          </Form.Item>
        </Col>
        {upgradeTiers(tiers).map((t) => (
          <Col span={8} key={t.id}>
            <Form.Item name={['tierCoupons', t.id]} label={`升级优惠券 · ${t.name}`}>
              <Select options={options} data-testid={`tier-coupon-${t.id}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      {!disabled && (
        <Button type="primary" htmlType="submit">
          保存设置
        </Button>
      )}
    </Form>
  );
}

/** 方案设置: programme-wide rules (HQ managers change them; others read them). */
export function SettingsTab() {
  const scope = useScope();
  const { message } = App.useApp();
  const { data, error, reload } = useGql(ProgramSettingsDocument, {});
  // Only HQ managers may change the rule coupons (and only they see every HQ template); others read the ids' labels.
  const templates = useGql(CouponTemplatesDocument, { activeOnly: false }, { skip: !scope.hq });
  const tiers = useGql(TiersDocument, {});
  const failed = error ?? templates.error ?? tiers.error;
  if (failed) return <Alert type="error" title={failed.zh} />;
  if (!data || !tiers.data || (scope.hq && !templates.data)) return <Spin />;
  const { birthdayCouponTemplateId, tierUpgradeCoupons, ...s } = data.programSettings;
  const initial: SettingsDraft = {
    ...s,
    ratingBonusPoints: data.ratingSettings.bonusPoints,
    birthdayCoupon: birthdayCouponTemplateId ?? NO_COUPON,
    tierCoupons: tierCouponChoice(tiers.data.tiers, tierUpgradeCoupons),
  };
  return (
    <Card title="方案设置">
      {!scope.hq && <Alert type="info" title="方案设置由总部经理维护" style={{ marginBottom: 16 }} />}
      <SettingsForm
        key={JSON.stringify(initial)}
        initial={initial}
        disabled={!scope.hq}
        templates={templates.data?.couponTemplates ?? []}
        tiers={tiers.data.tiers}
        onSubmit={async (d) => {
          try {
            await request(UpdateProgramSettingsDocument, {
              input: {
                rounding: d.rounding,
                capPerPurchase: d.capPerPurchase ?? null,
                pointsValidityMonths: d.pointsValidityMonths,
                tierPeriodMonths: d.tierPeriodMonths,
                signupBonusPoints: d.signupBonusPoints,
                birthdayBonusPoints: d.birthdayBonusPoints,
                profileBonusPoints: d.profileBonusPoints,
                ...ruleCouponInput({ birthdayCouponTemplateId, tierUpgradeCoupons }, d),
              },
            });
            if (d.ratingBonusPoints !== data.ratingSettings.bonusPoints) await request(UpdateRatingSettingsDocument, { bonusPoints: d.ratingBonusPoints as number });
            message.success('已保存设置');
          } catch (e) {
            message.error(settingsErrorZh(e));
          }
          void reload();
        }}
      />
    </Card>
  );
}
