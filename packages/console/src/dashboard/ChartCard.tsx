import { useState, type ReactNode } from 'react';
import { Button, Card, Empty, Segmented, Space, Table } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { download, toCsv } from '../format';
import type { TableModel } from './charts';
import { EChart } from './EChart';

export type ChartView = 'chart' | 'table';

/**
 * A chart with its table view and CSV export: both views and the file come from the same table model.
 * `name` keys the test ids (`chart-<name>`, `table-<name>`) and the file name (`<name>.csv`).
 */
export function ChartCard(props: {
  name: string;
  title: ReactNode;
  option: EChartsCoreOption | null;
  table: TableModel | null;
  empty?: boolean;
  loading?: boolean;
  extra?: ReactNode;
  footer?: ReactNode;
  height?: number;
  initialView?: ChartView;
  /** A table without a chart (e.g. a split of the chart above). */
  tableOnly?: boolean;
}) {
  const [chosen, setView] = useState<ChartView>(props.initialView ?? 'chart');
  const view = props.tableOnly ? 'table' : chosen;
  const { table } = props;
  return (
    <Card
      title={props.title}
      loading={props.loading && !table}
      data-testid={`card-${props.name}`}
      extra={
        <Space wrap>
          {props.extra}
          {!props.tableOnly && <Segmented<ChartView> size="small" value={view} onChange={setView} options={[{ value: 'chart', label: '图表' }, { value: 'table', label: '表格' }]} />}
          <Button size="small" disabled={!table} onClick={() => table && download(`${props.name}.csv`, toCsv(table.header, table.rows))}>
            导出 CSV
          </Button>
        </Space>
      }
    >
      {props.empty ? (
        <Empty description="所选范围内暂无数据" />
      ) : view === 'chart' ? (
        props.option && <EChart option={props.option} height={props.height} testId={`chart-${props.name}`} />
      ) : (
        table && (
          <Table
            data-testid={`table-${props.name}`}
            size="small"
            bordered
            scroll={{ x: true }}
            pagination={table.rows.length > 20 ? { pageSize: 20 } : false}
            rowKey="key"
            dataSource={table.rows.map((r, k) => ({ key: String(k), ...Object.fromEntries(r.map((v, i) => [`c${i}`, v])) }))}
            columns={table.header.map((h, i) => ({ title: h, dataIndex: `c${i}`, render: (v: unknown) => (v == null ? '—' : String(v)) }))}
          />
        )
      )}
      {props.footer}
    </Card>
  );
}
