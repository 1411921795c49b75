import { Migration } from '@mikro-orm/migrations';

export class Migration20261206174202 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`job_lease\` (\`name\` text not null, \`holder\` text not null, \`expires_at\` datetime not null, \`generation\` integer not null default 0, primary key (\`name\`));`);
  }

}
