import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ADJUSTMENT_MAX_DELTA, ADJUSTMENT_REASON_MAX } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { badInput } from '../../errors';
import { parseId } from '../members/member.resolver';
import { PageInfo } from '../members/member.types';
import type { AdjustmentRow, AdjustmentStatusName } from './adjustment.service';
import type { Services } from '../../services';

export enum AdjustmentStatusGql { PENDING = 'PENDING', APPLIED = 'APPLIED', REJECTED = 'REJECTED' }
registerEnumType(AdjustmentStatusGql, { name: 'AdjustmentStatus', description: 'PENDING waits for a second manager; APPLIED is in the ledger' });

@InputType()
export class PointsAdjustmentInput {
  @Field(() => ID) memberId!: string;
  @Field(() => Int, { description: `Points to credit (> 0) or debit (< 0), at most ±${ADJUSTMENT_MAX_DELTA}` }) delta!: number;
  @Field({ description: `Why, 1–${ADJUSTMENT_REASON_MAX} characters (shown to the member as 人工调整 · <reason>)` }) reason!: string;
  @Field(() => ID, { nullable: true, description: 'The store it is booked at (its managers may approve); HQ managers may omit it' }) storeId?: string | null;
  @Field({ description: 'A retry with the same key returns the first result' }) idempotencyKey!: string;
}

@ObjectType('PointsAdjustment')
export class PointsAdjustmentType {
  @Field(() => ID) id!: string;
  @Field(() => ID) memberId!: string;
  @Field() memberNo!: string;
  @Field(() => Int) delta!: number;
  @Field() reason!: string;
  @Field(() => AdjustmentStatusGql) status!: AdjustmentStatusGql;
  @Field(() => ID, { nullable: true }) storeId!: string | null;
  @Field(() => ID) requestedById!: string;
  @Field(() => String, { nullable: true, description: "The requester's member number (else nickname)" }) requestedBy!: string | null;
  @Field(() => ID, { nullable: true }) decidedById!: string | null;
  @Field(() => String, { nullable: true, description: "The approver's or rejecter's member number (else nickname)" }) decidedBy!: string | null;
  @Field(() => String, { nullable: true }) decisionNote!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) decidedAt!: Date | null;
}

@ObjectType()
export class PointsAdjustmentResult {
  @Field(() => PointsAdjustmentType) adjustment!: PointsAdjustmentType;
  @Field({ description: 'true when the idempotency key was seen before (nothing new happened)' }) replayed!: boolean;
}

@ObjectType()
export class PointsAdjustmentPage {
  @Field(() => [PointsAdjustmentType]) items!: PointsAdjustmentType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'The rules for manual points adjustments' })
export class AdjustmentPolicy {
  @Field(() => Int, { description: '|delta| above this waits for a second manager (ADJUSTMENT_APPROVAL_POINTS)' }) approvalThreshold!: number;
  @Field(() => Int) maxDelta!: number;
  @Field(() => Int) reasonMaxLength!: number;
}

const id = (n: number | null): string | null => (n === null ? null : String(n));
export const toAdjustment = (a: AdjustmentRow): PointsAdjustmentType => ({
  id: String(a.id),
  memberId: String(a.memberId),
  memberNo: a.memberNo,
  delta: a.delta,
  reason: a.reason,
  status: a.status as AdjustmentStatusGql,
  storeId: id(a.storeId),
  requestedById: String(a.requestedById),
  requestedBy: a.requestedByName,
  decidedById: id(a.decidedById),
  decidedBy: a.decidedByName,
  decisionNote: a.decisionNote,
  createdAt: a.createdAt,
  decidedAt: a.decidedAt,
});

const cursorOf = (n: number): string => Buffer.from(`a:${n}`).toString('base64url');
function parseCursor(c: string): number {
  const m = /^a:(\d{1,15})$/.exec(Buffer.from(c, 'base64url').toString());
  if (!m) throw badInput('Malformed cursor', 'after');
  return Number(m[1]);
}

/** Manual points adjustments with four-eyes approval (issue #13). */
@Resolver()
export class AdjustmentResolver {
  constructor(private readonly services: Services) {}

  @Query(() => AdjustmentPolicy, { description: 'Managers: the approval threshold and bounds of manual adjustments' })
  async adjustmentPolicy(@Ctx() ctx: RequestContext): Promise<AdjustmentPolicy> {
    await authorize(ctx, 'member.read');
    return { approvalThreshold: this.services.adjustments.approvalPoints, maxDelta: ADJUSTMENT_MAX_DELTA, reasonMaxLength: ADJUSTMENT_REASON_MAX };
  }

  @Mutation(() => PointsAdjustmentResult, { description: 'Managers covering the store (HQ: none): adjust a member’s points; above the threshold it waits for a second manager' })
  async requestPointsAdjustment(@Arg('input', () => PointsAdjustmentInput) input: PointsAdjustmentInput, @Ctx() ctx: RequestContext): Promise<PointsAdjustmentResult> {
    const r = await this.services.adjustments.request(ctx, {
      memberId: parseId(input.memberId, 'memberId'),
      delta: input.delta,
      reason: input.reason,
      storeId: input.storeId == null ? null : parseId(input.storeId, 'storeId'),
      idempotencyKey: input.idempotencyKey,
    });
    return { adjustment: toAdjustment(r.adjustment), replayed: r.replayed };
  }

  @Mutation(() => PointsAdjustmentType, { description: 'A second manager covering the store approves a pending adjustment (applied to the ledger once)' })
  async approvePointsAdjustment(@Arg('id', () => ID) adjustmentId: string, @Ctx() ctx: RequestContext): Promise<PointsAdjustmentType> {
    return toAdjustment(await this.services.adjustments.approve(ctx, parseId(adjustmentId, 'id')));
  }

  @Mutation(() => PointsAdjustmentType, { description: 'A manager covering the store rejects a pending adjustment, with a note' })
  async rejectPointsAdjustment(@Arg('id', () => ID) adjustmentId: string, @Arg('note') note: string, @Ctx() ctx: RequestContext): Promise<PointsAdjustmentType> {
    return toAdjustment(await this.services.adjustments.reject(ctx, parseId(adjustmentId, 'id'), note));
  }

  @Query(() => PointsAdjustmentPage, { description: 'Managers: adjustments in their scope, newest first' })
  async pointsAdjustments(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => AdjustmentStatusGql, { nullable: true }) status?: AdjustmentStatusGql | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<PointsAdjustmentPage> {
    const page = await this.services.adjustments.list(ctx, (status ?? null) as AdjustmentStatusName | null, first, after == null ? null : parseCursor(after));
    const items = page.items.map(toAdjustment);
    const last = page.items[page.items.length - 1];
    return { items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? cursorOf(last.id) : null } };
  }
}
