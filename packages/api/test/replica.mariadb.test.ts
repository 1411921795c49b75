/**
 * Analytics on a read replica (issue #16, DATABASE_REPLICA_URL): a private primary mariadbd with a binlog and a
 * second mariadbd replicating from it by GTID, each on its own port and data directory under a temporary directory
 * (scripts/mariadbd.cjs, the same helper `pnpm test` starts a private server with). The API runs with DATABASE_URL on
 * the primary and DATABASE_REPLICA_URL on the replica: the till writes to the primary, the dashboard reads the replica.
 *
 * The proof that the dashboard is served by the replica: with the replica's SQL thread stopped, a new purchase is in
 * the member's `me` and the manager's member page (primary) but not yet in the dashboard's KPIs; once the thread runs
 * again and the replica has caught up (MASTER_GTID_WAIT), the dashboard shows it.
 *
 * Skips (saying so) only when MariaDB's binaries are not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { initDataDir, mariadbBinaries, startMariadbd, type PrivateMariadb } from '../../../scripts/mariadbd.cjs';
import { toInt } from '../src/db/sql';
import { startTestApp, type GqlResult, type TestApp } from './support/harness';

const binaries = mariadbBinaries();
if (!binaries) console.warn('replica.mariadb.test.ts skipped: no mariadbd / mariadb-install-db on PATH or in /usr/sbin (install mariadb-server to run it)');
const describeIfMariadb = binaries ? describe : describe.skip;

const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points balance } }';
const KPIS = 'query($from: DateTimeISO!, $to: DateTimeISO!) { analyticsKpis(from: $from, to: $to) { current { visits spendFen } } }';
const ME = '{ me { points } }';
const MEMBER_PAGE = 'query($id: ID!) { consoleMember(id: $id) { points ledger(first: 5) { edges { node { delta } } } } }';
const HOUR = 3_600_000;

type Member = Awaited<ReturnType<TestApp['signIn']>>;

describeIfMariadb('analytics on a read replica (two private mariadbd, GTID replication)', () => {
  let primary: PrivateMariadb | null = null;
  let replica: PrivateMariadb | null = null;
  let template = '';
  let onPrimary: Connection;
  let onReplica: Connection;
  let t: TestApp;
  let staff: Member;
  let manager: Member;
  /** A member code is good for one till operation: one shopper per purchase. */
  let early: Member;
  let member: Member;

  const connect = (s: PrivateMariadb) => createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' });
  /** Waits until the replica has applied everything the primary has written so far. */
  const caughtUp = async () => {
    const [[pos]] = (await onPrimary.query('SELECT @@gtid_binlog_pos AS pos')) as unknown as [{ pos: string }[]];
    const [[w]] = (await onReplica.query('SELECT MASTER_GTID_WAIT(?, 30) AS r', [pos?.pos ?? ''])) as unknown as [{ r: number }[]];
    if (Number(w?.r) !== 0) throw new Error(`the replica did not reach ${pos?.pos} in 30 s`);
  };

  beforeAll(async () => {
    // One installed system database, copied for both servers (the installer is the slow part).
    template = mkdtempSync(path.join(os.tmpdir(), 'quanzi-replica-template-'));
    initDataDir(path.join(template, 'data'));
    const small = { dataFrom: path.join(template, 'data'), bufferPool: '64M' };
    [primary, replica] = await Promise.all([
      startMariadbd({ ...small, args: ['--server-id=1', '--log-bin=primary-bin', '--binlog-format=ROW'] }),
      startMariadbd({ ...small, args: ['--server-id=2', '--relay-log=replica-relay-bin', '--read-only'] }),
    ]);
    rmSync(template, { recursive: true, force: true });
    if (!primary || !replica) throw new Error('mariadbd did not start');
    onPrimary = await connect(primary);
    onReplica = await connect(replica);
    await onReplica.query(`CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primary.port}, MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos`);
    await onReplica.query('START SLAVE');

    // The API: its database created and migrated on the primary, replicated; reports read the replica.
    t = await startTestApp('mariadb', { server: primary.url, replicaServer: replica.url });
    staff = await t.signIn('replica-staff');
    await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    manager = await t.signIn('replica-manager');
    await t.grant(manager.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    early = await t.signIn('replica-early');
    member = await t.signIn('replica-member');
    await caughtUp();
  }, 150_000);

  afterAll(async () => {
    await t?.close();
    await onPrimary?.end().catch(() => undefined);
    await onReplica?.query('STOP SLAVE').catch(() => undefined);
    await onReplica?.end().catch(() => undefined);
    await replica?.stop();
    await primary?.stop();
    if (template) rmSync(template, { recursive: true, force: true });
  }, 60_000);

  const ok = <T>(r: GqlResult<T>): T => {
    if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  };
  const buy = async (m: Member, amountFen: number) =>
    ok(
      await t.gql<{ recordPurchase: { points: number; balance: number } }>(
        RECORD,
        { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), amountFen, lines: [{ category: 'general', amountFen }], idempotencyKey: randomUUID() } },
        staff.token,
      ),
    ).recordPurchase;
  const dashboard = async () => {
    const now = Date.now();
    return ok(await t.gql<{ analyticsKpis: { current: { visits: number; spendFen: number } } }>(KPIS, { from: new Date(now - 24 * HOUR).toISOString(), to: new Date(now + HOUR).toISOString() }, manager.token)).analyticsKpis.current;
  };
  const me = async () => ok(await t.gql<{ me: { points: number } }>(ME, {}, member.token)).me.points;
  const memberPage = async () => ok(await t.gql<{ consoleMember: { points: number; ledger: { edges: unknown[] } } }>(MEMBER_PAGE, { id: String(member.memberId) }, manager.token)).consoleMember;

  test('services.reports reads the replica (server_id 2), services.db the primary (server_id 1); the reports handle has no transactions and no writes', async () => {
    const id = async (q: { get: (sql: string) => Promise<{ id: unknown } | undefined> }) => toInt((await q.get('SELECT @@server_id AS id'))?.id);
    expect(await id(t.app.services.db.q)).toBe(1);
    expect(await id(t.app.services.reports.q)).toBe(2);
    await expect(t.app.services.reports.tx(async () => 1)).rejects.toThrow(/read-replica handle/);
    await expect(t.app.services.reports.q.run('DELETE FROM purchase')).rejects.toThrow(/read-replica handle/);
  });

  test('the till writes to the primary; the dashboard lags while the replica stands still, and catches up', async () => {
    await buy(early, 10_000);
    await caughtUp();
    expect(await dashboard()).toEqual({ visits: 1, spendFen: 10_000 });
    expect(await me()).toBe(0);

    // The replica stops applying the primary's binlog (it still receives it).
    await onReplica.query('STOP SLAVE SQL_THREAD');
    try {
      const second = await buy(member, 25_000);
      expect(second.balance).toBeGreaterThan(0);
      // The member's card and the manager's member page read the primary: the purchase is there at once.
      expect(await me()).toBe(second.balance);
      const page = await memberPage();
      expect(page.points).toBe(second.balance);
      expect(page.ledger.edges).toHaveLength(1);
      // The dashboard reads the replica: not yet.
      expect(await dashboard()).toEqual({ visits: 1, spendFen: 10_000 });
      const onPrimaryNow = toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM purchase'))?.n);
      const onReplicaNow = toInt((await t.app.services.reports.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM purchase'))?.n);
      expect([onPrimaryNow, onReplicaNow]).toEqual([2, 1]);
    } finally {
      await onReplica.query('START SLAVE SQL_THREAD');
    }
    await caughtUp();
    expect(await dashboard()).toEqual({ visits: 2, spendFen: 35_000 });
  });
});
