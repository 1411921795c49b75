/**
 * The trade-area radar (F10, seed 002's 商圈雷达): around one store, its members by distance ring (0–5, 5–10,
 * 10–20, 20+ km) and compass direction (8 sectors), with their count, spend and points per sector, split by gender
 * and age band.
 *
 * Who counts: the store's customers — members with a visit at the store in [from, to) or whose home store it is —
 * whose location is known with consent (stored coarsened to 0.01°). Spend is their net spend at this store in the
 * range; points are their ledger balance at `to`. Distances and directions use the shared great-circle rules from
 * the store's coordinates. Only aggregates leave the server: never a member, a location or a phone number.
 */
import { ageBand, compassDirection, COMPASS_SECTORS, distanceKm, distanceRing, DISTANCE_RINGS, type AgeBand, type CompassSector, type DistanceRing, type Gender } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';
import type { OrgService } from '../org/org.service';
import { checkRange, resolveScope, ts, type Scope } from './analytics-scope';

export type GenderBucket = Gender | 'UNKNOWN';
export type AgeBucket = AgeBand | 'UNKNOWN';

export interface Tally {
  members: number;
  spendFen: number;
  points: number;
}

export interface RadarSector extends Tally {
  ring: DistanceRing;
  direction: CompassSector;
  byGender: ({ gender: GenderBucket } & Tally)[];
  byAgeBand: ({ ageBand: AgeBucket } & Tally)[];
}

export interface Radar {
  scope: Scope;
  storeId: number;
  from: Date;
  to: Date;
  /** The store's customers (see the module comment) with and without a consented location. */
  located: number;
  unlocated: number;
  /** All 32 ring × direction sectors, rings inside out, directions clockwise from N. */
  sectors: RadarSector[];
}

const GENDER_BUCKETS: GenderBucket[] = ['FEMALE', 'MALE', 'UNKNOWN'];
const AGE_BUCKETS: AgeBucket[] = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS', 'UNKNOWN'];

const add = (t: Tally, m: Tally): void => {
  t.members += m.members;
  t.spendFen += m.spendFen;
  t.points += m.points;
};

export class AnalyticsRadarService {
  constructor(private readonly db: Db, private readonly org: OrgService) {}

  /** The radar of one store over [from, to) (its managers, its region's and HQ). */
  async radar(ctx: RequestContext, args: { storeId: number; from: Date; to: Date }): Promise<Radar> {
    const range = checkRange(args.from, args.to);
    const scope = await resolveScope(ctx, this.org, { storeId: args.storeId });
    const q = this.db.q;
    const store = await q.get<{ lat: unknown; lng: unknown }>('SELECT lat, lng FROM store WHERE id = ?', [args.storeId]);
    if (store?.lat == null || store.lng == null) throw badInput('This store has no location: set its lat/lng first', 'storeId');
    const centre = { lat: Number(store.lat), lng: Number(store.lng) };

    // The store's customers with their spend here; their profile, and the balance of those on the radar (a located
    // member's: summing the others' ledgers would be most of the query's work for nothing), per member.
    const rows = await q.all<Record<string, unknown>>(
      `SELECT c.member_id, c.spend, mp.gender, mp.birthday, mp.lat, mp.lng, mp.location_consent,
         CASE WHEN mp.location_consent = ? AND mp.lat IS NOT NULL AND mp.lng IS NOT NULL
           THEN (SELECT COALESCE(SUM(e.delta), 0) FROM points_entry e WHERE e.member_id = c.member_id AND e.created_at < ?) END AS points
       FROM (
         SELECT x.member_id, SUM(x.spend) AS spend FROM (
           SELECT p.member_id, p.amount_fen AS spend, CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END AS visit, 0 AS home
             FROM purchase p WHERE p.store_id = ? AND p.created_at >= ? AND p.created_at < ?
           UNION ALL SELECT hp.member_id, 0 AS spend, 0 AS visit, 1 AS home FROM member_profile hp WHERE hp.home_store_id = ?
         ) x GROUP BY x.member_id HAVING SUM(x.visit) > 0 OR MAX(x.home) = 1
       ) c LEFT JOIN member_profile mp ON mp.member_id = c.member_id
       ORDER BY c.member_id`,
      [q.bool(true), q.ts(range.to), args.storeId, ...ts(q, range.from, range.to), args.storeId],
    );

    const zero = (): Tally => ({ members: 0, spendFen: 0, points: 0 });
    const sectors: RadarSector[] = [];
    for (const r of DISTANCE_RINGS) {
      for (const d of COMPASS_SECTORS) {
        sectors.push({ ring: r.ring, direction: d, ...zero(), byGender: GENDER_BUCKETS.map((gender) => ({ gender, ...zero() })), byAgeBand: AGE_BUCKETS.map((a) => ({ ageBand: a, ...zero() })) });
      }
    }
    let located = 0;
    let unlocated = 0;
    for (const r of rows) {
      const consent = r.location_consent != null && Boolean(toInt(r.location_consent));
      if (!consent || r.lat == null || r.lng == null) {
        unlocated += 1;
        continue;
      }
      located += 1;
      const where = { lat: Number(r.lat), lng: Number(r.lng) };
      const ring = distanceRing(distanceKm(centre, where));
      const dir = compassDirection(centre, where);
      const s = sectors[DISTANCE_RINGS.findIndex((x) => x.ring === ring) * 8 + COMPASS_SECTORS.indexOf(dir)] as RadarSector;
      const m: Tally = { members: 1, spendFen: toInt(r.spend), points: toInt(r.points) };
      add(s, m);
      const g: GenderBucket = r.gender === 'FEMALE' || r.gender === 'MALE' ? r.gender : 'UNKNOWN';
      add(s.byGender.find((x) => x.gender === g) as Tally, m);
      const a: AgeBucket = ageBand(r.birthday == null ? null : String(r.birthday), range.to) ?? 'UNKNOWN';
      add(s.byAgeBand.find((x) => x.ageBand === a) as Tally, m);
    }
    return { scope, storeId: args.storeId, from: range.from, to: range.to, located, unlocated, sectors };
  }
}
