import { Migration } from '@mikro-orm/migrations';

export class Migration20261206183259 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`notification\` add \`read_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`notification\` drop column \`read_at\`;`);
  }

}
