/**
 * Clubs (F7): profile, join policy, member list with per-club roles, member cap, organizers granted per club by
 * managers, and announcements. Texts pass WeChat content security before they are stored. The member count is a
 * cache kept by atomic conditional updates (`member_count < member_cap`), always before the membership row is
 * written (update-before-insert), and every membership transaction locks the club row first.
 */
import { clock } from '../../clock';
import { randomInt } from 'node:crypto';
import { decideJoin, ErrorCode, type JoinPolicy } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { allows, authorize, authorizeClub, clubAllows, type ClubAction, type ClubTarget, type Target } from '../../auth/authz';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, forbidden, notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { NotificationService } from '../notifications/notification.service';
import { shanghaiMinute, thingValue, timeValue } from '../notifications/notification.service';
import type { OrgService } from '../org/org.service';
import type { TierService } from '../tiers/tier.service';
import { writeAudit } from '../audit/audit';
import { SCENE_POST, SCENE_PROFILE, type ContentGuard } from './content-guard';

export type ClubRole = 'MEMBER' | 'ORGANIZER';
export type MembershipStatus = 'PENDING' | 'ACTIVE' | 'LEFT' | 'REMOVED' | 'REJECTED';

export interface ClubRow {
  id: number;
  name: string;
  theme: string;
  coverUrl: string | null;
  description: string;
  joinPolicy: JoinPolicy;
  minTierId: number | null;
  inviteCode: string | null;
  memberCap: number | null;
  memberCount: number;
  storeId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Membership { clubId: number; memberId: number; role: ClubRole; status: MembershipStatus; since: Date }

export interface ClubPerson { memberId: number; userId: number; memberNo: string; nickname: string | null; tierName: string; role: ClubRole; status: MembershipStatus; since: Date }

export interface PostRow { id: number; clubId: number; title: string; body: string; createdAt: Date }

export interface ClubInput {
  name: string;
  theme: string;
  description: string;
  coverUrl?: string | null;
  joinPolicy: JoinPolicy;
  /** TIER_MIN: the code of the lowest tier admitted (e.g. GOLD). */
  minTierCode?: string | null;
  memberCap?: number | null;
  /** The home store; null = organisation-wide (HQ oversees it). */
  storeId?: number | null;
}

/** The signed-in user's membership (member id and tier), read for every member-side club or event operation. */
export interface Me { userId: number; memberId: number; tierId: number }

const CLUB_COLUMNS = 'id, name, theme, cover_url, description, join_policy, min_tier_id, invite_code, member_cap, member_count, store_id, created_at, updated_at';
const POLICIES: readonly JoinPolicy[] = ['OPEN', 'APPROVAL', 'TIER_MIN', 'INVITE'];
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud or typed from a poster
const MAX_CAP = 100_000;

/** Thrown inside a transaction to roll it back when a concurrent request already made the change. */
export class Raced extends Error {}

function toClub(r: Record<string, unknown>): ClubRow {
  return {
    id: toInt(r.id),
    name: String(r.name),
    theme: String(r.theme),
    coverUrl: r.cover_url == null ? null : String(r.cover_url),
    description: String(r.description),
    joinPolicy: r.join_policy as JoinPolicy,
    minTierId: r.min_tier_id == null ? null : toInt(r.min_tier_id),
    inviteCode: r.invite_code == null ? null : String(r.invite_code),
    memberCap: r.member_cap == null ? null : toInt(r.member_cap),
    memberCount: toInt(r.member_count),
    storeId: r.store_id == null ? null : toInt(r.store_id),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

const toMembership = (r: Record<string, unknown>): Membership => ({
  clubId: toInt(r.club_id),
  memberId: toInt(r.member_id),
  role: r.role as ClubRole,
  status: r.status as MembershipStatus,
  since: toDate(r.updated_at),
});

/** Trims and bounds a text field; BAD_USER_INPUT naming the field otherwise. */
export function text(v: unknown, field: string, min: number, max: number): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if ([...s].length < min || [...s].length > max) throw badInput(`${field} must be ${min}–${max} characters`, field);
  return s;
}

export function newInviteCode(): string {
  return Array.from({ length: 8 }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');
}

export class ClubService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly tiers: TierService,
    private readonly guard: ContentGuard,
    private readonly notifications: NotificationService,
    private readonly log: Logger,
  ) {}

  /** The signed-in member (UNAUTHENTICATED when signed out). */
  async me(ctx: RequestContext): Promise<Me> {
    const userId = ctx.requireUser();
    const r = await this.db.q.get<Record<string, unknown>>('SELECT id, tier_id FROM member WHERE user_id = ?', [userId]);
    if (!r) throw notFound('Member');
    return { userId, memberId: toInt(r.id), tierId: toInt(r.tier_id) };
  }

  /** The club, or NOT_FOUND. */
  async get(id: number): Promise<ClubRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${CLUB_COLUMNS} FROM club WHERE id = ?`, [id]);
    if (!r) throw notFound(`Club ${id}`);
    return toClub(r);
  }

  /** Where a club belongs for authorization: its store (with region), or HQ. */
  async target(c: Pick<ClubRow, 'storeId'>): Promise<Target> {
    return c.storeId === null ? { kind: 'HQ' } : this.org.storeTarget(c.storeId);
  }

  /** Whether the user is an active organizer of the club. */
  async isOrganizer(userId: number, clubId: number): Promise<boolean> {
    const r = await this.db.q.get(
      "SELECT cm.id FROM club_member cm JOIN member m ON m.id = cm.member_id WHERE cm.club_id = ? AND m.user_id = ? AND cm.role = 'ORGANIZER' AND cm.status = 'ACTIVE'",
      [clubId, userId],
    );
    return r !== undefined;
  }

  /** The facts authz.ts decides club actions on. */
  async access(ctx: RequestContext, club: ClubRow, venueStoreId: number | null = null): Promise<ClubTarget> {
    const userId = ctx.userId;
    const venueStore = venueStoreId ?? club.storeId;
    return {
      club: await this.target(club),
      venue: venueStore === null ? null : await this.org.storeTarget(venueStore),
      isOrganizer: () => (userId === null ? Promise.resolve(false) : this.isOrganizer(userId, club.id)),
    };
  }

  /** FORBIDDEN (UNAUTHENTICATED when signed out) unless the user may do `action` on the club; returns the user id. */
  async authorize(ctx: RequestContext, action: ClubAction, club: ClubRow, venueStoreId: number | null = null): Promise<number> {
    return authorizeClub(ctx, action, await this.access(ctx, club, venueStoreId));
  }

  /** Whether the user may do `action` on the club (no error). */
  async may(ctx: RequestContext, action: ClubAction, club: ClubRow): Promise<boolean> {
    if (ctx.userId === null) return false;
    return clubAllows(await ctx.roles(), action, await this.access(ctx, club));
  }

  /** Clubs, biggest first; `mine` = the ones the signed-in member belongs to or asked to join. */
  async list(ctx: RequestContext, opts: { first: number; mine: boolean }): Promise<ClubRow[]> {
    if (!Number.isInteger(opts.first) || opts.first < 1 || opts.first > 100) throw badInput('first must be 1–100', 'first');
    if (opts.mine) {
      const me = await this.me(ctx);
      const rows = await this.db.q.all<Record<string, unknown>>(
        `SELECT ${CLUB_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')} FROM club c JOIN club_member cm ON cm.club_id = c.id
         WHERE cm.member_id = ? AND cm.status IN ('ACTIVE', 'PENDING') ORDER BY c.member_count DESC, c.id LIMIT ?`,
        [me.memberId, opts.first],
      );
      return rows.map(toClub);
    }
    const rows = await this.db.q.all<Record<string, unknown>>(`SELECT ${CLUB_COLUMNS} FROM club ORDER BY member_count DESC, id LIMIT ?`, [opts.first]);
    return rows.map(toClub);
  }

  /** The member's membership of a club, or null. */
  async membership(clubId: number, memberId: number): Promise<Membership | null> {
    const r = await this.db.q.get<Record<string, unknown>>('SELECT club_id, member_id, role, status, updated_at FROM club_member WHERE club_id = ? AND member_id = ?', [clubId, memberId]);
    return r ? toMembership(r) : null;
  }

  /** The signed-in member's membership of a club (null when signed out or not a member). */
  async myMembership(ctx: RequestContext, clubId: number): Promise<Membership | null> {
    if (ctx.userId === null) return null;
    return this.membership(clubId, (await this.me(ctx)).memberId);
  }

  /** Active organizers of a club (public). */
  async organizers(clubId: number): Promise<ClubPerson[]> {
    return this.people(clubId, "cm.role = 'ORGANIZER' AND cm.status = 'ACTIVE'", [], 50);
  }

  /** The member list with roles (organizers and managers); optionally one status (e.g. PENDING requests). */
  async members(ctx: RequestContext, clubId: number, status: MembershipStatus | null): Promise<ClubPerson[]> {
    const club = await this.get(clubId);
    await this.authorize(ctx, 'club.moderate', club);
    return status === null ? this.people(clubId, "cm.status IN ('ACTIVE', 'PENDING')", []) : this.people(clubId, 'cm.status = ?', [status]);
  }

  /** At most `limit` people (the GraphQL cost estimate counts on it: graphql/limits.ts LIST_SIZES). */
  private async people(clubId: number, where: string, params: unknown[], limit = 1000): Promise<ClubPerson[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT cm.member_id, m.user_id, cm.role, cm.status, cm.updated_at, m.member_no, m.tier_id, u.nickname
       FROM club_member cm JOIN member m ON m.id = cm.member_id JOIN app_user u ON u.id = m.user_id
       WHERE cm.club_id = ? AND ${where} ORDER BY cm.role DESC, cm.id LIMIT ?`,
      [clubId, ...params, limit],
    );
    const tiers = await this.tiers.list();
    return rows.map((r) => ({
      memberId: toInt(r.member_id),
      userId: toInt(r.user_id),
      memberNo: String(r.member_no),
      nickname: r.nickname == null ? null : String(r.nickname),
      tierName: tiers.find((t) => t.dbId === toInt(r.tier_id))?.name ?? '',
      role: r.role as ClubRole,
      status: r.status as MembershipStatus,
      since: toDate(r.updated_at),
    }));
  }

