import { App, Button, Card, Form, Input, Table } from 'antd';
import { errorZh, request } from '../../api/client';
import { CreateRewardPartnerDocument } from '../../graphql/generated';
import { partnerErrors, type PartnerDraft } from '../../validation-rewards';

/** The partner form; checks mirror createRewardPartner (code 2–32 of a-z 0-9 _ -, name 1–64). */
export function PartnerForm({ onSubmit }: { onSubmit: (d: PartnerDraft) => Promise<boolean> }) {
  const [form] = Form.useForm<PartnerDraft>();
  const check = (field: keyof PartnerDraft) => ({
    validator: async () => {
      const m = partnerErrors(form.getFieldsValue(true) as PartnerDraft)[field];
      if (m) throw new Error(m);
    },
  });
  return (
    <Form
      form={form}
      layout="inline"
      data-testid="partner-form"
      onFinish={async () => {
        const v = form.getFieldsValue(true) as PartnerDraft;
        if (await onSubmit({ code: (v.code ?? '').trim(), name: (v.name ?? '').trim() })) form.resetFields();
      }}
    >
      <Form.Item name="code" label="代码" rules={[check('code')]}>
        <Input placeholder="cnpc" />
      </Form.Item>
      <Form.Item name="name" label="名称" rules={[check('name')]}>
        <Input placeholder="中国石油" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        添加合作方
      </Button>
    </Form>
  );
}

/** 合作方 (联盟商家): the partners that supply top-ups and fuel cards, and adding one (HQ managers). */
export function PartnersCard({ partners, loading, onChanged }: { partners: { id: string; code: string; name: string }[]; loading: boolean; onChanged: () => void }) {
  const { message } = App.useApp();
  return (
    <Card title="合作方" size="small" style={{ marginBottom: 16 }}>
      <PartnerForm
        onSubmit={async (input) => {
          try {
            const { createRewardPartner } = await request(CreateRewardPartnerDocument, { input: { code: input.code ?? '', name: input.name ?? '' } });
            message.success(`已添加合作方 ${createRewardPartner.name}`);
            onChanged();
            return true;
          } catch (e) {
            message.error(errorZh(e));
            return false;
          }
        }}
      />
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={partners}
        pagination={false}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
        ]}
      />
    </Card>
  );
}
