import { Migration } from '@mikro-orm/migrations';

export class Migration20261206183259 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`notification\` add column \`read_at\` datetime null;`);
  }

}