  /** Resolves and checks a club's inputs (shared by create and update). */
  private async normalize(input: ClubInput): Promise<{ name: string; theme: string; description: string; coverUrl: string | null; joinPolicy: JoinPolicy; minTierId: number | null; memberCap: number | null }> {
    const name = text(input.name, 'name', 1, 40);
    const theme = text(input.theme, 'theme', 1, 32);
    const description = text(input.description, 'description', 0, 1000);
    const coverUrl = input.coverUrl == null || input.coverUrl.trim() === '' ? null : input.coverUrl.trim();
    if (coverUrl !== null && (coverUrl.length > 512 || !/^(https|cloud):\/\/\S+$/.test(coverUrl))) throw badInput('coverUrl must be an https:// or cloud:// address (≤ 512)', 'coverUrl');
    if (!POLICIES.includes(input.joinPolicy)) throw badInput(`joinPolicy must be one of ${POLICIES.join(', ')}`, 'joinPolicy');
    let minTierId: number | null = null;
    if (input.joinPolicy === 'TIER_MIN') {
      if (!input.minTierCode) throw badInput('A TIER_MIN club needs minTierCode', 'minTierCode');
      minTierId = await this.tierId(input.minTierCode, 'minTierCode');
    } else if (input.minTierCode) {
      throw badInput('minTierCode applies to TIER_MIN clubs only', 'minTierCode');
    }
    const memberCap = input.memberCap ?? null;
    if (memberCap !== null && (!Number.isInteger(memberCap) || memberCap < 1 || memberCap > MAX_CAP)) throw badInput(`memberCap must be 1–${MAX_CAP}`, 'memberCap');
    return { name, theme, description, coverUrl, joinPolicy: input.joinPolicy, minTierId, memberCap };
  }

