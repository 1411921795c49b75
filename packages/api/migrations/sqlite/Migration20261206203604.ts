import { Migration } from '@mikro-orm/migrations';

export class Migration20261206203604 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reward_redemption\` add column \`reserved_order_id\` integer null;`);

    this.addSql(`alter table \`pay_order\` add column \`coupon_redemption_id\` integer null;`);
    this.addSql(`alter table \`pay_order\` add column \`discount_fen\` integer not null default 0;`);
  }

}
