import { Migration } from '@mikro-orm/migrations';

export class Migration20261206203602 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reward_redemption\` add \`reserved_order_id\` int null;`);

    this.addSql(`alter table \`pay_order\` add \`coupon_redemption_id\` int null, add \`discount_fen\` int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`reward_redemption\` drop column \`reserved_order_id\`;`);

    this.addSql(`alter table \`pay_order\` drop column \`coupon_redemption_id\`, drop column \`discount_fen\`;`);
  }

}
