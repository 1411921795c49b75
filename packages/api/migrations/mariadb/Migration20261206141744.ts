import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141744 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`earning_rule\` add \`active_slot\` varchar(96) null, add \`replaces_id\` int null, add \`retired_at\` datetime(3) null;`);
    // Earning-rule versions (#17): an active base rate or category multiplier holds a unique slot. Where several
    // active rules shared one, the engine applied the oldest (ties went to the first listed); keep that one.
    this.addSql(`update \`earning_rule\` set \`active_slot\` = concat(\`kind\`, ':', \`scope\`, ':', coalesce(\`scope_id\`, ''), ':', coalesce(\`category\`, '')) where \`id\` in (select \`id\` from (select min(\`id\`) as \`id\` from \`earning_rule\` where \`active\` = 1 and \`kind\` in ('BASE_RATE', 'CATEGORY') group by \`kind\`, \`scope\`, \`scope_id\`, \`category\`) \`keep\`);`);
    this.addSql(`update \`earning_rule\` set \`active\` = 0 where \`active\` = 1 and \`kind\` in ('BASE_RATE', 'CATEGORY') and \`active_slot\` is null;`);
    this.addSql(`alter table \`earning_rule\` add unique \`earning_rule_active_slot_unique\`(\`active_slot\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`earning_rule\` drop index \`earning_rule_active_slot_unique\`;`);
    this.addSql(`alter table \`earning_rule\` drop column \`active_slot\`, drop column \`replaces_id\`, drop column \`retired_at\`;`);
  }

}
