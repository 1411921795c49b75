import { useRef } from 'react';
import { Alert, Button, Descriptions, Form, Input, InputNumber } from 'antd';
import { refundClawback } from '@quanzi/shared';
import { yuan } from '../../format';
import type { PayOrdersQuery } from '../../graphql/generated';
import { refundErrors, submitKey, toFen, type RefundDraft } from '../../validation-ops';

export type Order = PayOrdersQuery['payOrders']['items'][number];
export interface RefundRequest { amountFen: number; reason: string | null; idempotencyKey: string }

/**
 * 退款: an amount up to what is still refundable, an optional reason, and the points that will be clawed back (the
 * API's rule, `refundClawback`; fewer if the member already spent them). One idempotency key per submission: sending
 * the same amount again after an unclear failure reuses it, so the order is never refunded twice.
 */
export function RefundForm({ order, onSubmit }: { order: Order; onSubmit: (r: RefundRequest) => Promise<void> }) {
  const [form] = Form.useForm<RefundDraft>();
  const amountYuan = Form.useWatch('amountYuan', form);
  const fen = toFen(amountYuan);
  const clawback = Number.isInteger(fen) && fen > 0 && fen <= order.refundableFen
    ? refundClawback({ orderPoints: order.points, orderFen: order.amountFen, refundedFen: order.refundedFen, pointsReversed: order.pointsReversed, amountFen: fen })
    : null;
  const last = useRef<{ amountFen: number; key: string } | null>(null);
  const check = (field: keyof RefundDraft) => ({
    validator: async () => {
      const m = refundErrors(form.getFieldsValue(true) as RefundDraft, order.refundableFen)[field];
      if (m) throw new Error(m);
    },
  });
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="refund-form"
      onFinish={(v) => {
        const amountFen = toFen(v.amountYuan);
        if (last.current?.amountFen !== amountFen) last.current = { amountFen, key: submitKey('refund') };
        return onSubmit({ amountFen, reason: v.reason?.trim() || null, idempotencyKey: last.current.key });
      }}
    >
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="订单金额">{yuan(order.amountFen)}</Descriptions.Item>
        <Descriptions.Item label="可退金额">{yuan(order.refundableFen)}</Descriptions.Item>
        <Descriptions.Item label="订单积分">{order.points ?? 0}</Descriptions.Item>
        <Descriptions.Item label="已扣回积分">{order.pointsReversed}</Descriptions.Item>
      </Descriptions>
      <Form.Item name="amountYuan" label="退款金额（元）" rules={[check('amountYuan')]}>
        <InputNumber style={{ width: '100%' }} placeholder={(order.refundableFen / 100).toFixed(2)} />
      </Form.Item>
      <Form.Item name="reason" label="退款原因（可选，最多 80 字）" rules={[check('reason')]}>
        <Input placeholder="退货一件" />
      </Form.Item>
      {clawback !== null && (
        <Alert
          style={{ marginBottom: 16 }}
          type="info"
          data-testid="clawback-preview"
          title={`微信支付确认退款后将扣回 ${clawback} 积分`}
          description="会员已用掉的积分无法扣回，差额记为「未收回积分」"
        />
      )}
      <Button type="primary" danger htmlType="submit">
        确认退款
      </Button>
    </Form>
  );
}
