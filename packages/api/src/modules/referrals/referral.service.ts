/**
 * Referrals (F8): every member's invitation (a short token, the share path, a mini-program code), the binding of a
 * new member to the referrer at their first sign-in (with the fraud guards), the member's referrals and the managers'
 * report. The credits themselves are paid inside the referee's accrual: referral-credits.ts.
 */
import { clock } from '../../clock';
import { randomInt } from 'node:crypto';
import { ErrorCode, INVITE_TOKEN_RE, ledgerReason, maskReferee, type ReferralSettings } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize, type Target } from '../../auth/authz';
import type { Config } from '../../config';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { badInput, notFound } from '../../errors';
import type { WechatClient } from '../../integrations/wechat/wechat-client';
import type { Logger } from '../../logger';
import { credit } from '../ledger/ledger.service';
import type { EarningService } from '../earning/earning.service';
import type { OrgService } from '../org/org.service';
import type { ReferralSettingsService } from './referral-settings.service';

/** The sign-in page: an invitation's code opens it with `scene` = the token, the share card with `?invite=`. */
export const INVITE_PAGE = 'pages/login/index';
const TOKEN_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_CACHED_CODES = 512;

export type ReferralRefusal =
  | typeof ErrorCode.REFERRAL_UNKNOWN
  | typeof ErrorCode.REFERRAL_SELF
  | typeof ErrorCode.REFERRAL_NOT_NEW
  | typeof ErrorCode.REFERRAL_ALREADY_BOUND
  | typeof ErrorCode.REFERRAL_DISABLED;

/** What a sign-in with an invitation did: bound (with the welcome bonus paid), or why not. */
export interface ReferralOutcome {
  bound: boolean;
  refusal: ReferralRefusal | null;
  welcomePoints: number;
}

export interface Invitation {
  token: string;
  /** The share card's path (onShareAppMessage). */
  path: string;
  /** The mini-program code's page and scene (getwxacodeunlimit). */
  page: string;
  scene: string;
  referees: number;
  qualified: number;
  pointsEarned: number;
}

export interface MyReferralRow {
  id: number;
  referee: string;
  state: 'BOUND' | 'QUALIFIED' | 'REVOKED';
  boundAt: Date;
  qualifiedAt: Date | null;
  pointsEarned: number;
}

export interface ReferralReportRow {
  storeId: number | null;
  storeName: string | null;
  regionId: number | null;
  regionName: string | null;
  invitations: number;
  signUps: number;
  qualified: number;
  bonusPoints: number;
  sharePoints: number;
  welcomePoints: number;
  cappedPoints: number;
}

export interface BindSettings {
  referral: ReferralSettings;
  validityMonths: number;
}

const refused = (refusal: ReferralRefusal): ReferralOutcome => ({ bound: false, refusal, welcomePoints: 0 });

/** The token as typed or scanned: upper case, trimmed; null unless it has the token's shape. */
function normalizeToken(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const t = raw.trim().toUpperCase();
  return INVITE_TOKEN_RE.test(t) ? t : null;
}

