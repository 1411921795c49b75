import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import { RegionType, RoleGql, RoleScopeGql, StoreType, Viewer, toStoreType, viewerOf } from '../org/org.resolver';
import type { RoleGrantRow } from './console-org.service';
import type { Services } from '../../services';

export enum ConsoleLoginStateGql { PENDING = 'PENDING', CONFIRMED = 'CONFIRMED' }
registerEnumType(ConsoleLoginStateGql, { name: 'ConsoleLoginState' });

@ObjectType({ description: 'A console sign-in ticket: show qrPayload as a QR code, poll consoleLoginStatus(ticket)' })
export class ConsoleLoginTicketType {
  @Field() ticket!: string;
  @Field({ description: 'What the QR code encodes (a URL the mini-program opens to confirm)' }) qrPayload!: string;
  @Field(() => DateTimeISOResolver) expiresAt!: Date;
}

@ObjectType()
export class ConsoleLoginStatusType {
  @Field(() => ConsoleLoginStateGql) status!: ConsoleLoginStateGql;
  @Field(() => DateTimeISOResolver) expiresAt!: Date;
  @Field(() => String, { nullable: true, description: 'The console session token, returned once when CONFIRMED' }) token!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) sessionExpiresAt!: Date | null;
  @Field(() => Viewer, { nullable: true }) viewer!: Viewer | null;
}

@ObjectType({ description: 'What a manager may see and run in the console' })
export class ManagerScopeType {
  @Field({ description: 'An HQ manager (the whole organisation)' }) hq!: boolean;
  @Field(() => [RegionType]) regions!: RegionType[];
  @Field(() => [StoreType]) stores!: StoreType[];
}

@ObjectType('RoleGrant')
export class RoleGrantType {
  @Field(() => ID) id!: string;
  @Field(() => ID) userId!: string;
  @Field(() => String, { nullable: true }) memberNo!: string | null;
  @Field(() => String, { nullable: true }) nickname!: string | null;
  @Field(() => RoleGql) role!: RoleGql;
  @Field(() => RoleScopeGql) scope!: RoleScopeGql;
  @Field(() => ID, { nullable: true }) storeId!: string | null;
  @Field(() => ID, { nullable: true }) regionId!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType()
export class RoleGrantPage {
  @Field(() => Int) total!: number;
  @Field(() => [RoleGrantType]) items!: RoleGrantType[];
}

@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID) id!: string;
  @Field(() => ID) actorUserId!: string;
  @Field(() => String, { nullable: true }) actorMemberNo!: string | null;
  @Field() action!: string;
  @Field() targetType!: string;
  @Field(() => String, { nullable: true }) targetId!: string | null;
  @Field(() => ID, { nullable: true }) regionId!: string | null;
  @Field(() => ID, { nullable: true }) storeId!: string | null;
  @Field(() => String, { nullable: true, description: 'JSON of the state before' }) before!: string | null;
  @Field(() => String, { nullable: true, description: 'JSON of the state after' }) after!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType()
export class AuditPage {
  @Field(() => Int) total!: number;
  @Field(() => [AuditEntryType]) items!: AuditEntryType[];
}

@InputType()
export class AuditFilterInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 48) action?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 32) targetType?: string | null;
  @Field(() => ID, { nullable: true }) actorUserId?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) since?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) until?: Date | null;
}

const id = (n: number | null): string | null => (n === null ? null : String(n));
const toGrant = (g: RoleGrantRow): RoleGrantType => ({ ...g, id: String(g.id), userId: String(g.userId), role: g.role as RoleGql, scope: g.scope as RoleScopeGql, storeId: id(g.storeId), regionId: id(g.regionId) });

/** The manager console (issue #13): QR sign-in, the manager's scope, role grants, the audit trail. */
@Resolver()
export class ConsoleResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => ConsoleLoginTicketType, { description: 'Console (signed out): start a QR sign-in' })
  async createConsoleLogin(@Ctx() ctx: RequestContext): Promise<ConsoleLoginTicketType> {
    return this.services.consoleLogin.create();
  }

  @Query(() => ConsoleLoginStatusType, { description: 'Console: poll a QR sign-in; the token comes once, when a manager confirmed it' })
  async consoleLoginStatus(@Arg('ticket') ticket: string, @Ctx() ctx: RequestContext): Promise<ConsoleLoginStatusType> {
    const s = await this.services.consoleLogin.poll(ticket);
    if (s.status === 'PENDING') return { status: ConsoleLoginStateGql.PENDING, expiresAt: s.expiresAt, token: null, sessionExpiresAt: null, viewer: null };
    return { status: ConsoleLoginStateGql.CONFIRMED, expiresAt: s.expiresAt, token: s.token, sessionExpiresAt: s.sessionExpiresAt, viewer: await viewerOf(this.services, s.userId) };
  }

  @Mutation(() => Boolean, { description: 'Mini-program (a signed-in manager): approve the console sign-in shown as a QR code' })
  async confirmConsoleLogin(@Arg('ticket') ticket: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    await this.services.consoleLogin.confirm(ctx, ticket);
    return true;
  }

  @Query(() => ManagerScopeType, { description: 'Managers: the regions and stores their grants cover' })
  async managerScope(@Ctx() ctx: RequestContext): Promise<ManagerScopeType> {
    const s = await this.services.consoleOrg.scope(ctx);
    return { hq: s.hq, regions: s.regions.map((r) => ({ id: String(r.id), code: r.code, name: r.name })), stores: s.stores.map(toStoreType) };
  }

  @Query(() => RoleGrantPage, { description: 'Managers: role grants inside their scope, newest first' })
  async roleGrants(
    @Ctx() ctx: RequestContext,
    @Arg('storeId', () => ID, { nullable: true }) storeId?: string | null,
    @Arg('regionId', () => ID, { nullable: true }) regionId?: string | null,
    @Arg('role', () => RoleGql, { nullable: true }) role?: RoleGql | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset = 0,
  ): Promise<RoleGrantPage> {
    const page = await this.services.consoleOrg.grants(
      ctx,
      { storeId: storeId == null ? null : parseId(storeId, 'storeId'), regionId: regionId == null ? null : parseId(regionId, 'regionId'), role: role ?? null },
      first,
      offset,
    );
    return { total: page.total, items: page.items.map(toGrant) };
  }

  @Mutation(() => RoleGrantType, { description: 'Managers in scope (manager grants: HQ): revoke a role grant' })
  async revokeRole(@Arg('id', () => ID) grantId: string, @Ctx() ctx: RequestContext): Promise<RoleGrantType> {
    return toGrant(await this.services.consoleOrg.revoke(ctx, parseId(grantId, 'id')));
  }

  @Query(() => AuditPage, { description: 'Managers: the audit trail of manager changes in their scope, newest first' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AuditFilterInput, { nullable: true }) filter?: AuditFilterInput | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset = 0,
  ): Promise<AuditPage> {
    const f = filter ?? {};
    const page = await this.services.audit.list(ctx, { ...f, actorUserId: f.actorUserId == null ? null : parseId(f.actorUserId, 'actorUserId') }, first, offset);
    return { total: page.total, items: page.items.map((a) => ({ ...a, id: String(a.id), actorUserId: String(a.actorUserId), regionId: id(a.regionId), storeId: id(a.storeId) })) };
  }
}
