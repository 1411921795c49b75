/**
 * Rate limits where a guess or a flood costs something (ARCHITECTURE "Production hardening"):
 *
 * - **Guessable codes at a till** (member codes: `memberByCode`, `recordPurchase`, `redeemPoints`, till rewards,
 *   event check-in; voucher codes: `voucher`, `useVoucher`): wrong codes are counted per till (staff user at a store).
 *   The failure that reaches RATE_LIMIT_CODE_FAILURES in a window starts a cool-down of RATE_LIMIT_CODE_COOLDOWN_SECONDS
 *   during which every code from that till is refused before it is checked (so a right guess is worth nothing), and
 *   the store's managers get one inbox notice per cool-down.
 * - **Floods**: `login` per IP and per openid (each costs a code2Session call), one-time codes per member (each is an
 *   SMS) and per IP; counted per fixed window.
 *
 * Every refusal is RATE_LIMITED with `extensions.retryAfterSeconds`. Counters: see `counter-store.ts`.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../clock';
import type { LimitsConfig } from '../config';
import { toInt, type Db } from '../db/sql';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { NotificationService } from '../modules/notifications/notification.service';
import { MemoryCounterStore, RedisCounterStore, type CounterStore } from './counter-store';

/** A code that can be guessed at a till. */
export type GuessKind = 'member-code' | 'voucher-code';

/** Who is typing codes: a staff (or manager) user at a store's till; storeId null for a door without a store. */
export interface TillActor {
  userId: number;
  storeId: number | null;
}

/** The answers that mean "a wrong guess" (a used or expired voucher, a reused member code are real codes). */
const WRONG: Record<GuessKind, ReadonlySet<string>> = {
  'member-code': new Set([ErrorCode.CODE_INVALID, ErrorCode.CODE_EXPIRED]),
  'voucher-code': new Set([ErrorCode.VOUCHER_INVALID]),
};

const LABEL: Record<GuessKind, string> = { 'member-code': '会员码', 'voucher-code': '券码' };

/** A flood limit: at most `limit` per `windowSeconds` (0 disables). */
export interface FloodLimit {
  bucket: string;
  limit: number;
  windowSeconds: number;
}

export function rateLimited(retryAfterSeconds: number, message: string): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
}

export class RateLimitService {
  readonly store: CounterStore;

  constructor(
    private readonly config: LimitsConfig,
    private readonly db: Db,
    private readonly notifications: NotificationService,
    private readonly log: Logger,
    store?: CounterStore,
  ) {
    this.store = store ?? (config.redisUrl ? new RedisCounterStore(config.redisUrl, config.keyPrefix, log) : new MemoryCounterStore());
  }

  get loginPerIp(): FloodLimit {
    return { bucket: 'login-ip', limit: this.config.loginPerIpPerMinute, windowSeconds: 60 };
  }
  get loginPerOpenid(): FloodLimit {
    return { bucket: 'login-openid', limit: this.config.loginPerOpenidPerMinute, windowSeconds: 60 };
  }
  get otpPerMember(): FloodLimit {
    return { bucket: 'otp-member', limit: this.config.otpPerMemberPerHour, windowSeconds: 3600 };
  }
  get otpPerIp(): FloodLimit {
    return { bucket: 'otp-ip', limit: this.config.otpPerIpPerHour, windowSeconds: 3600 };
  }

  /**
   * Counts one request against a flood limit; RATE_LIMITED (retry when the window ends) once over. An empty `id`
   * (no IP known, e.g. a call from inside the process) is not limited.
   */
  async hit(l: FloodLimit, id: string | number, nowMs = clock.ms()): Promise<void> {
    if (l.limit <= 0 || id === '') return;
    const windowMs = l.windowSeconds * 1000;
    const idx = Math.floor(nowMs / windowMs);
    const n = await this.store.incr(`c:${l.bucket}:${id}:${idx}`, windowMs * 2, nowMs);
    if (n > l.limit) throw rateLimited(((idx + 1) * windowMs - nowMs) / 1000, `Too many requests (${l.bucket}): try again later`);
  }

