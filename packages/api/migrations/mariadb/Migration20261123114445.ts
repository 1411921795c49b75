import { Migration } from '@mikro-orm/migrations';

export class Migration20261123114445 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`reward_partner\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(32) not null, \`name\` varchar(64) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`reward_partner\` add unique \`reward_partner_code_unique\`(\`code\`);`);

    this.addSql(`create table \`reward\` (\`id\` int unsigned not null auto_increment primary key, \`kind\` enum('MOBILE_TOPUP', 'FUEL_CARD', 'OWN_PRODUCT', 'COUPON') not null, \`name\` varchar(64) not null, \`description\` varchar(500) not null, \`image_url\` varchar(255) null, \`points_price\` int not null, \`cash_fen\` int not null default 0, \`face_value_fen\` int null, \`brand\` varchar(16) null, \`amount_off_fen\` int null, \`discount_pct\` int null, \`min_spend_fen\` int not null default 0, \`stock\` int not null, \`limit_per_day\` int null, \`limit_per_month\` int null, \`min_tier_id\` int unsigned null, \`starts_at\` datetime(3) null, \`ends_at\` datetime(3) null, \`active\` tinyint(1) not null default true, \`partner_id\` int unsigned null, \`cost_fen\` int not null default 0, \`provider\` varchar(16) null, \`store_ids\` json null, \`voucher_valid_days\` int null, \`created_by_id\` int unsigned null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`reward\` add index \`reward_min_tier_id_index\`(\`min_tier_id\`);`);
    this.addSql(`alter table \`reward\` add index \`reward_partner_id_index\`(\`partner_id\`);`);
    this.addSql(`alter table \`reward\` add index \`reward_created_by_id_index\`(\`created_by_id\`);`);
    this.addSql(`alter table \`reward\` add index \`reward_active_kind_idx\`(\`active\`, \`kind\`);`);

    this.addSql(`create table \`reward_redemption\` (\`id\` int unsigned not null auto_increment primary key, \`reward_id\` int unsigned not null, \`member_id\` int unsigned not null, \`kind\` enum('MOBILE_TOPUP', 'FUEL_CARD', 'OWN_PRODUCT', 'COUPON') not null, \`points\` int not null, \`cash_fen\` int not null default 0, \`cost_fen\` int not null default 0, \`status\` enum('PENDING', 'PROCESSING', 'DELIVERED', 'FAILED', 'ISSUED', 'USED') not null, \`target\` varchar(32) null, \`idempotency_key\` varchar(96) not null, \`request_hash\` varchar(64) not null, \`out_trade_no\` varchar(32) null, \`provider\` varchar(16) null, \`provider_order_no\` varchar(64) null, \`submit_count\` int not null default 0, \`submitted_at\` datetime(3) null, \`voucher_code\` varchar(16) null, \`voucher_expires_at\` datetime(3) null, \`used_at\` datetime(3) null, \`used_store_id\` int unsigned null, \`used_by_id\` int unsigned null, \`fail_reason\` varchar(128) null, \`points_refunded\` int not null default 0, \`stuck_at\` datetime(3) null, \`finished_at\` datetime(3) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_reward_id_index\`(\`reward_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add unique \`reward_redemption_out_trade_no_unique\`(\`out_trade_no\`);`);
    this.addSql(`alter table \`reward_redemption\` add unique \`reward_redemption_voucher_code_unique\`(\`voucher_code\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_used_store_id_index\`(\`used_store_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_used_by_id_index\`(\`used_by_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_report_idx\`(\`created_at\`, \`reward_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_limits_idx\`(\`member_id\`, \`reward_id\`, \`created_at\`);`);
    this.addSql(`alter table \`reward_redemption\` add unique \`reward_redemption_member_key_unique\`(\`member_id\`, \`idempotency_key\`);`);

    this.addSql(`create table \`otp_challenge\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`purpose\` varchar(16) not null, \`ref\` varchar(64) not null, \`code_hash\` varchar(64) not null, \`attempts\` int not null default 0, \`expires_at\` datetime(3) not null, \`consumed_at\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`otp_challenge\` add index \`otp_challenge_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`otp_challenge\` add index \`otp_challenge_member_ref_idx\`(\`member_id\`, \`purpose\`, \`ref\`);`);

    this.addSql(`alter table \`reward\` add constraint \`reward_min_tier_id_foreign\` foreign key (\`min_tier_id\`) references \`tier\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward\` add constraint \`reward_partner_id_foreign\` foreign key (\`partner_id\`) references \`reward_partner\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward\` add constraint \`reward_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`reward_redemption\` add constraint \`reward_redemption_reward_id_foreign\` foreign key (\`reward_id\`) references \`reward\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward_redemption\` add constraint \`reward_redemption_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward_redemption\` add constraint \`reward_redemption_used_store_id_foreign\` foreign key (\`used_store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward_redemption\` add constraint \`reward_redemption_used_by_id_foreign\` foreign key (\`used_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`otp_challenge\` add constraint \`otp_challenge_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`reward\` drop foreign key \`reward_partner_id_foreign\`;`);

    this.addSql(`alter table \`reward_redemption\` drop foreign key \`reward_redemption_reward_id_foreign\`;`);

    this.addSql(`drop table if exists \`reward_partner\`;`);

    this.addSql(`drop table if exists \`reward\`;`);

    this.addSql(`drop table if exists \`reward_redemption\`;`);

    this.addSql(`drop table if exists \`otp_challenge\`;`);
  }

}
