import { clock } from '../../clock';
import { ErrorCode, matchTotpStep, nextTierProgress, parseMemberCode, totpStep } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { OrgService } from '../org/org.service';
import type { TokenService } from '../../auth/jwt';
import type { TierService, TierRow } from '../tiers/tier.service';
import { spendableSql } from '../ledger/ledger.service';
import type { RateLimitService } from '../../limits/rate-limit.service';

export interface MemberHome {
  id: number;
  userId: number;
  memberNo: string;
  tierId: number;
  tierPeriodEndsAt: Date;
  codeSecret: string;
  phone: string | null;
  balance: number;
  lifetimeEarned: number;
}

export interface LedgerLine { id: number; delta: number; kind: string; reason: string; storeName: string | null; createdAt: Date }

export interface CodeMember { id: number; memberNo: string; codeSecret: string; codeLastStep: number | null; tierId: number; phone: string | null; balance: number }

/** How many steps back a well-formed code is reported as CODE_EXPIRED rather than CODE_INVALID (≈ 1 hour). */
const EXPIRED_LOOKBACK_STEPS = 120;
const EXPIRING_SOON_DAYS = 30;

/** The member's own views (F1–F3), read with lean SQL: this is the hottest read path. */
export class MemberService {
  constructor(
    private readonly db: Db,
    private readonly tiers: TierService,
    private readonly org: OrgService,
    private readonly tokens: TokenService,
    private readonly limits: RateLimitService,
  ) {}

  /** The signed-in member's home row (member + phone + spendable balance at `now`) in one query. */
  async home(userId: number, now = clock.now()): Promise<MemberHome> {
    const r = await this.db.q.get<Record<string, unknown>>(
      `SELECT m.id, m.member_no, m.tier_id, m.tier_period_ends_at, m.code_secret, u.phone, ${spendableSql('a')} AS balance, a.lifetime_earned
       FROM member m JOIN app_user u ON u.id = m.user_id JOIN member_account a ON a.id = m.id WHERE m.user_id = ?`,
      [this.db.q.ts(now), userId],
    );
    if (!r) throw notFound('Member');
    return {
      id: toInt(r.id),
      userId,
      memberNo: String(r.member_no),
      tierId: toInt(r.tier_id),
      tierPeriodEndsAt: toDate(r.tier_period_ends_at),
      codeSecret: String(r.code_secret),
      phone: r.phone == null ? null : String(r.phone),
      balance: toInt(r.balance),
      lifetimeEarned: toInt(r.lifetime_earned),
    };
  }

  async tier(tierId: number): Promise<TierRow> {
    return this.tiers.byId(tierId);
  }

  /** "Spend ¥X more to reach <tier>", or null at the top tier. */
  async nextTier(m: MemberHome, now = clock.now()): Promise<{ tier: TierRow; spendNeededFen: number } | null> {
    const tiers = await this.tiers.list();
    const spend = await this.tiers.rollingSpend(this.db.q, m.id, now);
    const p = nextTierProgress(tiers, String(m.tierId), spend);
    if (!p) return null;
    const tier = tiers.find((t) => t.id === p.tier.id) as TierRow;
    return { tier, spendNeededFen: p.spendNeededFen };
  }

