import { Migration } from '@mikro-orm/migrations';

export class Migration20261207042809 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_rfm_snapshot\` (\`from_at\` datetime not null, \`to_at\` datetime not null, \`scored_members\` integer not null, \`spend_fen\` bigint not null, \`top_spend_share\` double null, \`cells\` text not null, \`created_at\` datetime not null, primary key (\`from_at\`, \`to_at\`));`);
  }

}
