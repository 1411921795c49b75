import { Migration } from '@mikro-orm/migrations';

export class Migration20261206174530 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` add column \`birthday_bonus_points\` integer not null default 0;`);
    this.addSql(`alter table \`loyalty_program\` add column \`profile_bonus_points\` integer not null default 0;`);

    this.addSql(`alter table \`member_profile\` add column \`birthday_bonus_month\` text null;`);
    this.addSql(`alter table \`member_profile\` add column \`profile_bonus_at\` datetime null;`);
  }

}
