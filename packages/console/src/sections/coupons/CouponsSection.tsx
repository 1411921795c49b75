import { useState } from 'react';
import { Alert, App, Button, Card, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { errorZh, ApiError, request } from '../../api/client';
import { useGql } from '../../api/use-gql';
import { download, toCsv, yuan } from '../../format';
import { CouponTemplatesDocument, CreateCouponTemplateDocument, IssueCouponsDocument, UpdateCouponTemplateDocument, type CouponTemplateFieldsFragment, type UpdateCouponTemplateInput } from '../../graphql/generated';
import { useScope, type Scope } from '../../scope';
import { toFen, type CouponDraft } from '../../validation-ops';
import { CouponForm } from './CouponForm';
import { IssueForm } from './IssueForm';
import { COUPON_KIND_ZH, couponTerms, couponValidity } from './labels';

type Template = CouponTemplateFieldsFragment;

/** The fields of a template that may change, from the form (the other validity and terms fields cleared). */
export function templateFields(d: CouponDraft): UpdateCouponTemplateInput {
  const days = d.validity === 'DAYS';
  return {
    name: (d.name ?? '').trim(),
    description: (d.description ?? '').trim(),
    amountOffFen: d.kind === 'AMOUNT_OFF' ? toFen(d.amountOffYuan) : null,
    percentOff: d.kind === 'PERCENT_OFF' ? d.percentOff : null,
    giftName: d.kind === 'GIFT' ? (d.giftName ?? '').trim() : null,
    minSpendFen: d.minSpendYuan == null ? 0 : toFen(d.minSpendYuan),
    storeIds: d.storeIds ?? [],
    regionIds: d.regionIds ?? [],
    validDays: days ? d.validDays : null,
    validFrom: days ? null : (d.validFrom?.toISOString() ?? null),
    validUntil: days ? null : (d.validUntil?.toISOString() ?? null),
    limitPerMember: d.limitPerMember ?? null,
    budget: d.budget ?? 0,
    pointsPrice: d.pointsPrice ?? null,
    active: d.active ?? true,
    welcome: d.welcome ?? false,
  };
}

/** An API refusal of an issue, naming the member where it stopped (LIMIT_REACHED, OUT_OF_STOCK, NOT_FOUND). */
export function issueErrorZh(e: unknown): string {
  const no = e instanceof ApiError ? e.extensions.memberNo : undefined;
  return typeof no === 'string' ? `会员 ${no}：${errorZh(e)}（本次未发放任何券）` : errorZh(e);
}

const ownerName = (t: Template, scope: Scope) =>
  t.scopeStoreId ? (scope.stores.find((s) => s.id === t.scopeStoreId)?.name ?? `门店 ${t.scopeStoreId}`) : t.scopeRegionId ? (scope.regions.find((r) => r.id === t.scopeRegionId)?.name ?? `区域 ${t.scopeRegionId}`) : '总部';

/** 优惠券: the coupon templates of the manager's scope with budgets, create/edit, and issue to member numbers. */
export default function CouponsSection() {
  const scope = useScope();
  const { message } = App.useApp();
  const [activeOnly, setActiveOnly] = useState(false);
  const { data, loading, error, reload } = useGql(CouponTemplatesDocument, { activeOnly });
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [issuing, setIssuing] = useState<Template | null>(null);
  const rows = data?.couponTemplates ?? [];

  async function save(d: CouponDraft) {
    try {
      if (editing === 'new') {
        await request(CreateCouponTemplateDocument, {
          input: { ...templateFields(d), kind: d.kind as NonNullable<CouponDraft['kind']>, name: (d.name ?? '').trim(), budget: d.budget ?? 0, scopeStoreId: d.scope === 'STORE' ? d.scopeId : null, scopeRegionId: d.scope === 'REGION' ? d.scopeId : null },
        });
        message.success('已创建优惠券');
      } else if (editing) {
        await request(UpdateCouponTemplateDocument, { id: editing.id, input: templateFields(d) });
        message.success('已保存');
      }
      setEditing(null);
      void reload();
    } catch (e) {
      message.error(errorZh(e));
    }
  }

  function exportCsv() {
    download(
      'coupon-templates.csv',
      toCsv(
        ['ID', '名称', '类型', '优惠', '归属', '有效期', '每人限领', '总量', '已发放', '剩余', '已使用', '积分价格', '新人券', '状态'],
        rows.map((t) => [t.id, t.name, COUPON_KIND_ZH[t.kind] ?? t.kind, couponTerms(t), ownerName(t, scope), couponValidity(t), t.limitPerMember, t.budget, t.issued, t.remaining, t.used, t.pointsPrice, t.welcome ? '是' : '否', t.active ? '启用' : '停用']),
      ),
    );
  }

  return (
    <Card
      title="优惠券"
      extra={
        <Space>
          <Switch checkedChildren="只看启用" unCheckedChildren="全部" checked={activeOnly} onChange={setActiveOnly} />
          <Button onClick={exportCsv}>导出 CSV</Button>
          <Button type="primary" onClick={() => setEditing('new')} data-testid="new-coupon">
            新建优惠券
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', render: (k: string) => <Tag>{COUPON_KIND_ZH[k]}</Tag> },
          { title: '优惠', render: (_, t) => couponTerms(t) },
          { title: '归属', render: (_, t) => ownerName(t, scope) },
          { title: '有效期', render: (_, t) => couponValidity(t) },
          { title: '每人限领', dataIndex: 'limitPerMember', render: (v: number | null) => v ?? '不限' },
          { title: '已发放 / 总量', render: (_, t) => `${t.issued} / ${t.budget}` },
          { title: '剩余', dataIndex: 'remaining' },
          { title: '已使用', dataIndex: 'used' },
          { title: '积分价格', dataIndex: 'pointsPrice', render: (v: number | null) => v ?? '不出售' },
          { title: '状态', render: (_, t) => <Space size={4}>{t.active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>}{t.welcome && <Tag color="gold">新人券</Tag>}</Space> },
          {
            title: '操作',
            render: (_, t) => (
              <Space>
                <Button size="small" onClick={() => setEditing(t)}>
                  编辑
                </Button>
                <Button size="small" type="primary" disabled={!t.active || t.remaining === 0} onClick={() => setIssuing(t)}>
                  发放
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal width={720} title={editing === 'new' ? '新建优惠券' : '编辑优惠券'} open={!!editing} onCancel={() => setEditing(null)} footer={null} destroyOnHidden>
        {editing && <CouponForm scope={scope} initial={editing === 'new' ? undefined : editing} onSubmit={save} />}
      </Modal>
      <Modal title={`发放「${issuing?.name ?? ''}」`} open={!!issuing} onCancel={() => setIssuing(null)} footer={null} destroyOnHidden>
        {issuing && (
          <>
            <Typography.Paragraph>{`${couponTerms(issuing)} · ${couponValidity(issuing)}`}</Typography.Paragraph>
            <IssueForm
              remaining={issuing.remaining}
              onSubmit={async (memberNos, idempotencyKey) => {
                try {
                  const r = (await request(IssueCouponsDocument, { input: { templateId: issuing.id, memberNos, idempotencyKey } })).issueCoupons;
                  message.success(`已发放 ${r.issued} 张${r.alreadyIssued ? `（${r.alreadyIssued} 张此前已发放）` : ''}，剩余 ${r.remaining} 张`);
                  setIssuing(null);
                  void reload();
                } catch (e) {
                  message.error(issueErrorZh(e));
                }
              }}
            />
          </>
        )}
      </Modal>
    </Card>
  );
}
