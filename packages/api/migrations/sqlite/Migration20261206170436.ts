import { Migration } from '@mikro-orm/migrations';

export class Migration20261206170436 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` add column \`signup_bonus_points\` integer not null default 0;`);
  }

}
