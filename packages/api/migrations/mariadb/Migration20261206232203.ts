import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232203 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`lifecycle_member\` (\`member_id\` int unsigned not null, \`store_id\` int null, \`timeline\` text not null, primary key (\`member_id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`lifecycle_net\` (\`scope_key\` int unsigned not null, \`upto\` datetime(3) not null, \`stage\` varchar(12) not null, \`net\` int not null, primary key (\`scope_key\`, \`upto\`, \`stage\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`lifecycle_state\` (\`id\` int unsigned not null, \`until\` datetime(3) null, \`thresholds\` varchar(400) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`alter table \`member_profile\` add index \`member_profile_updated_idx\`(\`updated_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`lifecycle_member\`;`);

    this.addSql(`drop table if exists \`lifecycle_net\`;`);

    this.addSql(`drop table if exists \`lifecycle_state\`;`);

    this.addSql(`alter table \`member_profile\` drop index \`member_profile_updated_idx\`;`);
  }

}
