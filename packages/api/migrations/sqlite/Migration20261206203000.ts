import { Migration } from '@mikro-orm/migrations';

export class Migration20261206203000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_day\` (\`day\` text not null, \`visits\` integer not null default 0, \`spend_fen\` bigint not null default 0, \`points_issued\` bigint not null default 0, \`points_redeemed\` bigint not null default 0, \`points_expired\` bigint not null default 0, \`points_net\` bigint not null default 0, \`new_members\` integer not null default 0, \`referrals\` integer not null default 0, primary key (\`day\`));`);

    this.addSql(`create table \`analytics_watermark\` (\`name\` text not null, \`until\` datetime not null, primary key (\`name\`));`);
  }

}
