import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232918 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`lifecycle_declining\` (\`member_id\` integer not null, \`from_at\` datetime not null, \`to_at\` datetime null, \`store_id\` integer null, primary key (\`member_id\`, \`from_at\`));`);
    this.addSql(`create index \`lifecycle_declining_to_idx\` on \`lifecycle_declining\` (\`to_at\`, \`store_id\`);`);
    this.addSql(`create index \`lifecycle_declining_from_idx\` on \`lifecycle_declining\` (\`from_at\`, \`store_id\`);`);
    this.addSql(`create index \`lifecycle_declining_store_idx\` on \`lifecycle_declining\` (\`store_id\`, \`member_id\`, \`from_at\`, \`to_at\`);`);
  }

}
