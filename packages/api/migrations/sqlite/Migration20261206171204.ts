import { Migration } from '@mikro-orm/migrations';

export class Migration20261206171204 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`points_adjustment\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`delta\` integer not null, \`reason\` text not null, \`status\` text check (\`status\` in ('PENDING', 'APPLIED', 'REJECTED')) not null, \`store_id\` integer null, \`region_id\` integer null, \`requested_by_id\` integer not null, \`idempotency_key\` text not null, \`request_hash\` text not null, \`decided_by_id\` integer null, \`decision_note\` text null, \`entry_id\` integer null, \`created_at\` datetime not null, \`decided_at\` datetime null, constraint \`points_adjustment_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`points_adjustment_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`points_adjustment_requested_by_id_foreign\` foreign key(\`requested_by_id\`) references \`app_user\`(\`id\`) on delete restrict on update cascade, constraint \`points_adjustment_decided_by_id_foreign\` foreign key(\`decided_by_id\`) references \`app_user\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`points_adjustment_member_id_index\` on \`points_adjustment\` (\`member_id\`);`);
    this.addSql(`create index \`points_adjustment_store_id_index\` on \`points_adjustment\` (\`store_id\`);`);
    this.addSql(`create index \`points_adjustment_requested_by_id_index\` on \`points_adjustment\` (\`requested_by_id\`);`);
    this.addSql(`create index \`points_adjustment_decided_by_id_index\` on \`points_adjustment\` (\`decided_by_id\`);`);
    this.addSql(`create index \`points_adjustment_member_idx\` on \`points_adjustment\` (\`member_id\`, \`id\`);`);
    this.addSql(`create index \`points_adjustment_region_idx\` on \`points_adjustment\` (\`region_id\`, \`id\`);`);
    this.addSql(`create index \`points_adjustment_store_idx\` on \`points_adjustment\` (\`store_id\`, \`id\`);`);
    this.addSql(`create index \`points_adjustment_status_idx\` on \`points_adjustment\` (\`status\`, \`id\`);`);
    this.addSql(`create unique index \`points_adjustment_requester_key_unique\` on \`points_adjustment\` (\`requested_by_id\`, \`idempotency_key\`);`);

    this.addSql(`create index \`app_user_phone_idx\` on \`app_user\` (\`phone\`);`);
  }

}
