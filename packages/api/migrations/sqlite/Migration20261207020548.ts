import { Migration } from '@mikro-orm/migrations';

export class Migration20261207020548 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_store_day\` (\`store_id\` integer not null, \`day\` text not null, \`visits\` integer not null default 0, \`spend_fen\` bigint not null default 0, \`points_issued\` bigint not null default 0, \`points_redeemed\` bigint not null default 0, \`points_expired\` bigint not null default 0, primary key (\`store_id\`, \`day\`));`);

    this.addSql(`create index \`lifecycle_member_store_idx\` on \`lifecycle_member\` (\`store_id\`, \`member_id\`);`);

    this.addSql(`drop index \`reward_redemption_report_idx\`;`);

    this.addSql(`create index \`reward_redemption_report_idx\` on \`reward_redemption\` (\`created_at\`, \`reward_id\`, \`status\`);`);

    this.addSql(`drop index \`purchase_store_time_idx\`;`);

    this.addSql(`create index \`purchase_store_time_idx\` on \`purchase\` (\`store_id\`, \`created_at\`, \`member_id\`, \`amount_fen\`);`);
  }

}
