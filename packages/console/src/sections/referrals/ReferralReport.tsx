import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Select, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useGql } from '../../api/use-gql';
import { defaultScopeKey, scopeArgs, scopeOptions, type ScopeKey } from '../../dashboard/scope-pick';
import { download, toCsv } from '../../format';
import { ReferralReportDocument, type ReferralReportQuery } from '../../graphql/generated';
import { useScope } from '../../scope';

type Row = ReferralReportQuery['referralReport'][number];
const storeLabel = (r: Row) => r.storeName ?? (r.storeId ? `门店 ${r.storeId}` : '未消费的邀请人');
const paid = (r: Row) => r.bonusPoints + r.sharePoints + r.welcomePoints;

/** 邀请有礼 · 报表: per store in the picked scope since a date (the API's default: the last 90 days). */
export function ReferralReport() {
  const scope = useScope();
  const [scopeKey, setScopeKey] = useState<ScopeKey>(defaultScopeKey(scope));
  const [since, setSince] = useState<Dayjs | null>(null);
  const { data, loading, error } = useGql(ReferralReportDocument, { ...scopeArgs(scopeKey), since: since ? since.startOf('day').toISOString() : null });
  const rows = data?.referralReport ?? [];

  function exportCsv() {
    download(
      'referrals.csv',
      toCsv(
        ['门店', '区域', '邀请', '注册', '达标', '邀请人奖励', '消费分成', '欢迎积分', '合计发放积分', '封顶扣减'],
        rows.map((r) => [storeLabel(r), r.regionName, r.invitations, r.signUps, r.qualified, r.bonusPoints, r.sharePoints, r.welcomePoints, paid(r), r.cappedPoints]),
      ),
    );
  }

  return (
    <Card
      title="邀请报表"
      extra={
        <Space>
          <Select data-testid="referral-scope" style={{ minWidth: 200 }} value={scopeKey} onChange={setScopeKey} options={scopeOptions(scope)} />
          <DatePicker placeholder="起始日期（默认近 90 天）" value={since} onChange={setSince} />
          <Button onClick={exportCsv} disabled={!rows.length}>
            导出 CSV
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" title={error.zh} />}
      <Table
        rowKey={(r) => r.storeId ?? 'none'}
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: '门店', render: (_, r) => storeLabel(r) },
          { title: '区域', dataIndex: 'regionName', render: (v: string | null) => v ?? '—' },
          { title: '邀请', dataIndex: 'invitations' },
          { title: '注册', dataIndex: 'signUps' },
          { title: '达标', dataIndex: 'qualified' },
          { title: '邀请人奖励', dataIndex: 'bonusPoints' },
          { title: '消费分成', dataIndex: 'sharePoints' },
          { title: '欢迎积分', dataIndex: 'welcomePoints' },
          { title: '合计发放积分', render: (_, r) => paid(r) },
          { title: '封顶扣减', dataIndex: 'cappedPoints' },
        ]}
      />
    </Card>
  );
}
