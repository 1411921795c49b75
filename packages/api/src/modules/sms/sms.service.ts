/**
 * SMS through the outbox: `queue` writes the message and its outbox row inside the caller's transaction (so a
 * message is never lost because the process died after the business change committed), the outbox worker calls
 * `deliver`, which sends it once through the provider (integrations/sms).
 *
 * Exactly one send per message: `deliver` moves PENDING → SENDING in a statement of its own before the request and
 * records the answer after it. A refusal the provider calls retryable (busy, the 30-second limit) puts it back to
 * PENDING and the outbox tries again; a final refusal is FAILED. A message found still SENDING (the worker died, or
 * the answer never came) may or may not have gone out: it becomes UNKNOWN and is never sent again (a member whose
 * code did not arrive asks for a new one; two different codes by SMS would be worse). A message past its
 * `expiresAt` is not sent. Logs carry the masked phone, never the parameters.
 */
import { clock } from '../../clock';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { maskPhone } from '@quanzi/shared';
import type { SmsConfig, SmsTemplateKind } from '../../config';
import { toDate, toInt, type Db, type Q } from '../../db/sql';
import type { SmsProvider } from '../../integrations/sms/sms-provider';
import type { Logger } from '../../logger';
import { enqueue, RetryLater, type OutboxService } from '../outbox/outbox.service';

export const SMS_TOPIC = 'sms.send';
const MAX_ATTEMPTS = 6;
const THIRTY_SECONDS = 'LimitExceeded.PhoneNumberThirtySecondLimit';

export interface SmsToQueue {
  kind: SmsTemplateKind;
  /** With kind, the message's idempotency key (e.g. `otp-123`). */
  ref: string;
  memberId: number | null;
  /** E.164 or 11 mainland digits. */
  phone: string;
  params: string[];
  /** Do not send after this instant. */
  expiresAt: Date | null;
}

/** `+86` and 11 digits for a mainland number; other E.164 numbers as given. */
export function toE164(phone: string): string {
  const p = phone.trim();
  if (p.startsWith('+')) return p;
  return `+86${p.replace(/^(0086|86)(?=1\d{10}$)/, '')}`;
}

export class SmsService {
  private readonly key: Buffer;

  constructor(
    private readonly db: Db,
    private readonly provider: SmsProvider,
    outbox: OutboxService,
    private readonly config: SmsConfig,
    jwtSecret: string,
    private readonly log: Logger,
    /** Called after a message was queued and committed (the app drains the outbox at once when jobs run in-process). */
    private readonly onQueued: () => void = () => undefined,
  ) {
    this.key = createHmac('sha256', jwtSecret).update('quanzi sms params v1').digest();
    outbox.register(SMS_TOPIC, { run: (ref) => this.deliver(Number(ref)), dead: (ref) => this.giveUp(Number(ref)) }, { maxAttempts: MAX_ATTEMPTS, backoffMs: (n) => Math.min(300_000, 10_000 * 2 ** (n - 1)) });
  }

  /** Whether messages of this kind can go out (an approved template is configured). */
  canSend(kind: SmsTemplateKind): boolean {
    return Boolean(this.config.templates[kind]);
  }

  /** Inside the caller's transaction: records the message and queues its delivery. The same (kind, ref) again is the same message. */
  async queue(q: Q, m: SmsToQueue, now: Date): Promise<number> {
    const templateId = this.config.templates[m.kind];
    if (!templateId) throw new Error(`no SMS template configured for ${m.kind}`);
    const existing = await q.get<{ id: unknown }>('SELECT id FROM sms_message WHERE kind = ? AND ref = ?', [m.kind, m.ref]);
    if (existing) return toInt(existing.id);
    const r = await q.run(
      "INSERT INTO sms_message (kind, ref, member_id, phone, template_id, params_sealed, status, attempts, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)",
      [m.kind, m.ref, m.memberId, toE164(m.phone), templateId, this.seal(m.params), m.expiresAt ? q.ts(m.expiresAt) : null, q.ts(now), q.ts(now)],
    );
    await enqueue(q, SMS_TOPIC, String(r.insertId), now);
    return r.insertId;
  }

  /** After the queuing transaction committed: send now rather than at the next tick. */
  kick(): void {
    this.onQueued();
  }

