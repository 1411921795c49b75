import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import { PayAnomalyKind } from './pay-anomaly.entity';
import type { PayAnomalyRow } from './pay-anomaly.service';
import type { Services } from '../../services';

registerEnumType(PayAnomalyKind, { name: 'PayAnomalyKind', description: 'How a verified WeChat Pay message contradicted our order' });

@ObjectType('PayAnomaly', { description: 'A verified WeChat Pay message that contradicted an order: acknowledged, no points, for a manager to resolve' })
export class PayAnomalyType {
  @Field(() => ID) id!: string;
  @Field() outTradeNo!: string;
  @Field() storeName!: string;
  @Field(() => Int, { description: "The order's amount" }) amountFen!: number;
  @Field({ description: "WeChat's transaction id in the message" }) transactionId!: string;
  @Field(() => PayAnomalyKind) kind!: PayAnomalyKind;
  @Field({ description: 'What our order says (amount in fen, our merchant id, …)' }) expected!: string;
  @Field({ description: 'What the message said' }) received!: string;
  @Field({ description: '`notify` (a notification) or `query` (payment recovery) the first time' }) source!: string;
  @Field(() => DateTimeISOResolver) firstSeenAt!: Date;
  @Field(() => DateTimeISOResolver) lastSeenAt!: Date;
  @Field(() => Int, { description: 'How often it came (WeChat retries, recovery queries)' }) timesSeen!: number;
  @Field(() => DateTimeISOResolver, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => ID, { nullable: true, description: 'The manager who resolved it' }) resolvedBy!: string | null;
  @Field(() => String, { nullable: true }) resolutionNote!: string | null;
}

const toType = (a: PayAnomalyRow): PayAnomalyType => ({
  ...a,
  id: String(a.id),
  kind: a.kind as PayAnomalyKind,
  resolvedBy: a.resolvedById === null ? null : String(a.resolvedById),
});

@Resolver()
export class PayAnomalyResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [PayAnomalyType], { description: 'HQ manager: WeChat Pay anomalies, newest first (resolved: true/false filters; omitted lists all)' })
  async payAnomalies(
    @Ctx() ctx: RequestContext,
    @Arg('resolved', () => Boolean, { nullable: true }) resolved: boolean | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
  ): Promise<PayAnomalyType[]> {
    return (await this.services.payAnomalies.list(ctx, resolved ?? null, first)).map(toType);
  }

  @Mutation(() => PayAnomalyType, { description: 'HQ manager: mark an anomaly resolved, with what was done (CONFLICT when already resolved)' })
  async resolvePayAnomaly(@Arg('id', () => ID) id: string, @Arg('note') note: string, @Ctx() ctx: RequestContext): Promise<PayAnomalyType> {
    return toType(await this.services.payAnomalies.resolve(ctx, parseId(id, 'id'), note));
  }
}
