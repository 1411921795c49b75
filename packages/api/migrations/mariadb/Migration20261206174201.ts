import { Migration } from '@mikro-orm/migrations';

export class Migration20261206174201 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`job_lease\` (\`name\` varchar(64) not null, \`holder\` varchar(96) not null, \`expires_at\` datetime(3) not null, \`generation\` int not null default 0, primary key (\`name\`)) default character set utf8mb4 engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`job_lease\`;`);
  }

}
