import { Migration } from '@mikro-orm/migrations';

export class Migration20261206171328 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_settings\` (\`id\` integer not null default 1, \`active_days\` integer not null, \`point_value_fen_per100\` integer not null, \`lifecycle\` json not null, \`updated_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`member_profile\` (\`member_id\` integer not null, \`gender\` text null, \`birthday\` text null, \`home_store_id\` integer null, \`lat\` double null, \`lng\` double null, \`location_consent\` integer not null default false, \`location_consent_at\` datetime null, \`updated_at\` datetime not null, constraint \`member_profile_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete cascade on update cascade, constraint \`member_profile_home_store_id_foreign\` foreign key(\`home_store_id\`) references \`store\`(\`id\`) on delete set null on update cascade, primary key (\`member_id\`));`);
    this.addSql(`create index \`member_profile_home_store_id_index\` on \`member_profile\` (\`home_store_id\`);`);
    this.addSql(`create index \`member_profile_location_idx\` on \`member_profile\` (\`location_consent\`, \`lat\`, \`lng\`);`);

    this.addSql(`create index \`member_created_idx\` on \`member\` (\`created_at\`);`);

    this.addSql(`create index \`purchase_time_idx\` on \`purchase\` (\`created_at\`, \`member_id\`, \`amount_fen\`);`);

    this.addSql(`create index \`points_entry_time_idx\` on \`points_entry\` (\`created_at\`, \`kind\`);`);
  }

}
