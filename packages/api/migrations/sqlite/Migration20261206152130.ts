import { Migration } from '@mikro-orm/migrations';

export class Migration20261206152130 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_log\` (\`id\` integer not null primary key autoincrement, \`actor_user_id\` integer not null, \`action\` text not null, \`target_type\` text not null, \`target_id\` text null, \`region_id\` integer null, \`store_id\` integer null, \`before_json\` text null, \`after_json\` text null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`audit_log_actor_user_id_index\` on \`audit_log\` (\`actor_user_id\`);`);
    this.addSql(`create index \`audit_log_region_id_index\` on \`audit_log\` (\`region_id\`);`);
    this.addSql(`create index \`audit_log_store_id_index\` on \`audit_log\` (\`store_id\`);`);
    this.addSql(`create index \`audit_log_action_idx\` on \`audit_log\` (\`action\`, \`created_at\`);`);
    this.addSql(`create index \`audit_log_created_idx\` on \`audit_log\` (\`created_at\`, \`id\`);`);

    this.addSql(`create table \`console_login\` (\`id\` integer not null primary key autoincrement, \`ticket_hash\` text not null, \`status\` text not null, \`user_id\` integer null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`confirmed_at\` datetime null, \`consumed_at\` datetime null);`);
    this.addSql(`create unique index \`console_login_ticket_hash_unique\` on \`console_login\` (\`ticket_hash\`);`);
    this.addSql(`create index \`console_login_expires_at_index\` on \`console_login\` (\`expires_at\`);`);
  }

}
