import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { parseId } from '../members/member.resolver';
import { PurchaseLineInput } from '../purchases/purchase.resolver';
import type { PayOrderRow, RefundRow } from './payment.service';
import { PayOrderListService, type ScopedPayOrderRow } from './pay-order-list.service';
import { PayOrderState, PayRefundStatus } from './payment.entity';
import type { Services } from '../../services';

registerEnumType(PayOrderState, {
  name: 'PayOrderState',
  description: 'PENDING: waiting to be paid (until expiresAt); PAID: WeChat Pay confirmed it and its points were credited; CLOSED: expired or closed unpaid',
});

registerEnumType(PayRefundStatus, {
  name: 'PayRefundStatus',
  description: "WeChat Pay's refund_status: PROCESSING (sent, waiting), SUCCESS (money back, points reversed), CLOSED or ABNORMAL (failed: the order stays refundable)",
});

@ObjectType('PayOrder')
export class PayOrderType {
  @Field() outTradeNo!: string;
  @Field(() => ID) storeId!: string;
  @Field() storeName!: string;
  @Field(() => Int, { description: 'What is paid (after a coupon\'s discount)' }) amountFen!: number;
  @Field(() => Int, { description: 'A member\'s coupon applied at the till: its discount (0 without)' }) discountFen!: number;
  @Field() description!: string;
  @Field(() => PayOrderState) state!: PayOrderState;
  @Field(() => Int, { nullable: true, description: 'Points credited when paid' }) points!: number | null;
  @Field(() => Int) refundedFen!: number;
  @Field(() => Int) pointsReversed!: number;
  @Field(() => DateTimeISOResolver) expiresAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) paidAt!: Date | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType({ description: 'Parameters for wx.requestPayment' })
export class RequestPayment {
  @Field() appId!: string;
  @Field() timeStamp!: string;
  @Field() nonceStr!: string;
  @Field() package!: string;
  @Field() signType!: string;
  @Field() paySign!: string;
}

@ObjectType()
export class PaymentIntent {
  @Field(() => PayOrderType) order!: PayOrderType;
  @Field(() => RequestPayment) payment!: RequestPayment;
  @Field(() => Int, { description: 'Points this payment will earn (the shared rule engine)' }) pointsPreview!: number;
}

@ObjectType({ description: 'A mini-program code (小程序码) for a till order: the member scans it with WeChat and lands on the pay page' })
export class WxaCode {
  @Field({ description: "The code's scene: the order number (the page receives it URL-encoded as query.scene)" }) scene!: string;
  @Field({ description: 'The mini-program page the code opens' }) page!: string;
  @Field({ description: 'The image as a data URL (data:image/png;base64,… or data:image/jpeg;… as WeChat sent it), for an <image src>' }) dataUrl!: string;
}

