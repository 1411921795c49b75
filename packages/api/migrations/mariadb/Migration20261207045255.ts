import { Migration } from '@mikro-orm/migrations';

export class Migration20261207045255 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`points_lot\` drop index \`points_lot_expiry_idx\`;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`points_lot\` add index \`points_lot_expiry_idx\`(\`expires_at\`, \`remaining\`);`);
  }

}
