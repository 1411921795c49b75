import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165747 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`sms_message\` (\`id\` int unsigned not null auto_increment primary key, \`kind\` varchar(16) not null, \`ref\` varchar(64) not null, \`member_id\` int unsigned null, \`phone\` varchar(20) not null, \`template_id\` varchar(20) not null, \`params_sealed\` varchar(512) null, \`status\` enum('PENDING', 'SENDING', 'SENT', 'FAILED', 'UNKNOWN') not null default 'PENDING', \`attempts\` int not null default 0, \`serial_no\` varchar(64) null, \`error_code\` varchar(64) null, \`expires_at\` datetime(3) null, \`sent_at\` datetime(3) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`sms_message\` add index \`sms_message_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`sms_message\` add index \`sms_message_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`sms_message\` add unique \`sms_message_kind_ref_unique\`(\`kind\`, \`ref\`);`);

    this.addSql(`alter table \`sms_message\` add constraint \`sms_message_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`sms_message\`;`);
  }

}
