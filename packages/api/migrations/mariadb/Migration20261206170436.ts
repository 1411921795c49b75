import { Migration } from '@mikro-orm/migrations';

export class Migration20261206170436 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` add \`signup_bonus_points\` int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` drop column \`signup_bonus_points\`;`);
  }

}
