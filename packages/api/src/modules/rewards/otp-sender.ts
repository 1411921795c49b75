/**
 * How one-time codes reach the member's bound phone: by SMS (SmsOtpSender: the Tencent Cloud SMS API v3 with an
 * approved 验证码 template, through the outbox) when SMS_PROVIDER is configured, otherwise the built-in sender puts
 * the code in the member's in-app inbox and logs that it was sent (masked phone, never the code). Only an HMAC of the
 * code is stored with the challenge (redemption.service.ts); the SMS keeps it sealed until it is sent.
 */
import { maskPhone } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import type { Logger } from '../../logger';
import type { NotificationService } from '../notifications/notification.service';
import type { SmsService } from '../sms/sms.service';

export interface OtpMessage {
  /** The six digits. */
  code: string;
  /** What it confirms, e.g. `兑换「¥100 中国石油加油卡」`. */
  purpose: string;
  /** A unique reference of this challenge (the inbox's idempotency key). */
  ref: string;
  expiresAt: Date;
}

export interface OtpSender {
  /** Delivers the code; runs inside the transaction that stores the challenge (throwing rolls it back). */
  send(q: Q, to: { memberId: number; phone: string }, message: OtpMessage, now: Date): Promise<void>;
  /** Called once the transaction that stored the challenge committed (e.g. to send the queued SMS now). */
  afterCommit?(): void;
}

const minutesLeft = (m: OtpMessage, now: Date): number => Math.max(1, Math.round((m.expiresAt.getTime() - now.getTime()) / 60_000));

/** In-app inbox + log: the demo channel (and the fallback while no SMS gateway is configured). */
export class InboxOtpSender implements OtpSender {
  constructor(
    private readonly notifications: NotificationService,
    private readonly log: Logger,
  ) {}

  async send(q: Q, to: { memberId: number; phone: string }, m: OtpMessage, now: Date): Promise<void> {
    const minutes = minutesLeft(m, now);
    await this.notifications.notify(
      q,
      [to.memberId],
      { kind: 'REWARD_OTP', ref: m.ref, title: '兑换验证码', body: `验证码 ${m.code}，用于${m.purpose}，${minutes} 分钟内有效。请勿告诉他人。`, page: null },
      now,
    );
    this.log.info({ memberId: to.memberId, phone: maskPhone(to.phone), ref: m.ref }, 'one-time code sent');
  }
}

/**
 * By SMS (template REWARD_OTP: `{1}` the code, `{2}` the minutes it is valid), queued in the challenge's transaction
 * and sent by the outbox right after it commits. `inboxCopy` (the offline demo, whose simulated phone has no screen)
 * also puts it in the in-app inbox.
 */
export class SmsOtpSender implements OtpSender {
  constructor(
    private readonly sms: SmsService,
    private readonly inbox: InboxOtpSender | null,
  ) {}

  async send(q: Q, to: { memberId: number; phone: string }, m: OtpMessage, now: Date): Promise<void> {
    await this.sms.queue(q, { kind: 'REWARD_OTP', ref: m.ref, memberId: to.memberId, phone: to.phone, params: [m.code, String(minutesLeft(m, now))], expiresAt: m.expiresAt }, now);
    if (this.inbox) await this.inbox.send(q, to, m, now);
  }

  afterCommit(): void {
    this.sms.kick();
  }
}
