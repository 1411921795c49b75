import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { LifecycleThresholds } from '@quanzi/shared';

/**
 * Programme-wide analytics settings (one row, id 1; HQ managers edit them): the active-member window, the cost of
 * outstanding points, and the lifecycle classifier's thresholds. Without a row the configuration's defaults apply.
 */
@Entity({ tableName: 'analytics_settings' })
export class AnalyticsSettings {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'integer' })
  activeDays!: number;

  @Property({ type: 'integer' })
  pointValueFenPer100!: number;

  /** The LifecycleThresholds object (see @quanzi/shared lifecycle.ts). */
  @Property({ type: 'json' })
  lifecycle!: LifecycleThresholds;

  @Property({ type: 'datetime', length: 3 })
  updatedAt!: Date;
}
