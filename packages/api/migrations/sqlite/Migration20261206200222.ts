import { Migration } from '@mikro-orm/migrations';

export class Migration20261206200222 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` add column \`birthday_coupon_template_id\` integer null;`);
    this.addSql(`alter table \`loyalty_program\` add column \`tier_upgrade_coupons\` text null;`);
  }

}
