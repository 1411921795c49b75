import { Migration } from '@mikro-orm/migrations';

export class Migration20261206171342 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`rating_program\` (\`id\` integer not null default 1, \`bonus_points\` integer not null default 0, primary key (\`id\`));`);

    this.addSql(`create table \`service_rating\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`kind\` text check (\`kind\` in ('PURCHASE', 'PAYMENT', 'REDEMPTION', 'CHECKIN')) not null, \`operation_id\` integer not null, \`summary\` text not null, \`store_id\` integer null, \`region_id\` integer null, \`staff_id\` integer null, \`stars\` integer not null, \`comment\` text null, \`operation_at\` datetime not null, \`points_awarded\` integer not null default 0, \`follow_up\` text check (\`follow_up\` in ('NONE', 'OPEN', 'ACKNOWLEDGED', 'RESOLVED')) not null, \`acknowledged_by_id\` integer null, \`acknowledged_at\` datetime null, \`resolved_by_id\` integer null, \`resolved_at\` datetime null, \`resolution_note\` text null, \`created_at\` datetime not null, constraint \`service_rating_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`service_rating_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`service_rating_region_id_foreign\` foreign key(\`region_id\`) references \`region\`(\`id\`) on delete restrict on update cascade, constraint \`service_rating_staff_id_foreign\` foreign key(\`staff_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, constraint \`service_rating_acknowledged_by_id_foreign\` foreign key(\`acknowledged_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, constraint \`service_rating_resolved_by_id_foreign\` foreign key(\`resolved_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`service_rating_member_id_index\` on \`service_rating\` (\`member_id\`);`);
    this.addSql(`create index \`service_rating_store_id_index\` on \`service_rating\` (\`store_id\`);`);
    this.addSql(`create index \`service_rating_region_id_index\` on \`service_rating\` (\`region_id\`);`);
    this.addSql(`create index \`service_rating_staff_id_index\` on \`service_rating\` (\`staff_id\`);`);
    this.addSql(`create index \`service_rating_acknowledged_by_id_index\` on \`service_rating\` (\`acknowledged_by_id\`);`);
    this.addSql(`create index \`service_rating_resolved_by_id_index\` on \`service_rating\` (\`resolved_by_id\`);`);
    this.addSql(`create index \`service_rating_time_idx\` on \`service_rating\` (\`created_at\`, \`store_id\`, \`stars\`, \`follow_up\`);`);
    this.addSql(`create index \`service_rating_region_time_idx\` on \`service_rating\` (\`region_id\`, \`created_at\`, \`stars\`, \`follow_up\`, \`store_id\`);`);
    this.addSql(`create index \`service_rating_store_time_idx\` on \`service_rating\` (\`store_id\`, \`created_at\`, \`stars\`, \`follow_up\`, \`staff_id\`);`);
    this.addSql(`create index \`service_rating_member_idx\` on \`service_rating\` (\`member_id\`, \`id\`);`);
    this.addSql(`create unique index \`service_rating_operation_unique\` on \`service_rating\` (\`kind\`, \`operation_id\`);`);
  }

}
