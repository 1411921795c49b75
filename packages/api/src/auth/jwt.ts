/** Session tokens: HS256 JWTs (jose) whose subject is the user id. */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthenticated } from '../errors';

export class TokenService {
  private readonly key: Uint8Array;
  constructor(secret: string, private readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Issues a token for `userId`. */
  async sign(userId: number): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer('quanzi')
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The user id in a valid token; UNAUTHENTICATED for a malformed, forged or expired one. */
  async verify(token: string): Promise<number> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: 'quanzi' });
      const id = Number(payload.sub);
      if (!Number.isSafeInteger(id) || id <= 0) throw unauthenticated('Invalid session token');
      return id;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw unauthenticated('Session expired, sign in again');
      throw unauthenticated('Invalid session token');
    }
  }
}
