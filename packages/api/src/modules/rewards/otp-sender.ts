/**
 * How one-time codes reach the member's bound phone. The interface is what a real SMS gateway implements
 * (Tencent Cloud/Aliyun SMS with an approved 验证码 template); the built-in sender puts the code in the member's
 * in-app inbox and logs that it was sent (masked phone, never the code), which is what the offline demo and the
 * tests use. Only an HMAC of the code is stored (redemption.service.ts).
 */
import { maskPhone } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import type { Logger } from '../../logger';
import type { NotificationService } from '../notifications/notification.service';

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
}

/** In-app inbox + log: the demo channel (and the fallback while no SMS gateway is configured). */
export class InboxOtpSender implements OtpSender {
  constructor(
    private readonly notifications: NotificationService,
    private readonly log: Logger,
  ) {}

  async send(q: Q, to: { memberId: number; phone: string }, m: OtpMessage, now: Date): Promise<void> {
    const minutes = Math.max(1, Math.round((m.expiresAt.getTime() - now.getTime()) / 60_000));
    await this.notifications.notify(
      q,
      [to.memberId],
      { kind: 'REWARD_OTP', ref: m.ref, title: '兑换验证码', body: `验证码 ${m.code}，用于${m.purpose}，${minutes} 分钟内有效。请勿告诉他人。`, page: null },
      now,
    );
    this.log.info({ memberId: to.memberId, phone: maskPhone(to.phone), ref: m.ref }, 'one-time code sent');
  }
}
