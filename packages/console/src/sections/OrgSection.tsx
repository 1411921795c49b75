import { useMemo, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd';
import { errorZh, request } from '../api/client';
import { useGql } from '../api/use-gql';
import { beijingTime, ROLE_ZH, SCOPE_ZH } from '../format';
import { AssignRoleDocument, CreateRegionDocument, CreateStoreDocument, RevokeRoleDocument, RoleGrantsDocument, type Role, type RoleScope } from '../graphql/generated';
import { useScope } from '../scope';
import { orgCode, orgName } from '../validation';

const rule = (check: (v: string | undefined) => string | null) => ({ validator: async (_: unknown, v: string | undefined) => { const m = check(v); if (m) throw new Error(m); } });

/** A form to create a region or a store (HQ managers); validation mirrors CreateRegionInput/CreateStoreInput. */
export function StoreForm({ regions, onSubmit }: { regions: { id: string; name: string }[]; onSubmit: (v: { regionId: string; code: string; name: string }) => Promise<void> }) {
  const [form] = Form.useForm();
  return (
    <Form form={form} layout="vertical" onFinish={onSubmit} data-testid="store-form">
      <Form.Item name="regionId" label="所属区域" rules={[{ required: true, message: '请选择区域' }]}>
        <Select placeholder="选择区域" options={regions.map((r) => ({ value: r.id, label: r.name }))} />
      </Form.Item>
      <Form.Item name="code" label="门店编码" rules={[rule(orgCode)]} extra="例如 bj-wangjing">
        <Input placeholder="bj-wangjing" />
      </Form.Item>
      <Form.Item name="name" label="门店名称" rules={[rule(orgName)]}>
        <Input placeholder="北京望京店" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        创建门店
      </Button>
    </Form>
  );
}

function Stores() {
  const scope = useScope();
  const { message } = App.useApp();
  const [regionId, setRegionId] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [extra, setExtra] = useState<typeof scope.stores>([]);
  const rows = useMemo(() => [...scope.stores, ...extra].filter((s) => (!regionId || s.regionId === regionId) && (!q || s.name.includes(q) || s.code.includes(q))), [scope.stores, extra, regionId, q]);
  return (
    <Card
      title="门店"
      extra={
        scope.hq && (
          <Button type="primary" onClick={() => setOpen(true)} data-testid="new-store">
            新建门店
          </Button>
        )
      }
    >
      <Space style={{ marginBottom: 16 }}>
        <Select allowClear placeholder="全部区域" style={{ width: 160 }} value={regionId} onChange={setRegionId} options={scope.regions.map((r) => ({ value: r.id, label: r.name }))} />
        <Input.Search allowClear placeholder="搜索名称或编码" onSearch={setQ} style={{ width: 220 }} />
      </Space>
      <Table
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 80 },
          { title: '编码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '区域', dataIndex: 'regionName' },
        ]}
      />
      <Modal title="新建门店" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <StoreForm
          regions={scope.regions}
          onSubmit={async (v) => {
            try {
              const { createStore } = await request(CreateStoreDocument, { input: v });
              setExtra((x) => [...x, { ...createStore }]);
              message.success(`已创建门店 ${createStore.name}`);
              setOpen(false);
            } catch (e) {
              message.error(errorZh(e));
            }
          }}
        />
      </Modal>
    </Card>
  );
}

function Regions() {
  const scope = useScope();
  const { message } = App.useApp();
  const [extra, setExtra] = useState<typeof scope.regions>([]);
  const [form] = Form.useForm();
  return (
    <Card title="区域">
      {scope.hq && (
        <Form
          form={form}
          layout="inline"
          style={{ marginBottom: 16 }}
          onFinish={async (v: { code: string; name: string }) => {
            try {
              const { createRegion } = await request(CreateRegionDocument, { input: v });
              setExtra((x) => [...x, createRegion]);
              form.resetFields();
              message.success(`已创建区域 ${createRegion.name}`);
            } catch (e) {
              message.error(errorZh(e));
            }
          }}
        >
          <Form.Item name="code" rules={[rule(orgCode)]}>
            <Input placeholder="区域编码，如 shanghai" />
          </Form.Item>
          <Form.Item name="name" rules={[rule(orgName)]}>
            <Input placeholder="区域名称，如 上海" />
          </Form.Item>
          <Button htmlType="submit">新建区域</Button>
        </Form>
      )}
      <Table rowKey="id" dataSource={[...scope.regions, ...extra]} pagination={false} columns={[{ title: 'ID', dataIndex: 'id', width: 80 }, { title: '编码', dataIndex: 'code' }, { title: '名称', dataIndex: 'name' }]} />
    </Card>
  );
}

