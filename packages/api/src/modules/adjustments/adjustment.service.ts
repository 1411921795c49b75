/**
 * Manual points adjustments with four eyes (issue #13). A manager whose scope covers the store the adjustment is booked
 * at (HQ: booked at none) requests it; at or below the approval threshold it is applied at once, above it waits
 * PENDING — and is not in the ledger — until a different manager covering the same store approves it.
 *
 * Applying is one transaction: the conditional `UPDATE … SET status = 'APPLIED' WHERE id = ? AND status = 'PENDING'`
 * (a second or concurrent approval matches no row and changes nothing), the ledger entry through `credit`/`debit`
 * keyed (adjustment, id), and the audit row. A debit the spendable balance does not cover rolls all of it back:
 * INSUFFICIENT_POINTS, and the adjustment stays PENDING.
 */
import { createHash } from 'node:crypto';
import { adjustmentErrors, ErrorCode, ledgerReason } from '@quanzi/shared';
import { clock } from '../../clock';
import type { Config } from '../../config';
import type { RequestContext } from '../../context';
import { authorize, type Target } from '../../auth/authz';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { EarningService } from '../earning/earning.service';
import type { OrgService } from '../org/org.service';
import { credit, debit } from '../ledger/ledger.service';
import { writeAudit } from '../audit/audit';
import { auditScopeSql } from '../audit/audit.service';
import type { ConsoleMemberService } from '../console/console-members.service';

export type AdjustmentStatusName = 'PENDING' | 'APPLIED' | 'REJECTED';

