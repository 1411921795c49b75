import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Spin, Switch, Typography } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime } from '../../format';
import { ReferralProgramDocument, UpdateReferralProgramDocument } from '../../graphql/generated';
import { useScope } from '../../scope';
import { referralDraft, referralErrors, referralInput, type ReferralDraft, type ReferralDraftField } from '../../validation-referrals';

const FIELDS: { name: ReferralDraftField; label: string }[] = [
  { name: 'referrerBonus', label: '邀请人奖励（积分，被邀请人首次达标消费时）' },
  { name: 'refereeBonus', label: '新会员欢迎积分（0 = 不送）' },
  { name: 'sharePct', label: '消费积分分成（%）' },
  { name: 'shareMonths', label: '分成月数' },
  { name: 'monthlyCap', label: '每位邀请人每月积分上限（0 = 不限）' },
  { name: 'qualifyingMinYuan', label: '达标最低消费（元，0 = 任意消费）' },
];

/** The programme form: what updateReferralProgram takes, checked as the API does. */
export function ReferralSettingsForm({ initial, disabled, onSubmit }: { initial: ReferralDraft; disabled?: boolean; onSubmit: (d: ReferralDraft) => Promise<void> }) {
  const [form] = Form.useForm<ReferralDraft>();
  const check = (field: ReferralDraftField) => ({
    validator: async () => {
      const m = referralErrors(form.getFieldsValue(true) as ReferralDraft)[field];
      if (m) throw new Error(m);
    },
  });
  return (
    <Form form={form} layout="vertical" initialValues={initial} disabled={disabled} onFinish={() => onSubmit(form.getFieldsValue(true) as ReferralDraft)} data-testid="referral-form">
      <Form.Item name="enabled" label="邀请有礼" valuePropName="checked">
        <Switch checkedChildren="开启" unCheckedChildren="关闭" />
      </Form.Item>
      <Row gutter={16}>
        {FIELDS.map((f) => (
          <Col span={8} key={f.name}>
            <Form.Item name={f.name} label={f.label} rules={[check(f.name)]}>
              <InputNumber style={{ width: '100%' }} aria-label={f.label} />
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

/** 邀请有礼 · 方案设置: HQ managers edit; others read. */
export function ReferralSettings() {
  const scope = useScope();
  const { message } = App.useApp();
  const { data, error, reload } = useGql(ReferralProgramDocument, {});
  if (error) return <Alert type="error" title={error.zh} />;
  if (!data) return <Spin />;
  const p = data.referralProgram;
  const initial = referralDraft(p);
  return (
    <Card title="方案设置" extra={p.updatedAt && <Typography.Text type="secondary">更新于 {beijingTime(p.updatedAt)}</Typography.Text>}>
      {!scope.hq && <Alert type="info" title="邀请有礼方案由总部经理维护" style={{ marginBottom: 16 }} />}
      <ReferralSettingsForm
        key={JSON.stringify(initial)}
        initial={initial}
        disabled={!scope.hq}
        onSubmit={async (d) => {
          try {
            await request(UpdateReferralProgramDocument, { input: referralInput(d) });
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