function Grants() {
  const scope = useScope();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [storeId, setStoreId] = useState<string | undefined>();
  const [role, setRole] = useState<Role | undefined>();
  const [open, setOpen] = useState(false);
  const pageSize = 20;
  const { data, loading, reload, error } = useGql(RoleGrantsDocument, { storeId: storeId ?? null, role: role ?? null, first: pageSize, offset: (page - 1) * pageSize });
  const storeName = (id: string | null) => scope.stores.find((s) => s.id === id)?.name ?? id ?? '';
  const regionName = (id: string | null) => scope.regions.find((r) => r.id === id)?.name ?? scope.stores.find((s) => s.regionId === id)?.regionName ?? id ?? '';
  const [form] = Form.useForm();
  const grantScope = Form.useWatch('scope', form) as RoleScope | undefined;
  return (
    <Card title="角色授权" extra={<Button type="primary" onClick={() => setOpen(true)}>授予角色</Button>}>
      <Space style={{ marginBottom: 16 }}>
        <Select allowClear placeholder="全部门店" style={{ width: 180 }} value={storeId} onChange={(v) => (setStoreId(v), setPage(1))} options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} />
        <Select allowClear placeholder="全部角色" style={{ width: 140 }} value={role} onChange={(v) => (setRole(v), setPage(1))} options={Object.entries(ROLE_ZH).map(([value, label]) => ({ value, label }))} />
      </Space>
      {error && <div role="alert">{error.zh}</div>}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={data?.roleGrants.items ?? []}
        pagination={{ current: page, pageSize, total: data?.roleGrants.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        columns={[
          { title: '用户', render: (_, g) => `${g.nickname ?? '—'}（ID ${g.userId}${g.memberNo ? ` · 会员号 ${g.memberNo}` : ''}）` },
          { title: '角色', dataIndex: 'role', render: (r: string) => <Tag>{ROLE_ZH[r]}</Tag> },
          { title: '范围', render: (_, g) => (g.scope === 'HQ' ? '总部' : g.scope === 'REGION' ? `区域：${regionName(g.regionId)}` : `门店：${storeName(g.storeId)}`) },
          { title: '授予时间', dataIndex: 'createdAt', render: beijingTime },
          {
            title: '操作',
            render: (_, g) => (
              <Popconfirm
                title="确定撤销该角色？"
                onConfirm={async () => {
                  try {
                    await request(RevokeRoleDocument, { id: g.id });
                    message.success('已撤销');
                    void reload();
                  } catch (e) {
                    message.error(errorZh(e));
                  }
                }}
              >
                <Button size="small" danger>
                  撤销
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal title="授予角色" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ role: 'STAFF', scope: 'STORE' }}
          onFinish={async (v: { userId: string; role: Role; scope: RoleScope; storeId?: string; regionId?: string }) => {
            try {
              await request(AssignRoleDocument, { input: { userId: v.userId, role: v.role, scope: v.scope, storeId: v.scope === 'STORE' ? v.storeId : null, regionId: v.scope === 'REGION' ? v.regionId : null } });
              message.success('已授予');
              setOpen(false);
              void reload();
            } catch (e) {
              message.error(errorZh(e));
            }
          }}
        >
          <Form.Item name="userId" label="用户 ID" rules={[{ required: true, pattern: /^[1-9]\d*$/, message: '请输入用户 ID（正整数）' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true }]}>
            <Select options={Object.entries(ROLE_ZH).filter(([r]) => scope.hq || r !== 'MANAGER').map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="scope" label="范围" rules={[{ required: true }]}>
            <Select options={Object.entries(SCOPE_ZH).filter(([s]) => scope.hq || s !== 'HQ').map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          {grantScope === 'STORE' && (
            <Form.Item name="storeId" label="门店" rules={[{ required: true, message: '请选择门店' }]}>
              <Select options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} />
            </Form.Item>
          )}
          {grantScope === 'REGION' && (
            <Form.Item name="regionId" label="区域" rules={[{ required: true, message: '请选择区域' }]}>
              <Select options={scope.regions.map((r) => ({ value: r.id, label: r.name }))} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit">
            授予
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}

/** 组织架构: stores and regions in the manager's scope, role grants. */
export default function OrgSection() {
  return <Tabs items={[{ key: 'stores', label: '门店', children: <Stores /> }, { key: 'regions', label: '区域', children: <Regions /> }, { key: 'grants', label: '角色授权', children: <Grants /> }]} />;
}
