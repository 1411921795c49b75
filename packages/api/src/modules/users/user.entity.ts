import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Region, Store } from '../org/org.entity';

export enum RegistrationSource {
  MINIPROGRAM = 'MINIPROGRAM',
  IN_STORE = 'IN_STORE',
  REFERRAL = 'REFERRAL',
  DEMO = 'DEMO',
}

/** Someone who signed in with WeChat. Every user is also a member (see Member). */
@Entity({ tableName: 'app_user' })
export class AppUser {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Unique()
  @Property({ type: 'string', length: 64 })
  openid!: string;

  @Index()
  @Property({ type: 'string', length: 64, nullable: true })
  unionid?: string | null;

  /** Indexed: managers find members by their full phone number (console). */
  @Index({ name: 'app_user_phone_idx' })
  @Property({ type: 'string', length: 20, nullable: true })
  phone?: string | null;

  @Property({ type: 'string', length: 8, nullable: true })
  phoneCountryCode?: string | null;

  @Enum({ items: () => RegistrationSource, nativeEnumName: undefined, type: 'string', length: 16 })
  registrationSource: RegistrationSource = RegistrationSource.MINIPROGRAM;

  @Property({ type: 'string', length: 64, nullable: true })
  nickname?: string | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

export enum Role {
  STAFF = 'STAFF',
  ORGANIZER = 'ORGANIZER',
  MANAGER = 'MANAGER',
}
export enum RoleScope {
  STORE = 'STORE',
  REGION = 'REGION',
  HQ = 'HQ',
}

/** A role a user holds within a scope (F12): staff of a store, manager of a store/region/HQ, organizer. */
@Entity({ tableName: 'role_assignment' })
@Unique({ properties: ['user', 'role', 'scopeKey'] })
export class RoleAssignment {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => AppUser, { deleteRule: 'cascade' })
  user!: AppUser;

  @Enum({ items: () => Role, type: 'string', length: 16 })
  role!: Role;

  @Enum({ items: () => RoleScope, type: 'string', length: 8 })
  scope!: RoleScope;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'cascade' })
  store?: Store | null;

  @ManyToOne(() => Region, { nullable: true, deleteRule: 'cascade' })
  region?: Region | null;

  /** `HQ`, `R:<regionId>` or `S:<storeId>`: makes (user, role, scope) unique without NULLs in the index. */
  @Property({ type: 'string', length: 24 })
  scopeKey!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
