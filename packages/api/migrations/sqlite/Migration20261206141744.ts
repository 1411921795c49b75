import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141744 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`earning_rule\` add column \`active_slot\` text null;`);
    this.addSql(`alter table \`earning_rule\` add column \`replaces_id\` integer null;`);
    this.addSql(`alter table \`earning_rule\` add column \`retired_at\` datetime null;`);
    // Earning-rule versions (#17): an active base rate or category multiplier holds a unique slot. Where several
    // active rules shared one, the engine applied the oldest (ties went to the first listed); keep that one.
    this.addSql(`update \`earning_rule\` set \`active_slot\` = \`kind\` || ':' || \`scope\` || ':' || coalesce(\`scope_id\`, '') || ':' || coalesce(\`category\`, '') where \`id\` in (select min(\`id\`) from \`earning_rule\` where \`active\` = 1 and \`kind\` in ('BASE_RATE', 'CATEGORY') group by \`kind\`, \`scope\`, \`scope_id\`, \`category\`);`);
    this.addSql(`update \`earning_rule\` set \`active\` = 0 where \`active\` = 1 and \`kind\` in ('BASE_RATE', 'CATEGORY') and \`active_slot\` is null;`);
    this.addSql(`create unique index \`earning_rule_active_slot_unique\` on \`earning_rule\` (\`active_slot\`);`);
  }

}
