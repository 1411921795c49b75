import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165628 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`referral_program\` (\`id\` int unsigned not null default 1, \`enabled\` tinyint(1) not null default false, \`referrer_bonus\` int not null default 500, \`referee_bonus\` int not null default 0, \`share_pct\` int not null default 10, \`share_months\` int not null default 12, \`monthly_cap\` int not null default 0, \`qualifying_min_fen\` int not null default 0, \`updated_by_id\` int unsigned null, \`updated_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`referral_program\` add index \`referral_program_updated_by_id_index\`(\`updated_by_id\`);`);

    this.addSql(`create table \`referral_invite\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`token\` varchar(16) not null, \`store_id\` int unsigned null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`referral_invite\` add unique \`referral_invite_member_id_unique\`(\`member_id\`);`);
    this.addSql(`alter table \`referral_invite\` add unique \`referral_invite_token_unique\`(\`token\`);`);
    this.addSql(`alter table \`referral_invite\` add index \`referral_invite_store_id_index\`(\`store_id\`);`);

    this.addSql(`create table \`referral\` (\`id\` int unsigned not null auto_increment primary key, \`referee_id\` int unsigned not null, \`referrer_id\` int unsigned not null, \`store_id\` int unsigned null, \`region_id\` int unsigned null, \`bound_at\` datetime(3) not null, \`qualified_at\` datetime(3) null, \`revoked_at\` datetime(3) null, \`revoke_reason\` varchar(32) null, \`welcome_points\` int not null default 0, \`bonus_points\` int not null default 0, \`share_points\` int not null default 0, \`share_reversed\` int not null default 0) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`referral\` add unique \`referral_referee_unique\`(\`referee_id\`);`);
    this.addSql(`alter table \`referral\` add index \`referral_referrer_id_index\`(\`referrer_id\`);`);
    this.addSql(`alter table \`referral\` add index \`referral_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`referral\` add index \`referral_region_id_index\`(\`region_id\`);`);
    this.addSql(`alter table \`referral\` add index \`referral_referrer_idx\`(\`referrer_id\`, \`id\`);`);

    this.addSql(`create table \`referral_credit\` (\`id\` int unsigned not null auto_increment primary key, \`referral_id\` int unsigned not null, \`referrer_id\` int unsigned not null, \`kind\` varchar(8) not null, \`source_ref\` varchar(32) not null, \`source_entry_id\` int unsigned null, \`source_points\` int not null default 0, \`points\` int not null, \`capped\` int not null default 0, \`entry_id\` int unsigned null, \`reversed\` int not null default 0, \`refusal\` varchar(32) null, \`month\` varchar(7) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`referral_credit\` add index \`referral_credit_referral_id_index\`(\`referral_id\`);`);
    this.addSql(`alter table \`referral_credit\` add index \`referral_credit_referrer_id_index\`(\`referrer_id\`);`);
    this.addSql(`alter table \`referral_credit\` add index \`referral_credit_source_entry_id_index\`(\`source_entry_id\`);`);
    this.addSql(`alter table \`referral_credit\` add index \`referral_credit_entry_id_index\`(\`entry_id\`);`);
    this.addSql(`alter table \`referral_credit\` add index \`referral_credit_cap_idx\`(\`referrer_id\`, \`month\`);`);
    this.addSql(`alter table \`referral_credit\` add unique \`referral_credit_source_unique\`(\`kind\`, \`source_ref\`);`);

    this.addSql(`alter table \`referral_program\` add constraint \`referral_program_updated_by_id_foreign\` foreign key (\`updated_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`referral_invite\` add constraint \`referral_invite_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`referral_invite\` add constraint \`referral_invite_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`referral\` add constraint \`referral_referee_id_foreign\` foreign key (\`referee_id\`) references \`member\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`referral\` add constraint \`referral_referrer_id_foreign\` foreign key (\`referrer_id\`) references \`member\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`referral\` add constraint \`referral_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`referral\` add constraint \`referral_region_id_foreign\` foreign key (\`region_id\`) references \`region\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`referral_credit\` add constraint \`referral_credit_referral_id_foreign\` foreign key (\`referral_id\`) references \`referral\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`referral_credit\` add constraint \`referral_credit_referrer_id_foreign\` foreign key (\`referrer_id\`) references \`member\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`referral_credit\` add constraint \`referral_credit_source_entry_id_foreign\` foreign key (\`source_entry_id\`) references \`points_entry\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`referral_credit\` add constraint \`referral_credit_entry_id_foreign\` foreign key (\`entry_id\`) references \`points_entry\` (\`id\`) on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`referral_credit\` drop foreign key \`referral_credit_referral_id_foreign\`;`);

    this.addSql(`drop table if exists \`referral_program\`;`);

    this.addSql(`drop table if exists \`referral_invite\`;`);

    this.addSql(`drop table if exists \`referral\`;`);

    this.addSql(`drop table if exists \`referral_credit\`;`);
  }

}
