import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Modal, Space, Table, Tag } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime } from '../../format';
import { AdjustmentPolicyDocument, ConsoleMemberDocument, RequestPointsAdjustmentDocument } from '../../graphql/generated';
import { useScope } from '../../scope';
import { AdjustmentForm } from './AdjustmentForm';
import { TierHistory } from './TierHistory';
import { CLUB_ROLE_ZH, CLUB_STATUS_ZH, LEDGER_KIND_ZH, newIdempotencyKey, REDEMPTION_STATUS_ZH, signed } from './labels';

const PAGE = 20;

/** A member's page: profile (phone masked), tier history, ledger (server-side keyset pages), recent redemptions, clubs, 调整积分. */
export function MemberPage({ memberId, onBack }: { memberId: string; onBack: () => void }) {
  const scope = useScope();
  const { message } = App.useApp();
  // cursors[i] is the `after` of ledger page i + 1.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState(1);
  const { data, loading, error, reload } = useGql(ConsoleMemberDocument, { id: memberId, first: PAGE, after: cursors[page - 1] ?? null });
  const policy = useGql(AdjustmentPolicyDocument, {});
  const [adjustKey, setAdjustKey] = useState<string | null>(null);
  const m = data?.consoleMember;
  const ledger = m?.ledger;
  const total = ledger ? (page - 1) * PAGE + ledger.edges.length + (ledger.pageInfo.hasNextPage ? 1 : 0) : 0;
  const threshold = policy.data?.adjustmentPolicy.approvalThreshold;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Button onClick={onBack}>返回搜索</Button>
      {error && <Alert type="error" title={error.zh} />}
      {m && (
        <Card
          title={`会员 ${m.memberNo}`}
          extra={
            <Button type="primary" disabled={threshold == null} onClick={() => setAdjustKey(newIdempotencyKey())}>
              调整积分
            </Button>
          }
        >
          <Descriptions column={3} size="small">
            <Descriptions.Item label="会员号">{m.memberNo}</Descriptions.Item>
            <Descriptions.Item label="昵称">{m.nickname ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="手机号">{m.phone ?? '未绑定'}</Descriptions.Item>
            <Descriptions.Item label="等级">{m.tierName}</Descriptions.Item>
            <Descriptions.Item label="可用积分">
              <span data-testid="member-points">{m.points}</span>
            </Descriptions.Item>
            <Descriptions.Item label="注册时间">{beijingTime(m.joinedAt)}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {m && <TierHistory changes={m.tierHistory} />}
      <Card title="积分明细">
        <Table
          rowKey={(e) => e.node.id}
          loading={loading}
          dataSource={ledger?.edges ?? []}
          pagination={{
            current: page,
            pageSize: PAGE,
            total,
            showSizeChanger: false,
            onChange: (p) => {
              // Keyset pages: the next page's cursor is this page's end; earlier pages were visited already.
              if (p === page + 1 && ledger?.pageInfo.endCursor) setCursors((c) => [...c.slice(0, page), ledger.pageInfo.endCursor]);
              if (p <= cursors.length || p === page + 1) setPage(p);
            },
          }}
          columns={[
            { title: '时间', render: (_, e) => beijingTime(e.node.createdAt) },
            { title: '类型', render: (_, e) => <Tag>{LEDGER_KIND_ZH[e.node.kind] ?? e.node.kind}</Tag> },
            { title: '积分', render: (_, e) => <span style={{ color: e.node.delta > 0 ? '#389e0d' : '#cf1322' }}>{signed(e.node.delta)}</span> },
            { title: '说明', render: (_, e) => e.node.reason },
            { title: '门店', render: (_, e) => e.node.storeName ?? '—' },
          ]}
        />
      </Card>
      <Card title="最近兑换（最多 20 条）">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={m?.redemptions ?? []}
          columns={[
            { title: '时间', dataIndex: 'createdAt', render: (t: string) => beijingTime(t) },
            { title: '礼品', dataIndex: 'rewardName' },
            { title: '积分', dataIndex: 'points' },
            { title: '状态', dataIndex: 'status', render: (s: string) => REDEMPTION_STATUS_ZH[s] ?? s },
            { title: '门店', dataIndex: 'storeName', render: (s: string | null) => s ?? '线上' },
          ]}
        />
      </Card>
      <Card title="俱乐部">
        <Table
          rowKey="clubId"
          size="small"
          pagination={false}
          dataSource={m?.clubs ?? []}
          columns={[
            { title: '俱乐部', dataIndex: 'name' },
            { title: '角色', dataIndex: 'role', render: (r: string) => CLUB_ROLE_ZH[r] ?? r },
            { title: '状态', dataIndex: 'status', render: (s: string) => CLUB_STATUS_ZH[s] ?? s },
            { title: '加入时间', dataIndex: 'joinedAt', render: (t: string) => beijingTime(t) },
          ]}
        />
      </Card>
      <Modal title={`调整积分：${m?.memberNo ?? ''}`} open={!!adjustKey} onCancel={() => setAdjustKey(null)} footer={null} destroyOnHidden>
        {adjustKey && threshold != null && (
          <AdjustmentForm
            threshold={threshold}
            hq={scope.hq}
            stores={scope.stores}
            onSubmit={async (d) => {
              try {
                const r = await request(RequestPointsAdjustmentDocument, { input: { memberId, delta: d.delta, reason: d.reason, storeId: d.storeId, idempotencyKey: adjustKey } });
                const a = r.requestPointsAdjustment.adjustment;
                message.success(a.status === 'APPLIED' ? `已入账 ${signed(a.delta)} 积分` : '已提交，等待另一位经理审批');
                setAdjustKey(null);
                setCursors([null]);
                setPage(1);
                void reload();
              } catch (e) {
                message.error(errorZh(e));
              }
            }}
          />
        )}
      </Modal>
    </Space>
  );
}
