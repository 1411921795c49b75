import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { MemberType } from '../members/member.types';
import { toMemberType } from '../members/member.resolver';
import { Viewer, viewerOf } from '../org/org.resolver';
import { ReferralOutcomeType } from '../referrals/referral.types';
import type { Services } from '../../services';

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Bearer token for the Authorization header' }) token!: string;
  @Field(() => Viewer) viewer!: Viewer;
  @Field(() => MemberType) member!: MemberType;
  @Field({ description: 'true on the first sign-in (a new member was created)' }) created!: boolean;
  @Field(() => ReferralOutcomeType, { nullable: true, description: 'With an invitation: whether this sign-in bound the member to the referrer, or why not (null without one)' })
  referral!: ReferralOutcomeType | null;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => AuthPayload, { description: 'Sign in with a wx.login code (F1); creates the member on first sign-in' })
  async login(
    @Arg('code') code: string,
    @Arg('invite', () => String, { nullable: true, description: "An invitation's token (from the share path's ?invite= or the code's scene): binds a new member to the referrer" })
    invite: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    const { limits } = this.services;
    const { token, userId, created, referral } = await this.services.users.login(
      code,
      'MINIPROGRAM',
      {
        hitIp: () => limits.hit(limits.loginPerIp, ctx.ip),
        hitOpenid: (openid) => limits.hit(limits.loginPerOpenid, openid),
      },
      invite,
    );
    // The birthday-month bonus when due (F4): a returning member signing in during their birthday month. A failure
    // never fails the sign-in (the daily job pays it instead).
    if (!created) await this.services.birthdayBonus.forUser(userId).catch((e: Error) => this.services.log.error({ userId, err: e.message }, 'birthday bonus at sign-in failed'));
    return { token, created, referral, viewer: await viewerOf(this.services, userId), member: toMemberType(await this.services.members.home(userId)) };
  }

  @Mutation(() => MemberType, { description: 'Bind the phone number from a getPhoneNumber button code' })
  async bindPhone(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<MemberType> {
    await this.services.users.bindPhone(ctx, code);
    return toMemberType(await this.services.members.home(ctx.requireUser()));
  }
}
