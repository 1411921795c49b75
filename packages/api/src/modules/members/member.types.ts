import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { MemberHome } from './member.service';

export enum LedgerKindGql {
  EARN = 'EARN',
  REDEEM = 'REDEEM',
  EXPIRE = 'EXPIRE',
  REVERSAL = 'REVERSAL',
  ADJUST = 'ADJUST',
}
registerEnumType(LedgerKindGql, { name: 'LedgerKind', description: 'Why the balance moved' });

@ObjectType({ description: 'A membership tier (普通/银卡/金卡/白金/钻石)' })
export class TierType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => Int, { description: '0 = entry tier' }) rank!: number;
  @Field(() => Int, { description: 'Rolling 12-month spend (fen) to qualify' }) thresholdFen!: number;
  @Field(() => Int, { description: 'Accrual multiplier in per-cent (150 = ×1.5)' }) multiplierPct!: number;
  @Field(() => String, { nullable: true }) benefits!: string | null;
}

@ObjectType({ description: 'Progress to the next tier' })
export class NextTier {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Fen still to spend within the rolling 12 months' }) spendNeeded!: number;
}

@ObjectType({ description: 'Points expiring within 30 days' })
export class ExpiringPoints {
  @Field(() => Int) points!: number;
  @Field(() => DateTimeISOResolver, { description: 'The first day some of them expire' }) on!: Date;
}

@ObjectType()
export class LedgerEntry {
  @Field(() => ID) id!: string;
  @Field(() => Int) delta!: number;
  @Field(() => LedgerKindGql) kind!: LedgerKindGql;
  @Field({ description: 'Plain-Chinese reason' }) reason!: string;
  @Field(() => String, { nullable: true }) storeName!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType()
export class LedgerEdge {
  @Field() cursor!: string;
  @Field(() => LedgerEntry) node!: LedgerEntry;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class LedgerConnection {
  @Field(() => [LedgerEdge]) edges!: LedgerEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

/** The signed-in member. Field resolvers load what the query asks for, nothing more. */
@ObjectType('Member')
export class MemberType {
  home!: MemberHome;
  @Field(() => ID) id!: string;
  @Field() memberNo!: string;
  @Field(() => String, { nullable: true, description: 'Masked phone, e.g. 138****5678' }) phone!: string | null;
  @Field() phoneBound!: boolean;
  @Field(() => Int) points!: number;
  @Field(() => Int, { description: 'Points ever earned' }) lifetimePoints!: number;
  @Field({ description: 'Base32 TOTP secret for the rotating member code; only the member sees it' }) codeSecret!: string;
  @Field(() => DateTimeISOResolver, { description: 'End of the current tier qualification period' }) tierPeriodEndsAt!: Date;
}

@ObjectType({ description: 'A member as staff see them at the till' })
export class MemberAtTill {
  @Field() memberNo!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field() tierName!: string;
  @Field(() => Int) tierMultiplierPct!: number;
  @Field(() => Int) points!: number;
  @Field({ description: 'Send instead of the member code to recordPurchase/redeemPoints at this till within 10 minutes (the code rotates every 30 s)' })
  tillTicket!: string;
}
