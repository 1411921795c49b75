import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { maskPhone } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import { encodeCursor } from '../members/member.service';
import { LedgerConnection, LedgerKindGql } from '../members/member.types';
import type { MemberSummaryRow } from './console-members.service';
import type { Services } from '../../services';

@ObjectType({ description: 'A member reward redemption, as managers see it' })
export class ConsoleMemberRedemption {
  @Field(() => ID) id!: string;
  @Field() rewardName!: string;
  @Field(() => Int) points!: number;
  @Field({ description: 'PENDING, PROCESSING, DELIVERED, FAILED, ISSUED or USED' }) status!: string;
  @Field(() => String, { nullable: true, description: 'The till it was redeemed at; null in the app' }) storeName!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType({ description: "A member's club membership, as managers see it" })
export class ConsoleMemberClub {
  @Field(() => ID) clubId!: string;
  @Field() name!: string;
  @Field({ description: 'MEMBER or ORGANIZER' }) role!: string;
  @Field({ description: 'PENDING, ACTIVE, LEFT, REMOVED or REJECTED' }) status!: string;
  @Field(() => DateTimeISOResolver) joinedAt!: Date;
}

@ObjectType({ description: "A change of a member's tier, as managers see it" })
export class ConsoleMemberTierChange {
  @Field(() => ID) id!: string;
  @Field({ description: 'UPGRADE (at once on qualifying spend), DOWNGRADE or RENEWED (保级: the period ended, same tier)' }) kind!: string;
  @Field() fromTierName!: string;
  @Field() toTierName!: string;
  @Field(() => Int, { description: 'The rolling 12-month spend (fen) the decision was taken on' }) spendFen!: number;
  @Field(() => DateTimeISOResolver, { description: "When the new tier's qualification period ends" }) periodEndsAt!: Date;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType({ description: 'A member as managers see them in the console (the phone masked)' })
export class ConsoleMember {
  @Field(() => ID) id!: string;
  @Field() memberNo!: string;
  @Field(() => String, { nullable: true }) nickname!: string | null;
  @Field(() => String, { nullable: true, description: 'Masked, e.g. 138****5678' }) phone!: string | null;
  @Field() tierName!: string;
  @Field(() => Int, { description: 'Spendable points now' }) points!: number;
  @Field(() => DateTimeISOResolver) joinedAt!: Date;
}

@ObjectType()
export class ConsoleMemberPage {
  @Field(() => Int) total!: number;
  @Field(() => [ConsoleMember]) items!: ConsoleMember[];
}

export const toConsoleMember = (m: MemberSummaryRow): ConsoleMember =>
  Object.assign(new ConsoleMember(), { id: String(m.id), memberNo: m.memberNo, nickname: m.nickname, phone: maskPhone(m.phone), tierName: m.tierName, points: m.points, joinedAt: m.joinedAt });

/** Members in the manager console (issue #13): search, profile, ledger, redemptions, clubs — in the manager's scope. */
@Resolver(() => ConsoleMember)
export class ConsoleMembersResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ConsoleMemberPage, { description: 'Managers: members whose member number or full phone number is `query` (exact), in their scope' })
  async consoleMembers(
    @Arg('query') query: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset = 0,
  ): Promise<ConsoleMemberPage> {
    const page = await this.services.consoleMembers.search(ctx, query, first, offset);
    return { total: page.total, items: page.items.map(toConsoleMember) };
  }

  @Query(() => ConsoleMember, { description: "Managers: a member's profile (NOT_FOUND outside their scope). Read from the primary, never a replica: a purchase or adjustment shows at once" })
  async consoleMember(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ConsoleMember> {
    return toConsoleMember(await this.services.consoleMembers.profile(ctx, parseId(id, 'id')));
  }

  @FieldResolver(() => LedgerConnection, { description: 'Ledger entries, newest first' })
  async ledger(
    @Root() m: ConsoleMember,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<LedgerConnection> {
    const page = await this.services.members.ledger(Number(m.id), first, after ?? null);
    const edges = page.lines.map((l) => ({
      cursor: encodeCursor(l.id),
      node: { id: String(l.id), delta: l.delta, kind: l.kind as LedgerKindGql, reason: l.reason, storeName: l.storeName, createdAt: l.createdAt },
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? (edges[edges.length - 1] as { cursor: string }).cursor : null } };
  }

  @FieldResolver(() => [ConsoleMemberRedemption], { description: 'The newest redemptions (at most 20)' })
  async redemptions(@Root() m: ConsoleMember, @Ctx() ctx: RequestContext): Promise<ConsoleMemberRedemption[]> {
    return (await this.services.consoleMembers.redemptions(Number(m.id))).map((r) => ({ ...r, id: String(r.id) }));
  }

  @FieldResolver(() => [ConsoleMemberTierChange], { description: 'Tier history: upgrades, downgrades and renewals, newest first (at most 50)' })
  async tierHistory(@Root() m: ConsoleMember, @Ctx() ctx: RequestContext): Promise<ConsoleMemberTierChange[]> {
    return (await this.services.consoleMembers.tierHistory(Number(m.id))).map((c) => ({ ...c, id: String(c.id) }));
  }

  @FieldResolver(() => [ConsoleMemberClub], { description: 'Clubs joined or asked to join (at most 50)' })
  async clubs(@Root() m: ConsoleMember, @Ctx() ctx: RequestContext): Promise<ConsoleMemberClub[]> {
    return (await this.services.consoleMembers.clubs(Number(m.id))).map((c) => ({ ...c, clubId: String(c.clubId) }));
  }
}
