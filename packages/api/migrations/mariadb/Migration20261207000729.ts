import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`points_entry\` drop index \`points_entry_member_id_idx\`;`);
    this.addSql(`alter table \`points_entry\` drop index \`points_entry_store_id_idx\`;`);

    this.addSql(`alter table \`points_entry\` add index \`points_entry_member_time_idx\`(\`member_id\`, \`created_at\`, \`delta\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`points_entry\` drop index \`points_entry_member_time_idx\`;`);

    this.addSql(`alter table \`points_entry\` add index \`points_entry_member_id_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`points_entry\` add index \`points_entry_store_id_idx\`(\`store_id\`, \`id\`);`);
  }

}
