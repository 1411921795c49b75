import { clock } from '../../clock';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A sales region (e.g. 北京, 西安): stores belong to one; earning rules and managers can be scoped to it. */
@Entity({ tableName: 'region' })
export class Region {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Unique()
  @Property({ type: 'string', length: 32 })
  code!: string;

  @Property({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/** A physical store (a till belongs to one). */
@Entity({ tableName: 'store' })
export class Store {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Region, { deleteRule: 'restrict' })
  region!: Region;

  @Unique()
  @Property({ type: 'string', length: 32 })
  code!: string;

  @Property({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'double', nullable: true })
  lat?: number | null;

  @Property({ type: 'double', nullable: true })
  lng?: number | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
