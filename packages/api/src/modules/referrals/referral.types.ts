/** GraphQL types and inputs of referrals (F8). */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Invitation, MyReferralRow, ReferralOutcome, ReferralReportRow } from './referral.service';
import type { ReferralProgramRow } from './referral-settings.service';

export enum ReferralStateGql { BOUND = 'BOUND', QUALIFIED = 'QUALIFIED', REVOKED = 'REVOKED' }
registerEnumType(ReferralStateGql, {
  name: 'ReferralState',
  description: 'BOUND: signed up through the invitation; QUALIFIED: made a first qualifying purchase (the bonus was due); REVOKED: a self-referral found later',
});

@ObjectType('ReferralOutcome', { description: 'What a sign-in with an invitation did' })
export class ReferralOutcomeType implements ReferralOutcome {
  @Field({ description: 'true: this new member is now bound to the referrer' }) bound!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Why not bound (an error code): REFERRAL_UNKNOWN, REFERRAL_SELF, REFERRAL_NOT_NEW, REFERRAL_ALREADY_BOUND, REFERRAL_DISABLED',
  })
  refusal!: ReferralOutcome['refusal'];
  @Field(() => Int, { description: 'The welcome bonus credited to the new member' }) welcomePoints!: number;
}

@ObjectType('Invitation', { description: "The signed-in member's invitation: a share card and a mini-program code" })
export class InvitationType {
  @Field({ description: 'The invite token (10 characters)' }) token!: string;
  @Field({ description: 'The share card path for onShareAppMessage, e.g. /pages/login/index?invite=TOKEN' }) path!: string;
  @Field({ description: "The mini-program code's page (getwxacodeunlimit)" }) page!: string;
  @Field({ description: "The mini-program code's scene (the token)" }) scene!: string;
  @Field(() => Int, { description: 'Members who signed up through it' }) referees!: number;
  @Field(() => Int, { description: 'Of them, those who made a first qualifying purchase' }) qualified!: number;
  @Field(() => Int, { description: 'Referral points earned from them (bonuses and shares, net of refunds)' }) pointsEarned!: number;
}

export const toInvitationType = (i: Invitation): InvitationType => Object.assign(new InvitationType(), i);

@ObjectType('MyReferral', { description: 'A member the signed-in member invited, masked' })
export class MyReferralType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The referee, masked (王**, 138****5678 or 会员****1234)' }) referee!: string;
  @Field(() => ReferralStateGql) state!: ReferralStateGql;
  @Field(() => DateTimeISOResolver) boundAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) qualifiedAt!: Date | null;
  @Field(() => Int, { description: 'Points the referrer earned from this referee (net of refunds)' }) pointsEarned!: number;
}

export const toMyReferralType = (r: MyReferralRow): MyReferralType => ({ ...r, id: String(r.id), state: r.state as ReferralStateGql });

@ObjectType('ReferralProgram', { description: 'The referral programme settings (F8)' })
export class ReferralProgramType {
  @Field() enabled!: boolean;
  @Field(() => Int, { description: "One-off points to the referrer at the referee's first qualifying purchase" }) referrerBonus!: number;
  @Field(() => Int, { description: 'Points to the new member when bound at first sign-in (0: none)' }) refereeBonus!: number;
  @Field(() => Int, { description: 'Percent of the points the referee earns paid to the referrer (floor)' }) sharePct!: number;
  @Field(() => Int, { description: 'For how many months after binding the share is paid' }) shareMonths!: number;
  @Field(() => Int, { description: 'Referral points per referrer per calendar month (Asia/Shanghai); 0 = no cap' }) monthlyCap!: number;
  @Field(() => Int, { description: 'The smallest purchase (fen) that qualifies for the bonus; 0 = any' }) qualifyingMinFen!: number;
  @Field(() => DateTimeISOResolver, { nullable: true }) updatedAt!: Date | null;
}

export const toReferralProgramType = (p: ReferralProgramRow): ReferralProgramType => ({ ...p });

@InputType('ReferralProgramInput')
export class ReferralProgramInput {
  @Field() enabled!: boolean;
  @Field(() => Int) referrerBonus!: number;
  @Field(() => Int) refereeBonus!: number;
  @Field(() => Int) sharePct!: number;
  @Field(() => Int) shareMonths!: number;
  @Field(() => Int) monthlyCap!: number;
  @Field(() => Int) qualifyingMinFen!: number;
}

@ObjectType('ReferralReportRow', { description: 'Referrals reported at one store (store null: referrers who never bought, HQ only)' })
export class ReferralReportRowType {
  @Field(() => ID, { nullable: true }) storeId!: string | null;
  @Field(() => String, { nullable: true }) storeName!: string | null;
  @Field(() => ID, { nullable: true }) regionId!: string | null;
  @Field(() => String, { nullable: true }) regionName!: string | null;
  @Field(() => Int, { description: 'Invitations members opened (their token was made)' }) invitations!: number;
  @Field(() => Int, { description: 'New members bound through an invitation' }) signUps!: number;
  @Field(() => Int, { description: 'Referees who made a first qualifying purchase' }) qualified!: number;
  @Field(() => Int, { description: "Referrers' one-off bonuses paid" }) bonusPoints!: number;
  @Field(() => Int, { description: "Referrers' shares paid, net of refunds" }) sharePoints!: number;
  @Field(() => Int, { description: 'Welcome bonuses paid to new members' }) welcomePoints!: number;
  @Field(() => Int, { description: 'Points the monthly cap withheld' }) cappedPoints!: number;
}

export const toReferralReportRowType = (r: ReferralReportRow): ReferralReportRowType => ({
  ...r,
  storeId: r.storeId === null ? null : String(r.storeId),
  regionId: r.regionId === null ? null : String(r.regionId),
});
