import { useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime } from '../../format';
import { ApprovePointsAdjustmentDocument, PointsAdjustmentsDocument, RejectPointsAdjustmentDocument, type AdjustmentStatus } from '../../graphql/generated';
import { ADJUSTMENT_STATUS_COLOR, ADJUSTMENT_STATUS_ZH, signed } from './labels';

const PAGE = 20;

/**
 * 积分调整审批: adjustments in the manager's scope (pending first by default). Another manager approves (applied to the
 * ledger once) or rejects with a note; one's own requests cannot be approved (four eyes). Keyset pages.
 */
export function PendingAdjustments({ viewerUserId, storeName }: { viewerUserId: string; storeName: (id: string | null) => string }) {
  const { message } = App.useApp();
  const [status, setStatus] = useState<AdjustmentStatus | 'ALL'>('PENDING');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const { data, loading, error, reload } = useGql(PointsAdjustmentsDocument, { status: status === 'ALL' ? null : status, first: PAGE, after });
  const [rejecting, setRejecting] = useState<{ id: string; note: string } | null>(null);
  const page = data?.pointsAdjustments;

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      message.success(done);
      void reload();
      return true;
    } catch (e) {
      message.error(errorZh(e));
      void reload();
      return false;
    }
  };
  const noteError = rejecting && (!rejecting.note.trim() ? '请填写驳回原因' : [...rejecting.note.trim()].length > 100 ? '驳回原因最多 100 个字' : null);

  return (
    <Card title="积分调整审批">
      <Space style={{ marginBottom: 16 }}>
        <Select
          style={{ width: 140 }}
          value={status}
          onChange={(v) => (setStatus(v), setCursors([null]))}
          options={[{ value: 'PENDING', label: '待审批' }, { value: 'APPLIED', label: '已入账' }, { value: 'REJECTED', label: '已驳回' }, { value: 'ALL', label: '全部' }]}
        />
      </Space>
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        pagination={false}
        columns={[
          { title: '会员号', dataIndex: 'memberNo' },
          { title: '调整积分', dataIndex: 'delta', render: (d: number) => <span style={{ color: d > 0 ? '#389e0d' : '#cf1322' }}>{signed(d)}</span> },
          { title: '原因', dataIndex: 'reason' },
          { title: '门店', dataIndex: 'storeId', render: (s: string | null) => storeName(s) },
          { title: '申请人', dataIndex: 'requestedBy', render: (v: string | null) => v ?? '—' },
          { title: '申请时间', dataIndex: 'createdAt', render: (t: string) => beijingTime(t) },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={ADJUSTMENT_STATUS_COLOR[s]}>{ADJUSTMENT_STATUS_ZH[s]}</Tag> },
          { title: '审批人', render: (_, r) => (r.decidedBy ? `${r.decidedBy}${r.decisionNote ? `（${r.decisionNote}）` : ''}` : '—') },
          {
            title: '操作',
            render: (_, r) => {
              if (r.status !== 'PENDING') return beijingTime(r.decidedAt);
              const own = r.requestedById === viewerUserId;
              return (
                <Space>
                  {own ? (
                    <Tooltip title="需由另一位经理审批">
                      <Button size="small" type="primary" disabled>
                        批准
                      </Button>
                    </Tooltip>
                  ) : (
                    <Popconfirm title={`批准后 ${signed(r.delta)} 积分将计入会员 ${r.memberNo} 的账户`} okText="批准" cancelText="取消" onConfirm={() => act(() => request(ApprovePointsAdjustmentDocument, { id: r.id }), '已批准，积分已入账')}>
                      <Button size="small" type="primary">
                        批准
                      </Button>
                    </Popconfirm>
                  )}
                  <Button size="small" danger onClick={() => setRejecting({ id: r.id, note: '' })}>
                    {own ? '撤回' : '驳回'}
                  </Button>
                </Space>
              );
            },
          },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          上一页
        </Button>
        <Button disabled={!page?.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, page?.pageInfo.endCursor ?? null])}>
          下一页
        </Button>
      </Space>
      <Modal
        title="驳回积分调整"
        open={!!rejecting}
        okText="确认驳回"
        okButtonProps={{ disabled: !!noteError, danger: true }}
        onCancel={() => setRejecting(null)}
        onOk={async () => {
          if (!rejecting || noteError) return;
          if (await act(() => request(RejectPointsAdjustmentDocument, { id: rejecting.id, note: rejecting.note.trim() }), '已驳回')) setRejecting(null);
        }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} placeholder="驳回原因（1–100 字）" value={rejecting?.note ?? ''} onChange={(e) => setRejecting((r) => (r ? { ...r, note: e.target.value } : r))} />
        {noteError && rejecting?.note !== '' && <Alert style={{ marginTop: 8 }} type="error" title={noteError} />}
      </Modal>
    </Card>
  );
}
