import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { toStoreType } from '../org/org.resolver';
import { parseId } from './member.resolver';
import type { MemberProfileRow } from './member-profile.service';
import { AgeBandGql, GenderGql, MemberProfileType, UpdateProfileInput } from './member-profile.types';
import type { Services } from '../../services';

function toProfileType(p: MemberProfileRow): MemberProfileType {
  return {
    gender: p.gender as GenderGql | null,
    birthday: p.birthday,
    ageBand: p.ageBand as AgeBandGql | null,
    homeStore: p.homeStore ? toStoreType(p.homeStore) : null,
    location: p.location,
    locationConsent: p.locationConsent,
    locationConsentAt: p.locationConsentAt,
  };
}

@Resolver(() => MemberProfileType)
export class MemberProfileResolver {
  constructor(private readonly services: Services) {}

  @Query(() => MemberProfileType, { description: "The signed-in member's optional profile (gender, birthday, home store, consented location)" })
  async myProfile(@Ctx() ctx: RequestContext): Promise<MemberProfileType> {
    return toProfileType(await this.services.memberProfiles.mine(ctx));
  }

  @Mutation(() => MemberProfileType, {
    description: 'Members: set or clear profile fields (omitted = kept, null = cleared). A location needs consent: true and is stored coarsened to 0.01°; location: null withdraws consent and deletes it',
  })
  async updateMyProfile(@Arg('input') input: UpdateProfileInput, @Ctx() ctx: RequestContext): Promise<MemberProfileType> {
    const row = await this.services.memberProfiles.update(ctx, {
      gender: input.gender,
      birthday: input.birthday,
      homeStoreId: input.homeStoreId === undefined ? undefined : input.homeStoreId === null ? null : parseId(input.homeStoreId, 'homeStoreId'),
      location: input.location === undefined ? undefined : input.location === null ? null : { lat: input.location.lat, lng: input.location.lng, consent: input.location.consent },
    });
    return toProfileType(row);
  }
}
