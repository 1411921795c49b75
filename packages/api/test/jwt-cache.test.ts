/**
 * The session-token cache (auth/jwt.ts): a token verified once is answered from memory, but never past its expiry,
 * and nothing that failed to verify is remembered.
 */
import { SignJWT } from 'jose';
import { TokenService } from '../src/auth/jwt';
import { clock } from '../src/clock';

const NOW = new Date('2026-03-01T00:00:00.000Z');
const SECRET = 'jwt-cache-secret-jwt-cache-secret-01234';

describe('session token cache', () => {
  afterEach(() => clock.reset());

  test('a cached token stops at its expiry, to the second, as an uncached one does', async () => {
    clock.set(NOW);
    const tokens = new TokenService(SECRET, 3600);
    const token = await tokens.sign(42);
    expect(await tokens.verify(token)).toBe(42);
    clock.set(NOW.getTime() + 3599_999);
    expect(await tokens.verify(token)).toBe(42); // the last millisecond before `exp`
    clock.set(NOW.getTime() + 3600_000);
    await expect(tokens.verify(token)).rejects.toThrow(/Session expired/);
    // A fresh service (nothing cached) agrees at both instants.
    clock.set(NOW.getTime() + 3599_999);
    expect(await new TokenService(SECRET, 3600).verify(token)).toBe(42);
    clock.set(NOW.getTime() + 3600_000);
    await expect(new TokenService(SECRET, 3600).verify(token)).rejects.toThrow(/Session expired/);
  });

  test('a forged or altered token is refused every time, also after the genuine one was cached', async () => {
    clock.set(NOW);
    const tokens = new TokenService(SECRET, 3600);
    const genuine = await tokens.sign(7);
    expect(await tokens.verify(genuine)).toBe(7);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('7')
      .setIssuer('quanzi')
      .setAudience('quanzi:session')
      .setIssuedAt(NOW)
      .setExpirationTime(new Date(NOW.getTime() + 3600_000))
      .sign(new TextEncoder().encode('another-secret-another-secret-another-0'));
    const [h, p] = genuine.split('.') as [string, string, string];
    const altered = `${h}.${p}.${'A'.repeat(43)}`;
    for (const bad of [forged, altered, forged]) await expect(tokens.verify(bad)).rejects.toThrow(/Invalid session token/);
    expect(await tokens.verify(genuine)).toBe(7);
  });
});
