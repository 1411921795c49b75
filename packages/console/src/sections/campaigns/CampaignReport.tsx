import { Alert, Descriptions, Spin, Space, Tag } from 'antd';
import { useGql } from '../../api/use-gql';
import { ChartCard } from '../../dashboard/ChartCard';
import { beijingTime } from '../../format';
import { CampaignReportDocument } from '../../graphql/generated';
import { campaignReportOption, campaignReportTable, upliftText } from './model';

/** The report of one campaign: treated vs holdout (table, bar chart, CSV) and the uplift with its 95 % interval. */
export function CampaignReport({ id }: { id: string }) {
  const { data, error } = useGql(CampaignReportDocument, { id });
  if (error) return <Alert type="error" title={error.zh} />;
  if (!data) return <Spin />;
  const r = data.campaignReport;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="观察期">
          {beijingTime(r.windowStart as string)} – {beijingTime(r.windowEnd as string)} {r.final ? <Tag color="green">最终结果</Tag> : <Tag>进行中</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label="响应率提升">
          <span data-testid="campaign-uplift">{upliftText(r)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="券发放 / 使用">
          {r.couponsIssued} / {r.couponsRedeemed}
        </Descriptions.Item>
        <Descriptions.Item label="券使用率">{r.redemptionRate == null ? '—' : `${(r.redemptionRate * 100).toFixed(1)}%`}</Descriptions.Item>
      </Descriptions>
      <ChartCard name={`campaign-${id}`} title="处理组 vs 对照组" option={campaignReportOption(r)} table={campaignReportTable(r)} initialView="table" height={260} />
    </Space>
  );
}
