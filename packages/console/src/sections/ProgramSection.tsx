import { useMemo, useState } from 'react';
import { Alert, App, AutoComplete, Button, Card, Col, DatePicker, Form, Input, InputNumber, List, Modal, Row, Select, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { EarningRulesDocument, TiersDocument } from '@quanzi/shared/graphql';
import { errorZh, request } from '../api/client';
import { useGql } from '../api/use-gql';
import { categoryCodes } from '@quanzi/shared';
import { beijingTime, categoryZh, RULE_KIND_ZH, SCOPE_ZH, yuan } from '../format';
import { CreateEarningRuleDocument, EarningRuleDefinitionsDocument, SetEarningRuleActiveDocument, UpsertTierDocument } from '../graphql/generated';
import { previewPurchase } from '../preview';
import { useScope } from '../scope';
import { ruleErrors, tierErrors, type RuleDraft, type TierDraft, type TierRow } from '../validation';
import { SettingsTab } from './program/SettingsTab';

/** The tier form; checks mirror TierInput and TierService.upsert (ordering against the other tiers). */
export function TierForm({ tiers, initial, onSubmit }: { tiers: readonly TierRow[]; initial?: TierDraft; onSubmit: (v: Required<TierDraft>) => Promise<void> }) {
  const [form] = Form.useForm<TierDraft>();
  const check = (field: keyof TierDraft) => ({
    validator: async () => {
      const m = tierErrors(form.getFieldsValue(true) as TierDraft, tiers)[field];
      if (m) throw new Error(m);
    },
  });
  return (
    <Form form={form} layout="vertical" initialValues={initial ?? { multiplierPct: 100 }} onFinish={(v) => onSubmit(v as Required<TierDraft>)} data-testid="tier-form">
      <Form.Item name="code" label="等级编码" rules={[check('code')]}>
        <Input placeholder="VIP" disabled={!!initial?.code} />
      </Form.Item>
      <Form.Item name="name" label="等级名称" rules={[check('name')]}>
        <Input placeholder="黑金" />
      </Form.Item>
      <Form.Item name="rank" label="级别（0 为入门等级）" rules={[check('rank')]} dependencies={['thresholdYuan']}>
        <InputNumber style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="thresholdYuan" label="近 12 个月消费门槛（元）" rules={[check('thresholdYuan')]} dependencies={['rank']}>
        <InputNumber style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="multiplierPct" label="积分倍数（%，100 = 不加倍）" rules={[check('multiplierPct')]}>
        <InputNumber style={{ width: '100%' }} />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        保存等级
      </Button>
    </Form>
  );
}

function Tiers() {
  const scope = useScope();
  const { message } = App.useApp();
  const { data, loading, reload } = useGql(TiersDocument, {});
  const [editing, setEditing] = useState<TierDraft | null>(null);
  const tiers = data?.tiers ?? [];
  return (
    <Card title="会员等级" extra={scope.hq && <Button type="primary" onClick={() => setEditing({})} data-testid="new-tier">新建等级</Button>}>
      {!scope.hq && <Alert type="info" title="会员等级由总部经理维护" style={{ marginBottom: 16 }} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={tiers}
        pagination={false}
        columns={[
          { title: '级别', dataIndex: 'rank', width: 80 },
          { title: '编码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '门槛（近 12 个月消费）', dataIndex: 'thresholdFen', render: yuan },
          { title: '积分倍数', dataIndex: 'multiplierPct', render: (p: number) => `${p}%` },
          ...(scope.hq ? [{ title: '操作', render: (_: unknown, t: (typeof tiers)[number]) => <Button size="small" onClick={() => setEditing({ code: t.code, name: t.name, rank: t.rank, thresholdYuan: t.thresholdFen / 100, multiplierPct: t.multiplierPct })}>编辑</Button> }] : []),
        ]}
      />
      <Modal title={editing?.code ? '编辑等级' : '新建等级'} open={!!editing} onCancel={() => setEditing(null)} footer={null} destroyOnHidden>
        {editing && (
          <TierForm
            tiers={tiers}
            initial={editing}
            onSubmit={async (v) => {
              try {
                await request(UpsertTierDocument, { input: { code: v.code, name: v.name, rank: v.rank as number, thresholdFen: Math.round((v.thresholdYuan as number) * 100), multiplierPct: v.multiplierPct as number } });
                message.success('已保存');
                setEditing(null);
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

/** The earning-rule form; checks mirror CreateEarningRuleInput and EarningService.validateRule. */
export function RuleForm({ onSubmit }: { onSubmit: (v: RuleDraft) => Promise<void> }) {
  const scope = useScope();
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form) as RuleDraft['kind'];
  const ruleScope = Form.useWatch('scope', form) as RuleDraft['scope'];
  const draft = (): RuleDraft => {
    const v = form.getFieldsValue(true) as RuleDraft & { window?: [{ toDate(): Date }, { toDate(): Date }] | null };
    return { ...v, startsAt: v.window?.[0]?.toDate() ?? null, endsAt: v.window?.[1]?.toDate() ?? null };
  };
  const check = (field: keyof RuleDraft) => ({
    validator: async () => {
      const m = ruleErrors(draft())[field];
      if (m) throw new Error(m);
    },
  });
  const scopes = (['HQ', 'REGION', 'STORE'] as const).filter((s) => (s === 'HQ' ? scope.hq : s === 'REGION' ? scope.regions.length > 0 : scope.stores.length > 0));
  return (
    <Form form={form} layout="vertical" initialValues={{ kind: 'CATEGORY', scope: scopes[0], multiplierPct: 200 }} onFinish={() => onSubmit(draft())} data-testid="rule-form">
      <Form.Item name="kind" label="规则类型" rules={[check('kind')]}>
        <Select options={Object.entries(RULE_KIND_ZH).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="name" label="规则名称" rules={[check('name')]}>
        <Input placeholder="服装 2 倍积分" />
      </Form.Item>
      <Form.Item name="scope" label="适用范围" rules={[check('scope')]}>
        <Select options={scopes.map((s) => ({ value: s, label: SCOPE_ZH[s] }))} />
      </Form.Item>
      {ruleScope && ruleScope !== 'HQ' && (
        <Form.Item name="scopeId" label={ruleScope === 'REGION' ? '区域' : '门店'} rules={[check('scopeId')]}>
          <Select options={(ruleScope === 'REGION' ? scope.regions : scope.stores).map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
      )}
      {kind === 'BASE_RATE' ? (
        <Form.Item name="yuanPerPoint" label="每 1 积分所需消费（元）" rules={[check('yuanPerPoint')]}>
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
      ) : (
        <Form.Item name="multiplierPct" label="倍数（%，200 = 2 倍，0 = 不积分）" rules={[check('multiplierPct')]}>
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
      )}
      {kind === 'CATEGORY' && (
        <Form.Item name="category" label="品类编码" rules={[check('category')]}>
          <AutoComplete placeholder="选择或输入新的品类编码" options={categoryCodes().map((value) => ({ value, label: `${categoryZh(value)}（${value}）` }))} />
        </Form.Item>
      )}
      {kind === 'CAMPAIGN' && (
        <Form.Item name="window" label="活动时间（北京时间）" rules={[check('endsAt')]}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit">
        创建规则
      </Button>
    </Form>
  );
}

function Rules() {
  const scope = useScope();
  const { message } = App.useApp();
  const { data, loading, reload } = useGql(EarningRuleDefinitionsDocument, {});
  const [open, setOpen] = useState(false);
  const storeIds = new Set(scope.stores.map((s) => s.id));
  // The API lists only the rules that apply inside the scope (HQ-wide ones, the scope's regions' and stores').
  const rows = data?.earningRuleDefinitions ?? [];
  const scopeName = (s: string, id: string | null) => (s === 'HQ' ? '全国' : s === 'REGION' ? (scope.regions.find((r) => r.id === id)?.name ?? scope.stores.find((x) => x.regionId === id)?.regionName ?? id) : (scope.stores.find((x) => x.id === id)?.name ?? id));
  const editable = (s: string, id: string | null) => scope.hq || (s === 'REGION' && scope.regions.some((r) => r.id === id)) || (s === 'STORE' && storeIds.has(id ?? ''));
  return (
    <Card title="积分规则" extra={<Button type="primary" onClick={() => setOpen(true)} data-testid="new-rule">新建规则</Button>}>
      <Table
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', render: (k: string) => <Tag>{RULE_KIND_ZH[k]}</Tag> },
          { title: '范围', render: (_, r) => scopeName(r.scope, r.scopeId) },
          { title: '内容', render: (_, r) => (r.kind === 'BASE_RATE' ? `${yuan(r.fenPerPoint)} = 1 积分` : `${r.kind === 'CATEGORY' ? `${categoryZh(r.category ?? '')} ` : ''}${r.multiplierPct}%`) },
          { title: '时间', render: (_, r) => (r.startsAt ? `${beijingTime(r.startsAt)} – ${beijingTime(r.endsAt)}` : '长期') },
          {
            title: '启用',
            render: (_, r) => (
              <Switch
                checked={r.active}
                disabled={!editable(r.scope, r.scopeId)}
                onChange={async (active) => {
                  try {
                    await request(SetEarningRuleActiveDocument, { id: r.id, active });
                    void reload();
                  } catch (e) {
                    message.error(errorZh(e));
                  }
                }}
              />
            ),
          },
        ]}
      />
      <Modal title="新建积分规则" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <RuleForm
          onSubmit={async (d) => {
            try {
              await request(CreateEarningRuleDocument, {
                input: {
                  kind: d.kind as NonNullable<RuleDraft['kind']>,
                  name: d.name as string,
                  scope: d.scope as NonNullable<RuleDraft['scope']>,
                  scopeId: d.scope === 'HQ' ? null : d.scopeId,
                  fenPerPoint: d.kind === 'BASE_RATE' ? Math.round((d.yuanPerPoint as number) * 100) : null,
                  multiplierPct: d.kind === 'BASE_RATE' ? null : d.multiplierPct,
                  category: d.kind === 'CATEGORY' ? d.category : null,
                  startsAt: d.kind === 'CAMPAIGN' ? d.startsAt?.toISOString() : null,
                  endsAt: d.kind === 'CAMPAIGN' ? d.endsAt?.toISOString() : null,
                },
              });
              message.success('已创建规则');
              setOpen(false);
              void reload();
            } catch (e) {
              message.error(errorZh(e));
            }
          }}
        />
      </Modal>
      <Preview key={String(data?.earningRuleDefinitions.length)} />
    </Card>
  );
}

/** Live preview: the shared engine (the till's) on the store's rules, step by step. */
function Preview() {
  const scope = useScope();
  const [storeId, setStoreId] = useState(scope.stores[0]?.id ?? '');
  const [amountYuan, setAmountYuan] = useState<number | null>(368);
  const [category, setCategory] = useState('apparel');
  const [tierCode, setTierCode] = useState('GOLD');
  const rules = useGql(EarningRulesDocument, { storeId }, { skip: !storeId });
  const tiers = useGql(TiersDocument, {});
  const tier = tiers.data?.tiers.find((t) => t.code === tierCode) ?? tiers.data?.tiers[0];
  const names = useMemo(() => ({ regions: new Map(scope.stores.map((s) => [s.regionId, s.regionName])), stores: new Map(scope.stores.map((s) => [s.id, s.name])) }), [scope.stores]);
  const result =
    rules.data && tier && amountYuan != null
      ? previewPurchase(rules.data.earningRules, names, { amountFen: Math.round(amountYuan * 100), category, tierMultiplierPct: tier.multiplierPct, tierName: tier.name, at: new Date() })
      : null;
  const store = scope.stores.find((s) => s.id === storeId);
  return (
    <Card type="inner" title="积分预览（与收银台同一计算引擎）" style={{ marginTop: 24 }} data-testid="preview">
      <Row gutter={12}>
        <Col>
          <Select style={{ width: 160 }} value={storeId} onChange={setStoreId} options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="preview-store" />
        </Col>
        <Col>
          <InputNumber prefix="¥" min={0.01} value={amountYuan} onChange={setAmountYuan} data-testid="preview-amount" />
        </Col>
        <Col>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 160 }}
            value={category}
            onChange={setCategory}
            options={categoryCodes(rules.data?.earningRules.categories.map((c) => c.category)).map((value) => ({ value, label: categoryZh(value) }))}
            data-testid="preview-category"
          />
        </Col>
        <Col>
          <Select style={{ width: 120 }} value={tier?.code} onChange={setTierCode} options={(tiers.data?.tiers ?? []).map((t) => ({ value: t.code, label: t.name }))} />
        </Col>
      </Row>
      {result && store && tier && (
        <>
          <Typography.Paragraph strong style={{ marginTop: 16 }} data-testid="preview-sentence">
            {`${tier.name}会员在${store.name}消费 ${yuan(Math.round((amountYuan ?? 0) * 100))} 的${categoryZh(category)}，可获得 `}
            <span data-testid="preview-points">{result.points}</span> 积分
          </Typography.Paragraph>
          <List size="small" bordered dataSource={result.steps} renderItem={(s) => <List.Item>{s.description}</List.Item>} />
        </>
      )}
    </Card>
  );
}

/** 积分方案: tiers and earning rules, with the live preview. */
export default function ProgramSection() {
  return <Tabs items={[{ key: 'rules', label: '积分规则', children: <Rules /> }, { key: 'tiers', label: '会员等级', children: <Tiers /> }, { key: 'settings', label: '方案设置', children: <SettingsTab /> }]} />;
}
