import { useMemo, useState } from 'react';
import { Alert, Col, Row, Segmented, Space, Statistic, Typography } from 'antd';
import { useGql } from '../api/use-gql';
import { ChartCard } from '../dashboard/ChartCard';
import { inventoryOption, inventoryTable, rfmOption, rfmTable, topShareText, type RfmMetric } from '../dashboard/charts';
import { defaultRange, rangeError, rfmWindowRange, toApiRange, type DateRange } from '../dashboard/range';
import { RangeBar } from '../dashboard/RangeBar';
import { defaultScopeKey, scopeArgs, scopeOptions } from '../dashboard/scope-pick';
import { AnalyticsKpisDocument, CustomerInventoryDocument, RfmReportDocument } from '../graphql/generated';
import { RFM_WINDOW_DAYS, type RfmWindowDays } from '@quanzi/shared';
import { useScope } from '../scope';
import { yuan } from '../format';
import { CohortCard } from './dashboard/CohortCard';
import { DecliningList } from './dashboard/DecliningList';
import { KpiTiles } from './dashboard/KpiTiles';
import { RadarCard } from './dashboard/RadarCard';

/**
 * 数据看板: the manager's live figures in a scope (HQ, a region, a store of their own) over Beijing dates (default
 * the last 30 days) against the period before: KPI tiles, the lifecycle inventory, the RFM grid, a store's
 * trade-area radar, the declining members and the monthly cohorts' retention. Each chart has a table view and a CSV export.
 */
export default function DashboardSection() {
  const scope = useScope();
  const [scopeKey, setScopeKey] = useState(() => defaultScopeKey(scope));
  // The browser's clock picks the default dates only; every figure is the API's.
  const [nowMs] = useState(() => Date.now());
  const [range, setRange] = useState<DateRange>(() => defaultRange(nowMs));
  const [rfmMetric, setRfmMetric] = useState<RfmMetric>('members');
  const args = scopeArgs(scopeKey);
  const bad = rangeError(range) !== null;
  const api = bad ? { from: '', to: '' } : toApiRange(range);
  const vars = { ...api, ...args };
  const kpis = useGql(AnalyticsKpisDocument, vars, { skip: bad });
  const inv = useGql(CustomerInventoryDocument, vars, { skip: bad });
  // RFM over a fixed window of whole days up to yesterday (HQ's daily snapshot), not the range picked above.
  const [rfmDays, setRfmDays] = useState<RfmWindowDays>(30);
  const rfm = useGql(RfmReportDocument, { ...rfmWindowRange(nowMs, rfmDays), ...args });

  // The radar is per store: the picked store, else the first store of the picked region / of the scope.
  const radarStores = useMemo(
    () => scope.stores.filter((s) => (args.storeId ? s.id === args.storeId : args.regionId ? s.regionId === args.regionId : true)),
    [scope.stores, args.storeId, args.regionId],
  );
  const [radarPick, setRadarPick] = useState<string | null>(null);
  const radarStore = radarStores.find((s) => s.id === radarPick)?.id ?? radarStores[0]?.id ?? null;

  const invData = inv.data?.customerInventory;
  const rfmData = rfm.data?.rfmReport;
  const invTable = useMemo(() => (invData ? inventoryTable(invData) : null), [invData]);
  const invOption = useMemo(() => (invData ? inventoryOption(invData) : null), [invData]);
  const rfmTab = useMemo(() => (rfmData ? rfmTable(rfmData) : null), [rfmData]);
  const rfmOpt = useMemo(() => (rfmData ? rfmOption(rfmData, rfmMetric) : null), [rfmData, rfmMetric]);
  const errors = [kpis.error, inv.error, rfm.error].filter((e) => e != null);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="dashboard">
      <RangeBar range={range} onRange={setRange} scope={scopeKey} onScope={(k) => (setScopeKey(k), setRadarPick(null))} scopeOptions={scopeOptions(scope)} compare />
      {errors[0] && <Alert type="error" title={errors[0].zh} showIcon />}
      {kpis.data && <KpiTiles current={kpis.data.analyticsKpis.current} previous={kpis.data.analyticsKpis.previous} activeDays={kpis.data.analyticsKpis.activeDays} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ChartCard name="inventory" title="会员生命周期（每周）" option={invOption} table={invTable} loading={inv.loading} empty={invData?.weeks.length === 0} />
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard
            name="rfm"
            title="RFM 分布"
            option={rfmOpt}
            table={rfmTab}
            loading={rfm.loading}
            empty={rfmData?.scoredMembers === 0}
            extra={
              <Space size={8}>
                <Segmented<RfmWindowDays> size="small" value={rfmDays} onChange={setRfmDays} options={RFM_WINDOW_DAYS.map((d) => ({ value: d, label: `近 ${d} 天` }))} data-testid="rfm-window" />
                <Segmented<RfmMetric> size="small" value={rfmMetric} onChange={setRfmMetric} options={[{ value: 'members', label: '人数' }, { value: 'spendFen', label: '消费额' }]} />
              </Space>
            }
            footer={
              rfmData && (
                <Space size={32} style={{ marginTop: 12 }} data-testid="rfm-summary">
                  <Statistic title="参与评分会员" value={rfmData.scoredMembers} />
                  <Statistic title="消费额" value={yuan(rfmData.spendFen)} />
                  <Statistic title="前 20% 会员贡献消费" value={topShareText(rfmData.topSpendShare)} />
                  <Typography.Text type="secondary">按整日统计，截至昨日{rfmData.source === 'SNAPSHOT' ? '（每日更新）' : ''}</Typography.Text>
                </Space>
              )
            }
          />
        </Col>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {!bad && <RadarCard stores={radarStores} storeId={radarStore} onStore={setRadarPick} from={api.from} to={api.to} />}
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <DecliningList regionId={args.regionId} storeId={args.storeId} />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            衰退会员按当前时间判定（不受日期范围影响）；列表不含手机号和位置。
          </Typography.Paragraph>
        </Col>
        <Col xs={24}>
          <CohortCard regionId={args.regionId} storeId={args.storeId} nowMs={nowMs} />
        </Col>
      </Row>
    </Space>
  );
}
