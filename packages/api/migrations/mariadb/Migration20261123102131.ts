import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`app_user\` (\`id\` int unsigned not null auto_increment primary key, \`openid\` varchar(64) not null, \`unionid\` varchar(64) null, \`phone\` varchar(20) null, \`phone_country_code\` varchar(8) null, \`registration_source\` enum('MINIPROGRAM', 'IN_STORE', 'REFERRAL', 'DEMO') not null default 'MINIPROGRAM', \`nickname\` varchar(64) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`app_user\` add unique \`app_user_openid_unique\`(\`openid\`);`);
    this.addSql(`alter table \`app_user\` add index \`app_user_unionid_index\`(\`unionid\`);`);

    this.addSql(`create table \`earning_rule\` (\`id\` int unsigned not null auto_increment primary key, \`kind\` enum('BASE_RATE', 'CATEGORY', 'CAMPAIGN') not null, \`name\` varchar(64) not null, \`scope\` enum('HQ', 'REGION', 'STORE') not null, \`scope_id\` int null, \`fen_per_point\` int null, \`multiplier_pct\` int null, \`category\` varchar(32) null, \`categories\` json null, \`starts_at\` datetime(3) null, \`ends_at\` datetime(3) null, \`active\` tinyint(1) not null default true, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`loyalty_program\` (\`id\` int unsigned not null default 1, \`rounding\` varchar(8) not null default 'FLOOR', \`cap_per_purchase\` int null, \`points_validity_months\` int not null default 24, \`tier_period_months\` int not null default 12, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`member_account\` (\`id\` int unsigned not null, \`balance\` int not null default 0, \`lifetime_earned\` int not null default 0, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`region\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(32) not null, \`name\` varchar(64) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`region\` add unique \`region_code_unique\`(\`code\`);`);

    this.addSql(`create table \`store\` (\`id\` int unsigned not null auto_increment primary key, \`region_id\` int unsigned not null, \`code\` varchar(32) not null, \`name\` varchar(64) not null, \`lat\` double null, \`lng\` double null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`store\` add index \`store_region_id_index\`(\`region_id\`);`);
    this.addSql(`alter table \`store\` add unique \`store_code_unique\`(\`code\`);`);

    this.addSql(`create table \`role_assignment\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`role\` enum('STAFF', 'ORGANIZER', 'MANAGER') not null, \`scope\` enum('STORE', 'REGION', 'HQ') not null, \`store_id\` int unsigned null, \`region_id\` int unsigned null, \`scope_key\` varchar(24) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`role_assignment\` add index \`role_assignment_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`role_assignment\` add index \`role_assignment_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`role_assignment\` add index \`role_assignment_region_id_index\`(\`region_id\`);`);
    this.addSql(`alter table \`role_assignment\` add unique \`role_assignment_user_id_role_scope_key_unique\`(\`user_id\`, \`role\`, \`scope_key\`);`);

    this.addSql(`create table \`tier\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(16) not null, \`name\` varchar(32) not null, \`rank\` int not null, \`threshold_fen\` int not null, \`multiplier_pct\` int not null, \`benefits\` text null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`tier\` add unique \`tier_code_unique\`(\`code\`);`);
    this.addSql(`alter table \`tier\` add unique \`tier_rank_unique\`(\`rank\`);`);

    this.addSql(`create table \`member\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`member_no\` varchar(20) not null, \`tier_id\` int unsigned not null, \`tier_period_ends_at\` datetime(3) not null, \`code_secret\` varchar(64) not null, \`code_last_step\` bigint null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`member\` add unique \`member_user_id_unique\`(\`user_id\`);`);
    this.addSql(`alter table \`member\` add unique \`member_member_no_unique\`(\`member_no\`);`);
    this.addSql(`alter table \`member\` add index \`member_tier_id_index\`(\`tier_id\`);`);

    this.addSql(`create table \`purchase\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`store_id\` int unsigned not null, \`staff_id\` int unsigned null, \`amount_fen\` int not null, \`lines\` json not null, \`points\` int not null, \`idempotency_key\` varchar(96) not null, \`request_hash\` varchar(64) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`purchase\` add index \`purchase_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`purchase\` add index \`purchase_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`purchase\` add index \`purchase_staff_id_index\`(\`staff_id\`);`);
    this.addSql(`alter table \`purchase\` add unique \`purchase_idempotency_key_unique\`(\`idempotency_key\`);`);
    this.addSql(`alter table \`purchase\` add index \`purchase_store_time_idx\`(\`store_id\`, \`created_at\`);`);
    this.addSql(`alter table \`purchase\` add index \`purchase_member_time_idx\`(\`member_id\`, \`created_at\`);`);

    this.addSql(`create table \`points_entry\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`delta\` int not null, \`kind\` enum('EARN', 'REDEEM', 'EXPIRE', 'REVERSAL', 'ADJUST') not null, \`reason\` varchar(128) not null, \`actor_id\` int unsigned null, \`store_id\` int unsigned null, \`source_type\` varchar(32) not null, \`source_ref\` varchar(96) not null, \`request_hash\` varchar(64) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`points_entry\` add index \`points_entry_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`points_entry\` add index \`points_entry_actor_id_index\`(\`actor_id\`);`);
    this.addSql(`alter table \`points_entry\` add index \`points_entry_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`points_entry\` add index \`points_entry_store_id_idx\`(\`store_id\`, \`id\`);`);
    this.addSql(`alter table \`points_entry\` add index \`points_entry_member_id_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`points_entry\` add unique \`points_entry_source_unique\`(\`source_type\`, \`source_ref\`);`);

    this.addSql(`create table \`points_lot\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`entry_id\` int unsigned not null, \`points\` int not null, \`remaining\` int not null, \`expires_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`points_lot\` add index \`points_lot_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`points_lot\` add index \`points_lot_entry_id_index\`(\`entry_id\`);`);
    this.addSql(`alter table \`points_lot\` add index \`points_lot_expiry_idx\`(\`expires_at\`, \`remaining\`);`);
    this.addSql(`alter table \`points_lot\` add index \`points_lot_member_expiry_idx\`(\`member_id\`, \`expires_at\`);`);

    this.addSql(`create table \`lot_allocation\` (\`id\` int unsigned not null auto_increment primary key, \`entry_id\` int unsigned not null, \`lot_id\` int unsigned not null, \`points\` int not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`lot_allocation\` add index \`lot_allocation_entry_id_index\`(\`entry_id\`);`);
    this.addSql(`alter table \`lot_allocation\` add index \`lot_allocation_lot_id_index\`(\`lot_id\`);`);

    this.addSql(`alter table \`store\` add constraint \`store_region_id_foreign\` foreign key (\`region_id\`) references \`region\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`role_assignment\` add constraint \`role_assignment_user_id_foreign\` foreign key (\`user_id\`) references \`app_user\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`role_assignment\` add constraint \`role_assignment_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`role_assignment\` add constraint \`role_assignment_region_id_foreign\` foreign key (\`region_id\`) references \`region\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`member\` add constraint \`member_user_id_foreign\` foreign key (\`user_id\`) references \`app_user\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`member\` add constraint \`member_tier_id_foreign\` foreign key (\`tier_id\`) references \`tier\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`purchase\` add constraint \`purchase_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`purchase\` add constraint \`purchase_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`purchase\` add constraint \`purchase_staff_id_foreign\` foreign key (\`staff_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`points_entry\` add constraint \`points_entry_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`points_entry\` add constraint \`points_entry_actor_id_foreign\` foreign key (\`actor_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`points_entry\` add constraint \`points_entry_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`points_lot\` add constraint \`points_lot_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`points_lot\` add constraint \`points_lot_entry_id_foreign\` foreign key (\`entry_id\`) references \`points_entry\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`lot_allocation\` add constraint \`lot_allocation_entry_id_foreign\` foreign key (\`entry_id\`) references \`points_entry\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`lot_allocation\` add constraint \`lot_allocation_lot_id_foreign\` foreign key (\`lot_id\`) references \`points_lot\` (\`id\`) on update cascade on delete restrict;`);
  }

}
