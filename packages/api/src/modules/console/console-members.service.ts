/**
 * Members in the manager console (issue #13): find a member by member number or full phone number, read their profile,
 * ledger, redemptions and clubs — within the manager's scope. HQ managers see every member; region and store managers
 * see members with a ledger entry or a purchase at a store their grants cover (indexed EXISTS on the member's rows).
 * A member outside the scope is NOT_FOUND, exactly like a member that does not exist.
 */
import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { authorize, managerCovers, type RoleGrant } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { badInput, notFound } from '../../errors';
import type { OrgService } from '../org/org.service';
import { spendableSql } from '../ledger/ledger.service';

export interface MemberSummaryRow {
  id: number;
  memberNo: string;
  nickname: string | null;
  phone: string | null;
  tierName: string;
  points: number;
  joinedAt: Date;
}

export interface MemberRedemptionRow { id: number; rewardName: string; points: number; status: string; storeName: string | null; createdAt: Date }
export interface MemberClubRow { clubId: number; name: string; role: string; status: string; joinedAt: Date }
export interface MemberTierChangeRow { id: number; kind: string; fromTierName: string; toTierName: string; spendFen: number; periodEndsAt: Date; createdAt: Date }

/** How many redemptions and clubs a profile lists (the newest). */
export const PROFILE_REDEMPTIONS = 20;
export const PROFILE_CLUBS = 50;
export const PROFILE_TIER_CHANGES = 50;

/** A member number is 10 digits (9 + a Luhn digit); a phone number is stored as WeChat's purePhoneNumber. */
const MEMBER_NO_RE = /^\d{10}$/;
const PHONE_RE = /^\+?\d{5,20}$/;

export class ConsoleMemberService {
  constructor(private readonly db: Db, private readonly org: OrgService) {}

  /**
   * The SQL condition "member `m` is in the scope of these grants", or null for HQ (everyone). A manager without any
   * covered store sees nobody.
   */
  async scopeSql(grants: readonly RoleGrant[]): Promise<{ sql: string; params: unknown[] } | null> {
    const managers = grants.filter((g) => g.role === 'MANAGER');
    if (managers.some((g) => g.scope === 'HQ')) return null;
    const stores = (await this.org.stores()).filter((s) => managers.some((g) => managerCovers(g, { kind: 'STORE', storeId: s.id, regionId: s.regionId }))).map((s) => s.id);
    if (stores.length === 0) return { sql: '1 = 0', params: [] };
    const list = stores.map(() => '?').join(', ');
    return {
      sql: `(EXISTS (SELECT 1 FROM points_entry se WHERE se.member_id = m.id AND se.store_id IN (${list}))
        OR EXISTS (SELECT 1 FROM purchase sp WHERE sp.member_id = m.id AND sp.store_id IN (${list})))`,
      params: [...stores, ...stores],
    };
  }

