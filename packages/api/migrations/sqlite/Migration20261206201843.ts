import { Migration } from '@mikro-orm/migrations';

export class Migration20261206201843 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`tier_change\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`from_tier_id\` integer not null, \`to_tier_id\` integer not null, \`kind\` text not null, \`spend_fen\` integer not null, \`period_ends_at\` datetime not null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`tier_change_member_idx\` on \`tier_change\` (\`member_id\`, \`created_at\`, \`id\`);`);
  }

}
