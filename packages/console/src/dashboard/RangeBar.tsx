import { DatePicker, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { previousRange, rangeError, rangeLabel, type DateRange } from './range';

/**
 * The dashboard's filters: the scope (HQ / a region / a store of the manager's scope) and Beijing dates with the
 * API's checks (not backwards, at most 3 years); a refused range is shown and not sent.
 */
export function RangeBar(props: {
  range: DateRange;
  onRange: (r: DateRange) => void;
  scopeOptions?: { value: string; label: string }[];
  scope?: string;
  onScope?: (k: string) => void;
  compare?: boolean;
}) {
  const error = rangeError(props.range);
  return (
    <Space wrap align="center" style={{ marginBottom: 16 }}>
      {props.scopeOptions && (
        <Select data-testid="scope-picker" style={{ minWidth: 200 }} value={props.scope} onChange={props.onScope} options={props.scopeOptions} showSearch={{ optionFilterProp: 'label' }} />
      )}
      <DatePicker.RangePicker
        data-testid="range-picker"
        allowClear={false}
        value={[dayjs(props.range.start), dayjs(props.range.end)]}
        onChange={(r) => r?.[0] && r[1] && props.onRange({ start: r[0].format('YYYY-MM-DD'), end: r[1].format('YYYY-MM-DD') })}
      />
      {error ? (
        <Typography.Text type="danger" data-testid="range-error">{error}</Typography.Text>
      ) : (
        props.compare && <Typography.Text type="secondary">北京时间；对比上一期 {rangeLabel(previousRange(props.range))}</Typography.Text>
      )}
    </Space>
  );
}
