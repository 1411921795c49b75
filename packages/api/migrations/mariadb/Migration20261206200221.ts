import { Migration } from '@mikro-orm/migrations';

export class Migration20261206200221 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` add \`birthday_coupon_template_id\` int null, add \`tier_upgrade_coupons\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`loyalty_program\` drop column \`birthday_coupon_template_id\`, drop column \`tier_upgrade_coupons\`;`);
  }

}
