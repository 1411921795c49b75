import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Select, Spin } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { ProgramSettingsDocument, UpdateProgramSettingsDocument, UpdateRatingSettingsDocument, type Rounding } from '../../graphql/generated';
import { useScope } from '../../scope';
import { settingsErrors, type SettingsDraft } from '../../validation-ops';

const ROUNDING_ZH: Record<Rounding, string> = { FLOOR: '向下取整', ROUND: '四舍五入', CEIL: '向上取整' };

/** The programme settings form: what updateProgramSettings and updateRatingSettings take, checked as the API does. */
export function SettingsForm({ initial, disabled, onSubmit }: { initial: SettingsDraft; disabled?: boolean; onSubmit: (d: SettingsDraft) => Promise<void> }) {
  const [form] = Form.useForm<SettingsDraft>();
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
  if (error) return <Alert type="error" title={error.zh} />;
  if (!data) return <Spin />;
  const s = data.programSettings;
  const initial: SettingsDraft = { ...s, ratingBonusPoints: data.ratingSettings.bonusPoints };
  return (
    <Card title="方案设置">
      {!scope.hq && <Alert type="info" title="方案设置由总部经理维护" style={{ marginBottom: 16 }} />}
      <SettingsForm
        key={JSON.stringify(initial)}
        initial={initial}
        disabled={!scope.hq}
        onSubmit={async (d) => {
          try {
            await request(UpdateProgramSettingsDocument, {
              input: { rounding: d.rounding, capPerPurchase: d.capPerPurchase ?? null, pointsValidityMonths: d.pointsValidityMonths, tierPeriodMonths: d.tierPeriodMonths, signupBonusPoints: d.signupBonusPoints },
            });
            if (d.ratingBonusPoints !== data.ratingSettings.bonusPoints) await request(UpdateRatingSettingsDocument, { bonusPoints: d.ratingBonusPoints as number });
            message.success('已保存设置');
          } catch (e) {
            message.error(errorZh(e));
          }
          void reload();
        }}
      />
    </Card>
  );
}
