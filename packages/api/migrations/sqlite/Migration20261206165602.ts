import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165602 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reward\` add column \`coupon_kind\` text null;`);
    this.addSql(`alter table \`reward\` add column \`gift_name\` text null;`);
    this.addSql(`alter table \`reward\` add column \`region_ids\` json null;`);
    this.addSql(`alter table \`reward\` add column \`owner_region_id\` integer null constraint \`reward_owner_region_id_foreign\` references \`region\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward\` add column \`owner_store_id\` integer null constraint \`reward_owner_store_id_foreign\` references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward\` add column \`valid_from\` datetime null;`);
    this.addSql(`alter table \`reward\` add column \`valid_until\` datetime null;`);
    this.addSql(`alter table \`reward\` add column \`limit_per_member\` integer null;`);
    this.addSql(`alter table \`reward\` add column \`budget\` integer null;`);
    this.addSql(`alter table \`reward\` add column \`welcome\` integer not null default false;`);
    this.addSql(`create index \`reward_owner_region_id_index\` on \`reward\` (\`owner_region_id\`);`);
    this.addSql(`create index \`reward_owner_store_id_index\` on \`reward\` (\`owner_store_id\`);`);

    this.addSql(`alter table \`reward_redemption\` add column \`voucher_valid_from\` datetime null;`);
    this.addSql(`alter table \`reward_redemption\` add column \`issue_source\` text null;`);
    this.addSql(`alter table \`reward_redemption\` add column \`discount_fen\` integer null;`);
    this.addSql(`alter table \`reward_redemption\` add column \`used_purchase_id\` integer null;`);

    this.addSql(`alter table \`purchase\` add column \`discount_fen\` integer not null default 0;`);
  }

}
