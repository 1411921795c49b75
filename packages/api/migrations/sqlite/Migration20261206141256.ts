import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141256 extends Migration {

  override async up(): Promise<void> {
    // MikroORM 6 generates the foreign key on the first added column (acknowledged_at): it belongs to acknowledged_by_id.
    this.addSql(`alter table \`outbox\` add column \`acknowledged_at\` datetime null;`);
    this.addSql(`alter table \`outbox\` add column \`acknowledged_by_id\` integer null constraint \`outbox_acknowledged_by_id_foreign\` references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`create index \`outbox_acknowledged_by_id_index\` on \`outbox\` (\`acknowledged_by_id\`);`);
    this.addSql(`create index \`outbox_retention_idx\` on \`outbox\` (\`status\`, \`updated_at\`);`);
  }

}
