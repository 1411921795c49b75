/**
 * The per-request context handed to every service: who is asking (user, request id, IP) and their roles, loaded
 * lazily once per request. It carries no services: resolvers get the service graph by constructor (see schema.ts),
 * services get their collaborators by constructor (services.ts) — one wiring style for all.
 */
import type { RoleGrant } from './auth/authz';
import { unauthenticated } from './errors';

/** Loads a user's role grants (the user service's `rolesOf`). */
export type RolesLoader = (userId: number) => Promise<RoleGrant[]>;

export class RequestContext {
  private rolesPromise: Promise<RoleGrant[]> | null = null;

  constructor(
    readonly userId: number | null,
    private readonly loadRoles: RolesLoader,
    readonly requestId: string = '',
    /** The client's IP address (behind a proxy: per TRUST_PROXY); empty when unknown (not limited per IP). */
    readonly ip: string = '',
  ) {}

  /** The signed-in user's id, or UNAUTHENTICATED. */
  requireUser(): number {
    if (this.userId === null) throw unauthenticated();
    return this.userId;
  }

  /** The user's role grants, loaded once per request. */
  roles(): Promise<RoleGrant[]> {
    if (this.userId === null) return Promise.resolve([]);
    this.rolesPromise ??= this.loadRoles(this.userId);
    return this.rolesPromise;
  }
}
