import { useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Select, Table, Tag } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime, yuan } from '../../format';
import { PayAnomaliesDocument, ResolvePayAnomalyDocument } from '../../graphql/generated';
import { anomalyNoteError } from '../../validation-ops';
import { ANOMALY_KIND_ZH, ANOMALY_SOURCE_ZH } from './labels';

/** 支付异常 (HQ): WeChat Pay messages that contradicted an order — no points were credited — resolved once with a note. */
export function PayAnomalies() {
  const { message } = App.useApp();
  const [resolved, setResolved] = useState<'OPEN' | 'DONE' | 'ALL'>('OPEN');
  const { data, loading, error, reload } = useGql(PayAnomaliesDocument, { resolved: resolved === 'ALL' ? null : resolved === 'DONE', first: 200 });
  const [note, setNote] = useState<{ id: string; text: string } | null>(null);
  const noteError = note ? anomalyNoteError(note.text) : null;
  return (
    <Card title="微信支付异常" extra={<Select style={{ width: 120 }} value={resolved} onChange={setResolved} options={[{ value: 'OPEN', label: '待处理' }, { value: 'DONE', label: '已处理' }, { value: 'ALL', label: '全部' }]} />}>
      <Alert type="info" style={{ marginBottom: 16 }} title="微信支付发来的消息与订单不符（金额、商户号、付款人或交易号）：未发放积分，也不会自动重试，请核实后处理" />
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={data?.payAnomalies ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '订单号', dataIndex: 'outTradeNo' },
          { title: '门店', dataIndex: 'storeName' },
          { title: '订单金额', dataIndex: 'amountFen', render: yuan },
          { title: '异常', dataIndex: 'kind', render: (k: string) => <Tag color="red">{ANOMALY_KIND_ZH[k] ?? k}</Tag> },
          { title: '订单 / 消息', render: (_, a) => `${a.expected} / ${a.received}` },
          { title: '来源', dataIndex: 'source', render: (s: string) => ANOMALY_SOURCE_ZH[s] ?? s },
          { title: '次数', dataIndex: 'timesSeen' },
          { title: '最近（北京）', dataIndex: 'lastSeenAt', render: beijingTime },
          {
            title: '处理',
            render: (_, a) =>
              a.resolvedAt ? `${beijingTime(a.resolvedAt)} · ${a.resolutionNote ?? ''}` : (
                <Button size="small" onClick={() => setNote({ id: a.id, text: '' })}>
                  标记已处理
                </Button>
              ),
          },
        ]}
      />
      <Modal
        title="处理支付异常"
        open={!!note}
        okText="确认"
        okButtonProps={{ disabled: !!noteError }}
        onCancel={() => setNote(null)}
        onOk={async () => {
          if (!note || noteError) return;
          try {
            await request(ResolvePayAnomalyDocument, { id: note.id, note: note.text.trim() });
            message.success('已标记为已处理');
            setNote(null);
          } catch (e) {
            message.error(errorZh(e));
          }
          void reload();
        }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} placeholder="处理说明（1–500 字），如：已原路退款" value={note?.text ?? ''} onChange={(e) => setNote((n) => (n ? { ...n, text: e.target.value } : n))} />
        {noteError && note?.text !== '' && <Alert style={{ marginTop: 8 }} type="error" title={noteError} />}
      </Modal>
    </Card>
  );
}
