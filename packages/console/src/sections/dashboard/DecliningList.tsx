import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime, download, toCsv, yuan } from '../../format';
import { DecliningMembersDocument, type DecliningMembersQuery } from '../../graphql/generated';

const PAGE = 20;
const REASON_ZH: Record<string, string> = { QUIET: '久未消费', VISITS_DROP: '到店减少', SPEND_DROP: '消费下降', NEVER_BOUGHT: '从未消费' };

/** A member number with its middle hidden (12****7897): enough to tell rows apart, not to copy a list out. */
export const maskMemberNo = (no: string): string => (no.length <= 6 ? no : `${no.slice(0, 2)}${'*'.repeat(no.length - 6)}${no.slice(-4)}`);

/** Members flagged DECLINING now (keyset pages of 20), with the reason; no phone or location is ever returned. */
export function DecliningList({ regionId, storeId }: { regionId: string | null; storeId: string | null }) {
  // Keyset paging: the cursors of the pages seen so far (page n starts after cursors[n]).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState(0);
  const scopeKey = `${regionId}/${storeId}`;
  const [seenScope, setSeenScope] = useState(scopeKey);
  if (seenScope !== scopeKey) (setSeenScope(scopeKey), setCursors([null]), setPage(0));
  const { data, error, loading } = useGql(DecliningMembersDocument, { first: PAGE, after: cursors[page] ?? null, regionId, storeId });
  const d = data?.decliningMembers;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const rows: (string | number)[][] = [];
      let after: string | null = null;
      for (let i = 0; i < 50; i++) {
        const { decliningMembers: p }: DecliningMembersQuery = await request(DecliningMembersDocument, { first: 100, after, regionId, storeId });
        rows.push(...p.items.map((m) => [maskMemberNo(m.memberNo), m.tierName, beijingTime(m.joinedAt), beijingTime(m.lastPurchaseAt), m.visitsRecent, m.visitsPrevious, m.spendRecentFen / 100, m.spendPreviousFen / 100, m.reason]));
        if (!p.pageInfo.hasNextPage || !p.pageInfo.endCursor) break;
        after = p.pageInfo.endCursor;
      }
      download('declining-members.csv', toCsv(['会员号', '等级', '入会时间', '最近消费', '近 90 天到店', '此前 90 天到店', '近 90 天消费（元）', '此前 90 天消费（元）', '原因'], rows));
    } catch (e) {
      setExportError(errorZh(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card
      title={<>衰退会员（待挽留）{d && <Typography.Text type="secondary"> · 共 {d.total} 人</Typography.Text>}</>}
      data-testid="declining-members"
      extra={<Button size="small" loading={exporting} onClick={exportCsv}>导出 CSV</Button>}
    >
      {(error || exportError) && <Alert type="error" title={exportError ?? error?.zh} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="memberId"
        size="small"
        loading={loading}
        dataSource={d?.items ?? []}
        pagination={false}
        columns={[
          { title: '会员号', dataIndex: 'memberNo', render: maskMemberNo },
          { title: '等级', dataIndex: 'tierName' },
          { title: '最近消费', dataIndex: 'lastPurchaseAt', render: (v: string | null) => (v ? beijingTime(v) : '从未') },
          { title: '近 90 天 / 此前', render: (_, m) => `${m.visitsRecent} 次 / ${m.visitsPrevious} 次` },
          { title: '消费 近 90 天 / 此前', render: (_, m) => `${yuan(m.spendRecentFen)} / ${yuan(m.spendPreviousFen)}` },
          { title: '原因', render: (_, m) => (
            <Space direction="vertical" size={2}>
              <span>{m.reasons.map((r) => <Tag key={r} color="orange">{REASON_ZH[r] ?? r}</Tag>)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{m.reason}</Typography.Text>
            </Space>
          ) },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button size="small" disabled={page === 0} onClick={() => setPage(page - 1)}>上一页</Button>
        <Typography.Text>第 {page + 1} 页</Typography.Text>
        <Button
          size="small"
          disabled={!d?.pageInfo.hasNextPage}
          onClick={() => {
            const next = d?.pageInfo.endCursor ?? null;
            setCursors((c) => [...c.slice(0, page + 1), next]);
            setPage(page + 1);
          }}
        >
          下一页
        </Button>
      </Space>
    </Card>
  );
}
