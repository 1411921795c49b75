import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165747 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`sms_message\` (\`id\` integer not null primary key autoincrement, \`kind\` text not null, \`ref\` text not null, \`member_id\` integer null, \`phone\` text not null, \`template_id\` text not null, \`params_sealed\` text null, \`status\` text check (\`status\` in ('PENDING', 'SENDING', 'SENT', 'FAILED', 'UNKNOWN')) not null default 'PENDING', \`attempts\` integer not null default 0, \`serial_no\` text null, \`error_code\` text null, \`expires_at\` datetime null, \`sent_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`sms_message_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`sms_message_member_id_index\` on \`sms_message\` (\`member_id\`);`);
    this.addSql(`create index \`sms_message_member_idx\` on \`sms_message\` (\`member_id\`, \`id\`);`);
    this.addSql(`create unique index \`sms_message_kind_ref_unique\` on \`sms_message\` (\`kind\`, \`ref\`);`);
  }

}
