import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';

export enum SmsStatus {
  /** Queued (the outbox sends it). */
  PENDING = 'PENDING',
  /** A send is under way; found in this state later, its outcome is unknown. */
  SENDING = 'SENDING',
  SENT = 'SENT',
  /** The provider refused it for good, or it expired before it could go. */
  FAILED = 'FAILED',
  /** The request may have reached the provider but no answer came (timeout, a crash mid-request): never sent again. */
  UNKNOWN = 'UNKNOWN',
}

/**
 * One SMS to one phone, written in the transaction of the business change that wants it and sent by the outbox
 * (modules/sms/sms.service.ts). (kind, ref) makes it once-only; the template parameters are kept sealed (AES-GCM
 * under a key derived from JWT_SECRET) only until the message is final, then erased.
 */
@Entity({ tableName: 'sms_message' })
@Unique({ name: 'sms_message_kind_ref_unique', properties: ['kind', 'ref'] })
@Index({ name: 'sms_message_member_idx', properties: ['member', 'id'] })
export class SmsMessage {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** What it is (REWARD_OTP): names the template. */
  @Property({ type: 'string', length: 16 })
  kind!: string;

  @Property({ type: 'string', length: 64 })
  ref!: string;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'restrict' })
  member?: Member | null;

  /** E.164, e.g. +8613812345678. */
  @Property({ type: 'string', length: 20 })
  phone!: string;

  @Property({ type: 'string', length: 20 })
  templateId!: string;

  /** The sealed template parameters while the message may still be sent; null once it is final. */
  @Property({ type: 'string', length: 512, nullable: true })
  paramsSealed?: string | null;

  @Enum({ items: () => SmsStatus, type: 'string', length: 8 })
  status: SmsStatus = SmsStatus.PENDING;

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** The provider's serial number of a sent message. */
  @Property({ type: 'string', length: 64, nullable: true })
  serialNo?: string | null;

  /** The provider's last refusal code (or EXPIRED, INTERRUPTED, TIMEOUT…). */
  @Property({ type: 'string', length: 64, nullable: true })
  errorCode?: string | null;

  /** Not worth sending after this instant (a one-time code that has expired). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}
