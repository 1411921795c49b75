import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141053 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reward_redemption\` add \`store_id\` int unsigned null, add \`staff_id\` int unsigned null;`);
    this.addSql(`alter table \`reward_redemption\` add constraint \`reward_redemption_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`reward_redemption\` add constraint \`reward_redemption_staff_id_foreign\` foreign key (\`staff_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_staff_id_index\`(\`staff_id\`);`);
    this.addSql(`alter table \`reward_redemption\` add index \`reward_redemption_store_idx\`(\`store_id\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`reward_redemption\` drop foreign key \`reward_redemption_store_id_foreign\`;`);
    this.addSql(`alter table \`reward_redemption\` drop foreign key \`reward_redemption_staff_id_foreign\`;`);

    this.addSql(`alter table \`reward_redemption\` drop index \`reward_redemption_store_id_index\`;`);
    this.addSql(`alter table \`reward_redemption\` drop index \`reward_redemption_staff_id_index\`;`);
    this.addSql(`alter table \`reward_redemption\` drop index \`reward_redemption_store_idx\`;`);
    this.addSql(`alter table \`reward_redemption\` drop column \`store_id\`, drop column \`staff_id\`;`);
  }

}
