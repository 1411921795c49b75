import { clock } from '../../clock';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import type { Target } from '../../auth/authz';
import { parseId } from '../members/member.resolver';
import {
  InvitationType,
  MyReferralType,
  ReferralProgramInput,
  ReferralProgramType,
  ReferralReportRowType,
  toInvitationType,
  toMyReferralType,
  toReferralProgramType,
  toReferralReportRowType,
} from './referral.types';
import { REPLICA_LAG_DOC } from '../../db/read-routing';
import type { Services } from '../../services';

const REPORT_WINDOW_MS = 90 * 86_400_000;

@Resolver(() => InvitationType)
export class ReferralResolver {
  constructor(private readonly services: Services) {}

  @Query(() => InvitationType, { description: "Members: my invitation (token, share path, counts); made on first use, then stable" })
  async myInvitation(@Ctx() ctx: RequestContext): Promise<InvitationType> {
    return toInvitationType(await this.services.referrals.myInvitation(ctx));
  }

  @FieldResolver(() => String, { nullable: true, description: "The invitation's mini-program code as a data URL (null when WeChat is unavailable: share the card instead)" })
  async codeDataUrl(@Root() inv: InvitationType, @Ctx() ctx: RequestContext): Promise<string | null> {
    return this.services.referrals.invitationCode(inv.token);
  }

  @Query(() => [MyReferralType], { description: 'Members: the members I invited, newest first (masked)' })
  async myReferrals(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('before', () => ID, { nullable: true, description: 'Only referrals older than this id (paging)' }) before: string | null,
  ): Promise<MyReferralType[]> {
    return (await this.services.referrals.myReferrals(ctx, first, before == null ? null : parseId(before, 'before'))).map(toMyReferralType);
  }

  @Query(() => ReferralProgramType, { description: 'Managers: the referral programme settings' })
  async referralProgram(@Ctx() ctx: RequestContext): Promise<ReferralProgramType> {
    return toReferralProgramType(await this.services.referralSettings.read(ctx));
  }

  @Mutation(() => ReferralProgramType, { description: 'HQ managers: set the referral programme (bonuses, share, window, monthly cap, on/off); audited' })
  async updateReferralProgram(@Arg('input', () => ReferralProgramInput) input: ReferralProgramInput, @Ctx() ctx: RequestContext): Promise<ReferralProgramType> {
    return toReferralProgramType(await this.services.referralSettings.update(ctx, input));
  }

  @Query(() => [ReferralReportRowType], { description: `Managers: referrals per store in scope (a store, a region, or HQ when both are omitted) since a date (default 90 days). ${REPLICA_LAG_DOC}` })
  async referralReport(
    @Ctx() ctx: RequestContext,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
    @Arg('since', () => DateTimeISOResolver, { nullable: true }) since: Date | null,
  ): Promise<ReferralReportRowType[]> {
    let scope: Target = { kind: 'HQ' };
    if (storeId != null) scope = await this.services.org.storeTarget(parseId(storeId, 'storeId'));
    else if (regionId != null) scope = { kind: 'REGION', regionId: (await this.services.org.regionExists(parseId(regionId, 'regionId'))).id };
    const rows = await this.services.referrals.report(ctx, scope, since ?? new Date(clock.ms() - REPORT_WINDOW_MS));
    return rows.map(toReferralReportRowType);
  }
}
