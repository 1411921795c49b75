import { Migration } from '@mikro-orm/migrations';

export class Migration20261123104417 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`pay_order\` (\`id\` integer not null primary key autoincrement, \`out_trade_no\` text not null, \`member_id\` integer null, \`store_id\` integer not null, \`created_by_id\` integer null, \`amount_fen\` integer not null, \`description\` text not null, \`lines\` json not null, \`state\` text check (\`state\` in ('PENDING', 'PAID', 'CLOSED')) not null default 'PENDING', \`prepay_id\` text null, \`transaction_id\` text null, \`points\` integer null, \`refunded_fen\` integer not null default 0, \`points_reversed\` integer not null default 0, \`expires_at\` datetime not null, \`paid_at\` datetime null, \`created_at\` datetime not null, constraint \`pay_order_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`pay_order_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`pay_order_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create unique index \`pay_order_out_trade_no_unique\` on \`pay_order\` (\`out_trade_no\`);`);
    this.addSql(`create index \`pay_order_member_id_index\` on \`pay_order\` (\`member_id\`);`);
    this.addSql(`create index \`pay_order_store_id_index\` on \`pay_order\` (\`store_id\`);`);
    this.addSql(`create index \`pay_order_created_by_id_index\` on \`pay_order\` (\`created_by_id\`);`);
    this.addSql(`create unique index \`pay_order_transaction_id_unique\` on \`pay_order\` (\`transaction_id\`);`);
    this.addSql(`create index \`pay_order_member_idx\` on \`pay_order\` (\`member_id\`, \`id\`);`);
    this.addSql(`create index \`pay_order_state_created_idx\` on \`pay_order\` (\`state\`, \`created_at\`);`);

    this.addSql(`create table \`pay_refund\` (\`id\` integer not null primary key autoincrement, \`order_id\` integer not null, \`out_refund_no\` text not null, \`amount_fen\` integer not null, \`reason\` text null, \`status\` text check (\`status\` in ('PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL')) not null default 'PROCESSING', \`refund_id\` text null, \`points_reversed\` integer not null default 0, \`points_uncollected\` integer not null default 0, \`created_by_id\` integer null, \`request_hash\` text not null, \`created_at\` datetime not null, \`completed_at\` datetime null, constraint \`pay_refund_order_id_foreign\` foreign key(\`order_id\`) references \`pay_order\`(\`id\`) on delete restrict on update cascade, constraint \`pay_refund_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`pay_refund_order_id_index\` on \`pay_refund\` (\`order_id\`);`);
    this.addSql(`create unique index \`pay_refund_out_refund_no_unique\` on \`pay_refund\` (\`out_refund_no\`);`);
    this.addSql(`create index \`pay_refund_created_by_id_index\` on \`pay_refund\` (\`created_by_id\`);`);
  }

}