  /** Members whose member number or full phone number is `query` (exact), in the viewer's scope. */
  async search(ctx: RequestContext, query: string, first: number, offset: number): Promise<{ total: number; items: MemberSummaryRow[] }> {
    await authorize(ctx, 'member.read');
    if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first must be 1–50', 'first');
    if (!Number.isInteger(offset) || offset < 0 || offset > 10_000) throw badInput('offset must be 0–10000', 'offset');
    const text = (query ?? '').trim().replace(/[\s-]/g, '');
    let match: { sql: string; value: string };
    if (MEMBER_NO_RE.test(text)) match = { sql: 'm.member_no = ?', value: text };
    else if (PHONE_RE.test(text)) match = { sql: 'u.phone = ?', value: text.replace(/^\+86/, '') };
    else throw badInput('query must be a 10-digit member number or a full phone number', 'query');
    const scope = await this.scopeSql(await ctx.roles());
    const where = [match.sql, ...(scope ? [scope.sql] : [])].join(' AND ');
    const params = [match.value, ...(scope ? scope.params : [])];
    const total = toInt((await this.db.q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM member m JOIN app_user u ON u.id = m.user_id WHERE ${where}`, params))?.n);
    const rows = await this.summaries(`${where} ORDER BY m.id LIMIT ? OFFSET ?`, [...params, first, offset]);
    return { total, items: rows };
  }

  /** A member's profile in the viewer's scope; NOT_FOUND outside it. */
  async profile(ctx: RequestContext, memberId: number): Promise<MemberSummaryRow> {
    await authorize(ctx, 'member.read');
    const scope = await this.scopeSql(await ctx.roles());
    const rows = await this.summaries(`m.id = ?${scope ? ` AND ${scope.sql}` : ''}`, [memberId, ...(scope ? scope.params : [])]);
    const row = rows[0];
    if (!row) throw notFound(`Member ${memberId}`);
    return row;
  }

  /** Throws NOT_FOUND unless the member exists and is in the viewer's scope. */
  async requireVisible(ctx: RequestContext, memberId: number): Promise<void> {
    await this.profile(ctx, memberId);
  }

  /** The member's newest redemptions (catalogue rewards), at most {@link PROFILE_REDEMPTIONS}. */
  async redemptions(memberId: number): Promise<MemberRedemptionRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT rr.id, r.name AS reward_name, rr.points, rr.status, s.name AS store_name, rr.created_at FROM reward_redemption rr
       JOIN reward r ON r.id = rr.reward_id LEFT JOIN store s ON s.id = rr.store_id WHERE rr.member_id = ? ORDER BY rr.id DESC LIMIT ?`,
      [memberId, PROFILE_REDEMPTIONS],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      rewardName: String(r.reward_name),
      points: toInt(r.points),
      status: String(r.status),
      storeName: r.store_name == null ? null : String(r.store_name),
      createdAt: toDate(r.created_at),
    }));
  }

  /** The clubs the member belongs to or asked to join, newest first, at most {@link PROFILE_CLUBS}. */
  async clubs(memberId: number): Promise<MemberClubRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      'SELECT c.id, c.name, cm.role, cm.status, cm.created_at FROM club_member cm JOIN club c ON c.id = cm.club_id WHERE cm.member_id = ? ORDER BY cm.id DESC LIMIT ?',
      [memberId, PROFILE_CLUBS],
    );
    return rows.map((r) => ({ clubId: toInt(r.id), name: String(r.name), role: String(r.role), status: String(r.status), joinedAt: toDate(r.created_at) }));
  }

  /** The member's tier changes (upgrades, downgrades, renewals), newest first, at most {@link PROFILE_TIER_CHANGES}. */
  async tierHistory(memberId: number): Promise<MemberTierChangeRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT tc.id, tc.kind, ft.name AS from_name, tt.name AS to_name, tc.spend_fen, tc.period_ends_at, tc.created_at FROM tier_change tc
       JOIN tier ft ON ft.id = tc.from_tier_id JOIN tier tt ON tt.id = tc.to_tier_id WHERE tc.member_id = ? ORDER BY tc.created_at DESC, tc.id DESC LIMIT ?`,
      [memberId, PROFILE_TIER_CHANGES],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      kind: String(r.kind),
      fromTierName: String(r.from_name),
      toTierName: String(r.to_name),
      spendFen: toInt(r.spend_fen),
      periodEndsAt: toDate(r.period_ends_at),
      createdAt: toDate(r.created_at),
    }));
  }

  /** Profile rows for `WHERE <where>` (over member m and app_user u, may end in ORDER BY/LIMIT). */
  private async summaries(where: string, params: unknown[]): Promise<MemberSummaryRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT m.id, m.member_no, u.nickname, u.phone, t.name AS tier_name, ${spendableSql('a')} AS points, m.created_at
       FROM member m JOIN app_user u ON u.id = m.user_id JOIN member_account a ON a.id = m.id JOIN tier t ON t.id = m.tier_id WHERE ${where}`,
      [this.db.q.ts(clock.now()), ...params],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      memberNo: String(r.member_no),
      nickname: r.nickname == null ? null : String(r.nickname),
      phone: r.phone == null ? null : String(r.phone),
      tierName: String(r.tier_name),
      points: toInt(r.points),
      joinedAt: toDate(r.created_at),
    }));
  }
}
