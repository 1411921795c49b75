/**
 * Two API processes on one MariaDB database (issue #16, "Scale out"): a mixed load of till purchases (and their
 * retries through the other process), point redemptions, WeChat Pay notifications, payment recovery, points expiry and
 * outbox drains, with every job run in both at the same moment.
 *
 * The two "processes" are two `createApp` instances in this test process, each with its own service graph, its own
 * connection pool and its own HTTP server. The races under test are in the database (two pools' transactions and
 * `SKIP LOCKED` claims interleaving, the lease's conditional statements), and those are the same whichever process
 * holds the pool; one test process lets the test fire the jobs in both at once and count outbox deliveries exactly.
 * (test/cluster.test.ts starts real worker processes with WEB_CONCURRENCY=2.)
 */
import { randomUUID } from 'node:crypto';
import { createApp, type App } from '../src/app';
import type { Config } from '../src/config';
import { createLogger } from '../src/logger';
import { toInt } from '../src/db/sql';
import { credit } from '../src/modules/ledger/ledger.service';
import { enqueue } from '../src/modules/outbox/outbox.service';
import { startTestApp, type GqlResult, type TestApp } from './support/harness';
import { JobLeases, JobScheduler } from '../src/jobs';

type Member = Awaited<ReturnType<TestApp['signIn']>>;

const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points replayed } }';
const REDEEM = 'mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { id points replayed } }';
const CREATE_PAYMENT = 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }';
const DAY = 86_400_000;
const PROBE = 'scaleout-probe';

