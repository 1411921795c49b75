import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232917 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`lifecycle_declining\` (\`member_id\` int unsigned not null, \`from_at\` datetime(3) not null, \`to_at\` datetime(3) null, \`store_id\` int null, primary key (\`member_id\`, \`from_at\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`lifecycle_declining\` add index \`lifecycle_declining_to_idx\`(\`to_at\`, \`store_id\`);`);
    this.addSql(`alter table \`lifecycle_declining\` add index \`lifecycle_declining_from_idx\`(\`from_at\`, \`store_id\`);`);
    this.addSql(`alter table \`lifecycle_declining\` add index \`lifecycle_declining_store_idx\`(\`store_id\`, \`member_id\`, \`from_at\`, \`to_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`lifecycle_declining\`;`);
  }

}
