import { Migration } from '@mikro-orm/migrations';

export class Migration20261206174451 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`campaign\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`scope_region_id\` integer null, \`scope_store_id\` integer null, \`segment\` json not null, \`offer_kind\` text not null default 'COUPON', \`coupon_template_id\` integer null, \`message\` text null, \`sms\` integer not null default false, \`starts_at\` datetime not null, \`response_days\` integer not null default 14, \`holdout_pct\` integer not null default 10, \`seed\` text not null, \`status\` text check (\`status\` in ('DRAFT', 'SCHEDULED', 'RUNNING', 'DONE', 'CANCELLED')) not null, \`materialised_through\` integer not null default 0, \`materialised_at\` datetime null, \`created_by_id\` integer not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`campaign_scope_region_id_foreign\` foreign key(\`scope_region_id\`) references \`region\`(\`id\`) on delete restrict on update cascade, constraint \`campaign_scope_store_id_foreign\` foreign key(\`scope_store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`campaign_coupon_template_id_foreign\` foreign key(\`coupon_template_id\`) references \`reward\`(\`id\`) on delete restrict on update cascade, constraint \`campaign_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`app_user\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`campaign_scope_region_id_index\` on \`campaign\` (\`scope_region_id\`);`);
    this.addSql(`create index \`campaign_scope_store_id_index\` on \`campaign\` (\`scope_store_id\`);`);
    this.addSql(`create index \`campaign_coupon_template_id_index\` on \`campaign\` (\`coupon_template_id\`);`);
    this.addSql(`create index \`campaign_created_by_id_index\` on \`campaign\` (\`created_by_id\`);`);
    this.addSql(`create index \`campaign_status_start_idx\` on \`campaign\` (\`status\`, \`starts_at\`);`);

    this.addSql(`create table \`campaign_member\` (\`id\` integer not null primary key autoincrement, \`campaign_id\` integer not null, \`member_id\` integer not null, \`grp\` text check (\`grp\` in ('TREATED', 'HOLDOUT')) not null, \`state\` text check (\`state\` in ('PENDING', 'SENT', 'FAILED', 'HELD_OUT')) not null, \`redemption_id\` integer null, \`error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`campaign_member_campaign_id_foreign\` foreign key(\`campaign_id\`) references \`campaign\`(\`id\`) on delete cascade on update cascade, constraint \`campaign_member_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`campaign_member_campaign_id_index\` on \`campaign_member\` (\`campaign_id\`);`);
    this.addSql(`create index \`campaign_member_member_idx\` on \`campaign_member\` (\`member_id\`);`);
    this.addSql(`create index \`campaign_member_state_idx\` on \`campaign_member\` (\`campaign_id\`, \`state\`, \`id\`);`);
    this.addSql(`create unique index \`campaign_member_unique\` on \`campaign_member\` (\`campaign_id\`, \`member_id\`);`);
  }

}
