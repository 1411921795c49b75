import { useMemo, useState } from 'react';
import { Alert, Card, Segmented, Select, Space, Typography } from 'antd';
import { useGql } from '../../api/use-gql';
import { ChartCard } from '../../dashboard/ChartCard';
import { RADAR_METRIC_ZH, radarOption, radarSplitTable, radarTable, type RadarMetric } from '../../dashboard/charts';
import { TradeAreaRadarDocument } from '../../graphql/generated';

/** The trade-area radar of one store (seed 002): rings × 8 directions as a polar chart, split by gender and age band. */
export function RadarCard({ stores, storeId, onStore, from, to }: { stores: { id: string; name: string }[]; storeId: string | null; onStore: (id: string) => void; from: string; to: string }) {
  const [metric, setMetric] = useState<RadarMetric>('members');
  const [split, setSplit] = useState<'gender' | 'age'>('gender');
  const { data, error, loading } = useGql(TradeAreaRadarDocument, { storeId: storeId ?? '', from, to }, { skip: !storeId });
  const radar = data?.tradeAreaRadar;
  const option = useMemo(() => (radar ? radarOption(radar, metric) : null), [radar, metric]);
  const table = useMemo(() => (radar ? radarTable(radar) : null), [radar]);
  const splitTable = useMemo(() => (radar ? radarSplitTable(radar, split, metric) : null), [radar, split, metric]);
  const picker = (
    <Space wrap>
      <Select size="small" style={{ minWidth: 130 }} value={storeId ?? undefined} placeholder="选择门店" onChange={onStore} options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="radar-store" />
      <Segmented<RadarMetric> size="small" value={metric} onChange={setMetric} options={[{ value: 'members', label: '人数' }, { value: 'spendFen', label: '消费额' }, { value: 'points', label: '积分' }]} />
    </Space>
  );
  if (!storeId) return <Card title="商圈雷达">{picker}<Typography.Paragraph type="secondary">范围内没有门店。</Typography.Paragraph></Card>;
  return (
    <>
      {error && <Alert type="error" title={`商圈雷达：${error.zh}`} style={{ marginBottom: 12 }} />}
      <ChartCard
        name="radar"
        title="商圈雷达"
        footer={radar && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid="radar-located">已定位 {radar.located} 人，未定位 {radar.unlocated} 人（只统计授权共享位置的会员，位置已粗化到约 1 公里）</Typography.Paragraph>}
        option={option}
        table={table}
        loading={loading}
        empty={radar?.located === 0}
        extra={picker}
        height={380}
      />
      {splitTable && radar && radar.located > 0 && (
        <ChartCard
          name={`radar-by-${split}`}
          title={`商圈雷达 · 按${split === 'gender' ? '性别' : '年龄段'}（${RADAR_METRIC_ZH[metric]}）`}
          option={null}
          table={splitTable}
          tableOnly
          extra={<Segmented size="small" value={split} onChange={(v) => setSplit(v as 'gender' | 'age')} options={[{ value: 'gender', label: '性别' }, { value: 'age', label: '年龄段' }]} />}
        />
      )}
    </>
  );
}
