import { Migration } from '@mikro-orm/migrations';

export class Migration20261123105602 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox\` (\`id\` integer not null primary key autoincrement, \`topic\` text not null, \`ref\` text not null, \`status\` text check (\`status\` in ('PENDING', 'DONE', 'DEAD')) not null default 'PENDING', \`attempts\` integer not null default 0, \`available_at\` datetime not null, \`last_error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create index \`outbox_due_idx\` on \`outbox\` (\`status\`, \`available_at\`);`);

    this.addSql(`create table \`subscribe_consent\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`template_id\` text not null, \`remaining\` integer not null default 0, \`updated_at\` datetime not null, constraint \`subscribe_consent_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`subscribe_consent_member_id_index\` on \`subscribe_consent\` (\`member_id\`);`);
    this.addSql(`create unique index \`subscribe_consent_member_template_unique\` on \`subscribe_consent\` (\`member_id\`, \`template_id\`);`);

    this.addSql(`create table \`notification\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`kind\` text not null, \`ref\` text not null, \`title\` text not null, \`body\` text not null, \`page\` text null, \`template_id\` text null, \`template_data\` json null, \`delivery\` text check (\`delivery\` in ('PENDING', 'WECHAT', 'IN_APP')) not null, \`msgid\` text null, \`created_at\` datetime not null, constraint \`notification_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`notification_member_id_index\` on \`notification\` (\`member_id\`);`);
    this.addSql(`create index \`notification_member_idx\` on \`notification\` (\`member_id\`, \`id\`);`);
    this.addSql(`create unique index \`notification_member_kind_ref_unique\` on \`notification\` (\`member_id\`, \`kind\`, \`ref\`);`);

    this.addSql(`create table \`club\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`theme\` text not null, \`cover_url\` text null, \`description\` text not null, \`join_policy\` text check (\`join_policy\` in ('OPEN', 'APPROVAL', 'TIER_MIN', 'INVITE')) not null, \`min_tier_id\` integer null, \`invite_code\` text null, \`member_cap\` integer null, \`member_count\` integer not null default 0, \`store_id\` integer null, \`created_by_id\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`club_min_tier_id_foreign\` foreign key(\`min_tier_id\`) references \`tier\`(\`id\`) on delete restrict on update cascade, constraint \`club_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`club_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`club_min_tier_id_index\` on \`club\` (\`min_tier_id\`);`);
    this.addSql(`create unique index \`club_invite_code_unique\` on \`club\` (\`invite_code\`);`);
    this.addSql(`create index \`club_store_id_index\` on \`club\` (\`store_id\`);`);
    this.addSql(`create index \`club_created_by_id_index\` on \`club\` (\`created_by_id\`);`);

    this.addSql(`create table \`club_post\` (\`id\` integer not null primary key autoincrement, \`club_id\` integer not null, \`author_id\` integer null, \`title\` text not null, \`body\` text not null, \`created_at\` datetime not null, constraint \`club_post_club_id_foreign\` foreign key(\`club_id\`) references \`club\`(\`id\`) on delete restrict on update cascade, constraint \`club_post_author_id_foreign\` foreign key(\`author_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`club_post_club_id_index\` on \`club_post\` (\`club_id\`);`);
    this.addSql(`create index \`club_post_author_id_index\` on \`club_post\` (\`author_id\`);`);
    this.addSql(`create index \`club_post_club_idx\` on \`club_post\` (\`club_id\`, \`id\`);`);

    this.addSql(`create table \`club_member\` (\`id\` integer not null primary key autoincrement, \`club_id\` integer not null, \`member_id\` integer not null, \`role\` text check (\`role\` in ('MEMBER', 'ORGANIZER')) not null, \`status\` text check (\`status\` in ('PENDING', 'ACTIVE', 'LEFT', 'REMOVED', 'REJECTED')) not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`club_member_club_id_foreign\` foreign key(\`club_id\`) references \`club\`(\`id\`) on delete restrict on update cascade, constraint \`club_member_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`club_member_club_id_index\` on \`club_member\` (\`club_id\`);`);
    this.addSql(`create index \`club_member_member_id_index\` on \`club_member\` (\`member_id\`);`);
    this.addSql(`create index \`club_member_club_status_idx\` on \`club_member\` (\`club_id\`, \`status\`);`);
    this.addSql(`create unique index \`club_member_club_member_unique\` on \`club_member\` (\`club_id\`, \`member_id\`);`);

    this.addSql(`create table \`club_event\` (\`id\` integer not null primary key autoincrement, \`club_id\` integer not null, \`title\` text not null, \`description\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, \`address\` text not null, \`lat\` double null, \`lng\` double null, \`store_id\` integer null, \`capacity\` integer not null, \`confirmed_count\` integer not null default 0, \`waitlist_seq\` integer not null default 0, \`min_tier_id\` integer null, \`points_cost\` integer not null default 0, \`points_reward\` integer not null default 0, \`rsvp_deadline\` datetime null, \`refund_cutoff\` datetime null, \`allow_walk_ins\` integer not null default false, \`status\` text check (\`status\` in ('DRAFT', 'PUBLISHED', 'CANCELLED', 'FINISHED')) not null default 'DRAFT', \`cancel_reason\` text null, \`reminded_at\` datetime null, \`created_by_id\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`club_event_club_id_foreign\` foreign key(\`club_id\`) references \`club\`(\`id\`) on delete restrict on update cascade, constraint \`club_event_store_id_foreign\` foreign key(\`store_id\`) references \`store\`(\`id\`) on delete restrict on update cascade, constraint \`club_event_min_tier_id_foreign\` foreign key(\`min_tier_id\`) references \`tier\`(\`id\`) on delete restrict on update cascade, constraint \`club_event_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`club_event_club_id_index\` on \`club_event\` (\`club_id\`);`);
    this.addSql(`create index \`club_event_store_id_index\` on \`club_event\` (\`store_id\`);`);
    this.addSql(`create index \`club_event_min_tier_id_index\` on \`club_event\` (\`min_tier_id\`);`);
    this.addSql(`create index \`club_event_created_by_id_index\` on \`club_event\` (\`created_by_id\`);`);
    this.addSql(`create index \`club_event_status_start_idx\` on \`club_event\` (\`status\`, \`starts_at\`);`);
    this.addSql(`create index \`club_event_club_start_idx\` on \`club_event\` (\`club_id\`, \`starts_at\`);`);

    this.addSql(`create table \`event_rsvp\` (\`id\` integer not null primary key autoincrement, \`event_id\` integer not null, \`member_id\` integer not null, \`live_member_id\` integer null, \`status\` text check (\`status\` in ('CONFIRMED', 'WAITLISTED', 'CANCELLED')) not null, \`waitlist_seq\` integer null, \`points_paid\` integer not null default 0, \`points_refunded\` integer not null default 0, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`promoted_at\` datetime null, \`cancelled_at\` datetime null, constraint \`event_rsvp_event_id_foreign\` foreign key(\`event_id\`) references \`club_event\`(\`id\`) on delete restrict on update cascade, constraint \`event_rsvp_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`event_rsvp_event_id_index\` on \`event_rsvp\` (\`event_id\`);`);
    this.addSql(`create index \`event_rsvp_member_id_index\` on \`event_rsvp\` (\`member_id\`);`);
    this.addSql(`create index \`event_rsvp_event_status_idx\` on \`event_rsvp\` (\`event_id\`, \`status\`, \`waitlist_seq\`);`);
    this.addSql(`create unique index \`event_rsvp_live_unique\` on \`event_rsvp\` (\`event_id\`, \`live_member_id\`);`);

    this.addSql(`create table \`event_attendance\` (\`id\` integer not null primary key autoincrement, \`event_id\` integer not null, \`member_id\` integer not null, \`rsvp_id\` integer null, \`walk_in\` integer not null default false, \`points_awarded\` integer not null default 0, \`checked_in_by_id\` integer null, \`created_at\` datetime not null, constraint \`event_attendance_event_id_foreign\` foreign key(\`event_id\`) references \`club_event\`(\`id\`) on delete restrict on update cascade, constraint \`event_attendance_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on delete restrict on update cascade, constraint \`event_attendance_rsvp_id_foreign\` foreign key(\`rsvp_id\`) references \`event_rsvp\`(\`id\`) on delete restrict on update cascade, constraint \`event_attendance_checked_in_by_id_foreign\` foreign key(\`checked_in_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`event_attendance_event_id_index\` on \`event_attendance\` (\`event_id\`);`);
    this.addSql(`create index \`event_attendance_member_id_index\` on \`event_attendance\` (\`member_id\`);`);
    this.addSql(`create index \`event_attendance_rsvp_id_index\` on \`event_attendance\` (\`rsvp_id\`);`);
    this.addSql(`create index \`event_attendance_checked_in_by_id_index\` on \`event_attendance\` (\`checked_in_by_id\`);`);
    this.addSql(`create index \`event_attendance_member_idx\` on \`event_attendance\` (\`member_id\`, \`id\`);`);
    this.addSql(`create unique index \`event_attendance_event_member_unique\` on \`event_attendance\` (\`event_id\`, \`member_id\`);`);
  }

}
