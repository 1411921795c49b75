import { Migration } from '@mikro-orm/migrations';

export class Migration20261207045256 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index \`points_lot_expiry_idx\`;`);
  }

}
