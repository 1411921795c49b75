import { clock } from '../../clock';
import { randomBytes, randomInt } from 'node:crypto';
import { addMonthsUtc, base32Encode, ErrorCode } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize, type RoleGrant, type Target } from '../../auth/authz';
import type { TokenService } from '../../auth/jwt';
import { isUniqueViolation, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import { WechatApiError, type WechatClient } from '../../integrations/wechat/wechat-client';
import type { Logger } from '../../logger';
import type { OrgService } from '../org/org.service';
import type { TierService } from '../tiers/tier.service';
import type { EarningService } from '../earning/earning.service';
import { writeAudit } from '../audit/audit';
import { paySignupBonus } from '../earning/signup-bonus';
import { issueWelcomeCoupons } from '../coupons/coupon-issue';
import type { ReferralOutcome, ReferralService } from '../referrals/referral.service';

export type RegistrationSource = 'MINIPROGRAM' | 'IN_STORE' | 'REFERRAL' | 'DEMO';

/** Maps WeChat's errcodes to our error codes (WECHAT.md). */
export function wechatError(e: unknown, phone = false): AppError {
  if (!(e instanceof WechatApiError)) return new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat did not answer');
  switch (e.errcode) {
    case 40029:
    case 40163:
      return new AppError(phone ? ErrorCode.PHONE_CODE_INVALID : ErrorCode.WECHAT_LOGIN_FAILED, 'The WeChat code is invalid, expired or already used', { errcode: e.errcode });
    case 40226:
      return new AppError(ErrorCode.WECHAT_RISKY_USER, 'WeChat blocked this account as high-risk', { errcode: e.errcode });
    case 45011:
      return new AppError(ErrorCode.WECHAT_RATE_LIMITED, 'Too many sign-ins, try again in a minute', { errcode: e.errcode });
    default:
      return new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat is unavailable, try again later', { errcode: e.errcode });
  }
}

/** Users, sign-in (F1), phone binding and role assignments (F12). */
export class UserService {
  constructor(
    private readonly db: Db,
    private readonly wechat: WechatClient,
    private readonly tokens: TokenService,
    private readonly tiers: TierService,
    private readonly earning: EarningService,
    private readonly org: OrgService,
    private readonly log: Logger,
    private readonly referrals: ReferralService,
  ) {}

  /**
   * wx.login code → code2Session → the user (created with a member, account and code secret on first sign-in)
   * → a session token. Concurrent first sign-ins of one openid create one user. With an invitation token (F8), a
   * member created by this very sign-in is bound to the referrer in the same transaction; otherwise (an existing
   * member, a self-referral, an unknown token…) the sign-in goes on unbound and `referral` says why.
   */
  async login(
    code: string,
    source: RegistrationSource = 'MINIPROGRAM',
    limits?: { hitIp(): Promise<void>; hitOpenid(openid: string): Promise<void> },
    invite?: string | null,
  ): Promise<{ token: string; userId: number; created: boolean; referral: ReferralOutcome | null }> {
    if (!code || code.length > 128) throw badInput('code is required', 'code');
    // Per IP before code2Session (each call spends WeChat's quota), per openid after it (each mints a session).
    await limits?.hitIp();
    let session;
    try {
      session = await this.wechat.code2Session(code);
    } catch (e) {
      this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'code2Session failed');
      throw wechatError(e);
    }
    await limits?.hitOpenid(session.openid);
    const invitation = invite ? invite : null;
    const { userId, created, referral } = await this.ensureUser(session.openid, session.unionid, source, clock.now(), invitation);
    const outcome = referral ?? (invitation === null ? null : await this.referrals.refusalForExisting(userId, session.openid, session.unionid, invitation));
    if (outcome && !outcome.bound) this.log.info({ userId, reason: outcome.refusal }, 'invitation not bound');
    this.log.info({ userId, openid: session.openid, created, referred: outcome?.bound ?? false }, 'member signed in');
    return { token: await this.tokens.sign(userId), userId, created, referral: outcome };
  }

  /**
   * Finds or creates the user for an openid (with member + account in the same transaction, and the referral binding
   * when `invite` is given: `referral` is null when the user already existed).
   */
  async ensureUser(
    openid: string,
    unionid: string | null,
    source: RegistrationSource,
    now = clock.now(),
    invite: string | null = null,
  ): Promise<{ userId: number; created: boolean; referral: ReferralOutcome | null }> {
    const found = await this.db.q.get<{ id: unknown }>('SELECT id FROM app_user WHERE openid = ?', [openid]);
    if (found) return { userId: toInt(found.id), created: false, referral: null };
    const entry = await this.tiers.entryTier();
    const settings = await this.earning.settings();
    const bind = invite === null ? null : await this.referrals.bindSettings();
    try {
      return await this.db.tx(async (q) => {
        const u = await q.run('INSERT INTO app_user (openid, unionid, registration_source, created_at) VALUES (?, ?, ?, ?)', [openid, unionid, source, q.ts(now)]);
        const memberId = await this.createMember(q, u.insertId, entry.dbId, addMonthsUtc(now, settings.tierPeriodMonths), now);
        await paySignupBonus(q, memberId, settings, now);
        await issueWelcomeCoupons(q, memberId, now);
        const referral = invite === null || bind === null ? null : await this.referrals.bindNewMember(q, { memberId, userId: u.insertId, openid, unionid, now }, invite, bind);
        return { userId: u.insertId, created: true, referral };
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const again = await this.db.q.get<{ id: unknown }>('SELECT id FROM app_user WHERE openid = ?', [openid]);
      if (!again) throw e;
      return { userId: toInt(again.id), created: false, referral: null };
    }
  }

  private async createMember(q: Q, userId: number, tierId: number, periodEndsAt: Date, now: Date): Promise<number> {
    const secret = base32Encode(randomBytes(20));
    for (let attempt = 0; ; attempt++) {
      const memberNo = newMemberNo();
      try {
        const m = await q.run('INSERT INTO member (user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
          userId, memberNo, tierId, q.ts(periodEndsAt), secret, q.ts(now),
        ]);
        await q.run('INSERT INTO member_account (id, balance, lifetime_earned, updated_at) VALUES (?, 0, 0, ?)', [m.insertId, q.ts(now)]);
        return m.insertId;
      } catch (e) {
        // A member-number collision: try another number (in a savepoint-free way: the insert failed atomically).
        if (attempt < 5 && isUniqueViolation(e) && String((e as Error).message).includes('member_no')) continue;
        throw e;
      }
    }
  }

  /** getPhoneNumber button code → the user's phone, stored on the user. */
  async bindPhone(ctx: RequestContext, code: string): Promise<void> {
    const userId = ctx.requireUser();
    if (!code || code.length > 128) throw badInput('code is required', 'code');
    let phone;
    try {
      phone = await this.wechat.getPhoneNumber(code);
    } catch (e) {
      throw wechatError(e, true);
    }
    await this.db.q.run('UPDATE app_user SET phone = ?, phone_country_code = ? WHERE id = ?', [phone.purePhoneNumber, phone.countryCode, userId]);
    // The same phone on both ends of a referral is a self-referral found late (F8).
    await this.referrals.revokeSamePhone(userId, phone.purePhoneNumber);
    this.log.info({ userId, phone: phone.purePhoneNumber }, 'phone bound');
  }

  /** The role grants of a user. */
  async rolesOf(userId: number): Promise<RoleGrant[]> {
    const rows = await this.db.q.all<Record<string, unknown>>('SELECT role, scope, store_id, region_id FROM role_assignment WHERE user_id = ?', [userId]);
    return rows.map((r) => ({
      role: r.role as RoleGrant['role'],
      scope: r.scope as RoleGrant['scope'],
      storeId: r.store_id == null ? null : toInt(r.store_id),
      regionId: r.region_id == null ? null : toInt(r.region_id),
    }));
  }

  /**
   * Grants a role. Managers assign staff/organizers within their scope; only HQ managers create managers.
   * Staff are always bound to a store.
   */
  async assignRole(ctx: RequestContext, input: { userId: number; role: RoleGrant['role']; scope: RoleGrant['scope']; storeId?: number | null; regionId?: number | null }): Promise<RoleGrant> {
    const grant = await this.normalizeGrant(input);
    const target: Target = grant.scope === 'HQ' ? { kind: 'HQ' } : grant.scope === 'REGION' ? { kind: 'REGION', regionId: grant.regionId as number } : { kind: 'STORE', storeId: grant.storeId as number, regionId: grant.regionId as number };
    const actor = await authorize(ctx, grant.role === 'MANAGER' ? 'role.assignManager' : 'role.assign', target);
    const user = await this.db.q.get('SELECT id FROM app_user WHERE id = ?', [input.userId]);
    if (!user) throw notFound(`User ${input.userId}`);
    await this.db.tx(async (q) => {
      if (await this.insertGrant(q, input.userId, grant)) {
        await writeAudit(q, actor, { action: 'assignRole', targetType: 'role', targetId: input.userId, regionId: grant.regionId, storeId: grant.storeId, after: { userId: input.userId, ...grant } });
      }
    });
    return grant;
  }

  async normalizeGrant(input: { role: RoleGrant['role']; scope: RoleGrant['scope']; storeId?: number | null; regionId?: number | null }): Promise<RoleGrant> {
    if (input.role === 'STAFF' && input.scope !== 'STORE') throw badInput('Staff are bound to one store', 'scope');
    if (input.scope === 'STORE') {
      if (input.storeId == null) throw badInput('storeId is required for a store role', 'storeId');
      const s = await this.org.store(input.storeId);
      return { role: input.role, scope: 'STORE', storeId: s.id, regionId: s.regionId };
    }
    if (input.scope === 'REGION') {
      if (input.regionId == null) throw badInput('regionId is required for a region role', 'regionId');
      await this.org.regionExists(input.regionId);
      return { role: input.role, scope: 'REGION', storeId: null, regionId: input.regionId };
    }
    return { role: input.role, scope: 'HQ', storeId: null, regionId: null };
  }

  /** Writes a grant; granting the same role twice is a no-op (false). */
  async insertGrant(q: Q, userId: number, g: RoleGrant): Promise<boolean> {
    const scopeKey = g.scope === 'HQ' ? 'HQ' : g.scope === 'REGION' ? `R:${g.regionId}` : `S:${g.storeId}`;
    try {
      await q.run('INSERT INTO role_assignment (user_id, role, scope, store_id, region_id, scope_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        userId, g.role, g.scope, g.scope === 'STORE' ? g.storeId : null, g.scope === 'REGION' ? g.regionId : null, scopeKey, q.ts(clock.now()),
      ]);
      return true;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return false;
    }
  }
}

/** A 10-digit member number: 9 random digits (not enumerable) + a Luhn check digit (catches typos at a till). */
export function newMemberNo(): string {
  const body = String(randomInt(100_000_000, 1_000_000_000));
  return body + luhnDigit(body);
}

export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
