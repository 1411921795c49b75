/**
 * Who is served at a till (F2): the scanned member code or the till ticket `memberByCode` gave, the code step that
 * an operation consumes once, and the replay-after-a-lost-race handling every till write shares (purchases, point
 * deductions, reward redemptions at the till).
 */
import { ErrorCode, parseMemberCode } from '@quanzi/shared';
import type { TillTicket, TokenService } from '../../auth/jwt';
import { isUniqueViolation, type Q, type RunResult, type Stmt } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import type { CodeMember, MemberService } from '../members/member.service';
import type { RateLimitService, TillActor } from '../../limits/rate-limit.service';

/** Who is served: the scanned member code, or the till ticket `memberByCode` gave (valid 10 minutes at that till). */
export interface TillIdentity { memberCode?: string | null; tillTicket?: string | null }

/** The member a till request names (read from the code or ticket, not yet verified), and the till asking. */
export type Identified = { memberNo: string; code: string; ticket: TillTicket | null; till: TillActor };

/** A verified member code: the member and the TOTP step the operation will consume. */
export type VerifiedCode = Awaited<ReturnType<MemberService['verifyCode']>>;

export class CodeStepTaken extends Error {}

export class TillIdentifier {
  constructor(
    private readonly members: MemberService,
    private readonly tokens: TokenService,
    private readonly limits: RateLimitService,
  ) {}

  /** Reads who is served from the member code or the till ticket (which must be this till's: same store and staff). */
  async identify(input: TillIdentity, storeId: number, staffId: number): Promise<Identified> {
    const hasCode = typeof input.memberCode === 'string' && input.memberCode.length > 0;
    const hasTicket = typeof input.tillTicket === 'string' && input.tillTicket.length > 0;
    if (hasCode === hasTicket) throw badInput('Give either memberCode or tillTicket', 'memberCode');
    const till: TillActor = { userId: staffId, storeId };
    // A typed or scanned code can be guessed (rate-limited per till); a till ticket is signed by us.
    if (hasCode) {
      const code = input.memberCode as string;
      return { memberNo: await this.limits.guard('member-code', till, async () => memberNoOf(code)), code, ticket: null, till };
    }
    const ticket = await this.tokens.verifyTillTicket(input.tillTicket as string);
    if (ticket.storeId !== storeId || ticket.staffId !== staffId) throw new AppError(ErrorCode.CODE_INVALID, 'This member lookup belongs to another till: scan the code again');
    return { memberNo: ticket.memberNo, code: '', ticket, till };
  }

  /** The member a request names, before the code is verified (to find an earlier result of its idempotency key). */
  async member(who: Identified): Promise<CodeMember> {
    const ticket = who.ticket;
    if (ticket) {
      const m = await this.members.byId(ticket.memberId);
      if (!m) throw new AppError(ErrorCode.CODE_INVALID, 'Unknown member code');
      return m;
    }
    return this.limits.guard('member-code', who.till, async () => {
      const m = await this.members.byMemberNo(who.memberNo);
      if (!m) throw new AppError(ErrorCode.CODE_INVALID, 'Unknown member code');
      return m;
    });
  }

  /** Verifies the code (or the ticket's step) is current and unused; CODE_INVALID/CODE_EXPIRED/CODE_REUSED otherwise. */
  async verify(who: Identified, now: Date): Promise<VerifiedCode> {
    if (!who.ticket) return this.limits.guard('member-code', who.till, () => this.check(who, now));
    return this.check(who, now);
  }

  /**
   * Verifies the member code; when it is not valid now (used, expired, rotated) the request may be a retry whose
   * first attempt has committed, so look the idempotency key up before answering. A retry answered so is not a wrong
   * code: the look-up runs inside the till's wrong-code guard, which counts only what still fails.
   */
  async verifyOrReplay<R>(who: Identified, now: Date, replay: () => Promise<R | null>): Promise<VerifiedCode | { replay: R }> {
    const attempt = async (): Promise<VerifiedCode | { replay: R }> => {
      try {
        return await this.check(who, now);
      } catch (e) {
        if (e instanceof AppError && REPLAYABLE.has(e.code)) {
          const prior = await replay();
          if (prior) return { replay: prior };
        }
        throw e;
      }
    };
    return who.ticket ? attempt() : this.limits.guard('member-code', who.till, attempt);
  }

  private async check(who: Identified, now: Date): Promise<VerifiedCode> {
    if (!who.ticket) return this.members.verifyCode(who.code, now.getTime());
    const member = await this.members.byId(who.ticket.memberId);
    if (!member) throw new AppError(ErrorCode.CODE_INVALID, 'Unknown member');
    if (member.codeLastStep !== null && who.ticket.step <= member.codeLastStep) throw new AppError(ErrorCode.CODE_REUSED, 'This member code was already used');
    return { member, step: who.ticket.step };
  }
}

/** Code failures a retry of a request that has already succeeded runs into (its code was consumed, or has rotated). */
const REPLAYABLE: ReadonlySet<string> = new Set([ErrorCode.CODE_REUSED, ErrorCode.CODE_EXPIRED, ErrorCode.CODE_INVALID]);

/** Consumes a TOTP step for the member (and locks the member row); a step at or below the last consumed one is a replay. */
export async function consumeCodeStep(q: Q, memberId: number, step: number): Promise<void> {
  const s = codeStep(memberId, step);
  s.check(await q.batch(s.statements));
}

/**
 * `consumeCodeStep` as statements to send ahead of others in one batch (an accrual's `lead`), and the check of their
 * results (CodeStepTaken rolls back whatever ran after it).
 */
export function codeStep(memberId: number, step: number): { statements: Stmt[]; check(results: readonly unknown[]): void } {
  return {
    statements: [{ sql: 'UPDATE member SET code_last_step = ? WHERE id = ? AND (code_last_step IS NULL OR code_last_step < ?)', params: [step, memberId, step] }],
    check(results) {
      if ((results[0] as RunResult | undefined)?.affectedRows !== 1) throw new CodeStepTaken();
    },
  };
}

/**
 * A transaction lost a race (a duplicate idempotency key, or the code step taken meanwhile): someone, most likely
 * this same request retried, got there first, so return that first result if it is ours; otherwise the right error.
 */
export async function replayOrThrow<R>(e: unknown, replay: () => Promise<R | null>): Promise<R> {
  if (isUniqueViolation(e) || e instanceof CodeStepTaken) {
    const again = await replay();
    if (again) return again;
    if (e instanceof CodeStepTaken) throw new AppError(ErrorCode.CODE_REUSED, 'This member code was already used');
  }
  throw e;
}

function memberNoOf(code: string): string {
  const parsed = parseMemberCode(code ?? '');
  if (!parsed) throw new AppError(ErrorCode.CODE_INVALID, 'Not a Quanzi member code');
  return parsed.memberNo;
}