  /** Points in live lots expiring within 30 days, and the first date they expire on; null when none. */
  async expiringSoon(memberId: number, now = clock.now()): Promise<{ points: number; on: Date } | null> {
    const r = await this.db.q.get<{ p: unknown; d: unknown }>(
      'SELECT SUM(remaining) AS p, MIN(expires_at) AS d FROM points_lot WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ?',
      [memberId, this.db.q.ts(now), this.db.q.ts(new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000))],
    );
    const points = toInt(r?.p);
    return points > 0 && r?.d != null ? { points, on: toDate(r.d) } : null;
  }

  /** The member's ledger, newest first, keyset-paginated by entry id (`after` is an opaque cursor). */
  async ledger(memberId: number, first: number, after: string | null): Promise<{ lines: LedgerLine[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    const before = after === null ? null : decodeCursor(after);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT e.id, e.delta, e.kind, e.reason, e.created_at, s.name AS store_name FROM points_entry e LEFT JOIN store s ON s.id = e.store_id
       WHERE e.member_id = ?${before === null ? '' : ' AND e.id < ?'} ORDER BY e.id DESC LIMIT ?`,
      before === null ? [memberId, first + 1] : [memberId, before, first + 1],
    );
    const lines = rows.slice(0, first).map((r) => ({
      id: toInt(r.id),
      delta: toInt(r.delta),
      kind: String(r.kind),
      reason: String(r.reason),
      storeName: r.store_name == null ? null : String(r.store_name),
      createdAt: toDate(r.created_at),
    }));
    return { lines, hasNextPage: rows.length > first };
  }

  /** Loads the member a code names (no verification). */
  async byMemberNo(memberNo: string): Promise<CodeMember | null> {
    return this.codeMember('m.member_no = ?', memberNo);
  }

  /** Loads a member by id (a till ticket names the member by id). */
  async byId(memberId: number): Promise<CodeMember | null> {
    return this.codeMember('m.id = ?', memberId);
  }

  private async codeMember(where: string, value: unknown): Promise<CodeMember | null> {
    const r = await this.db.q.get<Record<string, unknown>>(
      `SELECT m.id, m.member_no, m.code_secret, m.code_last_step, m.tier_id, u.phone, ${spendableSql('a')} AS balance
       FROM member m JOIN app_user u ON u.id = m.user_id JOIN member_account a ON a.id = m.id WHERE ${where}`,
      [this.db.q.ts(clock.now()), value],
    );
    if (!r) return null;
    return {
      id: toInt(r.id),
      memberNo: String(r.member_no),
      codeSecret: String(r.code_secret),
      codeLastStep: r.code_last_step == null ? null : toInt(r.code_last_step),
      tierId: toInt(r.tier_id),
      phone: r.phone == null ? null : String(r.phone),
      balance: toInt(r.balance),
    };
  }

  /**
   * Verifies a scanned member code (F2): well-formed, the member exists, the TOTP matches a step within ±1 of now,
   * and that step has not been used at a till already. Returns the member and the matched step (to consume).
   */
  async verifyCode(code: string, nowMs = clock.ms()): Promise<{ member: CodeMember; step: number }> {
    const parsed = parseMemberCode(code ?? '');
    if (!parsed) throw new AppError(ErrorCode.CODE_INVALID, 'Not a Quanzi member code');
    const member = await this.byMemberNo(parsed.memberNo);
    if (!member) throw new AppError(ErrorCode.CODE_INVALID, 'Unknown member code');
    const step = matchTotpStep(member.codeSecret, parsed.totp, nowMs, 1);
    if (step === null) {
      // A code that was valid a little while ago (a screenshot, a stale screen) is EXPIRED; anything else is INVALID.
      const nowStep = totpStep(nowMs);
      for (let s = nowStep - 2; s >= nowStep - EXPIRED_LOOKBACK_STEPS; s--) {
        if (matchTotpStep(member.codeSecret, parsed.totp, s * 30_000, 0) !== null) throw new AppError(ErrorCode.CODE_EXPIRED, 'This member code has expired');
      }
      throw new AppError(ErrorCode.CODE_INVALID, 'This member code is not valid');
    }
    if (member.codeLastStep !== null && step <= member.codeLastStep) throw new AppError(ErrorCode.CODE_REUSED, 'This member code was already used');
    return { member, step };
  }

  /**
   * Staff look-up at the till: validates the code without consuming it and returns a till ticket, so the purchase
   * can be submitted after the code has rotated (see TokenService.signTillTicket).
   */
  async atTill(ctx: RequestContext, code: string, storeId: number): Promise<{ member: CodeMember; tier: TierRow; tillTicket: string }> {
    const staffId = await authorize(ctx, 'till.lookup', await this.org.storeTarget(storeId));
    const { member, step } = await this.limits.guard('member-code', { userId: staffId, storeId }, () => this.verifyCode(code));
    const tillTicket = await this.tokens.signTillTicket({ memberId: member.id, memberNo: member.memberNo, step, storeId, staffId });
    return { member, tier: await this.tiers.byId(member.tierId), tillTicket };
  }
}

export function encodeCursor(id: number): string {
  return Buffer.from(`e:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const m = /^e:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badInput('Malformed cursor', 'after');
  return Number(m[1]);
}
