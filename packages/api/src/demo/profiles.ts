/**
 * Demo profiles (issue #15): Alice and Bob gave their gender, birthday and home store (国贸) and shared a location
 * (stored coarsened, as the API would), so the trade-area radar and its gender/age splits show something offline.
 */
import { coarsenLocation } from '@quanzi/shared';
import type { Services } from '../services';

export async function seedDemoProfiles(s: Services, users: { alice: number; bob: number }, guomao: number, now: Date): Promise<void> {
  const q = s.db.q;
  const people: [number, string, string, { lat: number; lng: number }][] = [
    [users.alice, 'FEMALE', '1992-08-16', { lat: 39.9213, lng: 116.4722 }], // 团结湖, ~1.8 km NNE of 国贸
    [users.bob, 'MALE', '1985-11-03', { lat: 39.9841, lng: 116.3106 }], // 中关村, ~15 km NW
  ];
  for (const [userId, gender, birthday, where] of people) {
    const member = await s.members.home(userId, now);
    const c = coarsenLocation(where);
    await q.run(
      'INSERT INTO member_profile (member_id, gender, birthday, home_store_id, lat, lng, location_consent, location_consent_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [member.id, gender, birthday, guomao, c.lat, c.lng, q.bool(true), q.ts(now), q.ts(now)],
    );
  }
}