describe('two API processes on one MariaDB database', () => {
  let a: TestApp;
  let b: App;
  let bUrl: string;
  let staff: Member;
  const members: Member[] = [];
  const shoppers: Member[] = [];
  /** Outbox probe deliveries: ref → which process ran it, each time. */
  const delivered = new Map<string, string[]>();

  beforeAll(async () => {
    a = await startTestApp('mariadb', { pay: {} });
    // The second process: the same configuration and database, its own pool, services and HTTP server.
    const config: Config = { ...a.app.services.config };
    b = await createApp({ config, wechatBase: a.sim.url, logger: createLogger('silent') });
    await b.fastify.listen({ host: '127.0.0.1', port: 0 });
    const addr = b.fastify.server.address();
    bUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    config.publicBaseUrl = bUrl; // orders created through B are notified to B
    for (const [name, app] of [['A', a.app], ['B', b]] as const) {
      app.services.outbox.register(PROBE, {
        run: async (ref) => {
          delivered.set(ref, [...(delivered.get(ref) ?? []), name]);
          await new Promise((r) => setTimeout(r, 2)); // a handler takes time: the other process claims meanwhile
        },
      });
    }
    staff = await a.signIn('scale-staff');
    await a.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: a.org.zhonglou, regionId: a.org.xian });
    for (let i = 0; i < 12; i++) members.push(await a.signIn(`scale-member-${i}`));
    // A member code is good for one till operation: one shopper per purchase.
    for (let i = 0; i < 24; i++) shoppers.push(await a.signIn(`scale-shopper-${i}`));
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const gql = async <T>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<GqlResult<T>> => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as GqlResult<T>;
  };
  const ok = <T>(r: GqlResult<T>): T => {
    if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  };
  const q = () => a.app.services.db.q;

  test('a mixed load with every job running in both at once: no errors, books balance, each lot expired once, each outbox row delivered once', async () => {
    const now = Date.now();
    const urls = [a.url, bUrl];

    // Due lots: two per member, earned 25 months ago with 24 months' validity; and 1,000 live points each.
    const dueLots: number[] = [];
    for (const [i, m] of members.entries()) {
      await a.app.services.db.tx(async (tq) => {
        for (const k of [1, 2]) {
          const e = { memberId: m.memberId, kind: 'EARN' as const, reason: 'old', actorId: null, storeId: null, sourceType: 'test', sourceRef: `old-${i}-${k}-${randomUUID()}`, requestHash: null, now: new Date(now - 25 * 30 * DAY - k * DAY) };
          dueLots.push((await credit(tq, e, 10 * k, 24)).lotId);
        }
        await credit(tq, { memberId: m.memberId, kind: 'EARN', reason: 'fresh', actorId: null, storeId: null, sourceType: 'test', sourceRef: `fresh-${i}-${randomUUID()}`, requestHash: null, now: new Date(now) }, 1000, 24);
      });
    }
    // Outbox work for both processes' drains.
    const probes = Array.from({ length: 150 }, (_, i) => `p${i}`);
    await a.app.services.db.tx(async (tq) => {
      for (const ref of probes) await enqueue(tq, PROBE, ref, new Date(now - 1000));
    });

    // Purchases through A and B; a third of them retried through the other process with the same key.
    const purchases = shoppers.map((m, i) => ({ i, m, key: randomUUID() }));
    const purchase = (p: (typeof purchases)[number], url: string) =>
      gql<{ recordPurchase: { id: string; points: number; replayed: boolean } }>(url, RECORD, {
        input: { memberCode: a.codeOf(p.m), storeId: String(a.org.zhonglou), amountFen: 5_000 + p.i, lines: [{ category: 'general', amountFen: 5_000 + p.i }], idempotencyKey: p.key },
      }, staff.token).then(ok);
    const redeem = (m: Member, url: string) =>
      gql(url, REDEEM, { input: { memberCode: a.codeOf(m), storeId: String(a.org.zhonglou), points: 7, reason: 'scale-out test', idempotencyKey: randomUUID() } }, staff.token).then(ok);
    // WeChat Pay: orders created through A and B, paid; each notification delivered three times, two concurrently.
    a.paySim!.notifications.duplicates = 2;
    a.paySim!.notifications.concurrent = true;
    const pay = async (m: Member, url: string) => {
      const c = ok(await gql<{ createPayment: { order: { outTradeNo: string }; payment: Record<string, string> } }>(url, CREATE_PAYMENT, { input: { storeId: String(a.org.zhonglou), amountFen: 2_000 } }, m.token)).createPayment;
      await a.paySim!.pay(c.payment as never);
      return c.order.outTradeNo;
    };
    const tickBoth = (name: string) => Promise.all([a.app.jobs.tick(name), b.jobs.tick(name)]);

    const [expiryTicks, , , , paid] = await Promise.all([
      tickBoth('points-expiry'),
      // The expiry itself in both at once, outside the lease as well (a manager's runPointsExpiry meets the timer).
      Promise.all([a.app.services.ledger.expireDue(), b.services.ledger.expireDue()]),
      Promise.all(purchases.map((p) => purchase(p, urls[p.i % 2] as string))),
      Promise.all(members.map((m, i) => redeem(m, urls[(i + 1) % 2] as string))),
      Promise.all(members.slice(0, 8).map((m, i) => pay(m, urls[i % 2] as string))),
      tickBoth('reward-jobs'),
      tickBoth('club-jobs'),
      Promise.all([a.app.services.outbox.drain(), b.services.outbox.drain()]),
    ]);
    // The lease: one process ran the leased expiry job, the other found it taken.
    expect([...expiryTicks].sort()).toEqual(['leased-elsewhere', 'ran']);

    // Retries of a third of the purchases through the other process replay the first receipt.
    const retries = await Promise.all(purchases.filter((p) => p.i % 3 === 0).map((p) => purchase(p, urls[(p.i + 1) % 2] as string)));
    for (const r of retries) expect(r.recordPurchase.replayed).toBe(true);

    // Payments whose notifications are lost: recovery in both processes at once completes each once.
    a.paySim!.notifications.duplicates = 0;
    a.paySim!.notifications.drop = true;
    const lost = await Promise.all(members.slice(8, 12).map((m, i) => pay(m, urls[i % 2] as string)));
    const later = new Date(now + 10 * 60_000);
    await Promise.all([a.app.services.payments.recover(later), b.services.payments.recover(later), a.app.services.payments.recover(later)]);
    a.paySim!.notifications.drop = false;
    await a.paySim!.idle();

    // Whatever outbox work is left (both drains again, at once).
    await Promise.all([a.app.services.outbox.drain(), b.services.outbox.drain()]);

    // Books balance.
    expect(await a.app.services.ledger.reconcile()).toEqual([]);
    // Each due lot expired exactly once, whole, by one EXPIRE entry per member for both of its due lots (10 + 20).
    const expired = await q().all<{ lot: unknown; n: unknown; p: unknown }>(
      "SELECT a.lot_id AS lot, COUNT(*) AS n, SUM(a.points) AS p FROM lot_allocation a JOIN points_entry e ON e.id = a.entry_id WHERE e.kind = 'EXPIRE' GROUP BY a.lot_id",
    );
    expect(expired.map((r) => Number(r.lot)).sort((x, y) => x - y)).toEqual([...dueLots].sort((x, y) => x - y));
    for (const r of expired) expect(toInt(r.n)).toBe(1);
    expect(expired.reduce((s, r) => s + toInt(r.p), 0)).toBe(30 * members.length);
    const perMember = await q().all<{ n: unknown; s: unknown }>("SELECT COUNT(*) AS n, SUM(delta) AS s FROM points_entry WHERE kind = 'EXPIRE' GROUP BY member_id");
    expect(perMember.map((r) => [toInt(r.n), toInt(r.s)])).toEqual(members.map(() => [1, -30]));
    const left = await q().get<{ s: unknown }>(`SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE id IN (${dueLots.join(',')})`);
    expect(toInt(left?.s)).toBe(0);
    // Each till purchase and each paid order recorded once (a paid order is a purchase too); each paid order earned once.
    expect(toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM purchase'))?.n)).toBe(purchases.length + paid.length + lost.length);
    for (const no of [...paid, ...lost]) {
      const o = await q().get<{ state: unknown }>('SELECT state FROM pay_order WHERE out_trade_no = ?', [no]);
      expect(o?.state).toBe('PAID');
    }
    const earns = await q().all<{ n: unknown }>("SELECT COUNT(*) AS n FROM points_entry WHERE source_type = 'wechatpay' GROUP BY source_ref");
    expect(earns).toHaveLength(paid.length + lost.length);
    for (const e of earns) expect(toInt(e.n)).toBe(1);
    // Each outbox row delivered exactly once, by both processes between them.
    expect([...delivered.keys()].sort()).toEqual([...probes].sort());
    for (const [, by] of delivered) expect(by).toHaveLength(1);
    const by = [...delivered.values()].flat();
    expect(by).toContain('A');
    expect(by).toContain('B');
    const pending = await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM outbox WHERE topic = ? AND status <> 'DONE'", [PROBE]);
    expect(toInt(pending?.n)).toBe(0);
  }, 180_000);

  test('a leased job runs once per interval across processes; the lease frees up once the interval is over', async () => {
    // One job, every minute, on a scheduler in each process (timers not started: the test ticks).
    let runs = 0;
    const schedulers = [a.app.services.db, b.services.db].map((db) => {
      const s = new JobScheduler(new JobLeases(db), createLogger('silent'));
      s.add({ name: 'scaleout-test-job', everyMs: 60_000, leased: true, run: async () => runs++ });
      return s;
    });
    const [sa, sb] = schedulers as [JobScheduler, JobScheduler];
    // Both tick at once: one runs, and keeps the lease until its next run is due; later ticks anywhere are refused.
    const first = await Promise.all([sa.tick('scaleout-test-job'), sb.tick('scaleout-test-job')]);
    expect([...first].sort()).toEqual(['leased-elsewhere', 'ran']);
    expect(await sb.tick('scaleout-test-job')).toBe('leased-elsewhere');
    expect(await sa.tick('scaleout-test-job')).toBe('leased-elsewhere');
    expect(runs).toBe(1);
    const held = await new JobLeases(a.app.services.db).holderOf('scaleout-test-job');
    expect(held!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 40_000);
    // The interval passes (the lease's end moved back): the next tick, in either process, runs it.
    await q().run('UPDATE job_lease SET expires_at = ? WHERE name = ?', [new Date(Date.now() - 1000), 'scaleout-test-job']);
    expect(await sb.tick('scaleout-test-job')).toBe('ran');
    expect(runs).toBe(2);
    await Promise.all(schedulers.map((s) => s.stop()));
  }, 60_000);

  test('a holder that died mid-run blocks the job only until its lease runs out', async () => {
    const leases = [new JobLeases(a.app.services.db), new JobLeases(b.services.db)] as const;
    const t0 = new Date();
    expect(await leases[0].take('scaleout-dead-holder', 120_000, t0)).toBe(true);
    // It never renews or releases (killed). Others are refused while the lease lasts, then one of them takes it.
    expect(await leases[1].take('scaleout-dead-holder', 120_000, new Date(t0.getTime() + 119_000))).toBe(false);
    const later = new Date(t0.getTime() + 120_000);
    const takers = [new JobLeases(b.services.db), new JobLeases(a.app.services.db), leases[1]];
    const won = await Promise.all(takers.map((l) => l.take('scaleout-dead-holder', 120_000, later)));
    expect(won.filter(Boolean)).toHaveLength(1);
    // The old holder cannot renew what it lost.
    expect(await leases[0].renew('scaleout-dead-holder', 120_000, later)).toBe(false);
  }, 60_000);
});
