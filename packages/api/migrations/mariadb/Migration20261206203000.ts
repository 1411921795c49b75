import { Migration } from '@mikro-orm/migrations';

export class Migration20261206203000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_day\` (\`day\` varchar(10) not null, \`visits\` int not null default 0, \`spend_fen\` bigint not null default 0, \`points_issued\` bigint not null default 0, \`points_redeemed\` bigint not null default 0, \`points_expired\` bigint not null default 0, \`points_net\` bigint not null default 0, \`new_members\` int not null default 0, \`referrals\` int not null default 0, primary key (\`day\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`analytics_watermark\` (\`name\` varchar(32) not null, \`until\` datetime(3) not null, primary key (\`name\`)) default character set utf8mb4 engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`analytics_day\`;`);
    this.addSql(`drop table if exists \`analytics_watermark\`;`);
  }

}
