import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import type { Services } from '../../services';

export enum NotificationDeliveryGql { PENDING = 'PENDING', WECHAT = 'WECHAT', IN_APP = 'IN_APP' }
registerEnumType(NotificationDeliveryGql, { name: 'NotificationDelivery', description: 'PENDING: queued for WeChat; WECHAT: sent as a subscribe message; IN_APP: in the app only' });

@ObjectType('Notification', { description: 'A notice in the member’s in-app inbox' })
export class NotificationType {
  @Field(() => ID) id!: string;
  @Field({ description: 'CLUB_ANNOUNCEMENT, EVENT_REMINDER, EVENT_CANCELLED, WAITLIST_PROMOTED, REWARD_OTP, REWARD_DELIVERED, REWARD_FAILED, RATING_LOW (managers: a 1–2 star service rating)' }) kind!: string;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => String, { nullable: true, description: 'The mini-program page it opens' }) page!: string | null;
  @Field(() => NotificationDeliveryGql) delivery!: NotificationDeliveryGql;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the member opened it (null: unread)' }) readAt!: Date | null;
}

@ObjectType('SubscribeTemplate', { description: 'A WeChat subscribe-message template: pass templateId to wx.requestSubscribeMessage' })
export class SubscribeTemplateType {
  @Field({ description: 'CLUB_ANNOUNCEMENT, EVENT_REMINDER, EVENT_UPDATE, REWARD_RESULT, RATING_ALERT (managers) or CAMPAIGN_OFFER (targeted campaigns)' }) kind!: string;
  @Field() templateId!: string;
}

@ObjectType('SubscribeConsent')
export class SubscribeConsentType {
  @Field() templateId!: string;
  @Field(() => Int, { description: 'Messages of this template that may still be sent' }) remaining!: number;
}

@Resolver()
export class NotificationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [NotificationType], { description: "The signed-in member's inbox, newest first" })
  async myNotifications(@Ctx() ctx: RequestContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<NotificationType[]> {
    const me = await this.services.clubs.me(ctx);
    return (await this.services.notifications.list(me.memberId, first)).map((n) => ({ ...n, id: String(n.id), delivery: n.delivery as NotificationDeliveryGql }));
  }

  @Query(() => Int, { description: "How many of the signed-in member's notifications are unread" })
  async myUnreadNotificationCount(@Ctx() ctx: RequestContext): Promise<number> {
    const me = await this.services.clubs.me(ctx);
    return this.services.notifications.unreadCount(me.memberId);
  }

  @Mutation(() => NotificationType, { description: 'Marks one of the signed-in member’s notifications read (idempotent)' })
  async markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<NotificationType> {
    const me = await this.services.clubs.me(ctx);
    const n = await this.services.notifications.markRead(me.memberId, id);
    return { ...n, id: String(n.id), delivery: n.delivery as NotificationDeliveryGql };
  }

  @Query(() => [SubscribeTemplateType], { description: 'The templates the mini-program asks members to accept' })
  subscribeTemplates(@Ctx() ctx: RequestContext): SubscribeTemplateType[] {
    return this.services.notifications.templateIds();
  }

  @Mutation(() => [SubscribeConsentType], { description: 'The member accepted these templates in wx.requestSubscribeMessage (each acceptance = one message)' })
  async recordSubscribeConsent(@Arg('templateIds', () => [String]) templateIds: string[], @Ctx() ctx: RequestContext): Promise<SubscribeConsentType[]> {
    return this.services.notifications.recordConsent(ctx, templateIds);
  }
}