  /** Outbox handler: sends the message once (see the module comment). Throws to have the outbox retry. */
  async deliver(id: number): Promise<void> {
    const q = this.db.q;
    const row = await q.get<Record<string, unknown>>('SELECT id, kind, ref, phone, template_id, params_sealed, status, expires_at FROM sms_message WHERE id = ?', [id]);
    if (!row) return;
    const status = String(row.status);
    const phone = String(row.phone);
    if (status === 'SENDING') {
      await this.finish(id, 'UNKNOWN', 'INTERRUPTED');
      this.log.warn({ smsId: id, kind: row.kind, phone: maskPhone(phone.replace(/^\+86/, '')) }, 'SMS send was interrupted; whether it went out is unknown, not sending it again');
      return;
    }
    if (status !== 'PENDING') return;
    const now = clock.now();
    if (row.expires_at != null && toDate(row.expires_at).getTime() <= now.getTime()) return this.finish(id, 'FAILED', 'EXPIRED');
    let params: string[];
    try {
      params = this.open(String(row.params_sealed ?? ''));
    } catch {
      return this.finish(id, 'FAILED', 'UNREADABLE'); // sealed under another JWT_SECRET: the code it carries is void anyway
    }
    const claimed = await q.run("UPDATE sms_message SET status = 'SENDING', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'PENDING'", [q.ts(now), id]);
    if (claimed.affectedRows !== 1) return;
    const outcome = await this.provider.send({ phone, templateId: String(row.template_id), params, sessionContext: `qz-sms-${id}` });
    const masked = maskPhone(phone.replace(/^\+86/, ''));
    if (outcome.kind === 'SENT') {
      await q.run("UPDATE sms_message SET status = 'SENT', serial_no = ?, sent_at = ?, error_code = NULL, params_sealed = NULL, updated_at = ? WHERE id = ? AND status = 'SENDING'", [
        outcome.serialNo.slice(0, 64), q.ts(clock.now()), q.ts(clock.now()), id,
      ]);
      this.log.info({ smsId: id, kind: row.kind, phone: masked, serialNo: outcome.serialNo }, 'SMS sent');
      return;
    }
    if (outcome.kind === 'UNKNOWN') {
      await this.finish(id, 'UNKNOWN', 'NO_ANSWER');
      this.log.warn({ smsId: id, kind: row.kind, phone: masked, reason: outcome.reason }, 'SMS outcome unknown; not sending it again');
      return;
    }
    if (!outcome.retryable) {
      await this.finish(id, 'FAILED', outcome.code);
      this.log.error({ smsId: id, kind: row.kind, phone: masked, code: outcome.code, err: outcome.message, requestId: outcome.requestId }, 'SMS refused');
      return;
    }
    await q.run("UPDATE sms_message SET status = 'PENDING', error_code = ?, updated_at = ? WHERE id = ? AND status = 'SENDING'", [outcome.code.slice(0, 64), q.ts(clock.now()), id]);
    if (outcome.code === THIRTY_SECONDS) throw new RetryLater(outcome.code, 30_000);
    throw new Error(`SMS refused for now: ${outcome.code} ${outcome.message}`.slice(0, 200));
  }

  /** The outbox gave up (its last attempt was refused): the message is FAILED. */
  private async giveUp(id: number): Promise<void> {
    await this.finish(id, 'FAILED', null, "status IN ('PENDING', 'SENDING')");
  }

  private async finish(id: number, status: 'FAILED' | 'UNKNOWN', code: string | null, where = "status IN ('PENDING', 'SENDING')"): Promise<void> {
    const q = this.db.q;
    const now = clock.now();
    await q.run(`UPDATE sms_message SET status = ?, error_code = COALESCE(?, error_code), params_sealed = NULL, updated_at = ? WHERE id = ? AND ${where}`, [status, code, q.ts(now), id]);
  }

  private seal(params: string[]): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(JSON.stringify(params), 'utf8'), c.final()]);
    const sealed = Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    if (sealed.length > 512) throw new Error('SMS parameters too long');
    return sealed;
  }

  private open(sealed: string): string[] {
    const raw = Buffer.from(sealed, 'base64url');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    const params = JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')) as unknown;
    if (!Array.isArray(params) || params.some((p) => typeof p !== 'string')) throw new Error('bad sealed parameters');
    return params as string[];
  }
}
