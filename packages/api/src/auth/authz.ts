/**
 * Authorization (F12), in one place. Services call `authorize(ctx, action, target)` before they change
 * anything; the policy below is the whole truth and is covered by a role × mutation test matrix.
 */
import { forbidden, unauthenticated } from '../errors';
import type { RequestContext } from '../context';

export type RoleName = 'STAFF' | 'ORGANIZER' | 'MANAGER';
export type ScopeName = 'STORE' | 'REGION' | 'HQ';

export interface RoleGrant {
  role: RoleName;
  scope: ScopeName;
  storeId: number | null;
  regionId: number | null;
}

/** What an action applies to: a store (with its region), a region, or the whole organisation. */
export type Target = { kind: 'STORE'; storeId: number; regionId: number } | { kind: 'REGION'; regionId: number } | { kind: 'HQ' };

export type Action =
  | 'till.purchase' // record a purchase at a store's till
  | 'till.redeem' // deduct points or redeem a catalogue reward (and send its one-time code) at a store's till
  | 'till.lookup' // look a member up by code, read the till's recent operations
  | 'earningRule.manage'
  | 'earningRule.read'
  | 'program.manage'
  | 'tier.manage'
  | 'org.manage'
  | 'role.assign'
  | 'role.assignManager'
  | 'points.expire'
  | 'pay.tillOrder' // create an order at a store's till
  | 'pay.refund' // refund a store's paid order
  | 'pay.recover'
  | 'pay.anomaly' // list and resolve WeChat Pay messages that contradicted our orders
  | 'points.reconcile'
  | 'club.create' // start a club (at a store, or organisation-wide)
  | 'club.report' // the manager view of clubs and events in scope
  | 'club.jobs' // run reminders, notification delivery and event finishing now
  | 'reward.manage' // the reward catalogue and partners (organisation-wide: points are one currency), stuck orders
  | 'reward.report' // the manager view of redemptions, partners and providers
  | 'voucher.use' // look up and mark used a reward voucher at a store's till
  | 'outbox.manage' // dead letters (list, acknowledge) and outbox retention
  | 'console.use' // sign in to the manager console (confirm its QR code), read one's scope and role grants in it
  | 'audit.read' // the audit trail (filtered to the manager's scope by the query)
  | 'analytics.read' // KPIs, lifecycle inventory, RFM and the trade-area radar of a scope (HQ, a region, a store)
  | 'rating.list' // service ratings across the manager's scope (filtered to it by the query)
  | 'rating.read' // one store's service ratings: per store, per staff member, the ratings themselves
  | 'rating.followUp' // acknowledge or resolve a low rating of a store
  | 'member.read' // find members and read their profile, ledger, redemptions, clubs (filtered to the scope by the query)
  | 'points.adjust' // request, approve or reject a manual points adjustment booked at a store (HQ: at none)
  | 'coupon.manage' // coupon templates of a scope (HQ, a region, a store) and issuing them to members
  | 'referral.manage' // the referral programme's settings (F8)
  | 'referral.settings' // read them
  | 'referral.report' // the referral report of a store, a region or HQ
  | 'campaign.manage' // targeted campaigns of a scope (HQ, a region, a store): segments, previews, schedule, report
  | 'campaign.jobs'; // run the campaign sender now (start due campaigns, materialise, send)

/** Does a manager grant cover the target? HQ covers all; a region covers its region and its stores; a store itself. */
export function managerCovers(g: RoleGrant, t: Target): boolean {
  if (g.role !== 'MANAGER') return false;
  if (g.scope === 'HQ') return true;
  if (g.scope === 'REGION') return t.kind !== 'HQ' && g.regionId === t.regionId;
  return t.kind === 'STORE' && g.storeId === t.storeId;
}

/**
 * Do a manager grant's scope and a target meet — does the target cover the grant's ground or the grant the target's?
 * What a manager may SEE of organisation-wide configuration: an HQ rule applies at a store manager's store, so they see
 * it (and cannot change it: that is `managerCovers`); another region's or store's rule they do not see. A store grant
 * must carry its store's region here.
 */
export function managerSees(g: RoleGrant, t: Target): boolean {
  if (g.role !== 'MANAGER') return false;
  if (managerCovers(g, t)) return true;
  if (t.kind === 'HQ') return true;
  return t.kind === 'REGION' && g.scope === 'STORE' && g.regionId === t.regionId;
}

function staffAt(g: RoleGrant, t: Target): boolean {
  return g.role === 'STAFF' && t.kind === 'STORE' && g.scope === 'STORE' && g.storeId === t.storeId;
}

/** Does an organizer grant cover the target? Same geometry as managers (HQ ⊃ region ⊃ store). */
function organizerCovers(g: RoleGrant, t: Target): boolean {
  return g.role === 'ORGANIZER' && managerCovers({ ...g, role: 'MANAGER' }, t);
}

