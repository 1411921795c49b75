import { Migration } from '@mikro-orm/migrations';

export class Migration20261206171204 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`points_adjustment\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`delta\` int not null, \`reason\` varchar(100) not null, \`status\` enum('PENDING', 'APPLIED', 'REJECTED') not null, \`store_id\` int unsigned null, \`region_id\` int null, \`requested_by_id\` int unsigned not null, \`idempotency_key\` varchar(96) not null, \`request_hash\` varchar(64) not null, \`decided_by_id\` int unsigned null, \`decision_note\` varchar(100) null, \`entry_id\` int null, \`created_at\` datetime(3) not null, \`decided_at\` datetime(3) null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_requested_by_id_index\`(\`requested_by_id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_decided_by_id_index\`(\`decided_by_id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_region_idx\`(\`region_id\`, \`id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_store_idx\`(\`store_id\`, \`id\`);`);
    this.addSql(`alter table \`points_adjustment\` add index \`points_adjustment_status_idx\`(\`status\`, \`id\`);`);
    this.addSql(`alter table \`points_adjustment\` add unique \`points_adjustment_requester_key_unique\`(\`requested_by_id\`, \`idempotency_key\`);`);

    this.addSql(`alter table \`points_adjustment\` add constraint \`points_adjustment_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`points_adjustment\` add constraint \`points_adjustment_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`points_adjustment\` add constraint \`points_adjustment_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`points_adjustment\` add constraint \`points_adjustment_decided_by_id_foreign\` foreign key (\`decided_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`app_user\` add index \`app_user_phone_idx\`(\`phone\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`points_adjustment\`;`);

    this.addSql(`alter table \`app_user\` drop index \`app_user_phone_idx\`;`);
  }

}
