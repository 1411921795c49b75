import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { parseId } from '../members/member.resolver';
import type { DeadLetterRow } from './outbox-retention.service';
import type { Services } from '../../services';

@ObjectType('OutboxDeadLetter', { description: 'Background work (a subscribe message, a reward fulfilment…) that ran out of attempts' })
export class DeadLetterType {
  @Field(() => ID) id!: string;
  @Field({ description: 'What kind of work, e.g. notification.send, reward.fulfil' }) topic!: string;
  @Field({ description: 'What it was about (a notification id, a redemption id…)' }) ref!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true, description: 'The last failure' }) lastError!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When the last attempt failed' }) failedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When a manager acknowledged it (then retention deletes it after OUTBOX_RETENTION_DAYS)' })
  acknowledgedAt!: Date | null;
  @Field(() => ID, { nullable: true, description: 'The user who acknowledged it' }) acknowledgedById!: string | null;
}

@ObjectType({ description: 'What one outbox retention run deleted' })
export class OutboxRetentionRun {
  @Field(() => Int, { description: 'Delivered rows older than OUTBOX_RETENTION_DAYS' }) delivered!: number;
  @Field(() => Int, { description: 'Dead letters acknowledged more than OUTBOX_RETENTION_DAYS ago' }) deadLetters!: number;
}

const toType = (r: DeadLetterRow): DeadLetterType => ({ ...r, id: String(r.id), acknowledgedById: r.acknowledgedById === null ? null : String(r.acknowledgedById) });

@Resolver()
export class OutboxResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [DeadLetterType], { description: 'HQ manager: dead letters, the most recently failed first (acknowledged ones only with includeAcknowledged)' })
  async outboxDeadLetters(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('includeAcknowledged', { defaultValue: false }) includeAcknowledged: boolean,
  ): Promise<DeadLetterType[]> {
    return (await this.services.outboxRetention.deadLetters(ctx, { first, includeAcknowledged })).map(toType);
  }

  @Mutation(() => DeadLetterType, { description: 'HQ manager: acknowledge a dead letter (idempotent); retention deletes it OUTBOX_RETENTION_DAYS later' })
  async acknowledgeDeadLetter(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DeadLetterType> {
    return toType(await this.services.outboxRetention.acknowledge(ctx, parseId(id, 'id')));
  }

  @Mutation(() => OutboxRetentionRun, { description: 'HQ manager: delete delivered outbox rows and acknowledged dead letters past retention now (also on a timer)' })
  async runOutboxRetention(@Ctx() ctx: RequestContext): Promise<OutboxRetentionRun> {
    await authorize(ctx, 'outbox.manage');
    return this.services.outboxRetention.purge();
  }
}