const POLICY: Record<Action, (g: RoleGrant, t: Target) => boolean> = {
  'till.purchase': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'till.redeem': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'till.lookup': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'earningRule.manage': managerCovers,
  'earningRule.read': (g) => g.role === 'MANAGER',
  'program.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'role.assign': managerCovers,
  'tier.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'org.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'role.assignManager': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'points.expire': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'pay.tillOrder': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'pay.refund': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'pay.recover': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'pay.anomaly': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'points.reconcile': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'club.create': (g, t) => organizerCovers(g, t) || managerCovers(g, t),
  'club.report': managerCovers,
  'club.jobs': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'reward.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'reward.report': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'voucher.use': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'outbox.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'console.use': (g) => g.role === 'MANAGER',
  'audit.read': (g) => g.role === 'MANAGER',
  'analytics.read': managerCovers,
  'rating.list': (g) => g.role === 'MANAGER',
  'rating.read': managerCovers,
  'rating.followUp': managerCovers,
  'member.read': (g) => g.role === 'MANAGER',
  'points.adjust': managerCovers,
  'coupon.manage': managerCovers,
  'referral.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'referral.settings': (g) => g.role === 'MANAGER',
  'referral.report': managerCovers,
  'campaign.manage': managerCovers,
  'campaign.jobs': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
};

/** Every action of the policy (for tests that must cover each one, e.g. every manager mutation is audited). */
export const ACTIONS = Object.keys(POLICY) as readonly Action[];

/** Whether the grants allow `action` on `target`. */
export function allows(grants: readonly RoleGrant[], action: Action, target: Target): boolean {
  const rule = POLICY[action];
  return grants.some((g) => rule(g, target));
}

/** Throws UNAUTHENTICATED when signed out, FORBIDDEN when no role allows the action; returns the user id. */
export async function authorize(ctx: RequestContext, action: Action, target: Target = { kind: 'HQ' }): Promise<number> {
  const userId = ctx.userId;
  if (userId === null) throw unauthenticated();
  const grants = await ctx.roles();
  if (!allows(grants, action, target)) throw forbidden();
  return userId;
}

/**
 * Club-scoped actions (F7). A club's own organizers (a per-club role granted by managers, held in club_member) may
 * run it; managers whose scope covers the club's store (HQ for an organisation-wide club) may too. Organizer
 * rights never reach another club: being an organizer of club A says nothing about club B.
 */
export type ClubAction =
  | 'club.edit' // name, theme, texts, policy, cap, invitation code
  | 'club.moderate' // the member list, approving/rejecting requests, removing members
  | 'club.announce' // post announcements to the club
  | 'club.organizers' // grant or revoke the per-club organizer role
  | 'event.manage' // create, edit, publish, cancel, finish events; see RSVPs and attendance
  | 'event.checkin'; // scan members in at the door

export interface ClubTarget {
  /** Where the club belongs: its home store, or HQ for an organisation-wide club. */
  club: Target;
  /** Where an event takes place (its store, else the club's), for staff at the door; null when neither has a store. */
  venue?: Target | null;
  /** Whether the user is an active organizer of this very club (looked up by the service, only when needed). */
  isOrganizer: () => Promise<boolean>;
}

const CLUB_POLICY: Record<ClubAction, { organizers: boolean; grant: (g: RoleGrant, c: ClubTarget) => boolean }> = {
  'club.edit': { organizers: true, grant: (g, c) => managerCovers(g, c.club) },
  'club.moderate': { organizers: true, grant: (g, c) => managerCovers(g, c.club) },
  'club.announce': { organizers: true, grant: (g, c) => managerCovers(g, c.club) },
  'club.organizers': { organizers: false, grant: (g, c) => managerCovers(g, c.club) },
  'event.manage': { organizers: true, grant: (g, c) => managerCovers(g, c.club) },
  'event.checkin': { organizers: true, grant: (g, c) => managerCovers(g, c.club) || (c.venue != null && (staffAt(g, c.venue) || managerCovers(g, c.venue))) },
};

/** Every club action of the policy (for tests that must cover each one). */
export const CLUB_ACTIONS = Object.keys(CLUB_POLICY) as readonly ClubAction[];

/** Whether the grants (or being an organizer of this club) allow a club action. */
export async function clubAllows(grants: readonly RoleGrant[], action: ClubAction, c: ClubTarget): Promise<boolean> {
  const rule = CLUB_POLICY[action];
  if (grants.some((g) => rule.grant(g, c))) return true;
  return rule.organizers && (await c.isOrganizer());
}

/** Throws UNAUTHENTICATED when signed out, FORBIDDEN unless {@link clubAllows}; returns the user id. */
export async function authorizeClub(ctx: RequestContext, action: ClubAction, c: ClubTarget): Promise<number> {
  const userId = ctx.userId;
  if (userId === null) throw unauthenticated();
  if (!(await clubAllows(await ctx.roles(), action, c))) throw forbidden();
  return userId;
}
