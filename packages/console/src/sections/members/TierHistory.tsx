import { Card, Table, Tag } from 'antd';
import { beijingTime, yuan } from '../../format';
import type { ConsoleMemberQuery } from '../../graphql/generated';
import { TIER_CHANGE_COLOR, TIER_CHANGE_ZH } from './labels';

export type TierChange = ConsoleMemberQuery['consoleMember']['tierHistory'][number];

/** 等级变更记录: the member's upgrades, downgrades and renewals (newest first, at most 50), with the spend behind each. */
export function TierHistory({ changes, loading = false }: { changes: readonly TierChange[]; loading?: boolean }) {
  return (
    <Card title="等级变更记录">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={loading}
        locale={{ emptyText: '暂无等级变更' }}
        dataSource={changes as TierChange[]}
        columns={[
          { title: '时间', dataIndex: 'createdAt', render: (t: string) => beijingTime(t) },
          { title: '变更', dataIndex: 'kind', render: (k: string) => <Tag color={TIER_CHANGE_COLOR[k]}>{TIER_CHANGE_ZH[k] ?? k}</Tag> },
          { title: '等级', key: 'tiers', render: (_, c) => (c.fromTierName === c.toTierName ? c.toTierName : `${c.fromTierName} → ${c.toTierName}`) },
          { title: '近 12 个月消费', dataIndex: 'spendFen', render: (f: number) => yuan(f) },
          { title: '有效期至', dataIndex: 'periodEndsAt', render: (t: string) => beijingTime(t) },
        ]}
      />
    </Card>
  );
}
