import { Migration } from '@mikro-orm/migrations';

export class Migration20261206174528 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` add \`birthday_bonus_points\` int not null default 0, add \`profile_bonus_points\` int not null default 0;`);

    this.addSql(`alter table \`member_profile\` add \`birthday_bonus_month\` varchar(7) null, add \`profile_bonus_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`member_profile\` drop column \`birthday_bonus_month\`, drop column \`profile_bonus_at\`;`);

    this.addSql(`alter table \`loyalty_program\` drop column \`birthday_bonus_points\`, drop column \`profile_bonus_points\`;`);
  }

}
