import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime, download, toCsv, yuan } from '../../format';
import { PayOrdersDocument, RefundPaymentDocument, type PayOrderFilterInput, type PayOrderState, type RefundPaymentMutation } from '../../graphql/generated';
import { useScope } from '../../scope';
import { ORDER_STATE_COLOR, ORDER_STATE_ZH, REFUND_STATUS_COLOR, REFUND_STATUS_ZH } from './labels';
import { RefundForm, type Order } from './RefundForm';

const PAGE = 20;

/** What a refund request answered: sent (PROCESSING) or already settled, with the points taken back and not. */
export function refundResultZh(r: RefundPaymentMutation['refundPayment']): string {
  const status = REFUND_STATUS_ZH[r.status] ?? r.status;
  if (r.status !== 'SUCCESS') return `退款 ${yuan(r.amountFen)}：${status}（微信支付确认后扣回积分）`;
  return `退款 ${yuan(r.amountFen)}：${status}，扣回 ${r.pointsReversed} 积分${r.pointsUncollected ? `，${r.pointsUncollected} 积分未收回（会员已使用）` : ''}`;
}

/** 订单与退款: the WeChat Pay orders of the stores in scope, by state and store, with their refunds; refund one. */
export function PayOrders() {
  const scope = useScope();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<PayOrderFilterInput>({});
  const [page, setPage] = useState(1);
  const { data, loading, error, reload } = useGql(PayOrdersDocument, { filter, first: PAGE, offset: (page - 1) * PAGE });
  const [refunding, setRefunding] = useState<Order | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const set = (f: Partial<PayOrderFilterInput>) => (setFilter((x) => ({ ...x, ...f })), setPage(1));

  async function exportCsv() {
    try {
      const rows: Order[] = [];
      for (let offset = 0; offset < 5000; offset += 50) {
        const { payOrders } = await request(PayOrdersDocument, { filter, first: 50, offset });
        rows.push(...payOrders.items);
        if (rows.length >= payOrders.total || payOrders.items.length === 0) break;
      }
      download(
        'wechat-pay-orders.csv',
        toCsv(
          ['订单号', '门店', '会员号', '金额（元）', '状态', '积分', '已退款（元）', '已扣回积分', '支付时间（北京）', '创建时间（北京）', '退款'],
          rows.map((o) => [o.outTradeNo, o.storeName, o.memberNo, (o.amountFen / 100).toFixed(2), ORDER_STATE_ZH[o.state] ?? o.state, o.points, (o.refundedFen / 100).toFixed(2), o.pointsReversed, o.paidAt ? beijingTime(o.paidAt) : '', beijingTime(o.createdAt), o.refunds.map((r) => `${yuan(r.amountFen)} ${REFUND_STATUS_ZH[r.status] ?? r.status}`).join('; ')]),
        ),
      );
    } catch (e) {
      message.error(errorZh(e));
    }
  }

  return (
    <Card title="微信支付订单" extra={<Button onClick={exportCsv}>导出 CSV</Button>}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          data-testid="order-state"
          onChange={(v?: PayOrderState) => set({ state: v ?? null })}
          options={Object.entries(ORDER_STATE_ZH).map(([value, label]) => ({ value, label }))}
        />
        <Select allowClear placeholder="全部门店" style={{ width: 180 }} onChange={(v?: string) => set({ storeId: v ?? null })} options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} />
        <Input.Search allowClear placeholder="订单号" style={{ width: 280 }} onSearch={(v) => set({ outTradeNo: v.trim() || null })} />
      </Space>
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="outTradeNo"
        loading={loading}
        dataSource={data?.payOrders.items ?? []}
        pagination={{ current: page, pageSize: PAGE, total: data?.payOrders.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 笔` }}
        expandable={{
          rowExpandable: (o: Order) => o.refunds.length > 0,
          expandedRowRender: (o: Order) => (
            <Table
              size="small"
              rowKey="outRefundNo"
              pagination={false}
              dataSource={o.refunds}
              columns={[
                { title: '退款单号', dataIndex: 'outRefundNo' },
                { title: '金额', dataIndex: 'amountFen', render: yuan },
                { title: '原因', dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
                { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={REFUND_STATUS_COLOR[s]}>{REFUND_STATUS_ZH[s] ?? s}</Tag> },
                { title: '扣回积分', dataIndex: 'pointsReversed' },
                { title: '未收回积分', dataIndex: 'pointsUncollected' },
                { title: '申请时间（北京）', dataIndex: 'createdAt', render: beijingTime },
              ]}
            />
          ),
        }}
        columns={[
          { title: '订单号', dataIndex: 'outTradeNo', render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
          { title: '门店', dataIndex: 'storeName' },
          { title: '会员号', dataIndex: 'memberNo', render: (v: string | null) => v ?? '—' },
          { title: '金额', dataIndex: 'amountFen', render: yuan },
          { title: '状态', dataIndex: 'state', render: (s: string) => <Tag color={ORDER_STATE_COLOR[s]}>{ORDER_STATE_ZH[s] ?? s}</Tag> },
          { title: '积分', dataIndex: 'points', render: (v: number | null) => v ?? '—' },
          { title: '已退款', render: (_, o) => (o.refundedFen ? `${yuan(o.refundedFen)}（扣回 ${o.pointsReversed} 积分）` : '—') },
          { title: '支付时间（北京）', dataIndex: 'paidAt', render: (v: string | null) => (v ? beijingTime(v) : '—') },
          {
            title: '操作',
            render: (_, o) => (
              <Button size="small" danger disabled={o.refundableFen <= 0} onClick={() => (setResult(null), setRefunding(o))}>
                退款
              </Button>
            ),
          },
        ]}
      />
      <Modal title={`退款 · ${refunding?.outTradeNo ?? ''}`} open={!!refunding} onCancel={() => (setRefunding(null), void reload())} footer={null} destroyOnHidden>
        {refunding && !result && (
          <RefundForm
            order={refunding}
            onSubmit={async (r) => {
              try {
                const res = await request(RefundPaymentDocument, { input: { outTradeNo: refunding.outTradeNo, amountFen: r.amountFen, reason: r.reason, idempotencyKey: r.idempotencyKey } });
                setResult(refundResultZh(res.refundPayment));
                void reload();
              } catch (e) {
                message.error(errorZh(e));
              }
            }}
          />
        )}
        {result && (
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label="结果">
              <span data-testid="refund-result">{result}</span>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Modal>
    </Card>
  );
}