export interface AdjustmentRow {
  id: number;
  memberId: number;
  memberNo: string;
  delta: number;
  reason: string;
  status: AdjustmentStatusName;
  storeId: number | null;
  regionId: number | null;
  requestedById: number;
  requestedByName: string | null;
  decidedById: number | null;
  decidedByName: string | null;
  decisionNote: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface AdjustmentRequest {
  memberId: number;
  delta: number;
  reason: string;
  storeId?: number | null;
  idempotencyKey: string;
}

const KEY_RE = /^[A-Za-z0-9_:.-]{8,96}$/;
const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');
const decided = (status: string): AppError => new AppError(ErrorCode.ADJUSTMENT_DECIDED, `This adjustment is already ${status}`, { status });

/** Who did it, as the console shows them: their member number, else their nickname. */
const SELECT = `SELECT a.id, a.member_id, m.member_no, a.delta, a.reason, a.status, a.store_id, a.region_id, a.requested_by_id, a.decided_by_id,
    a.decision_note, a.created_at, a.decided_at, a.idempotency_key, a.request_hash,
    COALESCE(rm.member_no, ru.nickname) AS requested_by_name, COALESCE(dm.member_no, du.nickname) AS decided_by_name
  FROM points_adjustment a JOIN member m ON m.id = a.member_id
  JOIN app_user ru ON ru.id = a.requested_by_id LEFT JOIN member rm ON rm.user_id = a.requested_by_id
  LEFT JOIN app_user du ON du.id = a.decided_by_id LEFT JOIN member dm ON dm.user_id = a.decided_by_id`;

function toRow(r: Record<string, unknown>): AdjustmentRow {
  const n = (v: unknown) => (v == null ? null : toInt(v));
  const s = (v: unknown) => (v == null ? null : String(v));
  return {
    id: toInt(r.id),
    memberId: toInt(r.member_id),
    memberNo: String(r.member_no),
    delta: toInt(r.delta),
    reason: String(r.reason),
    status: String(r.status) as AdjustmentStatusName,
    storeId: n(r.store_id),
    regionId: n(r.region_id),
    requestedById: toInt(r.requested_by_id),
    requestedByName: s(r.requested_by_name),
    decidedById: n(r.decided_by_id),
    decidedByName: s(r.decided_by_name),
    decisionNote: s(r.decision_note),
    createdAt: toDate(r.created_at),
    decidedAt: r.decided_at == null ? null : toDate(r.decided_at),
  };
}

const targetOf = (a: { storeId: number | null; regionId: number | null }): Target =>
  a.storeId === null ? { kind: 'HQ' } : { kind: 'STORE', storeId: a.storeId, regionId: a.regionId as number };

const auditView = (a: AdjustmentRow) => ({ memberNo: a.memberNo, delta: a.delta, reason: a.reason, status: a.status, decisionNote: a.decisionNote });

export class AdjustmentService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly org: OrgService,
    private readonly earning: EarningService,
    private readonly members: ConsoleMemberService,
  ) {}

  /** |delta| above this waits for a second manager. */
  get approvalPoints(): number {
    return this.config.adjustments.approvalPoints;
  }

  async byId(id: number): Promise<AdjustmentRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(`${SELECT} WHERE a.id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  /**
   * Requests an adjustment: validated, authorized at its store (HQ when none), the member in the manager's scope;
   * applied at once up to the threshold, else stored PENDING. Idempotent per (requester, key).
   */
  async request(ctx: RequestContext, input: AdjustmentRequest, now = clock.now()): Promise<{ adjustment: AdjustmentRow; replayed: boolean }> {
    const errors = adjustmentErrors(input);
    const field = (Object.keys(errors) as (keyof typeof errors)[])[0];
    if (field) throw badInput(`${field}: ${errors[field]}`, field);
    if (!KEY_RE.test(input.idempotencyKey ?? '')) throw badInput('idempotencyKey must be 8–96 of [A-Za-z0-9_:.-]', 'idempotencyKey');
    const reason = input.reason.trim();
    const store = input.storeId == null ? null : await this.org.store(input.storeId);
    const target: Target = store ? { kind: 'STORE', storeId: store.id, regionId: store.regionId } : { kind: 'HQ' };
    const actor = await authorize(ctx, 'points.adjust', target);
    await this.members.requireVisible(ctx, input.memberId);
    const hash = sha256({ memberId: input.memberId, delta: input.delta, reason, storeId: store?.id ?? null });
    const prior = await this.replay(actor, input.idempotencyKey, hash);
    if (prior) return { adjustment: prior, replayed: true };
    const immediate = Math.abs(input.delta) <= this.approvalPoints;
    const validity = immediate ? (await this.earning.settings()).pointsValidityMonths : 0;
    let id: number;
    try {
      id = await this.db.tx(async (q) => {
        const ins = await q.run(
          "INSERT INTO points_adjustment (member_id, delta, reason, status, store_id, region_id, requested_by_id, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)",
          [input.memberId, input.delta, reason, store?.id ?? null, store?.regionId ?? null, actor, input.idempotencyKey, hash, q.ts(now)],
        );
        const row = (await this.readRow(q, ins.insertId)) as AdjustmentRow;
        if (immediate) await this.apply(q, row, actor, null, validity, now);
        await writeAudit(q, actor, {
          action: 'requestPointsAdjustment', targetType: 'points_adjustment', targetId: row.id, regionId: row.regionId, storeId: row.storeId,
          after: { ...auditView(row), status: immediate ? 'APPLIED' : 'PENDING' },
        }, now);
        return row.id;
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const again = await this.replay(actor, input.idempotencyKey, hash);
        if (again) return { adjustment: again, replayed: true };
      }
      throw e;
    }
    return { adjustment: (await this.byId(id)) as AdjustmentRow, replayed: false };
  }

  /** A second manager covering the adjustment's store approves it: applied to the ledger exactly once. */
  async approve(ctx: RequestContext, id: number, now = clock.now()): Promise<AdjustmentRow> {
    const { a, actor } = await this.authorized(ctx, id);
    if (a.requestedById === actor) throw new AppError(ErrorCode.FOUR_EYES_REQUIRED, 'A second manager must approve this adjustment');
    if (a.status !== 'PENDING') throw decided(a.status);
    const validity = (await this.earning.settings()).pointsValidityMonths;
    await this.db.tx(async (q) => this.apply(q, a, actor, 'approvePointsAdjustment', validity, now));
    return (await this.byId(id)) as AdjustmentRow;
  }

  /** A manager covering the store rejects a pending adjustment (the requester may withdraw their own). */
  async reject(ctx: RequestContext, id: number, note: string, now = clock.now()): Promise<AdjustmentRow> {
    const text = (note ?? '').trim();
    if (!text || [...text].length > 100) throw badInput('note is required (≤ 100 characters)', 'note');
    const { a, actor } = await this.authorized(ctx, id);
    if (a.status !== 'PENDING') throw decided(a.status);
    await this.db.tx(async (q) => {
      const upd = await q.run("UPDATE points_adjustment SET status = 'REJECTED', decided_by_id = ?, decision_note = ?, decided_at = ? WHERE id = ? AND status = 'PENDING'", [
        actor, text, q.ts(now), id,
      ]);
      if (upd.affectedRows !== 1) throw decided('decided');
      await writeAudit(q, actor, { action: 'rejectPointsAdjustment', targetType: 'points_adjustment', targetId: id, regionId: a.regionId, storeId: a.storeId, before: auditView(a), after: { ...auditView(a), status: 'REJECTED', decisionNote: text } }, now);
    });
    return (await this.byId(id)) as AdjustmentRow;
  }

  /** Adjustments in the viewer's scope (HQ: all; a region: its stores'; a store: its own), newest first. */
  async list(ctx: RequestContext, status: AdjustmentStatusName | null, first: number, after: number | null): Promise<{ items: AdjustmentRow[]; hasNextPage: boolean }> {
    await authorize(ctx, 'member.read');
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    const scope = auditScopeSql(await ctx.roles());
    const where = [scope.sql];
    const params = [...scope.params];
    if (status) (where.push('a.status = ?'), params.push(status));
    if (after !== null) (where.push('a.id < ?'), params.push(after));
    const rows = await this.db.q.all<Record<string, unknown>>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ?`, [...params, first + 1]);
    return { items: rows.slice(0, first).map(toRow), hasNextPage: rows.length > first };
  }

  /** The adjustment, or NOT_FOUND; then FORBIDDEN unless the viewer's scope covers its store (HQ: none). Returns the actor. */
  private async authorized(ctx: RequestContext, id: number): Promise<{ a: AdjustmentRow; actor: number }> {
    const a = await this.byId(id);
    if (!a) throw notFound(`Adjustment ${id}`);
    return { a, actor: await authorize(ctx, 'points.adjust', targetOf(a)) };
  }

  private async readRow(q: Q, id: number): Promise<AdjustmentRow | null> {
    const r = await q.get<Record<string, unknown>>(`${SELECT} WHERE a.id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  /** PENDING → APPLIED and the ledger entry, in the caller's transaction. `action` null: applied with the request. */
  private async apply(q: Q, a: AdjustmentRow, actor: number, action: string | null, validityMonths: number, now: Date): Promise<void> {
    const upd = await q.run("UPDATE points_adjustment SET status = 'APPLIED', decided_by_id = ?, decided_at = ? WHERE id = ? AND status = 'PENDING'", [actor, q.ts(now), a.id]);
    if (upd.affectedRows !== 1) throw decided('decided');
    const entry = {
      memberId: a.memberId, kind: 'ADJUST' as const, reason: ledgerReason.adjustment(a.reason), actorId: actor, storeId: a.storeId,
      sourceType: 'adjustment', sourceRef: String(a.id), requestHash: null, now,
    };
    const entryId = a.delta > 0 ? (await credit(q, entry, a.delta, validityMonths)).entryId : (await debit(q, entry, -a.delta)).entryId;
    await q.run('UPDATE points_adjustment SET entry_id = ? WHERE id = ?', [entryId, a.id]);
    if (action) {
      await writeAudit(q, actor, { action, targetType: 'points_adjustment', targetId: a.id, regionId: a.regionId, storeId: a.storeId, before: auditView(a), after: { ...auditView(a), status: 'APPLIED' } }, now);
    }
  }

  private async replay(actor: number, key: string, hash: string): Promise<AdjustmentRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(`${SELECT} WHERE a.requested_by_id = ? AND a.idempotency_key = ?`, [actor, key]);
    if (!r) return null;
    if (String(r.request_hash) !== hash) throw new AppError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for another adjustment');
    return toRow(r);
  }
}
