import { Migration } from '@mikro-orm/migrations';

export class Migration20261123114445 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`reward_partner\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`reward_partner_code_unique\` on \`reward_partner\` (\`code\`);`);

    this.addSql(`create table \`reward\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('MOBILE_TOPUP', 'FUEL_CARD', 'OWN_PRODUCT', 'COUPON')) not null, \`name\` text not null, \`description\` text not null, \`image_url\` text null, \`points_price\` integer not null, \`cash_fen\` integer not null default 0, \`face_value_fen\` integer null, \`brand\` text null, \`amount_off_fen\` integer null, \`discount_pct\` integer null, \`min_spend_fen\` integer not null default 0, \`stock\` integer not null, \`limit_per_day\` integer null, \`limit_per_month\` integer null, \`min_tier_id\` integer null, \`starts_at\` datetime null, \`ends_at\` datetime null, \`active\` integer not null default true, \`partner_id\` integer null, \`cost_fen\` integer not null default 0, \`provider\` text null, \`store_ids\` json null, \`voucher_valid_days\` integer null, \`created_by_id\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`reward_min_tier_id_foreign\` foreign key(\`min_tier_id\`) references \`tier\`(\`id\`) on delete restrict on update cascade, constraint \`reward_partner_id_foreign\` foreign key(\`partner_id\`) references \`reward_partner\`(\`id\`) on delete restrict on update cascade, constraint \`reward_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`reward_min_tier_id_index\` on \`reward\` (\`min_tier_id\`);`);
    this.addSql(`create index \`reward_partner_id_index\` on \`reward\` (\`partner_id\`);`);
    this.addSql(`create index \`reward_created_by_id_index\` on \`reward\` (\`created_by_id\`);`);
    this.addSql(`create index \`reward_active_kind_idx\` on \`reward\` (\`active\`, \`kind\`);`);

    this.addSql(`create table \`reward_redemption\` (\`id\` integer not null primary key autoincrement, \`reward_id\` integer not null, \`member_id\` integer not null, \`kind\` text check (\`kind\` in ('MOBILE_TOPUP', 'FUEL_CARD', 'OWN_PRODUCT', 'COUPON')) not null, \`points\` integer not null, \`cash_fen\` integer not null default 0, \`cost_fen\` integer not null default 0, \`status\` text check (\`status\` in ('PENDING', 'PROCESSING', 'DELIVERED', 'FAILED', 'ISSUED', 'USED')) not null, \`target\` text null, \`idempotency_key\` text not null, \`request_hash\` text not null, \`out_trade_no\` text null, \`provider\` text null, \`provider_order_no\` text null, \`submit_count\` integer not null default 0, \`submitted_at\` datetime null, \`voucher_code\` text null, \`voucher_expires_at\` datetime null, \`used_at\` datetime null, \`used_store_id\` integer null, \`used_by_id\` integer null, \`fail_reason\` text null, \`points_refunded\` integer not null default 0, \`stuck_at\` datetime null, \`finished_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`reward_redemption_reward_id_foreign\` foreign key(\`reward_id\`) references \`reward\`(\`id\`) on delete restrict on update cascade, constraint \`reward_redemption_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`reward_redemption_used_store_id_foreign\` foreign key(\`used_store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`reward_redemption_used_by_id_foreign\` foreign key(\`used_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`reward_redemption_reward_id_index\` on \`reward_redemption\` (\`reward_id\`);`);
    this.addSql(`create index \`reward_redemption_member_id_index\` on \`reward_redemption\` (\`member_id\`);`);
    this.addSql(`create unique index \`reward_redemption_out_trade_no_unique\` on \`reward_redemption\` (\`out_trade_no\`);`);
    this.addSql(`create unique index \`reward_redemption_voucher_code_unique\` on \`reward_redemption\` (\`voucher_code\`);`);
    this.addSql(`create index \`reward_redemption_used_store_id_index\` on \`reward_redemption\` (\`used_store_id\`);`);
    this.addSql(`create index \`reward_redemption_used_by_id_index\` on \`reward_redemption\` (\`used_by_id\`);`);
    this.addSql(`create index \`reward_redemption_report_idx\` on \`reward_redemption\` (\`created_at\`, \`reward_id\`);`);
    this.addSql(`create index \`reward_redemption_member_idx\` on \`reward_redemption\` (\`member_id\`, \`id\`);`);
    this.addSql(`create index \`reward_redemption_limits_idx\` on \`reward_redemption\` (\`member_id\`, \`reward_id\`, \`created_at\`);`);
    this.addSql(`create unique index \`reward_redemption_member_key_unique\` on \`reward_redemption\` (\`member_id\`, \`idempotency_key\`);`);

    this.addSql(`create table \`otp_challenge\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`purpose\` text not null, \`ref\` text not null, \`code_hash\` text not null, \`attempts\` integer not null default 0, \`expires_at\` datetime not null, \`consumed_at\` datetime null, \`created_at\` datetime not null, constraint \`otp_challenge_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`otp_challenge_member_id_index\` on \`otp_challenge\` (\`member_id\`);`);
    this.addSql(`create index \`otp_challenge_member_ref_idx\` on \`otp_challenge\` (\`member_id\`, \`purpose\`, \`ref\`);`);
  }

}
