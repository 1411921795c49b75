import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232203 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`lifecycle_member\` (\`member_id\` integer not null, \`store_id\` integer null, \`timeline\` text not null, primary key (\`member_id\`));`);

    this.addSql(`create table \`lifecycle_net\` (\`scope_key\` integer not null, \`upto\` datetime not null, \`stage\` text not null, \`net\` integer not null, primary key (\`scope_key\`, \`upto\`, \`stage\`));`);

    this.addSql(`create table \`lifecycle_state\` (\`id\` integer not null, \`until\` datetime null, \`thresholds\` text not null, primary key (\`id\`));`);

    this.addSql(`create index \`member_profile_updated_idx\` on \`member_profile\` (\`updated_at\`);`);
  }

}
