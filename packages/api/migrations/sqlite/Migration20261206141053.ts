import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141053 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reward_redemption\` add column \`store_id\` integer null constraint \`reward_redemption_store_id_foreign\` references \`store\` (\`id\`) on update cascade on delete restrict;`);
    // Written by hand: the generator put both foreign keys on store_id.
    this.addSql(`alter table \`reward_redemption\` add column \`staff_id\` integer null constraint \`reward_redemption_staff_id_foreign\` references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`create index \`reward_redemption_store_id_index\` on \`reward_redemption\` (\`store_id\`);`);
    this.addSql(`create index \`reward_redemption_staff_id_index\` on \`reward_redemption\` (\`staff_id\`);`);
    this.addSql(`create index \`reward_redemption_store_idx\` on \`reward_redemption\` (\`store_id\`, \`id\`);`);
  }

}
