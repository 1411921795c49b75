/**
 * Analytics settings (issue #15): the active-member window, the value of a point for the liability KPI and the
 * lifecycle thresholds — programme settings an HQ manager tunes without a redeploy (audited). Read through a short
 * cache; without a stored row, ANALYTICS_ACTIVE_DAYS, POINT_VALUE_FEN_PER_100 and DEFAULT_LIFECYCLE_THRESHOLDS apply.
 */
import { clock } from '../../clock';
import { DEFAULT_LIFECYCLE_THRESHOLDS, validateLifecycleThresholds, type LifecycleThresholds } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { TtlCache } from '../../cache';
import { isUniqueViolation, toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';
import { writeAudit } from '../audit/audit';

export interface AnalyticsSettingsRow {
  activeDays: number;
  pointValueFenPer100: number;
  lifecycle: LifecycleThresholds;
}

export type AnalyticsSettingsChange = Partial<Omit<AnalyticsSettingsRow, 'lifecycle'>> & { lifecycle?: Partial<LifecycleThresholds> };

export class AnalyticsSettingsService {
  private readonly cache: TtlCache<AnalyticsSettingsRow>;

  constructor(private readonly db: Db, private readonly defaults: { activeDays: number; pointValueFenPer100: number }) {
    this.cache = new TtlCache(() => this.load(), 5_000, 'analytics-settings');
  }

  private async load(): Promise<AnalyticsSettingsRow> {
    const r = await this.db.q.get<Record<string, unknown>>('SELECT active_days, point_value_fen_per100, lifecycle FROM analytics_settings WHERE id = 1');
    if (!r) return { ...this.defaults, lifecycle: DEFAULT_LIFECYCLE_THRESHOLDS };
    const stored = (typeof r.lifecycle === 'string' ? JSON.parse(r.lifecycle) : r.lifecycle) as Partial<LifecycleThresholds>;
    return { activeDays: toInt(r.active_days), pointValueFenPer100: toInt(r.point_value_fen_per100), lifecycle: { ...DEFAULT_LIFECYCLE_THRESHOLDS, ...stored } };
  }

  /** The settings in force. */
  get(): Promise<AnalyticsSettingsRow> {
    return this.cache.get();
  }

  /** Managers (any scope): the settings in force. */
  async read(ctx: RequestContext): Promise<AnalyticsSettingsRow> {
    await authorize(ctx, 'console.use');
    return this.get();
  }

  /** HQ managers: change some settings (the rest kept); incoherent values are BAD_USER_INPUT and change nothing. */
  async update(ctx: RequestContext, change: AnalyticsSettingsChange, now = clock.now()): Promise<AnalyticsSettingsRow> {
    const actor = await authorize(ctx, 'program.manage');
    const cur = await this.load();
    const defined = <T extends object>(o: T | undefined): Partial<T> => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
    const next: AnalyticsSettingsRow = {
      activeDays: change.activeDays ?? cur.activeDays,
      pointValueFenPer100: change.pointValueFenPer100 ?? cur.pointValueFenPer100,
      lifecycle: { ...cur.lifecycle, ...defined(change.lifecycle) },
    };
    if (!Number.isInteger(next.activeDays) || next.activeDays < 7 || next.activeDays > 365) throw badInput('activeDays must be 7–365', 'activeDays');
    if (!Number.isInteger(next.pointValueFenPer100) || next.pointValueFenPer100 < 0 || next.pointValueFenPer100 > 100_000) throw badInput('pointValueFenPer100 must be 0–100000', 'pointValueFenPer100');
    try {
      validateLifecycleThresholds(next.lifecycle);
    } catch (e) {
      throw badInput((e as Error).message, 'lifecycle');
    }
    const write = () =>
      this.db.tx(async (q) => {
        const params = [next.activeDays, next.pointValueFenPer100, JSON.stringify(next.lifecycle), q.ts(now)];
        const r = await q.run('UPDATE analytics_settings SET active_days = ?, point_value_fen_per100 = ?, lifecycle = ?, updated_at = ? WHERE id = 1', params);
        if (r.affectedRows === 0) await q.run('INSERT INTO analytics_settings (id, active_days, point_value_fen_per100, lifecycle, updated_at) VALUES (1, ?, ?, ?, ?)', params);
        await writeAudit(q, actor, { action: 'updateAnalyticsSettings', targetType: 'program', targetId: 'analytics', before: cur, after: next }, now);
      });
    try {
      await write();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await write(); // another manager's first save created the row meanwhile: now it is an update
    }
    this.cache.invalidate();
    return next;
  }
}
