import { Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import type { Services } from '../../services';

@ObjectType()
export class ExpiryRun {
  @Field(() => Int) members!: number;
  @Field(() => Int) lots!: number;
  @Field(() => Int) points!: number;
}

@ObjectType()
export class ReconciliationIssue {
  @Field() memberId!: string;
  @Field(() => Int) balance!: number;
  @Field(() => Int) entriesSum!: number;
  @Field(() => Int) lotsRemaining!: number;
}

@Resolver()
export class LedgerResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => ExpiryRun, { description: 'HQ manager: expire every lot that is due now (idempotent; also run by the scheduler)' })
  async runPointsExpiry(@Ctx() ctx: RequestContext): Promise<ExpiryRun> {
    await authorize(ctx, 'points.expire');
    return this.services.ledger.expireDue();
  }

  @Query(() => [ReconciliationIssue], { description: 'HQ manager: members whose balance ≠ Σ entries or ≠ Σ lot remainders (empty = books balance)' })
  async pointsReconciliation(@Ctx() ctx: RequestContext): Promise<ReconciliationIssue[]> {
    await authorize(ctx, 'points.reconcile');
    return (await this.services.ledger.reconcile()).map((r) => ({ ...r, memberId: String(r.memberId) }));
  }
}
