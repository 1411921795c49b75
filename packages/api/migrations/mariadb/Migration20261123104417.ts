import { Migration } from '@mikro-orm/migrations';

export class Migration20261123104417 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`pay_order\` (\`id\` int unsigned not null auto_increment primary key, \`out_trade_no\` varchar(32) not null, \`member_id\` int unsigned null, \`store_id\` int unsigned not null, \`created_by_id\` int unsigned null, \`amount_fen\` int not null, \`description\` varchar(127) not null, \`lines\` json not null, \`state\` enum('PENDING', 'PAID', 'CLOSED') not null default 'PENDING', \`prepay_id\` varchar(64) null, \`transaction_id\` varchar(32) null, \`points\` int null, \`refunded_fen\` int not null default 0, \`points_reversed\` int not null default 0, \`expires_at\` datetime(3) not null, \`paid_at\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`pay_order\` add unique \`pay_order_out_trade_no_unique\`(\`out_trade_no\`);`);
    this.addSql(`alter table \`pay_order\` add index \`pay_order_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`pay_order\` add index \`pay_order_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`pay_order\` add index \`pay_order_created_by_id_index\`(\`created_by_id\`);`);
    this.addSql(`alter table \`pay_order\` add unique \`pay_order_transaction_id_unique\`(\`transaction_id\`);`);
    this.addSql(`alter table \`pay_order\` add index \`pay_order_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`pay_order\` add index \`pay_order_state_created_idx\`(\`state\`, \`created_at\`);`);

    this.addSql(`create table \`pay_refund\` (\`id\` int unsigned not null auto_increment primary key, \`order_id\` int unsigned not null, \`out_refund_no\` varchar(64) not null, \`amount_fen\` int not null, \`reason\` varchar(80) null, \`status\` enum('PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL') not null default 'PROCESSING', \`refund_id\` varchar(64) null, \`points_reversed\` int not null default 0, \`points_uncollected\` int not null default 0, \`created_by_id\` int unsigned null, \`request_hash\` varchar(64) not null, \`created_at\` datetime(3) not null, \`completed_at\` datetime(3) null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`pay_refund\` add index \`pay_refund_order_id_index\`(\`order_id\`);`);
    this.addSql(`alter table \`pay_refund\` add unique \`pay_refund_out_refund_no_unique\`(\`out_refund_no\`);`);
    this.addSql(`alter table \`pay_refund\` add index \`pay_refund_created_by_id_index\`(\`created_by_id\`);`);

    this.addSql(`alter table \`pay_order\` add constraint \`pay_order_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`pay_order\` add constraint \`pay_order_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`pay_order\` add constraint \`pay_order_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`pay_refund\` add constraint \`pay_refund_order_id_foreign\` foreign key (\`order_id\`) references \`pay_order\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`pay_refund\` add constraint \`pay_refund_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`pay_refund\` drop foreign key \`pay_refund_order_id_foreign\`;`);

    this.addSql(`drop table if exists \`pay_order\`;`);

    this.addSql(`drop table if exists \`pay_refund\`;`);
  }

}
