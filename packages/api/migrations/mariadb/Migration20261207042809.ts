import { Migration } from '@mikro-orm/migrations';

export class Migration20261207042809 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_rfm_snapshot\` (\`from_at\` datetime(3) not null, \`to_at\` datetime(3) not null, \`scored_members\` int not null, \`spend_fen\` bigint not null, \`top_spend_share\` double null, \`cells\` text not null, \`created_at\` datetime(3) not null, primary key (\`from_at\`, \`to_at\`)) default character set utf8mb4 engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`analytics_rfm_snapshot\`;`);
  }

}
