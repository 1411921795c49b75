import { Button, Card, Col, Row, Statistic, Tooltip, Typography } from 'antd';
import { download, toCsv } from '../../format';
import { KPI_DEFS, formatKpi, kpiChange, kpiTable, type KpiDef } from '../../dashboard/kpi';
import type { KpiFieldsFragment } from '../../graphql/generated';

const TONE = { good: '#389e0d', bad: '#cf1322', neutral: '#8c8c8c' } as const;
const ARROW = { up: '↑', down: '↓', flat: '', none: '' } as const;

/** One KPI: the value, the change against the previous period, the definition on hover. */
export function KpiTile({ def, current, previous }: { def: KpiDef; current: number | null; previous: number | null }) {
  const ch = kpiChange(def, current, previous);
  return (
    <Card size="small" data-testid={`kpi-${def.key}`}>
      <Statistic
        title={
          <Tooltip title={def.definition}>
            <span style={{ borderBottom: '1px dashed #bbb', cursor: 'help' }}>{def.label}</span>
          </Tooltip>
        }
        value={formatKpi(def.format, current)}
        styles={{ content: { fontSize: 22 } }}
      />
      <Typography.Text style={{ color: TONE[ch.tone], fontSize: 12 }} data-testid={`kpi-${def.key}-change`}>
        {ARROW[ch.direction]} {ch.text}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}> · 上期 {formatKpi(def.format, previous)}</Typography.Text>
      </Typography.Text>
    </Card>
  );
}

/** Every KPI `analyticsKpis` returns, as tiles; CSV of both periods. */
export function KpiTiles({ current, previous, activeDays }: { current: KpiFieldsFragment; previous: KpiFieldsFragment; activeDays: number }) {
  const t = kpiTable(current, previous);
  return (
    <Card
      title="关键指标"
      data-testid="kpi-tiles"
      extra={
        <>
          <Typography.Text type="secondary" style={{ marginRight: 12 }}>活跃窗口 {activeDays} 天</Typography.Text>
          <Button size="small" onClick={() => download('kpis.csv', toCsv(t.header, t.rows))}>导出 CSV</Button>
        </>
      }
    >
      <Row gutter={[12, 12]}>
        {KPI_DEFS.map((d) => (
          <Col key={d.key} xs={12} md={8} lg={6} xl={4}>
            <KpiTile def={d} current={current[d.key]} previous={previous[d.key]} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
