import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import type { Services } from '../../services';

@InputType()
export class PurchaseLineInput {
  @Field() @Length(1, 32) category!: string;
  @Field(() => Int) @IsInt() @Min(1) amountFen!: number;
}

@InputType()
export class RecordPurchaseInput {
  @Field(() => String, { nullable: true, description: 'The scanned member code, QZ1.<memberNo>.<totp> (or give tillTicket)' }) @IsOptional() @Length(1, 64) memberCode?: string | null;
  @Field(() => String, { nullable: true, description: "memberByCode's till ticket: valid 10 minutes at this till, although the code rotates" }) @IsOptional() @Length(1, 1024) tillTicket?: string | null;
  @Field(() => ID) storeId!: string;
  @Field(() => Int, { description: 'Total in fen; must equal the sum of the lines' }) @IsInt() @Min(1) @Max(100_000_000) amountFen!: number;
  @Field(() => [PurchaseLineInput]) @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) lines!: PurchaseLineInput[];
  @Field({ description: 'Unique per purchase (e.g. a UUID made when the cashier starts it); retries reuse it' })
  @Matches(/^[A-Za-z0-9_:.-]{8,96}$/)
  idempotencyKey!: string;
  @Field(() => String, { nullable: true, description: "A coupon of this member to apply (F9): used once; its discount comes off before the points" }) @IsOptional() @Length(1, 32) couponCode?: string | null;
}

@InputType()
export class RedeemPointsInput {
  @Field(() => String, { nullable: true, description: 'The scanned member code (or give tillTicket)' }) @IsOptional() @Length(1, 64) memberCode?: string | null;
  @Field(() => String, { nullable: true, description: "memberByCode's till ticket" }) @IsOptional() @Length(1, 1024) tillTicket?: string | null;
  @Field(() => ID) storeId!: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000_000) points!: number;
  @Field() @Length(1, 60) reason!: string;
  @Field() @Matches(/^[A-Za-z0-9_:.-]{8,96}$/) idempotencyKey!: string;
}

@ObjectType()
export class EarningStepType {
  @Field() rule!: string;
  @Field() description!: string;
  @Field(() => Int) points!: number;
}

@ObjectType()
export class PurchaseReceipt {
  @Field(() => ID) id!: string;
  @Field() memberNo!: string;
  @Field(() => Int) points!: number;
  @Field(() => Int, { description: 'Balance after the purchase' }) balance!: number;
  @Field(() => [EarningStepType], { description: 'How the points were computed (empty on a replay)' }) steps!: EarningStepType[];
  @Field({ description: 'true when this idempotency key had already been recorded' }) replayed!: boolean;
  @Field(() => Int, { description: "The coupon's discount (fen; 0 without a coupon)" }) discountFen!: number;
  @Field(() => Int, { description: 'What the member pays after the coupon (fen): the amount that earned the points' }) paidFen!: number;
}

@ObjectType()
export class RedemptionReceipt {
  @Field(() => ID) id!: string;
  @Field() memberNo!: string;
  @Field(() => Int) points!: number;
  @Field(() => Int) balance!: number;
  @Field() replayed!: boolean;
}

@ObjectType()
export class TillOperation {
  @Field(() => ID) id!: string;
  @Field({ description: 'PURCHASE, REDEMPTION (points deducted) or REWARD (a catalogue reward redeemed here: rewardName)' }) kind!: string;
  @Field() memberNo!: string;
  @Field(() => Int, { nullable: true }) amountFen!: number | null;
  @Field(() => Int, { description: 'Earned (PURCHASE) or spent (REDEMPTION, REWARD)' }) points!: number;
  @Field(() => String, { nullable: true, description: 'REWARD: the reward redeemed' }) rewardName!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@Resolver()
export class PurchaseResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => PurchaseReceipt, { description: 'Staff: record an offline purchase for a scanned member code and credit its points' })
  async recordPurchase(@Arg('input') input: RecordPurchaseInput, @Ctx() ctx: RequestContext): Promise<PurchaseReceipt> {
    const r = await this.services.purchases.recordPurchase(ctx, { ...input, storeId: parseId(input.storeId, 'storeId'), lines: input.lines.map((l) => ({ category: l.category, amountFen: l.amountFen })) });
    return { ...r, id: String(r.id) };
  }

  @Mutation(() => RedemptionReceipt, { description: 'Staff: deduct points at the till' })
  async redeemPoints(@Arg('input') input: RedeemPointsInput, @Ctx() ctx: RequestContext): Promise<RedemptionReceipt> {
    const r = await this.services.purchases.redeemPoints(ctx, { ...input, storeId: parseId(input.storeId, 'storeId') });
    return { ...r, id: String(r.id) };
  }

  @Query(() => [TillOperation], { description: "Staff: this till's latest operations" })
  async tillOperations(@Arg('storeId', () => ID) storeId: string, @Arg('first', () => Int, { defaultValue: 10 }) first: number, @Ctx() ctx: RequestContext): Promise<TillOperation[]> {
    return this.services.purchases.tillOperations(ctx, parseId(storeId, 'storeId'), first);
  }
}
