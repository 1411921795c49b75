import { clock } from '../../clock';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A manager console sign-in (issue #13), shaped like WeChat's website QR login: the console creates a ticket and shows
 * it as a QR code, a manager signed in to the mini-program scans and confirms it, and the console's next poll turns
 * it into a session once. Only a SHA-256 of the ticket is stored. PENDING → CONFIRMED → CONSUMED, each step a
 * conditional update; a ticket expires `CONSOLE_LOGIN_TTL_SECONDS` after creation.
 */
@Entity({ tableName: 'console_login' })
export class ConsoleLogin {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Unique()
  @Property({ type: 'string', length: 64 })
  ticketHash!: string;

  /** PENDING, CONFIRMED or CONSUMED. */
  @Property({ type: 'string', length: 12 })
  status!: string;

  /** The manager who confirmed it (no foreign key: the row is short-lived history). */
  @Property({ type: 'integer', nullable: true })
  userId?: number | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Index()
  @Property({ type: 'datetime', length: 3 })
  expiresAt!: Date;

  @Property({ type: 'datetime', length: 3, nullable: true })
  confirmedAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  consumedAt?: Date | null;
}
