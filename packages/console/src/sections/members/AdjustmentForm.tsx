import { Alert, Button, Form, Input, InputNumber, Select } from 'antd';
import { adjustmentApprovalHint, adjustmentFieldError } from '../../validation';

export interface AdjustmentDraft { delta: number; reason: string; storeId: string | null }

const HQ = '__HQ__';

/**
 * 调整积分: delta (negative deducts), reason, the store it is booked at (HQ managers may book it at 总部). The checks are
 * the API's (`adjustmentErrors` in @quanzi/shared); the hint says whether a second manager must approve it.
 */
export function AdjustmentForm({ threshold, stores, hq, onSubmit }: { threshold: number; stores: { id: string; name: string }[]; hq: boolean; onSubmit: (d: AdjustmentDraft) => Promise<void> }) {
  const [form] = Form.useForm<{ delta: number | null; reason: string; storeId: string }>();
  const delta = Form.useWatch('delta', form);
  const hint = adjustmentApprovalHint(delta, threshold);
  const options = [...(hq ? [{ value: HQ, label: '总部（不记门店）' }] : []), ...stores.map((s) => ({ value: s.id, label: s.name }))];
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="adjustment-form"
      initialValues={{ storeId: hq ? HQ : stores.length === 1 ? stores[0]?.id : undefined }}
      onFinish={(v) => onSubmit({ delta: v.delta as number, reason: v.reason.trim(), storeId: v.storeId === HQ ? null : v.storeId })}
    >
      <Form.Item
        name="delta"
        label="调整积分（负数为扣减）"
        rules={[{ validator: async (_: unknown, v: number | null) => { const m = adjustmentFieldError('delta', { delta: v, reason: 'x' }); if (m) throw new Error(m); } }]}
      >
        <InputNumber style={{ width: '100%' }} placeholder="例如 500 或 -200" />
      </Form.Item>
      <Form.Item
        name="reason"
        label="调整原因（会员可见：人工调整 · 原因）"
        rules={[{ validator: async (_: unknown, v: string | undefined) => { const m = adjustmentFieldError('reason', { delta: 1, reason: v ?? '' }); if (m) throw new Error(m); } }]}
      >
        <Input placeholder="例如：补录 12 月 3 日漏记积分" />
      </Form.Item>
      <Form.Item name="storeId" label="记账门店" rules={[{ required: true, message: '请选择记账门店' }]}>
        <Select options={options} placeholder="选择门店" />
      </Form.Item>
      {hint && <Alert style={{ marginBottom: 16 }} type={hint.startsWith('超过') ? 'warning' : 'info'} title={hint} data-testid="approval-hint" />}
      <Button type="primary" htmlType="submit">
        提交调整
      </Button>
    </Form>
  );
}
