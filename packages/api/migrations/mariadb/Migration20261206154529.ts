import { Migration } from '@mikro-orm/migrations';

export class Migration20261206154529 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`pay_anomaly\` (\`id\` int unsigned not null auto_increment primary key, \`order_id\` int unsigned not null, \`transaction_id\` varchar(32) not null, \`kind\` enum('AMOUNT_MISMATCH', 'MERCHANT_MISMATCH', 'PAYER_MISMATCH', 'TRANSACTION_REUSED', 'PAID_TWICE') not null, \`expected\` varchar(128) not null, \`received\` varchar(128) not null, \`source\` varchar(8) not null, \`first_seen_at\` datetime(3) not null, \`last_seen_at\` datetime(3) not null, \`times_seen\` int not null default 1, \`resolved_by_id\` int unsigned null, \`resolved_at\` datetime(3) null, \`resolution_note\` varchar(500) null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`pay_anomaly\` add index \`pay_anomaly_order_id_index\`(\`order_id\`);`);
    this.addSql(`alter table \`pay_anomaly\` add index \`pay_anomaly_resolved_by_id_index\`(\`resolved_by_id\`);`);
    this.addSql(`alter table \`pay_anomaly\` add index \`pay_anomaly_resolved_idx\`(\`resolved_at\`, \`id\`);`);
    this.addSql(`alter table \`pay_anomaly\` add unique \`pay_anomaly_order_tx_kind_unique\`(\`order_id\`, \`transaction_id\`, \`kind\`);`);

    this.addSql(`alter table \`pay_anomaly\` add constraint \`pay_anomaly_order_id_foreign\` foreign key (\`order_id\`) references \`pay_order\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`pay_anomaly\` add constraint \`pay_anomaly_resolved_by_id_foreign\` foreign key (\`resolved_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`pay_anomaly\`;`);
  }

}
