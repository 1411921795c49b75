import { Migration } from '@mikro-orm/migrations';

export class Migration20261206181205 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`earning_rule\` add column \`campaign_id\` integer null;`);

    this.addSql(`alter table \`campaign\` add column \`multiplier_pct\` integer null;`);
    this.addSql(`alter table \`campaign\` add column \`multiplier_days\` integer null;`);
    this.addSql(`alter table \`campaign\` add column \`earning_rule_id\` integer null;`);
  }

}
