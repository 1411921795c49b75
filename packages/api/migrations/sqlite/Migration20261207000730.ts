import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000730 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index \`points_entry_member_id_idx\`;`);
    this.addSql(`drop index \`points_entry_store_id_idx\`;`);

    this.addSql(`create index \`points_entry_member_time_idx\` on \`points_entry\` (\`member_id\`, \`created_at\`, \`delta\`);`);
  }

}
