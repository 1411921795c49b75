/**
 * Outbox retention on MariaDB and libsql: delivered rows older than OUTBOX_RETENTION_DAYS (14 by default) are deleted
 * in bounded batches; newer and pending rows and unacknowledged dead letters are kept; a dead letter acknowledged by an
 * HQ manager (GraphQL) is deleted once the retention period has passed since the acknowledgement. Time is set through
 * the clock; every date derives from one `now`.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { toDate, toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';
import type { TestDialect } from './support/db';

const DAY = 86_400_000;
const DEAD_LETTERS = `query($all: Boolean) { outboxDeadLetters(first: 20, includeAcknowledged: $all) { id topic ref attempts lastError failedAt acknowledgedAt acknowledgedById } }`;
const ACK = `mutation($id: ID!) { acknowledgeDeadLetter(id: $id) { id acknowledgedAt acknowledgedById } }`;
const RUN = `mutation { runOutboxRetention { delivered deadLetters } }`;

type DeadLetter = { id: string; topic: string; ref: string; attempts: number; lastError: string | null; failedAt: string; acknowledgedAt: string | null; acknowledgedById: string | null };

describe.each<TestDialect>(['mariadb', 'sqlite'])('outbox retention on %s', (dialect) => {
  let t: TestApp;
  // Whole milliseconds at noon of the current UTC day: only an anchor, every fixture date is relative to it.
  const now = new Date(Math.floor(Date.now() / DAY) * DAY + DAY / 2);
  const ago = (days: number, at = now) => new Date(at.getTime() - days * DAY);
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  beforeEach(() => clock.set(now));
  afterEach(() => clock.reset());
  afterAll(async () => t?.close());

  const q = () => t.app.services.db.q;
  /** Writes an outbox row as the worker would have left it. */
  const row = async (status: 'PENDING' | 'DONE' | 'DEAD', updatedAt: Date, acknowledgedAt: Date | null = null): Promise<number> =>
    (
      await q().run(
        'INSERT INTO outbox (topic, ref, status, attempts, available_at, last_error, created_at, updated_at, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['retention.test', `r${++seq}`, status, status === 'PENDING' ? 0 : 3, q().ts(updatedAt), status === 'DEAD' ? 'boom' : null, q().ts(ago(1, updatedAt)), q().ts(updatedAt), acknowledgedAt ? q().ts(acknowledgedAt) : null],
      )
    ).insertId;
  const present = async (ids: number[]) =>
    (await q().all<{ id: unknown }>(`SELECT id FROM outbox WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`, ids)).map((r) => toInt(r.id));
  const hqManager = async () => {
    const u = await t.signIn('retention-hq');
    await t.grant(u.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    return u;
  };

  test('deletes delivered rows older than 14 days in batches; keeps newer and pending rows and unacknowledged dead letters', async () => {
    const oldDone = [];
    for (let i = 0; i < 12; i++) oldDone.push(await row('DONE', ago(15 + i)));
    const justOld = await row('DONE', new Date(ago(14).getTime() - 1));
    const recent = await row('DONE', ago(13));
    const pendingOld = await row('PENDING', ago(100));
    const deadOld = await row('DEAD', ago(100));
    const ackedOld = await row('DEAD', ago(60), ago(15));
    const ackedRecent = await row('DEAD', ago(60), ago(1));

    // Batches of 5: three rounds for the 13 delivered rows, so the loop is exercised.
    expect(await t.app.services.outboxRetention.purge(clock.now(), 5)).toEqual({ delivered: 13, deadLetters: 1 });
    expect(await present([...oldDone, justOld, ackedOld])).toEqual([]);
    expect(await present([recent, pendingOld, deadOld, ackedRecent])).toEqual([recent, pendingOld, deadOld, ackedRecent]);
    expect(await t.app.services.outboxRetention.purge(clock.now(), 5)).toEqual({ delivered: 0, deadLetters: 0 });

    // Two weeks later the recent row and the dead letter acknowledged a day before have had their 14 days too.
    clock.set(new Date(now.getTime() + 14 * DAY));
    expect(await t.app.services.outboxRetention.purge()).toEqual({ delivered: 1, deadLetters: 1 });
    expect(await present([recent, pendingOld, deadOld, ackedRecent])).toEqual([pendingOld, deadOld]);
    await q().run('DELETE FROM outbox WHERE id IN (?, ?)', [pendingOld, deadOld]); // leave the table to the next test
  });

  test('a dead letter from the worker: listed for HQ managers, acknowledged once, deleted 14 days after the acknowledgement', async () => {
    const outbox = t.app.services.outbox;
    outbox.register(`retention.fail.${dialect}`, { run: async () => Promise.reject(new Error('provider said no')) }, { maxAttempts: 1 });
    await outbox.requeue(`retention.fail.${dialect}`, 'order-42');
    expect(await outbox.drain()).toMatchObject({ dead: 1 });
    const hq = await hqManager();

    const listed = await t.gql<{ outboxDeadLetters: DeadLetter[] }>(DEAD_LETTERS, {}, hq.token);
    expect(listed.errors).toBeUndefined();
    const letter = listed.data!.outboxDeadLetters.find((d) => d.ref === 'order-42');
    expect(letter).toMatchObject({ topic: `retention.fail.${dialect}`, attempts: 1, lastError: 'provider said no', failedAt: now.toISOString(), acknowledgedAt: null });
    const id = Number(letter!.id);

    // Retention keeps it however old it gets while nobody has acknowledged it.
    expect(await t.app.services.outboxRetention.purge(new Date(now.getTime() + 400 * DAY))).toEqual({ delivered: 0, deadLetters: 0 });
    expect(await present([id])).toEqual([id]);

    const ack = await t.gql<{ acknowledgeDeadLetter: DeadLetter }>(ACK, { id: String(id) }, hq.token);
    expect(ack.data?.acknowledgeDeadLetter).toEqual({ id: String(id), acknowledgedAt: now.toISOString(), acknowledgedById: String(hq.userId) });
    clock.set(new Date(now.getTime() + DAY));
    const again = await t.gql<{ acknowledgeDeadLetter: DeadLetter }>(ACK, { id: String(id) }, hq.token);
    expect(again.data?.acknowledgeDeadLetter.acknowledgedAt).toBe(now.toISOString()); // the first acknowledgement stands
    expect((await t.gql<{ outboxDeadLetters: DeadLetter[] }>(DEAD_LETTERS, {}, hq.token)).data?.outboxDeadLetters.map((d) => d.id)).not.toContain(String(id));
    expect((await t.gql<{ outboxDeadLetters: DeadLetter[] }>(DEAD_LETTERS, { all: true }, hq.token)).data?.outboxDeadLetters.map((d) => d.id)).toContain(String(id));

    clock.set(new Date(now.getTime() + 13 * DAY));
    expect((await t.gql<{ runOutboxRetention: unknown }>(RUN, {}, (await hqManager()).token)).data?.runOutboxRetention).toEqual({ delivered: 0, deadLetters: 0 });
    expect(await present([id])).toEqual([id]);
    clock.set(new Date(now.getTime() + 14 * DAY + 1));
    expect((await t.gql<{ runOutboxRetention: unknown }>(RUN, {}, (await hqManager()).token)).data?.runOutboxRetention).toEqual({ delivered: 0, deadLetters: 1 });
    expect(await present([id])).toEqual([]);
  });

  test('a retried dead letter is no longer acknowledged: if it dies again it waits for a manager once more', async () => {
    const dead = await row('DEAD', ago(30), ago(20));
    const topic = 'retention.test';
    const ref = String((await q().get<{ ref: unknown }>('SELECT ref FROM outbox WHERE id = ?', [dead]))?.ref);
    expect(await t.app.services.outbox.requeue(topic, ref)).toBe('revived');
    const r = await q().get<Record<string, unknown>>('SELECT status, acknowledged_at, acknowledged_by_id FROM outbox WHERE id = ?', [dead]);
    expect(r).toMatchObject({ status: 'PENDING', acknowledged_at: null, acknowledged_by_id: null });
    await q().run("UPDATE outbox SET status = 'DEAD', updated_at = ? WHERE id = ?", [q().ts(ago(30)), dead]);
    expect(await t.app.services.outboxRetention.purge()).toEqual({ delivered: 0, deadLetters: 0 });
    expect(await present([dead])).toEqual([dead]);
    await q().run('DELETE FROM outbox WHERE id = ?', [dead]);
  });

  test('refusals change nothing: not a dead letter (CONFLICT), no such row (NOT_FOUND), a malformed id, a non-manager', async () => {
    const hq = await hqManager();
    const done = await row('DONE', ago(1));
    const dead = await row('DEAD', ago(1));
    const snapshot = () => q().all('SELECT id, status, acknowledged_at, acknowledged_by_id, updated_at FROM outbox ORDER BY id');
    const before = await snapshot();
    const code = async (id: string, token: string) => (await t.gql(ACK, { id }, token)).errors?.[0]?.extensions?.code;
    expect(await code(String(done), hq.token)).toBe(ErrorCode.CONFLICT);
    expect(await code(String(dead + 1000), hq.token)).toBe(ErrorCode.NOT_FOUND);
    expect(await code('abc', hq.token)).toBe(ErrorCode.BAD_USER_INPUT);
    const member = await t.signIn('retention-member');
    expect(await code(String(dead), member.token)).toBe(ErrorCode.FORBIDDEN);
    expect((await t.gql(RUN, {}, member.token)).errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);
    expect(await snapshot()).toEqual(before);
    expect(toDate((await q().get<{ u: unknown }>('SELECT updated_at AS u FROM outbox WHERE id = ?', [dead]))?.u)).toEqual(ago(1));
  });
});
