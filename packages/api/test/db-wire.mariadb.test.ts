/**
 * The lean SQL's way to MariaDB (src/db/wire.ts, through Db in src/db/sql.ts): straight to the driver's connection,
 * taken from the ORM's pool. What the rest of the suite takes for granted: a failed transaction rolls back and gives
 * its connection back (more failures than the pool has connections, then a query still runs), nothing runs on a
 * transaction's connection after it ended, values reach the columns as the ORM wrote them (an undefined value is
 * NULL, a Date keeps its milliseconds in UTC), a statement missing a value is refused rather than run with NULLs, and
 * the statement log (the bench's round-trip count) sees every statement with BEGIN and COMMIT or ROLLBACK.
 */
import { StatementLog } from '../src/db/statement-log';
import { isUniqueViolation, toDate, toInt, type Q } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';

describe('lean SQL straight to the driver (MariaDB)', () => {
  let t: TestApp;
  const now = new Date('2026-03-01T04:05:06.789Z');

  beforeAll(async () => {
    t = await startTestApp('mariadb');
    await t.app.services.db.q.run('CREATE TABLE wire_probe (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(20) NOT NULL UNIQUE, note VARCHAR(20) NULL, at DATETIME(3) NULL)');
  });
  afterAll(() => t?.close());

  const rows = async () => (await t.app.services.db.q.all<{ k: unknown }>('SELECT k FROM wire_probe ORDER BY id')).map((r) => String(r.k));

  test('a failing transaction rolls back and gives its connection back, more times than the pool has connections', async () => {
    const db = t.app.services.db;
    const before = await rows();
    for (let i = 0; i < 25; i++) {
      await expect(
        db.tx(async (q) => {
          await q.run('INSERT INTO wire_probe (k) VALUES (?)', [`fail-${i}`]);
          throw new Error(`refused ${i}`);
        }),
      ).rejects.toThrow(`refused ${i}`);
    }
    // The pool has 20 connections in the tests: a leaked one per failure would leave none for this.
    expect(await rows()).toEqual(before);
    const r = await db.tx((q) => q.run('INSERT INTO wire_probe (k) VALUES (?)', ['kept']));
    expect(r).toEqual({ affectedRows: 1, insertId: expect.any(Number) });
    expect(await rows()).toEqual([...before, 'kept']);
  });

  test('a statement on a transaction after it ended is refused and runs nowhere', async () => {
    const db = t.app.services.db;
    let kept: Q | null = null;
    await db.tx(async (q) => {
      kept = q;
      await q.run('INSERT INTO wire_probe (k) VALUES (?)', ['in-tx']);
    });
    await expect((kept as unknown as Q).run('INSERT INTO wire_probe (k) VALUES (?)', ['after-tx'])).rejects.toThrow(/after its transaction ended/);
    expect(await rows()).toContain('in-tx');
    expect(await rows()).not.toContain('after-tx');
  });

  test('values as the ORM wrote them: undefined is NULL, a Date keeps its milliseconds in UTC; a missing value is refused', async () => {
    const q = t.app.services.db.q;
    await q.run('INSERT INTO wire_probe (k, note, at) VALUES (?, ?, ?)', ['values', undefined, now]);
    const r = await q.get<{ note: unknown; at: unknown; text: unknown }>("SELECT note, at, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS text FROM wire_probe WHERE k = ?", ['values']);
    expect(r?.note).toBeNull();
    expect(toDate(r?.at).toISOString()).toBe(now.toISOString());
    expect(r?.text).toBe('2026-03-01 04:05:06.789000');
    // One value for two placeholders: the driver refuses it (the ORM's formatting used to send NULL for the second).
    await expect(q.run('INSERT INTO wire_probe (k, note) VALUES (?, ?)', ['missing'])).rejects.toThrow(/Parameter at position 2 is not set/);
    expect(await rows()).not.toContain('missing');
  });

  test('a duplicate key is the driver’s unique violation, and rolls the transaction back', async () => {
    const db = t.app.services.db;
    const before = await rows();
    const err = await db
      .tx(async (q) => {
        await q.run('INSERT INTO wire_probe (k) VALUES (?)', ['dup-new']);
        await q.run('INSERT INTO wire_probe (k) VALUES (?)', ['kept']);
      })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await rows()).toEqual(before);
  });

  test('a batch: one round trip, results in order, LAST_INSERT_ID() names the row inserted before; an error stops the statements after it', async () => {
    const db = t.app.services.db;
    const log = new StatementLog(db.orm);
    try {
      const { result, statements } = await log.record(() =>
        db.tx((q) =>
          q.batch([
            { sql: 'INSERT INTO wire_probe (k) VALUES (?) -- a comment to the end of the line', params: ['batch-a'] },
            { sql: `INSERT INTO wire_probe (k, note) VALUES (?, CAST(${q.lastInsertId} AS CHAR))`, params: ['batch-b'] },
            { sql: 'SELECT k, note FROM wire_probe WHERE k LIKE ? ORDER BY id', params: ['batch-%'], rows: true },
          ]),
        ),
      );
      expect(statements).toHaveLength(2); // BEGIN with the batch, COMMIT
      const [a, b, read] = result as [{ insertId: number }, { insertId: number }, { k: string; note: string | null }[]];
      expect(a).toEqual({ affectedRows: 1, insertId: expect.any(Number) });
      expect(b).toEqual({ affectedRows: 1, insertId: a.insertId + 1 });
      expect(read).toEqual([{ k: 'batch-a', note: null }, { k: 'batch-b', note: String(a.insertId) }]);
    } finally {
      log.close();
    }
    // Outside a transaction each statement commits on its own, so what ran shows: the duplicate stops the batch, and
    // the statement after it never runs (a pipelined one would have).
    const err = await db.q
      .batch([
        { sql: 'INSERT INTO wire_probe (k) VALUES (?)', params: ['auto-1'] },
        { sql: 'INSERT INTO wire_probe (k) VALUES (?)', params: ['kept'] },
        { sql: 'INSERT INTO wire_probe (k) VALUES (?)', params: ['auto-3'] },
      ])
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await rows()).toContain('auto-1');
    expect(await rows()).not.toContain('auto-3');
  });

  test('the statement log sees each statement of a transaction, with BEGIN and COMMIT, or ROLLBACK', async () => {
    const db = t.app.services.db;
    const log = new StatementLog(db.orm);
    try {
      const ok = await log.record(() => db.tx(async (q) => toInt((await q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM wire_probe WHERE k = ?', ['kept']))?.n)));
      expect(ok).toEqual({ result: 1, statements: ['BEGIN;\nSELECT COUNT(*) AS n FROM wire_probe WHERE k = ?', 'COMMIT'] });
      const failed = await log.record(() => db.tx((q) => q.run('INSERT INTO wire_probe (k) VALUES (?)', ['kept'])).catch(() => 'refused'));
      expect(failed).toEqual({ result: 'refused', statements: ['BEGIN;\nINSERT INTO wire_probe (k) VALUES (?)', 'ROLLBACK'] });
      // A transaction that sends nothing sends neither BEGIN nor COMMIT.
      expect(await log.record(() => db.tx(async () => 'nothing'))).toEqual({ result: 'nothing', statements: [] });
    } finally {
      log.close();
    }
  });
});
