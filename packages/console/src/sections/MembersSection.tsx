import { useState } from 'react';
import { Alert, Card, Input, Table, Tabs } from 'antd';
import { currentSession } from '../api/session';
import { useGql } from '../api/use-gql';
import { beijingTime } from '../format';
import { ConsoleMembersDocument } from '../graphql/generated';
import { useScope } from '../scope';
import { MemberPage } from './members/MemberPage';
import { PendingAdjustments } from './members/PendingAdjustments';

const PAGE = 20;

/** 会员查询: exact search by member number or full phone number (shown masked), in the manager's scope. */
function MemberSearch({ onOpen }: { onOpen: (id: string) => void }) {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const { data, loading, error } = useGql(ConsoleMembersDocument, { query, first: PAGE, offset: (page - 1) * PAGE }, { skip: !query });
  return (
    <Card title="会员查询">
      <Input.Search
        style={{ maxWidth: 420, marginBottom: 16 }}
        placeholder="会员号（10 位）或完整手机号"
        enterButton="查询"
        allowClear
        onSearch={(v) => (setQuery(v.trim()), setPage(1))}
      />
      {query && error && <Alert type="error" title={error.zh} />}
      {query && (
        <Table
          rowKey="id"
          loading={loading}
          dataSource={data?.consoleMembers.items ?? []}
          locale={{ emptyText: '没有找到会员（只显示您管辖范围内的会员）' }}
          pagination={{ current: page, pageSize: PAGE, total: data?.consoleMembers.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
          onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '会员号', dataIndex: 'memberNo' },
            { title: '昵称', dataIndex: 'nickname', render: (v: string | null) => v ?? '—' },
            { title: '手机号', dataIndex: 'phone', render: (v: string | null) => v ?? '未绑定' },
            { title: '等级', dataIndex: 'tierName' },
            { title: '可用积分', dataIndex: 'points' },
            { title: '注册时间', dataIndex: 'joinedAt', render: (t: string) => beijingTime(t) },
          ]}
        />
      )}
    </Card>
  );
}

/** 会员: search, a member's page (profile, ledger, redemptions, clubs, 调整积分) and the four-eyes approval list. */
export default function MembersSection() {
  const scope = useScope();
  const [memberId, setMemberId] = useState<string | null>(null);
  const storeName = (id: string | null) => (id === null ? '总部' : (scope.stores.find((s) => s.id === id)?.name ?? `门店 ${id}`));
  return (
    <Tabs
      items={[
        { key: 'members', label: '会员查询', children: memberId ? <MemberPage memberId={memberId} onBack={() => setMemberId(null)} /> : <MemberSearch onOpen={setMemberId} /> },
        { key: 'adjustments', label: '积分调整审批', children: <PendingAdjustments viewerUserId={currentSession()?.userId ?? ''} storeName={storeName} /> },
      ]}
    />
  );
}
