import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Max, Min, Matches } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { StoreType } from '../org/org.resolver';

export enum GenderGql {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
}
registerEnumType(GenderGql, { name: 'Gender' });

export enum AgeBandGql {
  UNDER_18 = 'UNDER_18',
  AGE_18_24 = 'AGE_18_24',
  AGE_25_34 = 'AGE_25_34',
  AGE_35_44 = 'AGE_35_44',
  AGE_45_54 = 'AGE_45_54',
  AGE_55_64 = 'AGE_55_64',
  AGE_65_PLUS = 'AGE_65_PLUS',
}
registerEnumType(AgeBandGql, { name: 'AgeBand', description: 'Age on the Shanghai calendar date, in bands: under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65+' });

@ObjectType({ description: 'A location coarsened to 0.01° (≈ 1 km)' })
export class CoarseLocation {
  @Field(() => Float) lat!: number;
  @Field(() => Float) lng!: number;
}

@ObjectType('MemberProfile', { description: "The signed-in member's optional profile; only the member sees it" })
export class MemberProfileType {
  @Field(() => GenderGql, { nullable: true }) gender!: GenderGql | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) birthday!: string | null;
  @Field(() => AgeBandGql, { nullable: true }) ageBand!: AgeBandGql | null;
  @Field(() => StoreType, { nullable: true }) homeStore!: StoreType | null;
  @Field(() => CoarseLocation, { nullable: true, description: 'Stored coarsened, only while consent is given' }) location!: CoarseLocation | null;
  @Field() locationConsent!: boolean;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When location consent was given' }) locationConsentAt!: Date | null;
}

@InputType({ description: 'A location from wx.getLocation, sent only after the member agreed; stored coarsened to 0.01°' })
export class LocationInput {
  @Field(() => Float) @Min(-90) @Max(90) lat!: number;
  @Field(() => Float) @Min(-180) @Max(180) lng!: number;
  @Field({ description: 'Must be true: the member consented to sharing their location' }) consent!: boolean;
}

@InputType({ description: 'Profile changes: an omitted field is kept, null clears it' })
export class UpdateProfileInput {
  @Field(() => GenderGql, { nullable: true }) @IsOptional() gender?: GenderGql | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) birthday?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() homeStoreId?: string | null;
  @Field(() => LocationInput, { nullable: true, description: 'null withdraws consent and deletes the stored location' }) @IsOptional() location?: LocationInput | null;
}
