import { Migration } from '@mikro-orm/migrations';

export class Migration20261206171328 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytics_settings\` (\`id\` int unsigned not null default 1, \`active_days\` int not null, \`point_value_fen_per100\` int not null, \`lifecycle\` json not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`member_profile\` (\`member_id\` int unsigned not null, \`gender\` varchar(8) null, \`birthday\` varchar(10) null, \`home_store_id\` int unsigned null, \`lat\` double null, \`lng\` double null, \`location_consent\` tinyint(1) not null default false, \`location_consent_at\` datetime(3) null, \`updated_at\` datetime(3) not null, primary key (\`member_id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`member_profile\` add index \`member_profile_home_store_id_index\`(\`home_store_id\`);`);
    this.addSql(`alter table \`member_profile\` add index \`member_profile_location_idx\`(\`location_consent\`, \`lat\`, \`lng\`);`);

    this.addSql(`alter table \`member_profile\` add constraint \`member_profile_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`member_profile\` add constraint \`member_profile_home_store_id_foreign\` foreign key (\`home_store_id\`) references \`store\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`member\` add index \`member_created_idx\`(\`created_at\`);`);

    this.addSql(`alter table \`purchase\` add index \`purchase_time_idx\`(\`created_at\`, \`member_id\`, \`amount_fen\`);`);

    this.addSql(`alter table \`points_entry\` add index \`points_entry_time_idx\`(\`created_at\`, \`kind\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`analytics_settings\`;`);

    this.addSql(`drop table if exists \`member_profile\`;`);

    this.addSql(`alter table \`points_entry\` drop index \`points_entry_time_idx\`;`);

    this.addSql(`alter table \`member\` drop index \`member_created_idx\`;`);

    this.addSql(`alter table \`purchase\` drop index \`purchase_time_idx\`;`);
  }

}
