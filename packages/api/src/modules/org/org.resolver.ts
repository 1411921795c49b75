import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver, registerEnumType, Float } from 'type-graphql';
import { IsOptional, Length, Matches, Max, Min } from 'class-validator';
import type { RequestContext } from '../../context';
import { allows } from '../../auth/authz';
import { parseId } from '../members/member.resolver';
import type { RegionRow, StoreRow } from './org.service';
import type { Services } from '../../services';

export enum RoleGql { STAFF = 'STAFF', ORGANIZER = 'ORGANIZER', MANAGER = 'MANAGER' }
export enum RoleScopeGql { STORE = 'STORE', REGION = 'REGION', HQ = 'HQ' }
registerEnumType(RoleGql, { name: 'Role' });
registerEnumType(RoleScopeGql, { name: 'RoleScope' });

@ObjectType('Region')
export class RegionType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field() name!: string;
}

@ObjectType('Store')
export class StoreType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => ID) regionId!: string;
  @Field() regionName!: string;
}

@ObjectType()
export class RoleAssignment {
  @Field(() => RoleGql) role!: RoleGql;
  @Field(() => RoleScopeGql) scope!: RoleScopeGql;
  @Field(() => ID, { nullable: true }) storeId!: string | null;
  @Field(() => ID, { nullable: true }) regionId!: string | null;
}

@ObjectType({ description: 'Who is signed in and what they may do' })
export class Viewer {
  @Field(() => ID) userId!: string;
  @Field(() => [RoleAssignment]) roles!: RoleAssignment[];
  @Field(() => [StoreType], { description: 'Stores whose till this user may operate' }) staffStores!: StoreType[];
}

@InputType()
export class CreateRegionInput {
  @Field() @Matches(/^[a-z0-9-]{2,32}$/) code!: string;
  @Field() @Length(1, 64) name!: string;
}

@InputType()
export class CreateStoreInput {
  @Field(() => ID) regionId!: string;
  @Field() @Matches(/^[a-z0-9-]{2,32}$/) code!: string;
  @Field() @Length(1, 64) name!: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-90) @Max(90) lat?: number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-180) @Max(180) lng?: number | null;
}

@InputType()
export class AssignRoleInput {
  @Field(() => ID) userId!: string;
  @Field(() => RoleGql) role!: RoleGql;
  @Field(() => RoleScopeGql) scope!: RoleScopeGql;
  @Field(() => ID, { nullable: true }) storeId?: string | null;
  @Field(() => ID, { nullable: true }) regionId?: string | null;
}

export const toStoreType = (s: StoreRow): StoreType => ({ id: String(s.id), code: s.code, name: s.name, regionId: String(s.regionId), regionName: s.regionName });
const toRegionType = (r: RegionRow): RegionType => ({ id: String(r.id), code: r.code, name: r.name });

/** The viewer: roles and the stores whose till they may operate. */
export async function viewerOf(s: Pick<Services, 'users' | 'org'>, userId: number): Promise<Viewer> {
  const grants = await s.users.rolesOf(userId);
  const stores = await s.org.stores();
  return {
    userId: String(userId),
    roles: grants.map((g) => ({ role: g.role as RoleGql, scope: g.scope as RoleScopeGql, storeId: g.storeId === null ? null : String(g.storeId), regionId: g.regionId === null ? null : String(g.regionId) })),
    staffStores: stores.filter((s) => allows(grants, 'till.purchase', { kind: 'STORE', storeId: s.id, regionId: s.regionId })).map(toStoreType),
  };
}

@Resolver()
export class OrgResolver {
  constructor(private readonly services: Services) {}

  @Query(() => Viewer, { nullable: true, description: 'null when signed out' })
  async viewer(@Ctx() ctx: RequestContext): Promise<Viewer | null> {
    return ctx.userId === null ? null : viewerOf(this.services, ctx.userId);
  }

  @Query(() => [RegionType])
  async regions(@Ctx() ctx: RequestContext): Promise<RegionType[]> {
    return (await this.services.org.regions()).map(toRegionType);
  }

  @Query(() => [StoreType])
  async stores(@Ctx() ctx: RequestContext, @Arg('regionId', () => ID, { nullable: true }) regionId?: string | null): Promise<StoreType[]> {
    return (await this.services.org.stores(regionId == null ? undefined : parseId(regionId, 'regionId'))).map(toStoreType);
  }

  @Mutation(() => RegionType, { description: 'HQ manager' })
  async createRegion(@Arg('input') input: CreateRegionInput, @Ctx() ctx: RequestContext): Promise<RegionType> {
    return toRegionType(await this.services.org.createRegion(ctx, input));
  }

  @Mutation(() => StoreType, { description: 'HQ manager' })
  async createStore(@Arg('input') input: CreateStoreInput, @Ctx() ctx: RequestContext): Promise<StoreType> {
    return toStoreType(await this.services.org.createStore(ctx, { ...input, regionId: parseId(input.regionId, 'regionId') }));
  }

  @Mutation(() => RoleAssignment, { description: 'Managers grant staff/organizer roles in their scope; HQ managers grant manager roles' })
  async assignRole(@Arg('input') input: AssignRoleInput, @Ctx() ctx: RequestContext): Promise<RoleAssignment> {
    const g = await this.services.users.assignRole(ctx, {
      userId: parseId(input.userId, 'userId'),
      role: input.role,
      scope: input.scope,
      storeId: input.storeId == null ? null : parseId(input.storeId, 'storeId'),
      regionId: input.regionId == null ? null : parseId(input.regionId, 'regionId'),
    });
    return { role: g.role as RoleGql, scope: g.scope as RoleScopeGql, storeId: g.storeId === null ? null : String(g.storeId), regionId: g.regionId === null ? null : String(g.regionId) };
  }
}
