import { Migration } from '@mikro-orm/migrations';

export class Migration20261206201839 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`tier_change\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int not null, \`from_tier_id\` int not null, \`to_tier_id\` int not null, \`kind\` varchar(12) not null, \`spend_fen\` int not null, \`period_ends_at\` datetime(3) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`tier_change\` add index \`tier_change_member_idx\`(\`member_id\`, \`created_at\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`tier_change\`;`);
  }

}
