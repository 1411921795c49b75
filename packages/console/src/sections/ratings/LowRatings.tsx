import { useState } from 'react';
import { Alert, App, Button, Card, Modal, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime } from '../../format';
import { AcknowledgeRatingDocument, ResolveRatingDocument, ServiceRatingsDocument, type RatingFollowUp, type ServiceRatingsQuery } from '../../graphql/generated';
import { ResolveForm } from './ResolveForm';

type Rating = ServiceRatingsQuery['serviceRatings']['items'][number];
const PAGE = 10;
export const FOLLOW_UP_ZH: Record<string, { label: string; color: string }> = {
  OPEN: { label: '待处理', color: 'red' },
  ACKNOWLEDGED: { label: '处理中', color: 'orange' },
  RESOLVED: { label: '已解决', color: 'green' },
  NONE: { label: '无需跟进', color: 'default' },
};

/** Low (1–2 star) ratings in scope, newest first, with acknowledge and resolve-with-a-note. */
export function LowRatings({ since, until, storeId }: { since: string; until: string; storeId: string | null }) {
  const { message } = App.useApp();
  const [followUp, setFollowUp] = useState<RatingFollowUp | 'ALL'>('OPEN');
  const [page, setPage] = useState(1);
  const [resolving, setResolving] = useState<Rating | null>(null);
  const filter = { lowOnly: true, since, until, storeId, followUp: followUp === 'ALL' ? null : followUp };
  const { data, error, loading, reload } = useGql(ServiceRatingsDocument, { filter, first: PAGE, offset: (page - 1) * PAGE });

  async function acknowledge(r: Rating) {
    try {
      await request(AcknowledgeRatingDocument, { id: r.id });
      message.success('已确认，处理中');
      await reload();
    } catch (e) {
      message.error(errorZh(e));
    }
  }

  return (
    <Card
      title="差评跟进"
      data-testid="low-ratings"
      extra={
        <Segmented<RatingFollowUp | 'ALL'>
          size="small"
          value={followUp}
          onChange={(v) => (setFollowUp(v), setPage(1))}
          options={[{ value: 'OPEN', label: '待处理' }, { value: 'ACKNOWLEDGED', label: '处理中' }, { value: 'RESOLVED', label: '已解决' }, { value: 'ALL', label: '全部' }]}
        />
      }
    >
      {error && <Alert type="error" title={error.zh} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.serviceRatings.items ?? []}
        pagination={{ current: page, pageSize: PAGE, total: data?.serviceRatings.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        columns={[
          { title: '时间（北京）', dataIndex: 'createdAt', render: beijingTime },
          { title: '星级', dataIndex: 'stars', render: (s: number) => <Typography.Text type="danger">{'★'.repeat(s)}</Typography.Text> },
          { title: '门店 / 店员', render: (_, r) => `${r.storeName ?? '总部'} · ${r.staffName ?? '未记录'}` },
          { title: '业务', dataIndex: 'summary' },
          { title: '评论', dataIndex: 'comment', render: (c: string | null) => c ?? '—' },
          { title: '会员', render: (_, r) => `${r.memberNo}（共评 ${r.memberRatings} 次${r.memberAverage == null ? '' : `，均 ${r.memberAverage.toFixed(1)}★`}）` },
          {
            title: '跟进',
            render: (_, r) => (
              <Space orientation="vertical" size={2}>
                <Tag color={FOLLOW_UP_ZH[r.followUp]?.color}>{FOLLOW_UP_ZH[r.followUp]?.label ?? r.followUp}</Tag>
                {r.resolutionNote && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.resolutionNote}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '操作',
            render: (_, r) => (
              <Space>
                {r.followUp === 'OPEN' && (
                  <Popconfirm title="确认已知晓这条差评？" onConfirm={() => acknowledge(r)}>
                    <Button size="small">确认</Button>
                  </Popconfirm>
                )}
                {(r.followUp === 'OPEN' || r.followUp === 'ACKNOWLEDGED') && (
                  <Button size="small" type="primary" onClick={() => setResolving(r)}>
                    解决
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!resolving} title={resolving ? `解决差评：${resolving.storeName ?? '总部'} · ${resolving.stars} 星` : ''} footer={null} onCancel={() => setResolving(null)} destroyOnHidden>
        {resolving && (
          <ResolveForm
            onSubmit={async (note) => {
              await request(ResolveRatingDocument, { id: resolving.id, note });
              setResolving(null);
              message.success('已标记为已解决');
              await reload();
            }}
          />
        )}
      </Modal>
    </Card>
  );
}
