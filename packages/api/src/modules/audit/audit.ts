/**
 * The audit helper (issue #13): services call `writeAudit(q, …)` with the transaction's runner right after the change
 * they audit, so the entry commits or rolls back with it. Reusable by every manager mutation.
 */
import { clock } from '../../clock';
import type { Q } from '../../db/sql';

/** What an audit entry is about (the console names each one: packages/console/src/sections/audit-labels.ts). */
export const AUDIT_TARGETS = [
  'region',
  'store',
  'role',
  'tier',
  'earning_rule',
  'program',
  'reward',
  'reward_partner',
  'redemption',
  'rating',
  'points_adjustment',
  'campaign',
  'club',
  'pay_refund',
  'pay_anomaly',
  'outbox',
] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];

export interface AuditEntry {
  /** The mutation's name, e.g. `createStore`. */
  action: string;
  targetType: AuditTarget;
  targetId?: string | number | null;
  /** Where in the organisation the change happened (both null: HQ). A store entry carries its region too. */
  regionId?: number | null;
  storeId?: number | null;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** Appends an audit entry inside the caller's transaction. */
export async function writeAudit(q: Q, actorUserId: number, e: AuditEntry, now: Date = clock.now()): Promise<void> {
  await q.run(
    'INSERT INTO audit_log (actor_user_id, action, target_type, target_id, region_id, store_id, before_json, after_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [actorUserId, e.action, e.targetType, e.targetId == null ? null : String(e.targetId), e.regionId ?? null, e.storeId ?? null, json(e.before), json(e.after), q.ts(now)],
  );
}
