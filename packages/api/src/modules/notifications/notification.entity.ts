import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';

export enum NotificationDelivery {
  /** Queued for a WeChat subscribe message. */
  PENDING = 'PENDING',
  /** Delivered as a subscribe message (and in the app). */
  WECHAT = 'WECHAT',
  /** In the app only (no consent, 43101, or delivery gave up). */
  IN_APP = 'IN_APP',
}

/**
 * A message to a member, always visible in the app's inbox; when it names a subscribe template and the member has
 * a consent left for it, also sent as a WeChat subscribe message. (member, kind, ref) makes each notice once-only.
 */
@Entity({ tableName: 'notification' })
@Unique({ name: 'notification_member_kind_ref_unique', properties: ['member', 'kind', 'ref'] })
@Index({ name: 'notification_member_idx', properties: ['member', 'id'] })
export class Notification {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  /** e.g. CLUB_ANNOUNCEMENT, EVENT_REMINDER, EVENT_CANCELLED, WAITLIST_PROMOTED. */
  @Property({ type: 'string', length: 32 })
  kind!: string;

  /** What it is about (e.g. the post or event id): with kind and member, the idempotency key. */
  @Property({ type: 'string', length: 64 })
  ref!: string;

  @Property({ type: 'string', length: 64 })
  title!: string;

  @Property({ type: 'string', length: 512 })
  body!: string;

  /** The mini-program page it opens. */
  @Property({ type: 'string', length: 128, nullable: true })
  page?: string | null;

  /** The subscribe template and its keyword values, when it may also go out through WeChat. */
  @Property({ type: 'string', length: 64, nullable: true })
  templateId?: string | null;

  @Property({ type: 'json', nullable: true })
  templateData?: Record<string, { value: string }> | null;

  @Enum({ items: () => NotificationDelivery, type: 'string', length: 8 })
  delivery!: NotificationDelivery;

  @Property({ type: 'string', length: 32, nullable: true })
  msgid?: string | null;

  /** When the member opened it in the inbox (null: unread). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  readAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/** How many more subscribe messages of a template a member accepted (each wx.requestSubscribeMessage "allow" = one). */
@Entity({ tableName: 'subscribe_consent' })
@Unique({ name: 'subscribe_consent_member_template_unique', properties: ['member', 'templateId'] })
export class SubscribeConsent {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Property({ type: 'string', length: 64 })
  templateId!: string;

  @Property({ type: 'integer' })
  remaining: number = 0;

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}