  /**
   * Runs `verify` (the check of a member or voucher code typed at a till) under the guess limit: refused before it
   * runs while the till cools down; a wrong code (see WRONG) is counted, and the one that reaches the limit starts
   * the cool-down and alerts the store's managers once. The verification's own answer is passed on unchanged.
   */
  async guard<T>(kind: GuessKind, actor: TillActor, verify: () => Promise<T>): Promise<T> {
    if (this.config.codeFailures <= 0) return verify();
    const key = `${kind}:${actor.storeId ?? 0}:${actor.userId}`;
    const nowMs = clock.ms();
    const until = await this.store.blockedUntil(`b:${key}`, nowMs);
    if (until !== null) throw rateLimited((until - nowMs) / 1000, `Too many wrong ${kind}s at this till: wait for the cool-down`);
    try {
      return await verify();
    } catch (e) {
      if (e instanceof AppError && WRONG[kind].has(e.code)) await this.wrongGuess(kind, key, actor, clock.ms());
      throw e;
    }
  }

  private async wrongGuess(kind: GuessKind, key: string, actor: TillActor, nowMs: number): Promise<void> {
    const windowMs = this.config.codeWindowSeconds * 1000;
    const idx = Math.floor(nowMs / windowMs);
    const n = await this.store.incr(`f:${key}:${idx}`, windowMs * 2, nowMs);
    if (n < this.config.codeFailures) return;
    const until = nowMs + this.config.codeCooldownSeconds * 1000;
    if (!(await this.store.block(`b:${key}`, until, nowMs))) return;
    this.log.warn({ kind, storeId: actor.storeId, userId: actor.userId, failures: n, until: new Date(until).toISOString() }, 'till rate-limited: too many wrong codes');
    try {
      await this.alertManagers(kind, actor, n, until, nowMs);
    } catch (e) {
      // The cool-down holds either way; a failed notice must not turn a wrong code into an internal error.
      this.log.error({ err: e instanceof Error ? e.message : String(e), storeId: actor.storeId }, 'rate-limit alert failed');
    }
  }

  /**
   * One inbox notice (kind TILL_RATE_LIMITED, unique per cool-down) to the managers closest to the store: its store
   * managers, else its region's, else HQ's (HQ's for a door without a store). Managers who never signed in to the
   * mini-program have no inbox and are skipped.
   */
  private async alertManagers(kind: GuessKind, actor: TillActor, failures: number, untilMs: number, nowMs: number): Promise<void> {
    const q = this.db.q;
    const store = actor.storeId === null ? null : await q.get<{ name: unknown; region_id: unknown }>('SELECT name, region_id FROM store WHERE id = ?', [actor.storeId]);
    const rows = await q.all<{ member_id: unknown; scope: unknown }>(
      `SELECT DISTINCT m.id AS member_id, r.scope FROM role_assignment r JOIN member m ON m.user_id = r.user_id
       WHERE r.role = 'MANAGER' AND ((r.scope = 'STORE' AND r.store_id = ?) OR (r.scope = 'REGION' AND r.region_id = ?) OR r.scope = 'HQ')`,
      [actor.storeId ?? -1, store ? toInt(store.region_id) : -1],
    );
    const scope = ['STORE', 'REGION', 'HQ'].find((s) => rows.some((r) => r.scope === s));
    const memberIds = [...new Set(rows.filter((r) => r.scope === scope).map((r) => toInt(r.member_id)))];
    if (memberIds.length === 0) return;
    const staff = await q.get<{ nickname: unknown }>('SELECT nickname FROM app_user WHERE id = ?', [actor.userId]);
    const who = staff?.nickname ? `${String(staff.nickname)}（用户 ${actor.userId}）` : `用户 ${actor.userId}`;
    const where = store ? String(store.name) : '活动签到';
    const minutes = Math.round(this.config.codeCooldownSeconds / 60);
    const cooldown = minutes >= 1 ? `${minutes} 分钟` : `${this.config.codeCooldownSeconds} 秒`;
    await this.db.tx((t) =>
      this.notifications.notify(
        t,
        memberIds,
        {
          kind: 'TILL_RATE_LIMITED',
          ref: `${kind}:${actor.storeId ?? 0}:${actor.userId}:${untilMs}`.slice(0, 64),
          title: `${where}：${LABEL[kind]}输错过多`,
          body: `${where} 的 ${who} 在 ${this.config.codeWindowSeconds} 秒内输错${LABEL[kind]} ${failures} 次，该收银台已暂停${LABEL[kind]}核验 ${cooldown}。如非本人操作，请核实。`,
          page: null,
        },
        new Date(nowMs),
      ),
    );
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
