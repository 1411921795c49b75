import { coarsenLocation, compassDirection, compassSector, distanceKm, distanceRing, EARTH_RADIUS_KM, initialBearing, isValidLatLng } from './geo';

const BEIJING = { lat: 39.9042, lng: 116.4074 }; // 天安门附近 (city-centre reference point)
const SHANGHAI = { lat: 31.2304, lng: 121.4737 };
const GUANGZHOU = { lat: 23.1291, lng: 113.2644 };
const LONDON = { lat: 51.5074, lng: -0.1278 };
const PARIS = { lat: 48.8566, lng: 2.3522 };

describe('distanceKm (haversine, R = 6371.0088 km)', () => {
  // Published great-circle distances between the city centres; a spherical model is within 0.5 % of the ellipsoid.
  it.each([
    ['Beijing–Shanghai ≈ 1,067 km', BEIJING, SHANGHAI, 1067],
    ['Beijing–Guangzhou ≈ 1,888 km', BEIJING, GUANGZHOU, 1888],
    ['London–Paris ≈ 343.5 km', LONDON, PARIS, 343.5],
  ])('%s', (_name, a, b, km) => {
    expect(Math.abs(distanceKm(a, b) - km) / km).toBeLessThan(0.005);
    expect(distanceKm(a, b)).toBeCloseTo(distanceKm(b, a), 9); // symmetric
  });

  it('Beijing–Shanghai is 1,067.3 km on the sphere', () => {
    expect(distanceKm(BEIJING, SHANGHAI)).toBeCloseTo(1067.3, 1);
  });

  it('a short intra-city pair: Tiananmen → Guomao ≈ 5.33 km', () => {
    // Hand computation (flat Earth is exact to metres at this size): Δλ = 0.0625° at φ ≈ 39.9088°:
    // 0.0625 × (π/180 × 6371.0088) × cos 39.9088° = 0.0625 × 111.1951 × 0.76713 = 5.3313 km; Δφ = 0.0001° adds 11 m
    // at right angles (√(5.3313² + 0.0111²) = 5.3313).
    expect(distanceKm({ lat: 39.9087, lng: 116.3975 }, { lat: 39.9088, lng: 116.46 })).toBeCloseTo(5.331, 2);
  });

  it('one degree of latitude is πR/180 = 111.195 km', () => {
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111.195, 3);
  });

  it('the same point is 0; antipodes are half the circumference, πR = 20,015.1 km', () => {
    expect(distanceKm(BEIJING, BEIJING)).toBe(0);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(distanceKm(BEIJING, { lat: -BEIJING.lat, lng: BEIJING.lng - 180 })).toBeCloseTo(20015.1, 1);
    expect(distanceKm({ lat: 90, lng: 0 }, { lat: -90, lng: 0 })).toBeCloseTo(20015.1, 1);
  });
});

describe('initialBearing and compass sectors', () => {
  it.each([
    ['due north', { lat: 0, lng: 0 }, { lat: 1, lng: 0 }, 0],
    ['due east along the equator', { lat: 0, lng: 0 }, { lat: 0, lng: 1 }, 90],
    ['due south', { lat: 10, lng: 10 }, { lat: 9, lng: 10 }, 180],
    ['due west along the equator', { lat: 0, lng: 10 }, { lat: 0, lng: 9 }, 270],
  ])('%s', (_n, a, b, deg) => {
    expect(initialBearing(a, b)).toBeCloseTo(deg, 9);
  });

  it('Beijing → Shanghai starts at 153.1° (SE), Beijing → Guangzhou at 189.9° (S), Shanghai → Beijing NW', () => {
    expect(initialBearing(BEIJING, SHANGHAI)).toBeCloseTo(153.07, 1);
    expect(compassDirection(BEIJING, SHANGHAI)).toBe('SE');
    expect(initialBearing(BEIJING, GUANGZHOU)).toBeCloseTo(189.94, 1);
    expect(compassDirection(BEIJING, GUANGZHOU)).toBe('S');
    expect(compassDirection(SHANGHAI, BEIJING)).toBe('NW');
  });

  it('a point on the store itself counts as N', () => {
    expect(initialBearing(BEIJING, BEIJING)).toBe(0);
    expect(compassDirection(BEIJING, BEIJING)).toBe('N');
  });

  it.each([
    [0, 'N'], [22.49, 'N'], [22.5, 'NE'], [67.49, 'NE'], [67.5, 'E'], [112.5, 'SE'], [157.5, 'S'], [202.5, 'SW'],
    [247.5, 'W'], [292.5, 'NW'], [337.49, 'NW'], [337.5, 'N'], [359.99, 'N'], [360, 'N'], [-45, 'NW'],
  ])('bearing %p° → %s', (b, sector) => {
    expect(compassSector(b)).toBe(sector);
  });
});

describe('distanceRing', () => {
  it.each([
    [0, 'KM_0_5'], [4.999, 'KM_0_5'], [5, 'KM_5_10'], [9.999, 'KM_5_10'], [10, 'KM_10_20'], [19.999, 'KM_10_20'], [20, 'KM_20_PLUS'], [20015, 'KM_20_PLUS'],
  ])('%p km → %s', (km, ring) => {
    expect(distanceRing(km)).toBe(ring);
  });

  it('refuses a negative or NaN distance', () => {
    expect(() => distanceRing(-1)).toThrow(RangeError);
    expect(() => distanceRing(Number.NaN)).toThrow(RangeError);
  });
});

describe('coarsenLocation (0.01°)', () => {
  it.each([
    [{ lat: 39.90423, lng: 116.40741 }, { lat: 39.9, lng: 116.41 }],
    [{ lat: 39.905, lng: 116.395 }, { lat: 39.91, lng: 116.4 }], // halves round away from zero despite binary floats
    [{ lat: -33.86785, lng: 151.20732 }, { lat: -33.87, lng: 151.21 }],
    [{ lat: -0.004, lng: 0.004 }, { lat: 0, lng: 0 }],
    [{ lat: 90, lng: -180 }, { lat: 90, lng: -180 }],
  ])('%p → %p', (p, q) => {
    const c = coarsenLocation(p);
    expect(c.lat).toBeCloseTo(q.lat, 10);
    expect(c.lng).toBeCloseTo(q.lng, 10);
  });

  it('moves a point by at most ~0.8 km (half a cell diagonally)', () => {
    const p = { lat: 39.90499, lng: 116.40499 };
    expect(distanceKm(p, coarsenLocation(p))).toBeLessThan(0.8);
  });

  it('refuses points off the globe', () => {
    expect(isValidLatLng({ lat: 91, lng: 0 })).toBe(false);
    expect(() => coarsenLocation({ lat: 91, lng: 0 })).toThrow(RangeError);
    expect(() => coarsenLocation({ lat: 0, lng: 180.5 })).toThrow(RangeError);
    expect(() => coarsenLocation({ lat: Number.NaN, lng: 0 })).toThrow(RangeError);
  });
});
