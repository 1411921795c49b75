import { Migration } from '@mikro-orm/migrations';

export class Migration20261206154529 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`pay_anomaly\` (\`id\` integer not null primary key autoincrement, \`order_id\` integer not null, \`transaction_id\` text not null, \`kind\` text check (\`kind\` in ('AMOUNT_MISMATCH', 'MERCHANT_MISMATCH', 'PAYER_MISMATCH', 'TRANSACTION_REUSED', 'PAID_TWICE')) not null, \`expected\` text not null, \`received\` text not null, \`source\` text not null, \`first_seen_at\` datetime not null, \`last_seen_at\` datetime not null, \`times_seen\` integer not null default 1, \`resolved_by_id\` integer null, \`resolved_at\` datetime null, \`resolution_note\` text null, constraint \`pay_anomaly_order_id_foreign\` foreign key(\`order_id\`) references \`pay_order\`(\`id\`) on delete restrict on update cascade, constraint \`pay_anomaly_resolved_by_id_foreign\` foreign key(\`resolved_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`pay_anomaly_order_id_index\` on \`pay_anomaly\` (\`order_id\`);`);
    this.addSql(`create index \`pay_anomaly_resolved_by_id_index\` on \`pay_anomaly\` (\`resolved_by_id\`);`);
    this.addSql(`create index \`pay_anomaly_resolved_idx\` on \`pay_anomaly\` (\`resolved_at\`, \`id\`);`);
    this.addSql(`create unique index \`pay_anomaly_order_tx_kind_unique\` on \`pay_anomaly\` (\`order_id\`, \`transaction_id\`, \`kind\`);`);
  }

}
