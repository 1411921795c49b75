import { useMemo, useState } from 'react';
import { Alert, Segmented, Typography } from 'antd';
import { useGql } from '../../api/use-gql';
import { ChartCard } from '../../dashboard/ChartCard';
import { COHORT_SPANS, cohortOption, cohortRange, cohortTable, type CohortSpan } from '../../dashboard/cohorts';
import { CohortRetentionDocument } from '../../graphql/generated';

/**
 * 会员留存（按注册月份）: the cohort grid of the picked scope over the last 6, 12 or 24 Beijing months (its own range:
 * cohorts need whole months, not the dashboard's days). `nowMs` picks the months only; every figure is the API's.
 */
export function CohortCard({ regionId, storeId, nowMs }: { regionId: string | null; storeId: string | null; nowMs: number }) {
  const [span, setSpan] = useState<CohortSpan>(12);
  const range = useMemo(() => cohortRange(nowMs, span), [nowMs, span]);
  const { data, error, loading } = useGql(CohortRetentionDocument, { ...range, regionId, storeId });
  const r = data?.cohortRetention;
  const table = useMemo(() => (r ? cohortTable(r) : null), [r]);
  const option = useMemo(() => (r ? cohortOption(r) : null), [r]);
  return (
    <>
      {error && <Alert type="error" title={`会员留存：${error.zh}`} style={{ marginBottom: 12 }} />}
      <ChartCard
        name="cohorts"
        title="会员留存（按注册月份）"
        option={option}
        table={table}
        loading={loading}
        empty={r != null && r.cohorts.every((c) => c.members === 0)}
        height={Math.max(240, 60 + (r?.cohorts.length ?? 12) * 28)}
        extra={<Segmented<CohortSpan> size="small" value={span} onChange={setSpan} options={COHORT_SPANS.map((n) => ({ value: n, label: `近 ${n} 个月` }))} />}
        footer={
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            每行是当月注册的会员，每格是其中在注册后第 N 个月（北京时间自然月，在任意门店）有消费的比例及人数；* 为本月，尚未结束。
          </Typography.Paragraph>
        }
      />
    </>
  );
}
