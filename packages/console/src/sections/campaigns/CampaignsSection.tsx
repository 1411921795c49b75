import { useState } from 'react';
import { Alert, App, Button, Card, Drawer, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { errorZh, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { beijingTime } from '../../format';
import { CampaignsDocument, CancelCampaignDocument, CreateCampaignDocument, ScheduleCampaignDocument, UpdateCampaignDocument, type TargetedCampaignFieldsFragment } from '../../graphql/generated';
import { useScope, type Scope } from '../../scope';
import { CampaignForm, campaignInput } from './CampaignForm';
import { CampaignReport } from './CampaignReport';
import { STATUS_ZH } from './model';

type Campaign = TargetedCampaignFieldsFragment;
const PAGE = 20;

const scopeName = (c: Campaign, scope: Scope) =>
  c.scopeStoreId ? (scope.stores.find((s) => s.id === c.scopeStoreId)?.name ?? `门店 ${c.scopeStoreId}`) : c.scopeRegionId ? (scope.regions.find((r) => r.id === c.scopeRegionId)?.name ?? `区域 ${c.scopeRegionId}`) : '总部';
const offerText = (c: Campaign) => (c.offerKind === 'COUPON' ? `优惠券 #${c.couponTemplateId}` : `${(c.multiplierPct ?? 0) / 100} 倍积分 · ${c.multiplierDays} 天`);

/** 精准营销 (F9): the campaigns of the manager's scope with status and sending progress; draft, schedule, cancel, report. */
export default function CampaignsSection() {
  const scope = useScope();
  const { message } = App.useApp();
  const [after, setAfter] = useState<string | null>(null);
  const { data, loading, error, reload } = useGql(CampaignsDocument, { after, first: PAGE });
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const [report, setReport] = useState<Campaign | null>(null);
  const rows = data?.campaigns.items ?? [];

  async function act(run: () => Promise<unknown>, ok: string) {
    try {
      await run();
      message.success(ok);
      void reload();
    } catch (e) {
      message.error(errorZh(e));
    }
  }

  return (
    <Card
      title="精准营销"
      extra={
        <Space>
          {after && <Button onClick={() => setAfter(null)}>回到最新</Button>}
          <Button type="primary" onClick={() => setEditing('new')} data-testid="new-campaign">
            新建活动
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={STATUS_ZH[s]?.color}>{STATUS_ZH[s]?.label ?? s}</Tag> },
          { title: '范围', render: (_, c) => scopeName(c, scope) },
          { title: '权益', render: (_, c) => offerText(c) },
          { title: '渠道', render: (_, c) => (c.sms ? '消息 + 短信' : '消息') },
          { title: '开始（北京时间）', render: (_, c) => beijingTime(c.startsAt as string) },
          { title: '对照组', render: (_, c) => `${c.holdoutPct}%` },
          {
            title: '进度',
            render: (_, c) => `已发送 ${c.progress.sent} / 处理组 ${c.progress.treated} · 对照组 ${c.progress.holdout}${c.progress.failed ? ` · 失败 ${c.progress.failed}` : ''}${c.progress.pending ? ` · 待发 ${c.progress.pending}` : ''}`,
          },
          {
            title: '操作',
            render: (_, c) => (
              <Space>
                {c.status === 'DRAFT' && (
                  <>
                    <Button size="small" onClick={() => setEditing(c)}>
                      编辑
                    </Button>
                    <Popconfirm title="确认排期？到开始时间后自动发送" onConfirm={() => act(() => request(ScheduleCampaignDocument, { id: c.id }), '已排期')}>
                      <Button size="small" type="primary">
                        排期
                      </Button>
                    </Popconfirm>
                  </>
                )}
                {(c.status === 'SCHEDULED' || c.status === 'RUNNING' || c.status === 'DRAFT') && (
                  <Popconfirm title="确认取消？已发出的权益不会收回" onConfirm={() => act(() => request(CancelCampaignDocument, { id: c.id }), '已取消')}>
                    <Button size="small" danger>
                      取消
                    </Button>
                  </Popconfirm>
                )}
                {c.status !== 'DRAFT' && (
                  <Button size="small" onClick={() => setReport(c)}>
                    报表
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {data?.campaigns.pageInfo.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => setAfter(rows[rows.length - 1]?.id ?? null)}>
          更早的活动
        </Button>
      )}
      <Modal width={960} title={editing === 'new' ? '新建活动' : '编辑活动'} open={!!editing} onCancel={() => setEditing(null)} footer={null} destroyOnHidden>
        {editing && (
          <CampaignForm
            initial={editing === 'new' ? undefined : editing}
            onSubmit={async (d) => {
              const input = campaignInput(d);
              await act(async () => {
                if (editing === 'new') await request(CreateCampaignDocument, { input });
                else {
                  const { scopeRegionId: _r, scopeStoreId: _s, ...rest } = input;
                  await request(UpdateCampaignDocument, { id: editing.id, input: rest });
                }
                setEditing(null);
              }, editing === 'new' ? '已创建草稿' : '已保存');
            }}
          />
        )}
      </Modal>
      <Drawer width={900} title={`活动报表：${report?.name ?? ''}`} open={!!report} onClose={() => setReport(null)} destroyOnHidden>
        {report && <CampaignReport id={report.id} />}
      </Drawer>
    </Card>
  );
}
