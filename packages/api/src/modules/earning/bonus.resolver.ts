import { Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import type { Services } from '../../services';

@ObjectType()
export class BirthdayBonusRunType {
  @Field(() => Int, { description: 'Members credited by this run' }) members!: number;
  @Field(() => Int, { description: 'Points credited by this run' }) points!: number;
  @Field(() => Int, { description: 'Members whose credit failed (logged; the next run tries again)' }) failed!: number;
}

@Resolver()
export class BonusResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => BirthdayBonusRunType, {
    description: 'HQ manager: pay the birthday-month bonus now to every member whose birthday month it is (idempotent: once in any 12 months per member; also run daily by the scheduler)',
  })
  async runBirthdayBonuses(@Ctx() ctx: RequestContext): Promise<BirthdayBonusRunType> {
    await authorize(ctx, 'program.manage');
    return this.services.birthdayBonus.runDue();
  }
}
