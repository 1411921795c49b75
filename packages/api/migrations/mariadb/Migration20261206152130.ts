import { Migration } from '@mikro-orm/migrations';

export class Migration20261206152130 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_log\` (\`id\` int unsigned not null auto_increment primary key, \`actor_user_id\` int not null, \`action\` varchar(48) not null, \`target_type\` varchar(32) not null, \`target_id\` varchar(64) null, \`region_id\` int null, \`store_id\` int null, \`before_json\` text null, \`after_json\` text null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`audit_log\` add index \`audit_log_actor_user_id_index\`(\`actor_user_id\`);`);
    this.addSql(`alter table \`audit_log\` add index \`audit_log_region_id_index\`(\`region_id\`);`);
    this.addSql(`alter table \`audit_log\` add index \`audit_log_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`audit_log\` add index \`audit_log_action_idx\`(\`action\`, \`created_at\`);`);
    this.addSql(`alter table \`audit_log\` add index \`audit_log_created_idx\`(\`created_at\`, \`id\`);`);

    this.addSql(`create table \`console_login\` (\`id\` int unsigned not null auto_increment primary key, \`ticket_hash\` varchar(64) not null, \`status\` varchar(12) not null, \`user_id\` int null, \`created_at\` datetime(3) not null, \`expires_at\` datetime(3) not null, \`confirmed_at\` datetime(3) null, \`consumed_at\` datetime(3) null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`console_login\` add unique \`console_login_ticket_hash_unique\`(\`ticket_hash\`);`);
    this.addSql(`alter table \`console_login\` add index \`console_login_expires_at_index\`(\`expires_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`audit_log\`;`);

    this.addSql(`drop table if exists \`console_login\`;`);
  }

}
