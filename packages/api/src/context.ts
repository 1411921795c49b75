/** The per-request context handed to every service: who is asking, their roles (loaded lazily), the services. */
import type { Services } from './services';
import type { RoleGrant } from './auth/authz';
import { unauthenticated } from './errors';

export class RequestContext {
  private rolesPromise: Promise<RoleGrant[]> | null = null;

  constructor(
    readonly services: Services,
    readonly userId: number | null,
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
    this.rolesPromise ??= this.services.users.rolesOf(this.userId);
    return this.rolesPromise;
  }
}
