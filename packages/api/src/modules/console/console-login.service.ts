import { createHash, randomBytes } from 'node:crypto';
import { CONSOLE_TICKET, consoleLoginQr, ErrorCode } from '@quanzi/shared';
import { clock } from '../../clock';
import type { Config } from '../../config';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import type { TokenService } from '../../auth/jwt';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, forbidden } from '../../errors';
import type { Logger } from '../../logger';
import type { UserService } from '../users/user.service';

const hash = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

export interface ConsoleLoginTicket { ticket: string; qrPayload: string; expiresAt: Date }
export type ConsoleLoginPoll = { status: 'PENDING'; expiresAt: Date } | { status: 'CONFIRMED'; expiresAt: Date; token: string; userId: number; sessionExpiresAt: Date };

/**
 * Password-less sign-in to the manager console (issue #13) in the shape of WeChat's website QR login: `create` (the
 * console, signed out) → QR → `confirm` (a manager signed in to the mini-program) → `poll` (the console) returns a
 * console session token exactly once. Tickets are 256-bit random, stored hashed, single use, short-lived.
 */
export class ConsoleLoginService {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokenService,
    private readonly users: UserService,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** A new ticket and what the QR code encodes: a URL WeChat's scanner can hand to the mini-program (扫普通链接二维码打开小程序). */
  async create(now = clock.now()): Promise<ConsoleLoginTicket> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.console.loginTtlSeconds * 1000);
    const q = this.db.q;
    await q.run("INSERT INTO console_login (ticket_hash, status, created_at, expires_at) VALUES (?, 'PENDING', ?, ?)", [hash(ticket), q.ts(now), q.ts(expiresAt)]);
    return { ticket, qrPayload: consoleLoginQr(this.config.publicBaseUrl, ticket), expiresAt };
  }

  private async find(ticket: string): Promise<{ id: number; status: string; userId: number | null; expiresAt: Date }> {
    if (typeof ticket !== 'string' || !CONSOLE_TICKET.test(ticket)) throw badInput('ticket: 43 base64url characters', 'ticket');
    const r = await this.db.q.get<Record<string, unknown>>('SELECT id, status, user_id, expires_at FROM console_login WHERE ticket_hash = ?', [hash(ticket)]);
    if (!r) throw new AppError(ErrorCode.LOGIN_TICKET_INVALID, 'Unknown sign-in ticket');
    return { id: toInt(r.id), status: String(r.status), userId: r.user_id == null ? null : toInt(r.user_id), expiresAt: toDate(r.expires_at) };
  }

  /** The signed-in manager approves the console sign-in. Only users holding a manager grant may; once per ticket. */
  async confirm(ctx: RequestContext, ticket: string, now = clock.now()): Promise<{ expiresAt: Date }> {
    const userId = await authorize(ctx, 'console.use');
    const t = await this.find(ticket);
    const q = this.db.q;
    const r = await q.run("UPDATE console_login SET status = 'CONFIRMED', user_id = ?, confirmed_at = ? WHERE id = ? AND status = 'PENDING' AND expires_at > ?", [
      userId, q.ts(now), t.id, q.ts(now),
    ]);
    if (r.affectedRows !== 1) {
      if (t.status !== 'PENDING') throw new AppError(ErrorCode.LOGIN_TICKET_USED, 'This sign-in QR code was already used');
      throw new AppError(ErrorCode.LOGIN_TICKET_EXPIRED, 'This sign-in QR code expired');
    }
    this.log.info({ userId, loginId: t.id }, 'console sign-in confirmed');
    return { expiresAt: t.expiresAt };
  }

  /** The console polls: PENDING until confirmed, then the session token, once (a second poll is LOGIN_TICKET_USED). */
  async poll(ticket: string, now = clock.now()): Promise<ConsoleLoginPoll> {
    const t = await this.find(ticket);
    if (t.status === 'CONSUMED') throw new AppError(ErrorCode.LOGIN_TICKET_USED, 'This sign-in QR code was already used');
    if (t.expiresAt.getTime() <= now.getTime()) throw new AppError(ErrorCode.LOGIN_TICKET_EXPIRED, 'This sign-in QR code expired');
    if (t.status === 'PENDING') return { status: 'PENDING', expiresAt: t.expiresAt };
    const q = this.db.q;
    const r = await q.run("UPDATE console_login SET status = 'CONSUMED', consumed_at = ? WHERE id = ? AND status = 'CONFIRMED' AND expires_at > ?", [q.ts(now), t.id, q.ts(now)]);
    if (r.affectedRows !== 1 || t.userId === null) throw new AppError(ErrorCode.LOGIN_TICKET_USED, 'This sign-in QR code was already used');
    // The grant may have been revoked between the scan and this poll.
    if (!(await this.users.rolesOf(t.userId)).some((g) => g.role === 'MANAGER')) throw forbidden('Only managers may use the console');
    const ttl = this.config.console.sessionMinutes * 60;
    const token = await this.tokens.sign(t.userId, ttl);
    this.log.info({ userId: t.userId, loginId: t.id }, 'console session issued');
    return { status: 'CONFIRMED', expiresAt: t.expiresAt, token, userId: t.userId, sessionExpiresAt: new Date(now.getTime() + ttl * 1000) };
  }
}
