import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`app_user\` (\`id\` integer not null primary key autoincrement, \`openid\` text not null, \`unionid\` text null, \`phone\` text null, \`phone_country_code\` text null, \`registration_source\` text check (\`registration_source\` in ('MINIPROGRAM', 'IN_STORE', 'REFERRAL', 'DEMO')) not null default 'MINIPROGRAM', \`nickname\` text null, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`app_user_openid_unique\` on \`app_user\` (\`openid\`);`);
    this.addSql(`create index \`app_user_unionid_index\` on \`app_user\` (\`unionid\`);`);

    this.addSql(`create table \`earning_rule\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('BASE_RATE', 'CATEGORY', 'CAMPAIGN')) not null, \`name\` text not null, \`scope\` text check (\`scope\` in ('HQ', 'REGION', 'STORE')) not null, \`scope_id\` integer null, \`fen_per_point\` integer null, \`multiplier_pct\` integer null, \`category\` text null, \`categories\` json null, \`starts_at\` datetime null, \`ends_at\` datetime null, \`active\` integer not null default true, \`created_at\` datetime not null);`);

    this.addSql(`create table \`loyalty_program\` (\`id\` integer not null default 1, \`rounding\` text not null default 'FLOOR', \`cap_per_purchase\` integer null, \`points_validity_months\` integer not null default 24, \`tier_period_months\` integer not null default 12, primary key (\`id\`));`);

    this.addSql(`create table \`member_account\` (\`id\` integer not null, \`balance\` integer not null default 0, \`lifetime_earned\` integer not null default 0, \`updated_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`region\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`region_code_unique\` on \`region\` (\`code\`);`);

    this.addSql(`create table \`store\` (\`id\` integer not null primary key autoincrement, \`region_id\` integer not null, \`code\` text not null, \`name\` text not null, \`lat\` double null, \`lng\` double null, \`created_at\` datetime not null, constraint \`store_region_id_foreign\` foreign key(\`region_id\`) references \`region\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`store_region_id_index\` on \`store\` (\`region_id\`);`);
    this.addSql(`create unique index \`store_code_unique\` on \`store\` (\`code\`);`);

    this.addSql(`create table \`role_assignment\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`role\` text check (\`role\` in ('STAFF', 'ORGANIZER', 'MANAGER')) not null, \`scope\` text check (\`scope\` in ('STORE', 'REGION', 'HQ')) not null, \`store_id\` integer null, \`region_id\` integer null, \`scope_key\` text not null, \`created_at\` datetime not null, constraint \`role_assignment_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade, constraint \`role_assignment_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete cascade on update cascade, constraint \`role_assignment_region_id_foreign\` foreign key(\`region_id\`) references \`region\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`role_assignment_user_id_index\` on \`role_assignment\` (\`user_id\`);`);
    this.addSql(`create index \`role_assignment_store_id_index\` on \`role_assignment\` (\`store_id\`);`);
    this.addSql(`create index \`role_assignment_region_id_index\` on \`role_assignment\` (\`region_id\`);`);
    this.addSql(`create unique index \`role_assignment_user_id_role_scope_key_unique\` on \`role_assignment\` (\`user_id\`, \`role\`, \`scope_key\`);`);

    this.addSql(`create table \`tier\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`rank\` integer not null, \`threshold_fen\` integer not null, \`multiplier_pct\` integer not null, \`benefits\` text null);`);
    this.addSql(`create unique index \`tier_code_unique\` on \`tier\` (\`code\`);`);
    this.addSql(`create unique index \`tier_rank_unique\` on \`tier\` (\`rank\`);`);

    this.addSql(`create table \`member\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`member_no\` text not null, \`tier_id\` integer not null, \`tier_period_ends_at\` datetime not null, \`code_secret\` text not null, \`code_last_step\` bigint null, \`created_at\` datetime not null, constraint \`member_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade, constraint \`member_tier_id_foreign\` foreign key(\`tier_id\`) references \`tier\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create unique index \`member_user_id_unique\` on \`member\` (\`user_id\`);`);
    this.addSql(`create unique index \`member_member_no_unique\` on \`member\` (\`member_no\`);`);
    this.addSql(`create index \`member_tier_id_index\` on \`member\` (\`tier_id\`);`);

    this.addSql(`create table \`purchase\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`store_id\` integer not null, \`staff_id\` integer null, \`amount_fen\` integer not null, \`lines\` json not null, \`points\` integer not null, \`idempotency_key\` text not null, \`request_hash\` text not null, \`created_at\` datetime not null, constraint \`purchase_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`purchase_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`purchase_staff_id_foreign\` foreign key(\`staff_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`purchase_member_id_index\` on \`purchase\` (\`member_id\`);`);
    this.addSql(`create index \`purchase_store_id_index\` on \`purchase\` (\`store_id\`);`);
    this.addSql(`create index \`purchase_staff_id_index\` on \`purchase\` (\`staff_id\`);`);
    this.addSql(`create unique index \`purchase_idempotency_key_unique\` on \`purchase\` (\`idempotency_key\`);`);
    this.addSql(`create index \`purchase_store_time_idx\` on \`purchase\` (\`store_id\`, \`created_at\`);`);
    this.addSql(`create index \`purchase_member_time_idx\` on \`purchase\` (\`member_id\`, \`created_at\`);`);

    this.addSql(`create table \`points_entry\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`delta\` integer not null, \`kind\` text check (\`kind\` in ('EARN', 'REDEEM', 'EXPIRE', 'REVERSAL', 'ADJUST')) not null, \`reason\` text not null, \`actor_id\` integer null, \`store_id\` integer null, \`source_type\` text not null, \`source_ref\` text not null, \`request_hash\` text null, \`created_at\` datetime not null, constraint \`points_entry_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`points_entry_actor_id_foreign\` foreign key(\`actor_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, constraint \`points_entry_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`points_entry_member_id_index\` on \`points_entry\` (\`member_id\`);`);
    this.addSql(`create index \`points_entry_actor_id_index\` on \`points_entry\` (\`actor_id\`);`);
    this.addSql(`create index \`points_entry_store_id_index\` on \`points_entry\` (\`store_id\`);`);
    this.addSql(`create index \`points_entry_store_id_idx\` on \`points_entry\` (\`store_id\`, \`id\`);`);
    this.addSql(`create index \`points_entry_member_id_idx\` on \`points_entry\` (\`member_id\`, \`id\`);`);
    this.addSql(`create unique index \`points_entry_source_unique\` on \`points_entry\` (\`source_type\`, \`source_ref\`);`);

    this.addSql(`create table \`points_lot\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`entry_id\` integer not null, \`points\` integer not null, \`remaining\` integer not null, \`expires_at\` datetime not null, constraint \`points_lot_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`points_lot_entry_id_foreign\` foreign key(\`entry_id\`) references \`points_entry\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`points_lot_member_id_index\` on \`points_lot\` (\`member_id\`);`);
    this.addSql(`create index \`points_lot_entry_id_index\` on \`points_lot\` (\`entry_id\`);`);
    this.addSql(`create index \`points_lot_expiry_idx\` on \`points_lot\` (\`expires_at\`, \`remaining\`);`);
    this.addSql(`create index \`points_lot_member_expiry_idx\` on \`points_lot\` (\`member_id\`, \`expires_at\`);`);

    this.addSql(`create table \`lot_allocation\` (\`id\` integer not null primary key autoincrement, \`entry_id\` integer not null, \`lot_id\` integer not null, \`points\` integer not null, constraint \`lot_allocation_entry_id_foreign\` foreign key(\`entry_id\`) references \`points_entry\`(\`id\`) on delete restrict on update cascade, constraint \`lot_allocation_lot_id_foreign\` foreign key(\`lot_id\`) references \`points_lot\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`lot_allocation_entry_id_index\` on \`lot_allocation\` (\`entry_id\`);`);
    this.addSql(`create index \`lot_allocation_lot_id_index\` on \`lot_allocation\` (\`lot_id\`);`);
  }

}
