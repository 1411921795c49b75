import { useMemo, useState } from 'react';
import { Alert, Col, Row, Select, Space } from 'antd';
import { useGql } from '../api/use-gql';
import { ChartCard } from '../dashboard/ChartCard';
import { ratingsOption, ratingsTable, staffRatingRows, storeRatingRows } from '../dashboard/charts';
import { defaultRange, rangeError, toApiRange, type DateRange } from '../dashboard/range';
import { RangeBar } from '../dashboard/RangeBar';
import { StaffRatingsDocument, StoreRatingsDocument } from '../graphql/generated';
import { useScope } from '../scope';
import { LowRatings } from './ratings/LowRatings';

/**
 * 服务评价: the members' instant ratings (F11) in the manager's scope over Beijing dates (default the last 30 days):
 * per store and per staff member of a store (distribution bars + table + CSV), and the low ratings to follow up.
 */
export default function RatingsSection() {
  const scope = useScope();
  const [range, setRange] = useState<DateRange>(() => defaultRange(Date.now()));
  const bad = rangeError(range) !== null;
  const api = bad ? { from: '', to: '' } : toApiRange(range);
  const stores = useGql(StoreRatingsDocument, { since: api.from, until: api.to }, { skip: bad });
  const [storePick, setStorePick] = useState<string | null>(null);
  const storeId = storePick ?? scope.stores[0]?.id ?? null;
  const staff = useGql(StaffRatingsDocument, { storeId: storeId ?? '', since: api.from, until: api.to }, { skip: bad || !storeId });
  const storeRows = useMemo(() => storeRatingRows(stores.data?.storeRatings ?? []), [stores.data]);
  const staffRows = useMemo(() => staffRatingRows(staff.data?.staffRatings ?? []), [staff.data]);
  const [lowStore, setLowStore] = useState<string | null>(null);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="ratings">
      <RangeBar range={range} onRange={setRange} />
      {(stores.error ?? staff.error) && <Alert type="error" title={(stores.error ?? staff.error)?.zh} showIcon />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ChartCard
            name="store-ratings"
            title="门店评价"
            option={stores.data ? ratingsOption(storeRows) : null}
            table={stores.data ? ratingsTable(storeRows, '门店') : null}
            loading={stores.loading}
            empty={stores.data != null && storeRows.every((r) => r.count === 0)}
            height={Math.max(240, 60 + storeRows.length * 36)}
          />
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard
            name="staff-ratings"
            title="店员评价"
            option={staff.data ? ratingsOption(staffRows) : null}
            table={staff.data ? ratingsTable(staffRows, '店员') : null}
            loading={staff.loading}
            empty={staff.data != null && staffRows.length === 0}
            height={Math.max(240, 60 + staffRows.length * 36)}
            extra={<Select size="small" style={{ minWidth: 160 }} value={storeId ?? undefined} onChange={setStorePick} options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="staff-store" />}
          />
        </Col>
      </Row>
      <Space>
        <Select allowClear placeholder="全部门店" style={{ minWidth: 180 }} value={lowStore ?? undefined} onChange={(v?: string) => setLowStore(v ?? null)} options={scope.stores.map((s) => ({ value: s.id, label: s.name }))} />
      </Space>
      {!bad && <LowRatings since={api.from} until={api.to} storeId={lowStore} />}
    </Space>
  );
}
