import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165601 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reward\` add \`coupon_kind\` varchar(12) null, add \`gift_name\` varchar(64) null, add \`region_ids\` json null, add \`owner_region_id\` int unsigned null, add \`owner_store_id\` int unsigned null, add \`valid_from\` datetime(3) null, add \`valid_until\` datetime(3) null, add \`limit_per_member\` int null, add \`budget\` int null, add \`welcome\` tinyint(1) not null default false;`);
    this.addSql(`alter table \`reward\` add constraint \`reward_owner_region_id_foreign\` foreign key (\`owner_region_id\`) references \`region\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward\` add constraint \`reward_owner_store_id_foreign\` foreign key (\`owner_store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward\` add index \`reward_owner_region_id_index\`(\`owner_region_id\`);`);
    this.addSql(`alter table \`reward\` add index \`reward_owner_store_id_index\`(\`owner_store_id\`);`);

    this.addSql(`alter table \`reward_redemption\` add \`voucher_valid_from\` datetime(3) null, add \`issue_source\` varchar(12) null, add \`discount_fen\` int null, add \`used_purchase_id\` int null;`);

    this.addSql(`alter table \`purchase\` add \`discount_fen\` int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`reward\` drop foreign key \`reward_owner_region_id_foreign\`;`);
    this.addSql(`alter table \`reward\` drop foreign key \`reward_owner_store_id_foreign\`;`);

    this.addSql(`alter table \`reward_redemption\` drop column \`voucher_valid_from\`, drop column \`issue_source\`, drop column \`discount_fen\`, drop column \`used_purchase_id\`;`);

    this.addSql(`alter table \`purchase\` drop column \`discount_fen\`;`);

    this.addSql(`alter table \`reward\` drop index \`reward_owner_region_id_index\`;`);
    this.addSql(`alter table \`reward\` drop index \`reward_owner_store_id_index\`;`);
    this.addSql(`alter table \`reward\` drop column \`coupon_kind\`, drop column \`gift_name\`, drop column \`region_ids\`, drop column \`owner_region_id\`, drop column \`owner_store_id\`, drop column \`valid_from\`, drop column \`valid_until\`, drop column \`limit_per_member\`, drop column \`budget\`, drop column \`welcome\`;`);
  }

}
