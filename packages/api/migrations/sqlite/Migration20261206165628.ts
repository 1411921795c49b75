import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165628 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`referral_program\` (\`id\` integer not null default 1, \`enabled\` integer not null default false, \`referrer_bonus\` integer not null default 500, \`referee_bonus\` integer not null default 0, \`share_pct\` integer not null default 10, \`share_months\` integer not null default 12, \`monthly_cap\` integer not null default 0, \`qualifying_min_fen\` integer not null default 0, \`updated_by_id\` integer null, \`updated_at\` datetime null, constraint \`referral_program_updated_by_id_foreign\` foreign key(\`updated_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`referral_program_updated_by_id_index\` on \`referral_program\` (\`updated_by_id\`);`);

    this.addSql(`create table \`referral_invite\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`token\` text not null, \`store_id\` integer null, \`created_at\` datetime not null, constraint \`referral_invite_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete cascade on update cascade, constraint \`referral_invite_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create unique index \`referral_invite_member_id_unique\` on \`referral_invite\` (\`member_id\`);`);
    this.addSql(`create unique index \`referral_invite_token_unique\` on \`referral_invite\` (\`token\`);`);
    this.addSql(`create index \`referral_invite_store_id_index\` on \`referral_invite\` (\`store_id\`);`);

    this.addSql(`create table \`referral\` (\`id\` integer not null primary key autoincrement, \`referee_id\` integer not null, \`referrer_id\` integer not null, \`store_id\` integer null, \`region_id\` integer null, \`bound_at\` datetime not null, \`qualified_at\` datetime null, \`revoked_at\` datetime null, \`revoke_reason\` text null, \`welcome_points\` integer not null default 0, \`bonus_points\` integer not null default 0, \`share_points\` integer not null default 0, \`share_reversed\` integer not null default 0, constraint \`referral_referee_id_foreign\` foreign key(\`referee_id\`) references \`member\`(\`id\`) on delete cascade on update cascade, constraint \`referral_referrer_id_foreign\` foreign key(\`referrer_id\`) references \`member\`(\`id\`) on delete cascade on update cascade, constraint \`referral_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete set null on update cascade, constraint \`referral_region_id_foreign\` foreign key(\`region_id\`) references \`region\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create unique index \`referral_referee_unique\` on \`referral\` (\`referee_id\`);`);
    this.addSql(`create index \`referral_referrer_id_index\` on \`referral\` (\`referrer_id\`);`);
    this.addSql(`create index \`referral_store_id_index\` on \`referral\` (\`store_id\`);`);
    this.addSql(`create index \`referral_region_id_index\` on \`referral\` (\`region_id\`);`);
    this.addSql(`create index \`referral_referrer_idx\` on \`referral\` (\`referrer_id\`, \`id\`);`);

    this.addSql(`create table \`referral_credit\` (\`id\` integer not null primary key autoincrement, \`referral_id\` integer not null, \`referrer_id\` integer not null, \`kind\` text not null, \`source_ref\` text not null, \`source_entry_id\` integer null, \`source_points\` integer not null default 0, \`points\` integer not null, \`capped\` integer not null default 0, \`entry_id\` integer null, \`reversed\` integer not null default 0, \`refusal\` text null, \`month\` text not null, \`created_at\` datetime not null, constraint \`referral_credit_referral_id_foreign\` foreign key(\`referral_id\`) references \`referral\`(\`id\`) on delete cascade on update cascade, constraint \`referral_credit_referrer_id_foreign\` foreign key(\`referrer_id\`) references \`member\`(\`id\`) on delete cascade on update cascade, constraint \`referral_credit_source_entry_id_foreign\` foreign key(\`source_entry_id\`) references \`points_entry\`(\`id\`) on delete set null on update cascade, constraint \`referral_credit_entry_id_foreign\` foreign key(\`entry_id\`) references \`points_entry\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`referral_credit_referral_id_index\` on \`referral_credit\` (\`referral_id\`);`);
    this.addSql(`create index \`referral_credit_referrer_id_index\` on \`referral_credit\` (\`referrer_id\`);`);
    this.addSql(`create index \`referral_credit_source_entry_id_index\` on \`referral_credit\` (\`source_entry_id\`);`);
    this.addSql(`create index \`referral_credit_entry_id_index\` on \`referral_credit\` (\`entry_id\`);`);
    this.addSql(`create index \`referral_credit_cap_idx\` on \`referral_credit\` (\`referrer_id\`, \`month\`);`);
    this.addSql(`create unique index \`referral_credit_source_unique\` on \`referral_credit\` (\`kind\`, \`source_ref\`);`);
  }

}