  /** A tier's database id by code; BAD_USER_INPUT for an unknown code. */
  async tierId(code: string, field: string): Promise<number> {
    const t = (await this.tiers.list()).find((x) => x.code === code);
    if (!t) throw badInput(`Unknown tier ${String(code).slice(0, 16)}`, field);
    return t.dbId;
  }

  /** The code of a tier id (e.g. GOLD). */
  async tierCode(tierId: number): Promise<string> {
    return (await this.tiers.byId(tierId)).code;
  }

  /** The rank of a tier id (0 = entry). */
  async tierRank(tierId: number): Promise<number> {
    return (await this.tiers.byId(tierId)).rank;
  }

  /**
   * Starts a club (organizers and managers in scope of its store, or HQ for an organisation-wide club). The creator
   * becomes its first organizer. Texts pass content security first; nothing is stored when they do not.
   */
  async create(ctx: RequestContext, input: ClubInput, now = clock.now()): Promise<ClubRow> {
    const storeId = input.storeId ?? null;
    const target: Target = storeId === null ? { kind: 'HQ' } : await this.org.storeTarget(storeId);
    const userId = await authorize(ctx, 'club.create', target);
    const v = await this.normalize(input);
    const me = await this.me(ctx);
    await this.guard.screen(userId, SCENE_PROFILE, [v.name, v.theme, v.description]);
    for (let attempt = 0; ; attempt++) {
      const invite = v.joinPolicy === 'INVITE' ? newInviteCode() : null;
      try {
        const id = await this.db.tx(async (q) => {
          const c = await q.run(
            `INSERT INTO club (name, theme, cover_url, description, join_policy, min_tier_id, invite_code, member_cap, member_count, store_id, created_by_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
            [v.name, v.theme, v.coverUrl, v.description, v.joinPolicy, v.minTierId, invite, v.memberCap, storeId, userId, q.ts(now), q.ts(now)],
          );
          await q.run("INSERT INTO club_member (club_id, member_id, role, status, created_at, updated_at) VALUES (?, ?, 'ORGANIZER', 'ACTIVE', ?, ?)", [
            c.insertId, me.memberId, q.ts(now), q.ts(now),
          ]);
          return c.insertId;
        });
        this.log.info({ clubId: id, userId, policy: v.joinPolicy }, 'club created');
        return this.get(id);
      } catch (e) {
        if (attempt < 3 && invite !== null && isUniqueViolation(e)) continue; // invitation code collision
        throw e;
      }
    }
  }

  /** Edits a club (its organizers, managers in scope). Changed texts pass content security first. */
  async update(ctx: RequestContext, id: number, patch: Partial<Omit<ClubInput, 'storeId'>>, now = clock.now()): Promise<ClubRow> {
    const club = await this.get(id);
    const userId = await this.authorize(ctx, 'club.edit', club);
    const minTierCode = club.minTierId === null ? null : await this.tierCode(club.minTierId);
    const merged: ClubInput = {
      name: patch.name ?? club.name,
      theme: patch.theme ?? club.theme,
      description: patch.description ?? club.description,
      coverUrl: patch.coverUrl === undefined ? club.coverUrl : patch.coverUrl,
      joinPolicy: patch.joinPolicy ?? club.joinPolicy,
      minTierCode: patch.minTierCode !== undefined ? patch.minTierCode : (patch.joinPolicy ?? club.joinPolicy) === 'TIER_MIN' ? minTierCode : null,
      memberCap: patch.memberCap === undefined ? club.memberCap : patch.memberCap,
    };
    const v = await this.normalize(merged);
    if (v.memberCap !== null && v.memberCap < club.memberCount) throw badInput(`memberCap cannot be below the ${club.memberCount} current members`, 'memberCap');
    const changed = [v.name !== club.name ? v.name : null, v.theme !== club.theme ? v.theme : null, v.description !== club.description ? v.description : null];
    await this.guard.screen(userId, SCENE_PROFILE, changed);
    const invite = v.joinPolicy === 'INVITE' ? club.inviteCode ?? newInviteCode() : null;
    const r = await this.db.q.run(
      'UPDATE club SET name = ?, theme = ?, description = ?, cover_url = ?, join_policy = ?, min_tier_id = ?, member_cap = ?, invite_code = ?, updated_at = ? WHERE id = ? AND (? IS NULL OR member_count <= ?)',
      [v.name, v.theme, v.description, v.coverUrl, v.joinPolicy, v.minTierId, v.memberCap, invite, this.db.q.ts(now), id, v.memberCap, v.memberCap],
    );
    if (r.affectedRows !== 1) throw badInput('memberCap cannot be below the current number of members', 'memberCap');
    return this.get(id);
  }

  /** A new invitation code (the old one stops working); for INVITE clubs. */
  async resetInviteCode(ctx: RequestContext, id: number, now = clock.now()): Promise<ClubRow> {
    const club = await this.get(id);
    await this.authorize(ctx, 'club.edit', club);
    if (club.joinPolicy !== 'INVITE') throw badInput('Only INVITE clubs have an invitation code', 'clubId');
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.q.run('UPDATE club SET invite_code = ?, updated_at = ? WHERE id = ?', [newInviteCode(), this.db.q.ts(now), id]);
        return this.get(id);
      } catch (e) {
        if (attempt < 3 && isUniqueViolation(e)) continue;
        throw e;
      }
    }
  }

  /**
   * The signed-in member asks to join: OPEN (and TIER_MIN with the tier, INVITE with the code) joins at once within
   * the cap (CLUB_FULL otherwise), APPROVAL waits for an organizer. TIER_REQUIRED / INVITE_INVALID / CLUB_FULL change
   * nothing. Joining again while a member (or pending) returns the membership as it is; members an organizer
   * removed may not rejoin.
   */
  async join(ctx: RequestContext, clubId: number, inviteCode: string | null, now = clock.now()): Promise<Membership> {
    const me = await this.me(ctx);
    const club = await this.get(clubId);
    const current = await this.membership(clubId, me.memberId);
    if (current && (current.status === 'ACTIVE' || current.status === 'PENDING')) return current;
    if (current?.status === 'REMOVED') throw forbidden('An organizer removed you from this club');
    const decision = decideJoin({
      policy: club.joinPolicy,
      memberTierRank: await this.tierRank(me.tierId),
      minTierRank: club.minTierId === null ? null : await this.tierRank(club.minTierId),
      clubInviteCode: club.inviteCode,
      inviteCode,
    });
    if (!decision.ok) {
      throw decision.error === 'TIER_REQUIRED'
        ? new AppError(ErrorCode.TIER_REQUIRED, 'Your tier is below what this club requires', { minTier: club.minTierId === null ? null : await this.tierCode(club.minTierId) })
        : new AppError(ErrorCode.INVITE_INVALID, 'This invitation code is not valid for the club');
    }
    const status = decision.status;
    if (status === 'PENDING' && club.memberCap !== null && club.memberCount >= club.memberCap) throw new AppError(ErrorCode.CLUB_FULL, 'This club is full');
    try {
      await this.db.tx(async (q) => {
        if (status === 'ACTIVE') await this.takePlace(q, clubId, now);
        else await this.lockClub(q, clubId);
        if (current) {
          const u = await q.run("UPDATE club_member SET status = ?, role = 'MEMBER', updated_at = ? WHERE club_id = ? AND member_id = ? AND status IN ('LEFT', 'REJECTED')", [
            status, q.ts(now), clubId, me.memberId,
          ]);
          if (u.affectedRows !== 1) throw new Raced();
        } else {
          await q.run("INSERT INTO club_member (club_id, member_id, role, status, created_at, updated_at) VALUES (?, ?, 'MEMBER', ?, ?, ?)", [clubId, me.memberId, status, q.ts(now), q.ts(now)]);
        }
      });
    } catch (e) {
      if (!(e instanceof Raced || isUniqueViolation(e))) throw e;
    }
    return (await this.membership(clubId, me.memberId)) as Membership;
  }

  /** The signed-in member leaves (or withdraws a request). Leaving twice is a no-op. */
  async leave(ctx: RequestContext, clubId: number, now = clock.now()): Promise<Membership> {
    const me = await this.me(ctx);
    await this.get(clubId);
    await this.db.tx((q) => this.endMembership(q, clubId, me.memberId, 'LEFT', false, now));
    const m = await this.membership(clubId, me.memberId);
    if (!m) throw notFound('Membership');
    return m;
  }

  /** An organizer (or manager) removes a member or a pending request. Organizers lose the role first (setClubOrganizer). */
  async remove(ctx: RequestContext, clubId: number, memberId: number, now = clock.now()): Promise<ClubPerson> {
    const club = await this.get(clubId);
    await this.authorize(ctx, 'club.moderate', club);
    const m = await this.membership(clubId, memberId);
    if (!m) throw notFound('Membership');
    if (m.role === 'ORGANIZER' && m.status === 'ACTIVE') throw badInput('Revoke the organizer role before removing this member', 'memberId');
    await this.db.tx((q) => this.endMembership(q, clubId, memberId, 'REMOVED', true, now));
    return this.person(clubId, memberId);
  }

  /** ACTIVE → status (count − 1) or PENDING → status; organizers become plain members when they go. */
  private async endMembership(q: Q, clubId: number, memberId: number, status: 'LEFT' | 'REMOVED', membersOnly: boolean, now: Date): Promise<void> {
    await this.lockClub(q, clubId);
    const role = membersOnly ? " AND role = 'MEMBER'" : '';
    const active = await q.run(`UPDATE club_member SET status = ?, role = 'MEMBER', updated_at = ? WHERE club_id = ? AND member_id = ? AND status = 'ACTIVE'${role}`, [
      status, q.ts(now), clubId, memberId,
    ]);
    if (active.affectedRows === 1) {
      await q.run('UPDATE club SET member_count = member_count - 1 WHERE id = ?', [clubId]);
      return;
    }
    await q.run(`UPDATE club_member SET status = ?, updated_at = ? WHERE club_id = ? AND member_id = ? AND status = 'PENDING'`, [status, q.ts(now), clubId, memberId]);
  }

  /** An organizer approves (within the cap: CLUB_FULL otherwise) or rejects a pending request. Deciding twice is a no-op. */
  async review(ctx: RequestContext, clubId: number, memberId: number, approve: boolean, now = clock.now()): Promise<ClubPerson> {
    const club = await this.get(clubId);
    await this.authorize(ctx, 'club.moderate', club);
    const m = await this.membership(clubId, memberId);
    if (!m) throw notFound('Join request');
    if (m.status === 'PENDING') {
      try {
        await this.db.tx(async (q) => {
          if (approve) await this.takePlace(q, clubId, now);
          else await this.lockClub(q, clubId);
          const u = await q.run("UPDATE club_member SET status = ?, updated_at = ? WHERE club_id = ? AND member_id = ? AND status = 'PENDING'", [
            approve ? 'ACTIVE' : 'REJECTED', q.ts(now), clubId, memberId,
          ]);
          if (u.affectedRows !== 1) throw new Raced();
        });
      } catch (e) {
        if (!(e instanceof Raced)) throw e;
      }
    } else if (m.status !== (approve ? 'ACTIVE' : 'REJECTED')) {
      throw badInput(`There is no pending request (membership is ${m.status})`, 'memberId');
    }
    return this.person(clubId, memberId);
  }

  /**
   * A manager grants or revokes the per-club organizer role. Granting makes the user an active member (outside the
   * cap: organizers run the club); revoking leaves them an ordinary member.
   */
  async setOrganizer(ctx: RequestContext, clubId: number, userId: number, organizer: boolean, now = clock.now()): Promise<ClubPerson> {
    const club = await this.get(clubId);
    const actor = await this.authorize(ctx, 'club.organizers', club);
    const r = await this.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE user_id = ?', [userId]);
    if (!r) throw notFound(`User ${userId}`);
    const memberId = toInt(r.id);
    await this.db.tx(async (q) => {
      await this.lockClub(q, clubId);
      const m = await q.get<Record<string, unknown>>(`SELECT role, status FROM club_member WHERE club_id = ? AND member_id = ?${q.forUpdate}`, [clubId, memberId]);
      const where = club.storeId === null ? { regionId: null, storeId: null } : { regionId: (await this.org.store(club.storeId)).regionId, storeId: club.storeId };
      const audit = (after: { role: string; status: string }) =>
        writeAudit(q, actor, { action: 'setClubOrganizer', targetType: 'club', targetId: clubId, ...where, before: m ? { userId, role: m.role, status: m.status } : null, after: { userId, ...after } }, now);
      if (!organizer) {
        if (!m) throw notFound('Membership');
        await q.run("UPDATE club_member SET role = 'MEMBER', updated_at = ? WHERE club_id = ? AND member_id = ?", [q.ts(now), clubId, memberId]);
        await audit({ role: 'MEMBER', status: String(m.status) });
        return;
      }
      await audit({ role: 'ORGANIZER', status: 'ACTIVE' });
      if (m?.status !== 'ACTIVE') await q.run('UPDATE club SET member_count = member_count + 1, updated_at = ? WHERE id = ?', [q.ts(now), clubId]);
      if (m) {
        await q.run("UPDATE club_member SET role = 'ORGANIZER', status = 'ACTIVE', updated_at = ? WHERE club_id = ? AND member_id = ?", [q.ts(now), clubId, memberId]);
      } else {
        await q.run("INSERT INTO club_member (club_id, member_id, role, status, created_at, updated_at) VALUES (?, ?, 'ORGANIZER', 'ACTIVE', ?, ?)", [clubId, memberId, q.ts(now), q.ts(now)]);
      }
    });
    this.log.info({ clubId, userId, organizer }, 'club organizer role changed');
    return this.person(clubId, memberId);
  }

  private async person(clubId: number, memberId: number): Promise<ClubPerson> {
    const [p] = await this.people(clubId, 'cm.member_id = ?', [memberId]);
    if (!p) throw notFound('Membership');
    return p;
  }

  /** Takes a member place within the cap (CLUB_FULL otherwise); locks the club row. */
  private async takePlace(q: Q, clubId: number, now: Date): Promise<void> {
    const r = await q.run('UPDATE club SET member_count = member_count + 1, updated_at = ? WHERE id = ? AND (member_cap IS NULL OR member_count < member_cap)', [q.ts(now), clubId]);
    if (r.affectedRows !== 1) throw new AppError(ErrorCode.CLUB_FULL, 'This club is full');
  }

  private async lockClub(q: Q, clubId: number): Promise<void> {
    await q.get(`SELECT id FROM club WHERE id = ?${q.forUpdate}`, [clubId]);
  }

  /**
   * An organizer posts an announcement: screened by content security, stored, and sent to every active member:
   * in the app always, as a subscribe message to those who consented (delivered from the outbox).
   */
  async post(ctx: RequestContext, clubId: number, input: { title: string; body: string }, now = clock.now()): Promise<PostRow> {
    const club = await this.get(clubId);
    const userId = await this.authorize(ctx, 'club.announce', club);
    const title = text(input.title, 'title', 1, 40);
    const body = text(input.body, 'body', 1, 1000);
    await this.guard.screen(userId, SCENE_POST, [title, body]);
    const id = await this.db.tx(async (q) => {
      const p = await q.run('INSERT INTO club_post (club_id, author_id, title, body, created_at) VALUES (?, ?, ?, ?, ?)', [clubId, userId, title, body, q.ts(now)]);
      const members = await q.all<{ member_id: unknown }>(
        "SELECT cm.member_id FROM club_member cm JOIN member m ON m.id = cm.member_id WHERE cm.club_id = ? AND cm.status = 'ACTIVE' AND m.user_id <> ?",
        [clubId, userId],
      );
      await this.notifications.notify(
        q,
        members.map((m) => toInt(m.member_id)),
        {
          kind: 'CLUB_ANNOUNCEMENT',
          ref: String(p.insertId),
          title: `${club.name} · ${title}`,
          body,
          page: `pages/club/index?id=${clubId}`,
          subscribe: { template: 'CLUB_ANNOUNCEMENT', data: { thing1: thingValue(club.name), thing2: thingValue(title), time3: timeValue(now) } },
        },
        now,
      );
      return p.insertId;
    });
    this.log.info({ clubId, postId: id, userId, at: shanghaiMinute(now) }, 'club announcement posted');
    return { id, clubId, title, body, createdAt: now };
  }

  /** Announcements, newest first: for active members, organizers and managers (empty for anyone else). */
  async posts(ctx: RequestContext, club: ClubRow, first: number): Promise<PostRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    const mine = await this.myMembership(ctx, club.id);
    if (mine?.status !== 'ACTIVE' && !(await this.may(ctx, 'club.announce', club))) return [];
    const rows = await this.db.q.all<Record<string, unknown>>('SELECT id, club_id, title, body, created_at FROM club_post WHERE club_id = ? ORDER BY id DESC LIMIT ?', [club.id, first]);
    return rows.map((r) => ({ id: toInt(r.id), clubId: toInt(r.club_id), title: String(r.title), body: String(r.body), createdAt: toDate(r.created_at) }));
  }

  /** Clubs a manager oversees (HQ: all; a region: clubs at its stores; a store: its clubs). */
  async inScope(ctx: RequestContext, scope: Target): Promise<ClubRow[]> {
    await authorize(ctx, 'club.report', scope);
    const rows = (await this.db.q.all<Record<string, unknown>>(`SELECT ${CLUB_COLUMNS} FROM club ORDER BY id`)).map(toClub);
    const grants = await ctx.roles();
    const out: ClubRow[] = [];
    for (const c of rows) {
      const t = await this.target(c);
      const inside = scope.kind === 'HQ' || (t.kind === 'STORE' && (scope.kind === 'REGION' ? t.regionId === scope.regionId : scope.kind === 'STORE' && t.storeId === scope.storeId));
      if (inside && allows(grants, 'club.report', t)) out.push(c);
    }
    return out;
  }
}
