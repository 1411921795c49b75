import { Arg, Ctx, Field, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import type { RequestContext } from '../../context';
import { TierType } from '../members/member.types';
import type { TierRow } from './tier.service';
import type { Services } from '../../services';

export function toTierType(t: TierRow): TierType {
  return Object.assign(new TierType(), { id: t.id, code: t.code, name: t.name, rank: t.rank, thresholdFen: t.thresholdFen, multiplierPct: t.multiplierPct, benefits: t.benefits });
}

@InputType()
export class TierInput {
  @Field() @Matches(/^[A-Z][A-Z0-9_]{0,15}$/) code!: string;
  @Field() @Length(1, 32) name!: string;
  @Field(() => Int) @IsInt() @Min(0) @Max(20) rank!: number;
  @Field(() => Int) @IsInt() @Min(0) thresholdFen!: number;
  @Field(() => Int) @IsInt() @Min(100) @Max(1000) multiplierPct!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 2000) benefits?: string | null;
}

@Resolver()
export class TierResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TierType], { description: 'Every tier, by rank' })
  async tiers(@Ctx() ctx: RequestContext): Promise<TierType[]> {
    return (await this.services.tiers.list()).map(toTierType);
  }

  @Mutation(() => TierType, { description: 'HQ manager: create or update a tier by code' })
  async upsertTier(@Arg('input') input: TierInput, @Ctx() ctx: RequestContext): Promise<TierType> {
    return toTierType(await this.services.tiers.upsert(ctx, input));
  }
}
