/** GraphQL inputs of rewards (F6). Shapes here; the rules (kinds, face values, windows, limits) in the services. */
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { RewardKindGql } from './reward.types';

@InputType({ description: 'The fields of a reward that may change after it is created' })
export class UpdateRewardInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'https URL' }) imageUrl?: string | null;
  @Field(() => Int, { nullable: true }) pointsPrice?: number;
  @Field(() => Int, { nullable: true, description: 'Vouchers only: cash paid on top at the till (fen)' }) cashFen?: number | null;
  @Field(() => Int, { nullable: true, description: 'Top-ups: 1000–20000 (¥10/20/30/50/100/200); fuel cards: 5000/10000/20000/50000' }) faceValueFen?: number | null;
  @Field(() => String, { nullable: true, description: 'Top-ups: CMCC, CUCC, CTCC; fuel cards: SINOPEC, CNPC' }) brand?: string | null;
  @Field(() => Int, { nullable: true, description: 'Coupons: fen off (or discountPct)' }) amountOffFen?: number | null;
  @Field(() => Int, { nullable: true, description: 'Coupons: share paid in per cent, 1–99 (or amountOffFen)' }) discountPct?: number | null;
  @Field(() => Int, { nullable: true, description: 'Coupons: spend needed first (fen)' }) minSpendFen?: number | null;
  @Field(() => Int, { nullable: true }) limitPerDay?: number | null;
  @Field(() => Int, { nullable: true }) limitPerMonth?: number | null;
  @Field(() => String, { nullable: true, description: 'The lowest tier that may redeem it (e.g. GOLD); null for everyone' }) minTierCode?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) endsAt?: Date | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean;
  @Field(() => ID, { nullable: true, description: 'The supplier; required for top-ups and fuel cards; null = an own reward' }) partnerId?: string | null;
  @Field(() => Int, { nullable: true, description: 'What one unit costs the business (fen)' }) costFen?: number | null;
  @Field(() => String, { nullable: true, description: 'Top-ups and fuel cards: the provider adapter (default recharge)' }) provider?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Vouchers: the stores that accept them (null = every store)' }) storeIds?: string[] | null;
  @Field(() => Int, { nullable: true, description: 'Vouchers: days of validity after redemption (null = no expiry)' }) voucherValidDays?: number | null;
}

@InputType()
export class CreateRewardInput extends UpdateRewardInput {
  @Field(() => RewardKindGql) kind!: RewardKindGql;
  @Field() override name!: string;
  @Field(() => Int) override pointsPrice!: number;
  @Field(() => Int) stock!: number;
}

@InputType()
export class RedeemRewardInput {
  @Field(() => ID) rewardId!: string;
  @Field(() => String, { nullable: true, description: 'Top-ups: the phone number (default: the bound phone); fuel cards: the card number; vouchers: none' }) target?: string | null;
  @Field({ description: 'Unique per redemption (make one per attempt, reuse it on retries): 8–96 of [A-Za-z0-9_:.-]' }) idempotencyKey!: string;
  @Field(() => String, { nullable: true, description: 'The one-time code from requestRewardOtp, when the reward needsOtp' }) otp?: string | null;
}

@InputType()
export class RewardPartnerInput {
  @Field({ description: 'Lower-case letters, digits, _ and - (e.g. cnpc)' }) code!: string;
  @Field() name!: string;
}

@InputType({ description: 'Staff at a till: redeem a reward for the member whose code was scanned' })
export class TillRedeemRewardInput extends RedeemRewardInput {
  @Field(() => String, { nullable: true, description: 'The scanned member code (or give tillTicket)' }) memberCode?: string | null;
  @Field(() => String, { nullable: true, description: "memberByCode's till ticket: valid 10 minutes at this till" }) tillTicket?: string | null;
  @Field(() => ID) storeId!: string;
}

@InputType({ description: "Staff at a till: send the one-time code of a high-value reward to the scanned member's bound phone" })
export class TillRewardOtpInput {
  @Field(() => String, { nullable: true, description: 'The scanned member code (or give tillTicket)' }) memberCode?: string | null;
  @Field(() => String, { nullable: true, description: "memberByCode's till ticket" }) tillTicket?: string | null;
  @Field(() => ID) storeId!: string;
  @Field(() => ID) rewardId!: string;
  @Field(() => String, { nullable: true, description: 'Top-ups: the phone number (default: the bound phone); fuel cards: the card number' }) target?: string | null;
}
