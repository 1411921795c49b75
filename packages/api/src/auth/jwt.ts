/** Session tokens: HS256 JWTs (jose) whose subject is the user id. */
import { LRUCache } from 'lru-cache';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ErrorCode } from '@quanzi/shared';
import { AppError, unauthenticated } from '../errors';
import { clock } from '../clock';

const SESSION_AUDIENCE = 'quanzi:session';
const TILL_AUDIENCE = 'quanzi:till';
/** How long a scanned member code stays usable at the till that looked it up. */
export const TILL_TICKET_SECONDS = 600;

/** What staff hold after looking a member up: who, which code step, at which till, by whom. */
export interface TillTicket {
  memberId: number;
  memberNo: string;
  step: number;
  storeId: number;
  staffId: number;
}

export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Session tokens verified lately (lru-cache, 10,000 of them): the user and the expiry. A token is a signed,
   * immutable string, so the same string verifies the same way until it expires; a hit skips the HMAC and the JSON
   * (2 % of a member's request) but never the expiry, checked on every use against the clock as jose does. Only
   * tokens that verified are kept.
   */
  private readonly verified = new LRUCache<string, { id: number; expMs: number }>({ max: 10_000 });
  constructor(secret: string, private readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Issues a token for `userId` (lasting `ttlSeconds`, by default JWT_TTL_SECONDS; console sessions are shorter). */
  async sign(userId: number, ttlSeconds: number = this.ttlSeconds): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer('quanzi')
      .setAudience(SESSION_AUDIENCE)
      .setIssuedAt(clock.now())
      .setExpirationTime(new Date(clock.ms() + ttlSeconds * 1000))
      .sign(this.key);
  }

  /** The user id in a valid token; UNAUTHENTICATED for a malformed, forged or expired one. */
  async verify(token: string): Promise<number> {
    const known = this.verified.get(token);
    if (known && clock.ms() < known.expMs) return known.id;
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: 'quanzi', audience: SESSION_AUDIENCE, currentDate: clock.now() });
      const id = Number(payload.sub);
      if (!Number.isSafeInteger(id) || id <= 0) throw unauthenticated('Invalid session token');
      // jose refuses a token once the clock reaches `exp` (whole seconds); the cache stops at the same instant.
      if (typeof payload.exp === 'number') this.verified.set(token, { id, expMs: payload.exp * 1000 });
      return id;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw unauthenticated('Session expired, sign in again');
      throw unauthenticated('Invalid session token');
    }
  }

  /**
   * A till ticket: issued by `memberByCode` to the staff user who scanned a valid code, so the purchase can be
   * submitted minutes later (after ringing up the lines) although the 30-second code has rotated. It is bound to the
   * store, the staff user and the code's step, so the step is still consumed once, and it expires after 10 minutes.
   */
  async signTillTicket(t: TillTicket): Promise<string> {
    return new SignJWT({ mno: t.memberNo, stp: t.step, sid: t.storeId, uid: t.staffId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(t.memberId))
      .setIssuer('quanzi')
      .setAudience(TILL_AUDIENCE)
      .setIssuedAt(clock.now())
      .setExpirationTime(new Date(clock.ms() + TILL_TICKET_SECONDS * 1000))
      .sign(this.key);
  }

  /** The ticket's content; CODE_EXPIRED after 10 minutes, CODE_INVALID when forged or malformed. */
  async verifyTillTicket(token: string): Promise<TillTicket> {
    try {
      const { payload: p } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: 'quanzi', audience: TILL_AUDIENCE, currentDate: clock.now() });
      const t = { memberId: Number(p.sub), memberNo: String(p.mno), step: Number(p.stp), storeId: Number(p.sid), staffId: Number(p.uid) };
      if (![t.memberId, t.step, t.storeId, t.staffId].every(Number.isSafeInteger) || !/^\d{1,20}$/.test(t.memberNo)) throw new Error('malformed');
      return t;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new AppError(ErrorCode.CODE_EXPIRED, 'The member lookup expired: scan the member code again');
      throw new AppError(ErrorCode.CODE_INVALID, 'Not a valid till ticket');
    }
  }
}
