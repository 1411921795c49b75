/**
 * The transaction guard (src/db/sql.ts, on in every API test): a pool query inside a transaction throws, because it
 * waits for a second connection while holding one — with every pooled connection held by a till transaction doing
 * the same, the pool stood still until its acquire timeout (the bench's recordPurchase fell to 0 req/s: a tier
 * change reloaded the tier list from an expired cache inside the purchase's transaction). And the tier decision,
 * given the tier list read before the transaction, makes no pool query even with the tier cache cold.
 */
import { clock } from '../src/clock';
import type { TestDialect } from './support/db';
import { startTestApp, type TestApp } from './support/harness';

for (const dialect of ['mariadb', 'libsql'] as TestDialect[]) {
  describe(`transaction guard (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
    });
    afterAll(async () => {
      clock.reset();
      await t?.close();
    });

    it('is on in the tests, and a pool query inside a transaction throws and rolls the transaction back', async () => {
      expect(process.env.QUANZI_TX_GUARD).toBe('1');
      const db = t.app.services.db;
      const m = await t.signIn(`${dialect}-guard-a`);
      await expect(
        db.tx(async (q) => {
          await q.run('UPDATE member_account SET balance = balance + 1 WHERE id = ?', [m.memberId]);
          await db.q.get('SELECT 1 AS one'); // the pool, not `q`
        }),
      ).rejects.toThrow(/pool query inside a transaction/);
      expect((await db.q.get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [m.memberId]))?.b).toEqual(0);
      // Outside a transaction, and through the transaction's own runner, queries run.
      expect(await db.q.get('SELECT 1 AS one')).toBeDefined();
      expect(await db.tx((q) => q.get('SELECT 1 AS one'))).toBeDefined();
    });

    it('a tier upgrade inside a transaction, with the tier cache cold, reads nothing from the pool', async () => {
      const { tiers, db } = t.app.services;
      const m = await t.signIn(`${dialect}-guard-b`);
      const q = db.q;
      await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, 0, ?, ?, ?)', [
        m.memberId, t.org.guomao, 150_000, '[]', `${dialect}-guard-buy`, 'x', q.ts(clock.now()),
      ]);
      const tierRows = await tiers.list();
      (tiers as unknown as { cache: { invalidate(): void } }).cache.invalidate(); // the next list() would go to the pool
      const before = await q.get<{ t: unknown }>('SELECT tier_id AS t FROM member WHERE id = ?', [m.memberId]);
      await db.tx((tq) => tiers.reevaluate(tq, m.memberId, clock.now(), { tierPeriodMonths: 12, tierUpgradeCoupons: [], tiers: tierRows }));
      const after = await q.get<{ t: unknown }>('SELECT tier_id AS t FROM member WHERE id = ?', [m.memberId]);
      expect(after?.t).not.toEqual(before?.t); // ¥1,500 in the last 12 months: 银卡 (org fixture)
    });
  });
}
