import { Migration } from '@mikro-orm/migrations';

export class Migration20261206174450 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`campaign\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(64) not null, \`scope_region_id\` int unsigned null, \`scope_store_id\` int unsigned null, \`segment\` json not null, \`offer_kind\` varchar(16) not null default 'COUPON', \`coupon_template_id\` int unsigned null, \`message\` varchar(200) null, \`sms\` tinyint(1) not null default false, \`starts_at\` datetime(3) not null, \`response_days\` int not null default 14, \`holdout_pct\` int not null default 10, \`seed\` varchar(64) not null, \`status\` enum('DRAFT', 'SCHEDULED', 'RUNNING', 'DONE', 'CANCELLED') not null, \`materialised_through\` int not null default 0, \`materialised_at\` datetime(3) null, \`created_by_id\` int unsigned not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`campaign\` add index \`campaign_scope_region_id_index\`(\`scope_region_id\`);`);
    this.addSql(`alter table \`campaign\` add index \`campaign_scope_store_id_index\`(\`scope_store_id\`);`);
    this.addSql(`alter table \`campaign\` add index \`campaign_coupon_template_id_index\`(\`coupon_template_id\`);`);
    this.addSql(`alter table \`campaign\` add index \`campaign_created_by_id_index\`(\`created_by_id\`);`);
    this.addSql(`alter table \`campaign\` add index \`campaign_status_start_idx\`(\`status\`, \`starts_at\`);`);

    this.addSql(`create table \`campaign_member\` (\`id\` int unsigned not null auto_increment primary key, \`campaign_id\` int unsigned not null, \`member_id\` int unsigned not null, \`grp\` enum('TREATED', 'HOLDOUT') not null, \`state\` enum('PENDING', 'SENT', 'FAILED', 'HELD_OUT') not null, \`redemption_id\` int null, \`error\` varchar(32) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`campaign_member\` add index \`campaign_member_campaign_id_index\`(\`campaign_id\`);`);
    this.addSql(`alter table \`campaign_member\` add index \`campaign_member_member_idx\`(\`member_id\`);`);
    this.addSql(`alter table \`campaign_member\` add index \`campaign_member_state_idx\`(\`campaign_id\`, \`state\`, \`id\`);`);
    this.addSql(`alter table \`campaign_member\` add unique \`campaign_member_unique\`(\`campaign_id\`, \`member_id\`);`);

    this.addSql(`alter table \`campaign\` add constraint \`campaign_scope_region_id_foreign\` foreign key (\`scope_region_id\`) references \`region\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`campaign\` add constraint \`campaign_scope_store_id_foreign\` foreign key (\`scope_store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`campaign\` add constraint \`campaign_coupon_template_id_foreign\` foreign key (\`coupon_template_id\`) references \`reward\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`campaign\` add constraint \`campaign_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`campaign_member\` add constraint \`campaign_member_campaign_id_foreign\` foreign key (\`campaign_id\`) references \`campaign\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`campaign_member\` add constraint \`campaign_member_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`campaign_member\` drop foreign key \`campaign_member_campaign_id_foreign\`;`);

    this.addSql(`drop table if exists \`campaign\`;`);

    this.addSql(`drop table if exists \`campaign_member\`;`);
  }

}
