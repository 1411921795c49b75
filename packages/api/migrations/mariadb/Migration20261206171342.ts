import { Migration } from '@mikro-orm/migrations';

export class Migration20261206171342 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`rating_program\` (\`id\` int unsigned not null default 1, \`bonus_points\` int not null default 0, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`service_rating\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`kind\` enum('PURCHASE', 'PAYMENT', 'REDEMPTION', 'CHECKIN') not null, \`operation_id\` int not null, \`summary\` varchar(96) not null, \`store_id\` int unsigned null, \`region_id\` int unsigned null, \`staff_id\` int unsigned null, \`stars\` smallint not null, \`comment\` varchar(255) null, \`operation_at\` datetime(3) not null, \`points_awarded\` int not null default 0, \`follow_up\` enum('NONE', 'OPEN', 'ACKNOWLEDGED', 'RESOLVED') not null, \`acknowledged_by_id\` int unsigned null, \`acknowledged_at\` datetime(3) null, \`resolved_by_id\` int unsigned null, \`resolved_at\` datetime(3) null, \`resolution_note\` varchar(500) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_region_id_index\`(\`region_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_staff_id_index\`(\`staff_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_acknowledged_by_id_index\`(\`acknowledged_by_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_resolved_by_id_index\`(\`resolved_by_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_time_idx\`(\`created_at\`, \`store_id\`, \`stars\`, \`follow_up\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_region_time_idx\`(\`region_id\`, \`created_at\`, \`stars\`, \`follow_up\`, \`store_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_store_time_idx\`(\`store_id\`, \`created_at\`, \`stars\`, \`follow_up\`, \`staff_id\`);`);
    this.addSql(`alter table \`service_rating\` add index \`service_rating_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`service_rating\` add unique \`service_rating_operation_unique\`(\`kind\`, \`operation_id\`);`);

    this.addSql(`alter table \`service_rating\` add constraint \`service_rating_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`service_rating\` add constraint \`service_rating_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`service_rating\` add constraint \`service_rating_region_id_foreign\` foreign key (\`region_id\`) references \`region\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`service_rating\` add constraint \`service_rating_staff_id_foreign\` foreign key (\`staff_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`service_rating\` add constraint \`service_rating_acknowledged_by_id_foreign\` foreign key (\`acknowledged_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`service_rating\` add constraint \`service_rating_resolved_by_id_foreign\` foreign key (\`resolved_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`rating_program\`;`);

    this.addSql(`drop table if exists \`service_rating\`;`);
  }

}
