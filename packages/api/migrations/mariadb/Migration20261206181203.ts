import { Migration } from '@mikro-orm/migrations';

export class Migration20261206181203 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`earning_rule\` add \`campaign_id\` int null;`);

    this.addSql(`alter table \`campaign\` add \`multiplier_pct\` int null, add \`multiplier_days\` int null, add \`earning_rule_id\` int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`campaign\` drop column \`multiplier_pct\`, drop column \`multiplier_days\`, drop column \`earning_rule_id\`;`);

    this.addSql(`alter table \`earning_rule\` drop column \`campaign_id\`;`);
  }

}
