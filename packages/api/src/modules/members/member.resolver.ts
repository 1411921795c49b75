import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { maskPhone } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { badInput } from '../../errors';
import { encodeCursor, type MemberHome } from './member.service';
import { ExpiringPoints, LedgerConnection, LedgerKindGql, MemberAtTill, MemberType, NextTier, TierType } from './member.types';
import { toTierType } from '../tiers/tier.resolver';
import type { Services } from '../../services';

export function toMemberType(home: MemberHome): MemberType {
  return Object.assign(new MemberType(), {
    home,
    id: String(home.id),
    memberNo: home.memberNo,
    phone: maskPhone(home.phone),
    phoneBound: home.phone !== null,
    points: home.balance,
    lifetimePoints: home.lifetimeEarned,
    codeSecret: home.codeSecret,
    tierPeriodEndsAt: home.tierPeriodEndsAt,
  });
}

/** Parses a GraphQL ID argument that must name a row. */
export function parseId(v: string, field: string): number {
  if (!/^\d{1,15}$/.test(v ?? '')) throw badInput(`${field} must be a numeric id`, field);
  return Number(v);
}

@Resolver(() => MemberType)
export class MemberResolver {
  constructor(private readonly services: Services) {}

  @Query(() => MemberType, { description: 'The signed-in member (UNAUTHENTICATED without a token)' })
  async me(@Ctx() ctx: RequestContext): Promise<MemberType> {
    return toMemberType(await this.services.members.home(ctx.requireUser()));
  }

  @FieldResolver(() => TierType)
  async tier(@Root() m: MemberType, @Ctx() ctx: RequestContext): Promise<TierType> {
    return toTierType(await this.services.members.tier(m.home.tierId));
  }

  @FieldResolver(() => NextTier, { nullable: true, description: 'null at the top tier' })
  async nextTier(@Root() m: MemberType, @Ctx() ctx: RequestContext): Promise<NextTier | null> {
    const p = await this.services.members.nextTier(m.home);
    return p ? Object.assign(new NextTier(), { code: p.tier.code, name: p.tier.name, spendNeeded: p.spendNeededFen }) : null;
  }

  @FieldResolver(() => ExpiringPoints, { nullable: true, description: 'null when nothing expires within 30 days' })
  async expiringSoon(@Root() m: MemberType, @Ctx() ctx: RequestContext): Promise<ExpiringPoints | null> {
    const e = await this.services.members.expiringSoon(m.home.id);
    return e ? Object.assign(new ExpiringPoints(), e) : null;
  }

  @FieldResolver(() => LedgerConnection, { description: 'Ledger entries, newest first' })
  async ledger(
    @Root() m: MemberType,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<LedgerConnection> {
    const page = await this.services.members.ledger(m.home.id, first, after ?? null);
    const edges = page.lines.map((l) => ({
      cursor: encodeCursor(l.id),
      node: { id: String(l.id), delta: l.delta, kind: l.kind as LedgerKindGql, reason: l.reason, storeName: l.storeName, createdAt: l.createdAt },
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? (edges[edges.length - 1] as { cursor: string }).cursor : null } };
  }

  @Query(() => MemberAtTill, { description: 'Staff: the member behind a scanned code (validated, not consumed) and a till ticket for the purchase' })
  async memberByCode(@Arg('code') code: string, @Arg('storeId', () => ID) storeId: string, @Ctx() ctx: RequestContext): Promise<MemberAtTill> {
    const { member, tier, tillTicket } = await this.services.members.atTill(ctx, code, parseId(storeId, 'storeId'));
    return { memberNo: member.memberNo, phone: maskPhone(member.phone), tierName: tier.name, tierMultiplierPct: tier.multiplierPct, points: member.balance, tillTicket };
  }
}
