import { Migration } from '@mikro-orm/migrations';

export class Migration20261207015015 extends Migration {

  override async up(): Promise<void> {
    // The chain's first visits per Shanghai day by the day of the previous visit (issue #15, visit-summary.ts).
    this.addSql(`create table \`analytics_visit_day\` (\`day\` int unsigned not null, \`prev_day\` int unsigned not null, \`visits\` int not null, primary key (\`day\`, \`prev_day\`)) default character set utf8mb4 engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`analytics_visit_day\`;`);
  }

}
