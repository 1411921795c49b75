import { Migration } from '@mikro-orm/migrations';

export class Migration20261207020547 extends Migration {

  override async up(): Promise<void> {
    // Each store's per-day KPI figures (issue #15, store-day-summary.ts) and the scope's members by store (lifecycle summary).
    this.addSql(`create table \`analytics_store_day\` (\`store_id\` int unsigned not null, \`day\` varchar(10) not null, \`visits\` int not null default 0, \`spend_fen\` bigint not null default 0, \`points_issued\` bigint not null default 0, \`points_redeemed\` bigint not null default 0, \`points_expired\` bigint not null default 0, primary key (\`store_id\`, \`day\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`alter table \`lifecycle_member\` add index \`lifecycle_member_store_idx\`(\`store_id\`, \`member_id\`);`);

    // Covering indexes for the KPIs (issue #15), each swapped in one statement (the table never lacks it).
    this.addSql(`alter table \`reward_redemption\` drop index \`reward_redemption_report_idx\`, add index \`reward_redemption_report_idx\`(\`created_at\`, \`reward_id\`, \`status\`);`);

    this.addSql(`alter table \`purchase\` drop index \`purchase_store_time_idx\`, add index \`purchase_store_time_idx\`(\`store_id\`, \`created_at\`, \`member_id\`, \`amount_fen\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`analytics_store_day\`;`);

    this.addSql(`alter table \`reward_redemption\` drop index \`reward_redemption_report_idx\`;`);

    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_report_idx\`(\`created_at\`, \`reward_id\`);`);

    this.addSql(`alter table \`purchase\` drop index \`purchase_store_time_idx\`;`);

    this.addSql(`alter table \`purchase\` add index \`purchase_store_time_idx\`(\`store_id\`, \`created_at\`);`);

    this.addSql(`alter table \`lifecycle_member\` drop index \`lifecycle_member_store_idx\`;`);
  }

}
