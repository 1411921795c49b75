import { useState } from 'react';
import { Alert, App, Button, Card, Form, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { errorZh, request } from '../api/client';
import { useGql } from '../api/use-gql';
import { beijingTime, REWARD_KIND_ZH, yuan } from '../format';
import { TiersDocument } from '@quanzi/shared/graphql';
import { AdjustRewardStockDocument, CreateRewardDocument, RewardCatalogueDocument, RewardPartnersDocument, UpdateRewardDocument, type RewardFieldsFragment, type RewardKind } from '../graphql/generated';
import { useScope } from '../scope';
import { stockDeltaError } from '../validation';
import { rewardInput, type RewardDraft } from '../validation-rewards';
import { PartnersCard } from './rewards/PartnersCard';
import { RewardForm } from './rewards/RewardForm';

/** The stock adjustment form; checks mirror adjustRewardStock (non-zero, within ±10 000 000, never below 0). */
export function StockForm({ stock, onSubmit }: { stock: number; onSubmit: (delta: number) => Promise<void> }) {
  return (
    <Form layout="vertical" onFinish={(v: { delta: number }) => onSubmit(v.delta)} data-testid="stock-form">
      <Form.Item
        name="delta"
        label={`调整数量（当前库存 ${stock}；负数为减少）`}
        rules={[{ validator: async (_: unknown, v: number | null) => { const m = stockDeltaError(v, stock); if (m) throw new Error(m); } }]}
      >
        <InputNumber style={{ width: '100%' }} />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        确认调整
      </Button>
    </Form>
  );
}

/**
 * 礼品目录 (HQ managers): partners, the catalogue (switched-off rewards included), creating and editing top-ups, fuel
 * cards and own products (coupon rewards are coupon templates: 优惠券), atomic stock adjustments.
 */
export default function RewardsSection() {
  const scope = useScope();
  const { message } = App.useApp();
  const [kind, setKind] = useState<RewardKind | undefined>();
  const { data, loading, reload, error } = useGql(RewardCatalogueDocument, { kind: kind ?? null }, { skip: !scope.hq });
  const partners = useGql(RewardPartnersDocument, {}, { skip: !scope.hq });
  const tiers = useGql(TiersDocument, {}, { skip: !scope.hq });
  const [adjusting, setAdjusting] = useState<{ id: string; name: string; stock: number } | null>(null);
  /** null: closed; 'new': creating; a reward: editing it. */
  const [editing, setEditing] = useState<RewardFieldsFragment | 'new' | null>(null);
  const save = async (d: RewardDraft) => {
    try {
      if (editing === 'new') {
        const { createReward } = await request(CreateRewardDocument, { input: { ...rewardInput(d), kind: d.kind as RewardKind, stock: d.stock as number } });
        message.success(`已创建 ${createReward.name}`);
      } else if (editing) {
        const { updateReward } = await request(UpdateRewardDocument, { id: editing.id, input: rewardInput(d) });
        message.success(`已保存 ${updateReward.name}`);
      }
      setEditing(null);
      void reload();
    } catch (e) {
      message.error(errorZh(e));
    }
  };
  if (!scope.hq) return <Alert type="info" title="礼品目录由总部经理维护（积分在全国通用）" />;
  return (
    <Card title="礼品目录" extra={<Button type="primary" data-testid="new-reward" onClick={() => setEditing('new')}>新建礼品</Button>}>
      <PartnersCard partners={partners.data?.rewardPartners ?? []} loading={partners.loading} onChanged={() => void partners.reload()} />
      <Select allowClear placeholder="全部类别" style={{ width: 160, marginBottom: 16 }} value={kind} onChange={setKind} options={Object.entries(REWARD_KIND_ZH).map(([value, label]) => ({ value, label }))} />
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={data?.rewardCatalogue ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类别', dataIndex: 'kind', render: (k: string) => <Tag>{REWARD_KIND_ZH[k]}</Tag> },
          { title: '积分', dataIndex: 'pointsPrice' },
          { title: '现金', dataIndex: 'cashFen', render: (f: number) => (f ? yuan(f) : '—') },
          { title: '合作方', render: (_, r) => r.partner?.name ?? '自有' },
          { title: '有效期', render: (_, r) => (r.startsAt || r.endsAt ? `${beijingTime(r.startsAt)} – ${beijingTime(r.endsAt)}` : '长期') },
          { title: '状态', dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">上架</Tag> : <Tag>下架</Tag>) },
          { title: '库存', dataIndex: 'stock' },
          {
            title: '操作',
            render: (_, r) =>
              r.kind === 'COUPON' ? (
                <Tag>在优惠券中管理</Tag>
              ) : (
                <>
                  <Button size="small" onClick={() => setEditing(r)} style={{ marginRight: 8 }}>
                    编辑
                  </Button>
                  <Button size="small" onClick={() => setAdjusting({ id: r.id, name: r.name, stock: r.stock })}>
                    调整库存
                  </Button>
                </>
              ),
          },
        ]}
      />
      <Modal title={editing === 'new' ? '新建礼品' : `编辑：${editing?.name ?? ''}`} open={!!editing} onCancel={() => setEditing(null)} footer={null} width={760} destroyOnHidden>
        {editing && (
          <RewardForm
            scope={scope}
            partners={partners.data?.rewardPartners ?? []}
            tiers={tiers.data?.tiers ?? []}
            initial={editing === 'new' ? undefined : editing}
            onSubmit={save}
          />
        )}
      </Modal>
      <Modal title={`调整库存：${adjusting?.name ?? ''}`} open={!!adjusting} onCancel={() => setAdjusting(null)} footer={null} destroyOnHidden>
        {adjusting && (
          <StockForm
            stock={adjusting.stock}
            onSubmit={async (delta) => {
              try {
                const { adjustRewardStock } = await request(AdjustRewardStockDocument, { id: adjusting.id, delta });
                message.success(`库存已调整为 ${adjustRewardStock.stock}`);
                setAdjusting(null);
                void reload();
              } catch (e) {
                message.error(errorZh(e));
              }
            }}
          />
        )}
      </Modal>
    </Card>
  );
}
