import { Migration } from '@mikro-orm/migrations';

export class Migration20261207015016 extends Migration {

  override async up(): Promise<void> {
    // The chain's first visits per Shanghai day by the day of the previous visit (issue #15, visit-summary.ts).
    this.addSql(`create table \`analytics_visit_day\` (\`day\` integer not null, \`prev_day\` integer not null, \`visits\` integer not null, primary key (\`day\`, \`prev_day\`));`);
  }

}
