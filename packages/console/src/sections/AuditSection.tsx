import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Select, Space, Table, Typography } from 'antd';
import { errorZh, request } from '../api/client';
import { useGql } from '../api/use-gql';
import { beijingTime, download, toCsv } from '../format';
import { AuditLogDocument, type AuditFilterInput, type AuditLogQuery } from '../graphql/generated';
import { ACTIONS, TARGETS } from './audit-labels';

type Entry = AuditLogQuery['auditLog']['items'][number];
const pretty = (j: string | null) => (j ? JSON.stringify(JSON.parse(j), null, 2) : '—');

/** 审计日志: every manager change in the scope (who, when, what, before/after), filtered, paginated, exportable. */
export default function AuditSection() {
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<AuditFilterInput>({});
  const pageSize = 20;
  const { data, loading, error } = useGql(AuditLogDocument, { filter, first: pageSize, offset: (page - 1) * pageSize });
  const set = (f: Partial<AuditFilterInput>) => (setFilter((x) => ({ ...x, ...f })), setPage(1));

  async function exportCsv() {
    try {
      const rows: Entry[] = [];
      for (let offset = 0; offset < 5000; offset += 200) {
        const { auditLog } = await request(AuditLogDocument, { filter, first: 200, offset });
        rows.push(...auditLog.items);
        if (rows.length >= auditLog.total || auditLog.items.length === 0) break;
      }
      download(
        'audit-log.csv',
        toCsv(['时间（北京）', '操作人ID', '会员号', '操作', '对象', '对象ID', '区域ID', '门店ID', '变更前', '变更后'], rows.map((e) => [beijingTime(e.createdAt), e.actorUserId, e.actorMemberNo, ACTIONS[e.action] ?? e.action, TARGETS[e.targetType] ?? e.targetType, e.targetId, e.regionId, e.storeId, e.before, e.after])),
      );
    } catch (e) {
      message.error(errorZh(e));
    }
  }

  return (
    <Card title="审计日志" extra={<Button onClick={exportCsv}>导出 CSV</Button>}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select allowClear placeholder="全部操作" style={{ width: 180 }} onChange={(v?: string) => set({ action: v ?? null })} options={Object.entries(ACTIONS).map(([value, label]) => ({ value, label }))} />
        <Select allowClear placeholder="全部对象" style={{ width: 140 }} onChange={(v?: string) => set({ targetType: v ?? null })} options={Object.entries(TARGETS).map(([value, label]) => ({ value, label }))} />
        <DatePicker.RangePicker onChange={(r) => set({ since: r?.[0]?.startOf('day').toISOString() ?? null, until: r?.[1]?.endOf('day').toISOString() ?? null })} />
      </Space>
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={data?.auditLog.items ?? []}
        pagination={{ current: page, pageSize, total: data?.auditLog.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        expandable={{
          expandedRowRender: (e: Entry) => (
            <Descriptions column={2} bordered size="small">
              <Descriptions.Item label="变更前">
                <Typography.Text code style={{ whiteSpace: 'pre' }}>{pretty(e.before)}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="变更后">
                <Typography.Text code style={{ whiteSpace: 'pre' }}>{pretty(e.after)}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          { title: '时间（北京）', dataIndex: 'createdAt', render: beijingTime },
          { title: '操作人', render: (_, e) => `ID ${e.actorUserId}${e.actorMemberNo ? ` · ${e.actorMemberNo}` : ''}` },
          { title: '操作', dataIndex: 'action', render: (a: string) => ACTIONS[a] ?? a },
          { title: '对象', render: (_, e) => `${TARGETS[e.targetType] ?? e.targetType} ${e.targetId ?? ''}` },
        ]}
      />
    </Card>
  );
}
