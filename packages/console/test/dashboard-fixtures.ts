/** Small hand-built API answers for the dashboard tests (display cases: literal instants). */
import type { CustomerInventoryQuery, RfmReportQuery, StoreRatingsQuery, TradeAreaRadarQuery } from '../src/graphql/generated';

const counts = (n: [number, number, number, number, number]) =>
  (['NEW', 'DEVELOPING', 'MATURE', 'DECLINING', 'LOST'] as const).map((stage, i) => ({ stage, members: n[i]! }));

export const INVENTORY: CustomerInventoryQuery['customerInventory'] = {
  // `at` is the exclusive end of each week: Beijing midnight starting 2026-11-30 and 2026-12-07.
  weeks: [
    { at: '2026-11-29T16:00:00.000Z', counts: counts([3, 1, 0, 0, 0]) },
    { at: '2026-12-06T16:00:00.000Z', counts: counts([2, 2, 0, 1, 1]) },
  ],
  trend: [],
};

const cells: RfmReportQuery['rfmReport']['cells'] = [];
for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) cells.push({ r, f, members: 0, spendFen: 0 });
cells[0] = { r: 1, f: 1, members: 1, spendFen: 1200 };
cells[24] = { r: 5, f: 5, members: 2, spendFen: 50050 };
export const RFM: RfmReportQuery['rfmReport'] = { scoredMembers: 3, spendFen: 51250, topSpendShare: 0.7671, source: 'SNAPSHOT', cells };

type Sector = TradeAreaRadarQuery['tradeAreaRadar']['sectors'][number];
const RINGS = ['KM_0_5', 'KM_5_10', 'KM_10_20', 'KM_20_PLUS'] as const;
const DIRS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
const sectors: Sector[] = RINGS.flatMap((ring) => DIRS.map((direction) => ({ ring, direction, members: 0, spendFen: 0, points: 0, byGender: [], byAgeBand: [] })));
sectors[0] = {
  ring: 'KM_0_5', direction: 'N', members: 2, spendFen: 30000, points: 150,
  byGender: [{ gender: 'FEMALE', members: 1, spendFen: 10000, points: 100 }, { gender: 'MALE', members: 1, spendFen: 20000, points: 50 }],
  byAgeBand: [{ ageBand: 'AGE_25_34', members: 2, spendFen: 30000, points: 150 }],
};
sectors[8 + 5] = {
  ring: 'KM_5_10', direction: 'SW', members: 1, spendFen: 1234, points: 40,
  byGender: [{ gender: 'FEMALE', members: 1, spendFen: 1234, points: 40 }],
  byAgeBand: [{ ageBand: null, members: 1, spendFen: 1234, points: 40 }],
};
export const RADAR: TradeAreaRadarQuery['tradeAreaRadar'] = { located: 3, unlocated: 1, sectors };

export const STORE_RATINGS: StoreRatingsQuery['storeRatings'] = [
  { storeId: '10', storeName: '北京国贸店', count: 4, average: 3.25, distribution: [1, 0, 0, 2, 1], low: 1, openLow: 1 },
  { storeId: '11', storeName: '上海静安店', count: 0, average: null, distribution: [0, 0, 0, 0, 0], low: 0, openLow: 0 },
];
