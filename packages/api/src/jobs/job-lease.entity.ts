import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A lease on a background job (README, "Production: several API processes"): which process (`holder`) may run the
 * job named `name` until `expires_at` (the API's clock). Taken and renewed with one conditional statement, so with
 * any number of API processes at most one runs a leased job at a time. `generation` counts takeovers: every take
 * changes the row (MariaDB reports unchanged rows as not affected) and a holder can tell whether it lost the lease.
 */
@Entity({ tableName: 'job_lease' })
export class JobLease {
  @PrimaryKey({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'string', length: 96 })
  holder!: string;

  @Property({ type: 'datetime', length: 3 })
  expiresAt!: Date;

  @Property({ type: 'integer' })
  generation: number = 0;
}
