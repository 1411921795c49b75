import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141256 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox\` add \`acknowledged_at\` datetime(3) null, add \`acknowledged_by_id\` int unsigned null;`);
    this.addSql(`alter table \`outbox\` add constraint \`outbox_acknowledged_by_id_foreign\` foreign key (\`acknowledged_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`outbox\` add index \`outbox_acknowledged_by_id_index\`(\`acknowledged_by_id\`);`);
    this.addSql(`alter table \`outbox\` add index \`outbox_retention_idx\`(\`status\`, \`updated_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`outbox\` drop foreign key \`outbox_acknowledged_by_id_foreign\`;`);

    this.addSql(`alter table \`outbox\` drop index \`outbox_acknowledged_by_id_index\`;`);
    this.addSql(`alter table \`outbox\` drop index \`outbox_retention_idx\`;`);
    this.addSql(`alter table \`outbox\` drop column \`acknowledged_at\`, drop column \`acknowledged_by_id\`;`);
  }

}
