/**
 * Great-circle geometry for the trade-area radar (F10, seed 002): distance, compass sector, distance ring and
 * coordinate coarsening.
 *
 * Distance is the haversine formula on a sphere of the IUGG mean Earth radius (6371.0088 km). Against the
 * WGS-84 ellipsoid (Vincenty) it is off by at most ~0.5 %, i.e. under 25 m on a 5 km ring boundary — far below
 * the ~1 km to which consented locations are coarsened, so Vincenty's millimetres buy nothing here. Haversine
 * is also closed-form: Vincenty's iteration fails to converge for nearly antipodal points.
 */

/** IUGG mean Earth radius R1 = (2a + b) / 3, in km. */
export const EARTH_RADIUS_KM = 6371.0088;

export interface LatLng {
  lat: number;
  lng: number;
}

const rad = (deg: number): number => (deg * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** Whether a latitude/longitude pair is finite and on the globe (lat −90…90, lng −180…180). */
export function isValidLatLng(p: LatLng): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
}

/** Great-circle distance in km between two points (haversine, mean Earth radius). */
export function distanceKm(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  // min(1, …) guards against rounding just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing (forward azimuth) from `from` to `to`, degrees clockwise from true north in [0, 360). 0 for the same point. */
export function initialBearing(from: LatLng, to: LatLng): number {
  const φ1 = rad(from.lat);
  const φ2 = rad(to.lat);
  const Δλ = rad(to.lng - from.lng);
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  if (Math.abs(x) < 1e-15 && Math.abs(y) < 1e-15) return 0;
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

/** The 8 compass sectors, clockwise from north; each spans 45° centred on its direction (N = 337.5°…22.5°). */
export const COMPASS_SECTORS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export type CompassSector = (typeof COMPASS_SECTORS)[number];

/** The sector a bearing falls in; a boundary belongs to the sector clockwise of it (22.5° → NE). */
export function compassSector(bearingDeg: number): CompassSector {
  const b = ((bearingDeg % 360) + 360) % 360;
  return COMPASS_SECTORS[Math.floor((b + 22.5) / 45) % 8] as CompassSector;
}

/** The sector of `to` as seen from `from` (a point on the store itself counts as N). */
export function compassDirection(from: LatLng, to: LatLng): CompassSector {
  return compassSector(initialBearing(from, to));
}

/** The radar's distance rings (seed 002: 5, 10, 20 km); lower bound inclusive, upper exclusive. */
export const DISTANCE_RINGS = [
  { ring: 'KM_0_5', minKm: 0, maxKm: 5 },
  { ring: 'KM_5_10', minKm: 5, maxKm: 10 },
  { ring: 'KM_10_20', minKm: 10, maxKm: 20 },
  { ring: 'KM_20_PLUS', minKm: 20, maxKm: Infinity },
] as const;
export type DistanceRing = (typeof DISTANCE_RINGS)[number]['ring'];

/** The ring a distance falls in: [0, 5) → KM_0_5, [5, 10) → KM_5_10, [10, 20) → KM_10_20, ≥ 20 → KM_20_PLUS. */
export function distanceRing(km: number): DistanceRing {
  if (!(km >= 0)) throw new RangeError('distance must be a non-negative number');
  return (DISTANCE_RINGS.find((r) => km < r.maxKm) ?? DISTANCE_RINGS[3]).ring;
}

/** Degrees a consented location is rounded to: 0.01° ≈ 1.1 km north–south (less east–west away from the equator). */
export const LOCATION_PRECISION_DEG = 0.01;

/**
 * Coarsens a location before it is stored: each coordinate rounded to the nearest 0.01° (half away from zero,
 * on the decimal value, so 39.905 → 39.91 and −0.005 → −0.01). Throws RangeError for a point off the globe.
 */
export function coarsenLocation(p: LatLng): LatLng {
  if (!isValidLatLng(p)) throw new RangeError('lat must be −90…90 and lng −180…180');
  const round2 = (v: number): number => {
    // 39.905 × 100 is 3990.4999999999995 in binary: trim the float noise (8 decimals) before rounding.
    const r = Math.round(Number((Math.abs(v) * 100).toFixed(8))) / 100;
    return v < 0 && r !== 0 ? -r : r;
  };
  return { lat: round2(p.lat), lng: round2(p.lng) };
}