@ObjectType('PayRefund')
export class PayRefundType {
  @Field() outRefundNo!: string;
  @Field() outTradeNo!: string;
  @Field(() => Int) amountFen!: number;
  @Field(() => PayRefundStatus) status!: PayRefundStatus;
  @Field(() => Int) pointsReversed!: number;
  @Field(() => Int, { description: 'Points the member had already spent, so could not be reversed (capped clawback)' }) pointsUncollected!: number;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType('ScopedPayRefund', { description: 'A refund of an order, as staff and managers of its store see it' })
export class ScopedPayRefundType extends PayRefundType {
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('ScopedPayOrder', { description: 'A WeChat Pay order as staff and managers of its store see it (the console): the payer, its refunds, what is still refundable' })
export class ScopedPayOrderType extends PayOrderType {
  @Field(() => String, { nullable: true, description: 'The payer (null: a till order nobody paid)' }) memberNo!: string | null;
  @Field(() => Int, { description: 'The amount less refunds processing or done: what refundPayment still accepts (0 unless PAID)' }) refundableFen!: number;
  @Field(() => [ScopedPayRefundType], { description: 'Oldest first' }) refunds!: ScopedPayRefundType[];
}

@ObjectType('ScopedPayOrderPage')
export class ScopedPayOrderPage {
  @Field(() => Int) total!: number;
  @Field(() => [ScopedPayOrderType]) items!: ScopedPayOrderType[];
}

@InputType({ description: 'payOrders filters (all optional)' })
export class PayOrderFilterInput {
  @Field(() => PayOrderState, { nullable: true }) state?: PayOrderState | null;
  @Field(() => ID, { nullable: true, description: 'One store in scope' }) storeId?: string | null;
  @Field(() => String, { nullable: true, description: 'One order by its number' }) outTradeNo?: string | null;
}

@ObjectType()
export class PaymentRecoveryRun {
  @Field(() => Int) checked!: number;
  @Field(() => Int) completed!: number;
  @Field(() => Int) closed!: number;
}

@InputType()
export class CreatePaymentInput {
  @Field(() => ID) storeId!: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(100_000_000) amountFen!: number;
  @Field(() => [PurchaseLineInput], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @ValidateNested({ each: true }) lines?: PurchaseLineInput[] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 127) description?: string | null;
  @Field(() => String, { nullable: true, description: "createTillOrder only: a member's coupon code (scanned from their wallet QR); the order is then the amount less its discount, for that member, and holds the coupon until paid or closed" })
  @IsOptional()
  @Length(1, 32)
  couponCode?: string | null;
}

@InputType()
export class RefundPaymentInput {
  @Field() @Length(6, 32) outTradeNo!: string;
  @Field(() => Int) @IsInt() @Min(1) amountFen!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 80) reason?: string | null;
  @Field() @Matches(/^[A-Za-z0-9_:.-]{8,64}$/) idempotencyKey!: string;
}

const toOrderType = (o: PayOrderRow): PayOrderType => ({ ...o, state: o.state as PayOrderState, storeId: String(o.storeId) });
const toRefundType = (r: RefundRow): PayRefundType => ({ ...r, status: r.status as PayRefundStatus });
const toScopedType = (o: ScopedPayOrderRow): ScopedPayOrderType => ({
  ...o,
  state: o.state as PayOrderState,
  storeId: String(o.storeId),
  refunds: o.refunds.map((r) => ({ ...r, status: r.status as PayRefundStatus })),
});
const lines = (l?: PurchaseLineInput[] | null) => l?.map((x) => ({ category: x.category, amountFen: x.amountFen })) ?? null;

@Resolver()
export class PaymentResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => PaymentIntent, { description: 'Member: pay at a store in the mini-program (JSAPI prepay → wx.requestPayment)' })
  async createPayment(@Arg('input') input: CreatePaymentInput, @Ctx() ctx: RequestContext): Promise<PaymentIntent> {
    const r = await this.services.payments.createOrder(ctx, { ...input, storeId: parseId(input.storeId, 'storeId'), lines: lines(input.lines) });
    return { ...r, order: toOrderType(r.order) };
  }

  @Mutation(() => PayOrderType, { description: 'Staff: create an order at the till for the member to pay by scanning its code' })
  async createTillOrder(@Arg('input') input: CreatePaymentInput, @Ctx() ctx: RequestContext): Promise<PayOrderType> {
    return toOrderType(await this.services.payments.createTillOrder(ctx, { ...input, storeId: parseId(input.storeId, 'storeId'), lines: lines(input.lines) }));
  }

  @Query(() => WxaCode, {
    description: "Staff/manager of the order's store: the mini-program code to show at the till for a pending till order (WECHAT_UNAVAILABLE when WeChat fails: show the order number instead)",
  })
  async tillOrderCode(@Arg('outTradeNo') outTradeNo: string, @Ctx() ctx: RequestContext): Promise<WxaCode> {
    const c = await this.services.payments.tillOrderCode(ctx, outTradeNo);
    return { scene: c.scene, page: c.page, dataUrl: c.dataUrl };
  }

  @Mutation(() => PaymentIntent, { description: "Member: pay a till order (the scanned code's scene is its outTradeNo)" })
  async payTillOrder(@Arg('outTradeNo') outTradeNo: string, @Ctx() ctx: RequestContext): Promise<PaymentIntent> {
    const r = await this.services.payments.payTillOrder(ctx, outTradeNo);
    return { ...r, order: toOrderType(r.order) };
  }

  @Query(() => PayOrderType, { description: 'An order, for its payer or the staff of its store (poll after paying)' })
  async payOrder(@Arg('outTradeNo') outTradeNo: string, @Ctx() ctx: RequestContext): Promise<PayOrderType> {
    return toOrderType(await this.services.payments.orderFor(ctx, outTradeNo));
  }

  @Query(() => [PayOrderType], { description: "Member: the signed-in member's orders, newest first" })
  async myOrders(@Ctx() ctx: RequestContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<PayOrderType[]> {
    return (await this.services.payments.myOrders(ctx, first, null)).map(toOrderType);
  }

  @Query(() => ScopedPayOrderPage, { description: 'Staff and managers: the WeChat Pay orders of the stores they may refund at (pay.refund), newest first, with their refunds' })
  async payOrders(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => PayOrderFilterInput, { nullable: true }) filter: PayOrderFilterInput | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<ScopedPayOrderPage> {
    const f = filter ?? {};
    const page = await new PayOrderListService(this.services.db, this.services.org).list(
      ctx,
      { state: f.state ?? null, storeId: f.storeId == null ? null : parseId(f.storeId, 'storeId'), outTradeNo: f.outTradeNo ?? null },
      first,
      offset,
    );
    return { total: page.total, items: page.items.map(toScopedType) };
  }

  @Mutation(() => PayRefundType, { description: 'Staff/manager of the store: refund a paid order fully or partly; points are reversed proportionally when WeChat confirms' })
  async refundPayment(@Arg('input') input: RefundPaymentInput, @Ctx() ctx: RequestContext): Promise<PayRefundType> {
    return toRefundType(await this.services.payments.refunds.refund(ctx, input));
  }

  @Mutation(() => PaymentRecoveryRun, { description: 'HQ manager: query unpaid orders now (also runs on a timer)' })
  async runPaymentRecovery(@Ctx() ctx: RequestContext): Promise<PaymentRecoveryRun> {
    await authorize(ctx, 'pay.recover');
    return this.services.payments.recover();
  }
}
