import { Migration } from '@mikro-orm/migrations';

export class Migration20261123105602 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox\` (\`id\` int unsigned not null auto_increment primary key, \`topic\` varchar(32) not null, \`ref\` varchar(64) not null, \`status\` enum('PENDING', 'DONE', 'DEAD') not null default 'PENDING', \`attempts\` int not null default 0, \`available_at\` datetime(3) not null, \`last_error\` varchar(255) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`outbox\` add index \`outbox_due_idx\`(\`status\`, \`available_at\`);`);

    this.addSql(`create table \`subscribe_consent\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`template_id\` varchar(64) not null, \`remaining\` int not null default 0, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`subscribe_consent\` add index \`subscribe_consent_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`subscribe_consent\` add unique \`subscribe_consent_member_template_unique\`(\`member_id\`, \`template_id\`);`);

    this.addSql(`create table \`notification\` (\`id\` int unsigned not null auto_increment primary key, \`member_id\` int unsigned not null, \`kind\` varchar(32) not null, \`ref\` varchar(64) not null, \`title\` varchar(64) not null, \`body\` varchar(512) not null, \`page\` varchar(128) null, \`template_id\` varchar(64) null, \`template_data\` json null, \`delivery\` enum('PENDING', 'WECHAT', 'IN_APP') not null, \`msgid\` varchar(32) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification\` add index \`notification_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`notification\` add index \`notification_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`notification\` add unique \`notification_member_kind_ref_unique\`(\`member_id\`, \`kind\`, \`ref\`);`);

    this.addSql(`create table \`club\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(40) not null, \`theme\` varchar(32) not null, \`cover_url\` varchar(512) null, \`description\` text not null, \`join_policy\` enum('OPEN', 'APPROVAL', 'TIER_MIN', 'INVITE') not null, \`min_tier_id\` int unsigned null, \`invite_code\` varchar(16) null, \`member_cap\` int null, \`member_count\` int not null default 0, \`store_id\` int unsigned null, \`created_by_id\` int unsigned null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`club\` add index \`club_min_tier_id_index\`(\`min_tier_id\`);`);
    this.addSql(`alter table \`club\` add unique \`club_invite_code_unique\`(\`invite_code\`);`);
    this.addSql(`alter table \`club\` add index \`club_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`club\` add index \`club_created_by_id_index\`(\`created_by_id\`);`);

    this.addSql(`create table \`club_post\` (\`id\` int unsigned not null auto_increment primary key, \`club_id\` int unsigned not null, \`author_id\` int unsigned null, \`title\` varchar(40) not null, \`body\` text not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`club_post\` add index \`club_post_club_id_index\`(\`club_id\`);`);
    this.addSql(`alter table \`club_post\` add index \`club_post_author_id_index\`(\`author_id\`);`);
    this.addSql(`alter table \`club_post\` add index \`club_post_club_idx\`(\`club_id\`, \`id\`);`);

    this.addSql(`create table \`club_member\` (\`id\` int unsigned not null auto_increment primary key, \`club_id\` int unsigned not null, \`member_id\` int unsigned not null, \`role\` enum('MEMBER', 'ORGANIZER') not null, \`status\` enum('PENDING', 'ACTIVE', 'LEFT', 'REMOVED', 'REJECTED') not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`club_member\` add index \`club_member_club_id_index\`(\`club_id\`);`);
    this.addSql(`alter table \`club_member\` add index \`club_member_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`club_member\` add index \`club_member_club_status_idx\`(\`club_id\`, \`status\`);`);
    this.addSql(`alter table \`club_member\` add unique \`club_member_club_member_unique\`(\`club_id\`, \`member_id\`);`);

    this.addSql(`create table \`club_event\` (\`id\` int unsigned not null auto_increment primary key, \`club_id\` int unsigned not null, \`title\` varchar(40) not null, \`description\` text not null, \`starts_at\` datetime(3) not null, \`ends_at\` datetime(3) not null, \`address\` varchar(128) not null, \`lat\` double null, \`lng\` double null, \`store_id\` int unsigned null, \`capacity\` int not null, \`confirmed_count\` int not null default 0, \`waitlist_seq\` int not null default 0, \`min_tier_id\` int unsigned null, \`points_cost\` int not null default 0, \`points_reward\` int not null default 0, \`rsvp_deadline\` datetime(3) null, \`refund_cutoff\` datetime(3) null, \`allow_walk_ins\` tinyint(1) not null default false, \`status\` enum('DRAFT', 'PUBLISHED', 'CANCELLED', 'FINISHED') not null default 'DRAFT', \`cancel_reason\` varchar(128) null, \`reminded_at\` datetime(3) null, \`created_by_id\` int unsigned null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`club_event\` add index \`club_event_club_id_index\`(\`club_id\`);`);
    this.addSql(`alter table \`club_event\` add index \`club_event_store_id_index\`(\`store_id\`);`);
    this.addSql(`alter table \`club_event\` add index \`club_event_min_tier_id_index\`(\`min_tier_id\`);`);
    this.addSql(`alter table \`club_event\` add index \`club_event_created_by_id_index\`(\`created_by_id\`);`);
    this.addSql(`alter table \`club_event\` add index \`club_event_status_start_idx\`(\`status\`, \`starts_at\`);`);
    this.addSql(`alter table \`club_event\` add index \`club_event_club_start_idx\`(\`club_id\`, \`starts_at\`);`);

    this.addSql(`create table \`event_rsvp\` (\`id\` int unsigned not null auto_increment primary key, \`event_id\` int unsigned not null, \`member_id\` int unsigned not null, \`live_member_id\` int null, \`status\` enum('CONFIRMED', 'WAITLISTED', 'CANCELLED') not null, \`waitlist_seq\` int null, \`points_paid\` int not null default 0, \`points_refunded\` int not null default 0, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`promoted_at\` datetime(3) null, \`cancelled_at\` datetime(3) null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`event_rsvp\` add index \`event_rsvp_event_id_index\`(\`event_id\`);`);
    this.addSql(`alter table \`event_rsvp\` add index \`event_rsvp_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`event_rsvp\` add index \`event_rsvp_event_status_idx\`(\`event_id\`, \`status\`, \`waitlist_seq\`);`);
    this.addSql(`alter table \`event_rsvp\` add unique \`event_rsvp_live_unique\`(\`event_id\`, \`live_member_id\`);`);

    this.addSql(`create table \`event_attendance\` (\`id\` int unsigned not null auto_increment primary key, \`event_id\` int unsigned not null, \`member_id\` int unsigned not null, \`rsvp_id\` int unsigned null, \`walk_in\` tinyint(1) not null default false, \`points_awarded\` int not null default 0, \`checked_in_by_id\` int unsigned null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`event_attendance\` add index \`event_attendance_event_id_index\`(\`event_id\`);`);
    this.addSql(`alter table \`event_attendance\` add index \`event_attendance_member_id_index\`(\`member_id\`);`);
    this.addSql(`alter table \`event_attendance\` add index \`event_attendance_rsvp_id_index\`(\`rsvp_id\`);`);
    this.addSql(`alter table \`event_attendance\` add index \`event_attendance_checked_in_by_id_index\`(\`checked_in_by_id\`);`);
    this.addSql(`alter table \`event_attendance\` add index \`event_attendance_member_idx\`(\`member_id\`, \`id\`);`);
    this.addSql(`alter table \`event_attendance\` add unique \`event_attendance_event_member_unique\`(\`event_id\`, \`member_id\`);`);

    this.addSql(`alter table \`subscribe_consent\` add constraint \`subscribe_consent_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`notification\` add constraint \`notification_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`club\` add constraint \`club_min_tier_id_foreign\` foreign key (\`min_tier_id\`) references \`tier\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club\` add constraint \`club_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club\` add constraint \`club_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`club_post\` add constraint \`club_post_club_id_foreign\` foreign key (\`club_id\`) references \`club\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club_post\` add constraint \`club_post_author_id_foreign\` foreign key (\`author_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`club_member\` add constraint \`club_member_club_id_foreign\` foreign key (\`club_id\`) references \`club\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club_member\` add constraint \`club_member_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`club_event\` add constraint \`club_event_club_id_foreign\` foreign key (\`club_id\`) references \`club\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club_event\` add constraint \`club_event_store_id_foreign\` foreign key (\`store_id\`) references \`store\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club_event\` add constraint \`club_event_min_tier_id_foreign\` foreign key (\`min_tier_id\`) references \`tier\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`club_event\` add constraint \`club_event_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`event_rsvp\` add constraint \`event_rsvp_event_id_foreign\` foreign key (\`event_id\`) references \`club_event\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`event_rsvp\` add constraint \`event_rsvp_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);

    this.addSql(`alter table \`event_attendance\` add constraint \`event_attendance_event_id_foreign\` foreign key (\`event_id\`) references \`club_event\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`event_attendance\` add constraint \`event_attendance_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`event_attendance\` add constraint \`event_attendance_rsvp_id_foreign\` foreign key (\`rsvp_id\`) references \`event_rsvp\` (\`id\`) on update cascade on delete restrict;`);
    this.addSql(`alter table \`event_attendance\` add constraint \`event_attendance_checked_in_by_id_foreign\` foreign key (\`checked_in_by_id\`) references \`app_user\` (\`id\`) on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`club_post\` drop foreign key \`club_post_club_id_foreign\`;`);

    this.addSql(`alter table \`club_member\` drop foreign key \`club_member_club_id_foreign\`;`);

    this.addSql(`alter table \`club_event\` drop foreign key \`club_event_club_id_foreign\`;`);

    this.addSql(`alter table \`event_rsvp\` drop foreign key \`event_rsvp_event_id_foreign\`;`);

    this.addSql(`alter table \`event_attendance\` drop foreign key \`event_attendance_event_id_foreign\`;`);

    this.addSql(`alter table \`event_attendance\` drop foreign key \`event_attendance_rsvp_id_foreign\`;`);

    this.addSql(`drop table if exists \`outbox\`;`);

    this.addSql(`drop table if exists \`subscribe_consent\`;`);

    this.addSql(`drop table if exists \`notification\`;`);

    this.addSql(`drop table if exists \`club\`;`);

    this.addSql(`drop table if exists \`club_post\`;`);

    this.addSql(`drop table if exists \`club_member\`;`);

    this.addSql(`drop table if exists \`club_event\`;`);

    this.addSql(`drop table if exists \`event_rsvp\`;`);

    this.addSql(`drop table if exists \`event_attendance\`;`);
  }

}