export class ReferralService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly wechat: Pick<WechatClient, 'getUnlimitedWxaCode'>,
    private readonly settings: ReferralSettingsService,
    private readonly earning: EarningService,
    private readonly org: OrgService,
    private readonly log: Logger,
    /** What `report` reads (a read replica, src/db/read-routing.ts); everything else reads and writes `db`. */
    private readonly reports: Db = db,
  ) {}

  private readonly codeCache = new Map<string, string>();

  private async memberOf(userId: number): Promise<number> {
    const m = await this.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE user_id = ?', [userId]);
    if (!m) throw notFound('Member');
    return toInt(m.id);
  }

  /** The inviter of a token, with what the self-referral guard compares. */
  private async inviter(q: Q, token: string): Promise<{ memberId: number; storeId: number | null; openid: string; unionid: string | null; phone: string | null } | null> {
    const r = await q.get<Record<string, unknown>>(
      'SELECT i.member_id, i.store_id, u.openid, u.unionid, u.phone FROM referral_invite i JOIN member m ON m.id = i.member_id JOIN app_user u ON u.id = m.user_id WHERE i.token = ?',
      [token],
    );
    if (!r) return null;
    return {
      memberId: toInt(r.member_id),
      storeId: r.store_id == null ? null : toInt(r.store_id),
      openid: String(r.openid),
      unionid: r.unionid == null ? null : String(r.unionid),
      phone: r.phone == null ? null : String(r.phone),
    };
  }

  /** The store a member is reported at: their latest purchase's. */
  private async homeStore(q: Q, memberId: number): Promise<number | null> {
    const p = await q.get<{ store_id: unknown }>('SELECT store_id FROM purchase WHERE member_id = ? AND amount_fen > 0 ORDER BY created_at DESC, id DESC LIMIT 1', [memberId]);
    return p ? toInt(p.store_id) : null;
  }

  /** What binding needs, read before the sign-in's transaction (cached settings: no second connection inside it). */
  async bindSettings(): Promise<BindSettings> {
    return { referral: await this.settings.get(), validityMonths: (await this.earning.settings()).pointsValidityMonths };
  }

  /**
   * Inside the transaction that creates a member at their first sign-in: binds them to the token's referrer (and pays
   * the welcome bonus), or says why not. A refusal changes nothing; the sign-in goes on.
   */
  async bindNewMember(q: Q, m: { memberId: number; userId: number; openid: string; unionid: string | null; now: Date }, rawToken: string, pre: BindSettings): Promise<ReferralOutcome> {
    const token = normalizeToken(rawToken);
    if (!token) return refused(ErrorCode.REFERRAL_UNKNOWN);
    const s = pre.referral;
    if (!s.enabled) return refused(ErrorCode.REFERRAL_DISABLED);
    const inv = await this.inviter(q, token);
    if (!inv) return refused(ErrorCode.REFERRAL_UNKNOWN);
    if (inv.openid === m.openid || (m.unionid !== null && inv.unionid === m.unionid)) return refused(ErrorCode.REFERRAL_SELF);
    const storeId = (await this.homeStore(q, inv.memberId)) ?? inv.storeId;
    const region = storeId === null ? undefined : await q.get<{ region_id: unknown }>('SELECT region_id FROM store WHERE id = ?', [storeId]);
    const regionId = region ? toInt(region.region_id) : null;
    const welcome = s.refereeBonus;
    await q.run('INSERT INTO referral (referee_id, referrer_id, store_id, region_id, bound_at, welcome_points, bonus_points, share_points, share_reversed) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0)', [
      m.memberId, inv.memberId, storeId, regionId, q.ts(m.now), welcome,
    ]);
    await q.run("UPDATE app_user SET registration_source = 'REFERRAL' WHERE id = ?", [m.userId]);
    if (welcome > 0) {
      const validity = pre.validityMonths;
      await credit(
        q,
        { memberId: m.memberId, kind: 'EARN', reason: ledgerReason.referralWelcome(), actorId: null, storeId: null, sourceType: 'referral_welcome', sourceRef: String(m.memberId), requestHash: null, now: m.now },
        welcome,
        validity,
      );
    }
    return { bound: true, refusal: null, welcomePoints: welcome };
  }

  /** Why a sign-in of an existing member through an invitation binds nothing (read only). */
  async refusalForExisting(userId: number, openid: string, unionid: string | null, rawToken: string): Promise<ReferralOutcome> {
    const token = normalizeToken(rawToken);
    if (!token) return refused(ErrorCode.REFERRAL_UNKNOWN);
    const inv = await this.inviter(this.db.q, token);
    if (!inv) return refused(ErrorCode.REFERRAL_UNKNOWN);
    if (inv.openid === openid || (unionid !== null && inv.unionid === unionid)) return refused(ErrorCode.REFERRAL_SELF);
    const bound = await this.db.q.get('SELECT r.id FROM referral r JOIN member m ON m.id = r.referee_id WHERE m.user_id = ?', [userId]);
    return refused(bound ? ErrorCode.REFERRAL_ALREADY_BOUND : ErrorCode.REFERRAL_NOT_NEW);
  }

  /**
   * After a member binds a phone: a referral between two members with the same phone is a self-referral found late.
   * It is revoked (no more credits; what was paid stays in the ledger).
   */
  async revokeSamePhone(userId: number, phone: string, now = clock.now()): Promise<number> {
    const r = await this.db.q.run(
      `UPDATE referral SET revoked_at = ?, revoke_reason = ? WHERE revoked_at IS NULL AND (
         (referee_id IN (SELECT id FROM member WHERE user_id = ?) AND referrer_id IN (SELECT m.id FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.phone = ?))
         OR (referrer_id IN (SELECT id FROM member WHERE user_id = ?) AND referee_id IN (SELECT m.id FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.phone = ?)))`,
      [this.db.q.ts(now), ErrorCode.REFERRAL_SELF, userId, phone, userId, phone],
    );
    if (r.affectedRows > 0) this.log.warn({ userId, revoked: r.affectedRows, reason: ErrorCode.REFERRAL_SELF }, 'referral revoked: same phone');
    return r.affectedRows;
  }

  /** The signed-in member's invitation, created on first use (the token never changes afterwards). */
  async myInvitation(ctx: RequestContext, now = clock.now()): Promise<Invitation> {
    const memberId = await this.memberOf(ctx.requireUser());
    const token = await this.tokenOf(memberId, now);
    const t = await this.db.q.get<Record<string, unknown>>(
      `SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN qualified_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS q,
         COALESCE(SUM(bonus_points + share_points - share_reversed), 0) AS p FROM referral WHERE referrer_id = ?`,
      [memberId],
    );
    return { token, path: `/${INVITE_PAGE}?invite=${token}`, page: INVITE_PAGE, scene: token, referees: toInt(t?.n), qualified: toInt(t?.q), pointsEarned: toInt(t?.p) };
  }

  private async tokenOf(memberId: number, now: Date): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const found = await this.db.q.get<{ token: unknown }>('SELECT token FROM referral_invite WHERE member_id = ?', [memberId]);
      if (found) return String(found.token);
      const token = Array.from({ length: 10 }, () => TOKEN_ALPHABET[randomInt(32)]).join('');
      try {
        const storeId = await this.homeStore(this.db.q, memberId);
        await this.db.q.run('INSERT INTO referral_invite (member_id, token, store_id, created_at) VALUES (?, ?, ?, ?)', [memberId, token, storeId, this.db.q.ts(now)]);
        return token;
      } catch (e) {
        // Another request made this member's invitation meanwhile (read it), or a token collision (draw again).
        if (!isUniqueViolation(e) || attempt >= 4) throw e;
      }
    }
  }

  /**
   * The invitation's mini-program code (getwxacodeunlimit: scene = token, page = the sign-in page) as a data URL;
   * null when WeChat fails (the share card still works). Cached per process: WeChat limits how many codes a minute.
   */
  async invitationCode(token: string): Promise<string | null> {
    const cached = this.codeCache.get(token);
    if (cached) return cached;
    const { envVersion, checkPath } = this.config.wechat.wxacode;
    try {
      const image = await this.wechat.getUnlimitedWxaCode({ scene: token, page: INVITE_PAGE, checkPath, envVersion });
      const url = `data:${image.contentType};base64,${image.image.toString('base64')}`;
      while (this.codeCache.size >= MAX_CACHED_CODES) this.codeCache.delete(this.codeCache.keys().next().value as string);
      this.codeCache.set(token, url);
      return url;
    } catch (e) {
      this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'invitation code failed');
      return null;
    }
  }

  /** The members the signed-in member invited, newest first, masked. */
  async myReferrals(ctx: RequestContext, first: number, before: number | null): Promise<MyReferralRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first must be 1–50', 'first');
    const memberId = await this.memberOf(ctx.requireUser());
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT r.id, r.bound_at, r.qualified_at, r.revoked_at, r.bonus_points + r.share_points - r.share_reversed AS earned, m.member_no, u.nickname, u.phone
       FROM referral r JOIN member m ON m.id = r.referee_id JOIN app_user u ON u.id = m.user_id
       WHERE r.referrer_id = ?${before === null ? '' : ' AND r.id < ?'} ORDER BY r.id DESC LIMIT ?`,
      before === null ? [memberId, first] : [memberId, before, first],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      referee: maskReferee({ memberNo: String(r.member_no), nickname: r.nickname == null ? null : String(r.nickname), phone: r.phone == null ? null : String(r.phone) }),
      state: r.revoked_at != null ? 'REVOKED' : r.qualified_at != null ? 'QUALIFIED' : 'BOUND',
      boundAt: toDate(r.bound_at),
      qualifiedAt: r.qualified_at == null ? null : toDate(r.qualified_at),
      pointsEarned: toInt(r.earned),
    }));
  }

  /**
   * Managers: per store in `scope` (HQ also gets a row for referrers who never bought: no store), from `since` to
   * `now`: invitations made, sign-ups bound, referees qualified (first purchase), and points paid — the referrers'
   * bonuses and shares (net of refunds), the welcome bonuses, and what the monthly cap withheld.
   */
  async report(ctx: RequestContext, scope: Target, since: Date, now = clock.now()): Promise<ReferralReportRow[]> {
    await authorize(ctx, 'referral.report', scope);
    if (Number.isNaN(since.getTime()) || since.getTime() > now.getTime()) throw badInput('since must be a date-time in the past', 'since');
    const stores = scope.kind === 'STORE' ? [await this.org.store(scope.storeId)] : await this.org.stores(scope.kind === 'REGION' ? scope.regionId : undefined);
    const q = this.reports.q;
    const [from, to] = [q.ts(since), q.ts(now)];
    const by = async (sql: string, params: unknown[]): Promise<Map<number | null, Record<string, unknown>>> => {
      const rows = await q.all<Record<string, unknown>>(sql, params);
      return new Map(rows.map((r) => [r.k == null ? null : toInt(r.k), r]));
    };
    const invites = await by('SELECT store_id AS k, COUNT(*) AS n FROM referral_invite WHERE created_at >= ? AND created_at <= ? GROUP BY store_id', [from, to]);
    const signUps = await by('SELECT store_id AS k, COUNT(*) AS n, COALESCE(SUM(welcome_points), 0) AS w FROM referral WHERE bound_at >= ? AND bound_at <= ? GROUP BY store_id', [from, to]);
    const qualified = await by('SELECT store_id AS k, COUNT(*) AS n FROM referral WHERE qualified_at >= ? AND qualified_at <= ? GROUP BY store_id', [from, to]);
    const credits = await by(
      `SELECT r.store_id AS k, COALESCE(SUM(CASE WHEN c.kind = 'BONUS' THEN c.points ELSE 0 END), 0) AS b,
         COALESCE(SUM(CASE WHEN c.kind = 'SHARE' THEN c.points - c.reversed ELSE 0 END), 0) AS s, COALESCE(SUM(c.capped), 0) AS c
       FROM referral_credit c JOIN referral r ON r.id = c.referral_id WHERE c.created_at >= ? AND c.created_at <= ? GROUP BY r.store_id`,
      [from, to],
    );
    const row = (storeId: number | null, storeName: string | null, regionId: number | null, regionName: string | null): ReferralReportRow => {
      const n = (m: Map<number | null, Record<string, unknown>>, f: string) => toInt(m.get(storeId)?.[f]);
      return {
        storeId, storeName, regionId, regionName,
        invitations: n(invites, 'n'), signUps: n(signUps, 'n'), qualified: n(qualified, 'n'),
        bonusPoints: n(credits, 'b'), sharePoints: n(credits, 's'), welcomePoints: n(signUps, 'w'), cappedPoints: n(credits, 'c'),
      };
    };
    const out = stores.map((s) => row(s.id, s.name, s.regionId, s.regionName));
    if (scope.kind === 'HQ') out.push(row(null, null, null, null));
    return out;
  }
}
