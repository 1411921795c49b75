import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { AnalyticsScopeType } from './analytics.types';

@ObjectType('CohortCell', { description: 'One month of a cohort: its members with a purchase (a positive amount, any store) in that Shanghai month' })
export class CohortCellType {
  @Field(() => Int, { description: 'Months after the sign-up month (0 = the sign-up month), 0–11' }) offset!: number;
  @Field({ description: 'The calendar month observed in Asia/Shanghai, YYYY-MM' }) month!: string;
  @Field(() => Int, { nullable: true, description: "Members of the cohort who bought in the month; null when it has not begun" }) active!: number | null;
  @Field(() => Float, { nullable: true, description: 'active / the cohort’s members, 4 decimals; null when the month has not begun or the cohort is empty' }) rate!: number | null;
  @Field({ description: 'The month is over (false: the current month, its figure can still grow, or a month not yet begun)' }) complete!: boolean;
}

@ObjectType('Cohort', { description: 'The scope’s members who signed up in one Shanghai month (within the range asked for)' })
export class CohortType {
  @Field({ description: 'Sign-up month in Asia/Shanghai, YYYY-MM' }) month!: string;
  @Field(() => Int) members!: number;
  @Field(() => [CohortCellType], { description: 'Offsets 0–11, in order' }) cells!: CohortCellType[];
}

@ObjectType('CohortRetention', {
  description:
    "Monthly sign-up cohorts and their retention. Cohort: the scope's members (home store, else first purchase's store) who signed up in [from, to), by Shanghai month; a cell: the share of them with a purchase in the k-th month after (k = 0: the sign-up month), wherever they bought",
})
export class CohortRetentionType {
  @Field(() => AnalyticsScopeType) scope!: AnalyticsScopeType;
  @Field(() => DateTimeISOResolver) from!: Date;
  @Field(() => DateTimeISOResolver) to!: Date;
  @Field(() => [CohortType], { description: 'One per Shanghai month that [from, to) touches, oldest first (empty ones included)' }) cohorts!: CohortType[];
}
