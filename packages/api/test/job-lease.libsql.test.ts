/**
 * Job leases on libsql (the embedded demo's single process): the same statements as on MariaDB take, refuse, renew and
 * release the lease, and the scheduler runs a leased job once per interval. (Two processes on one MariaDB database:
 * scaleout.mariadb.test.ts.)
 */
import { JobLeases, JobScheduler } from '../src/jobs';
import { createLogger } from '../src/logger';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp('sqlite');
}, 60_000);
afterAll(async () => t?.close());

test('take, refuse while held, take over once it ran out, renew only what is still held, release', async () => {
  const one = new JobLeases(t.app.services.db);
  const two = new JobLeases(t.app.services.db);
  const t0 = new Date(Date.UTC(2030, 0, 1));
  const at = (ms: number) => new Date(t0.getTime() + ms);
  expect(await one.take('demo-job', 60_000, t0)).toBe(true);
  expect(await two.take('demo-job', 60_000, at(59_999))).toBe(false);
  const three = new JobLeases(t.app.services.db);
  const won = await Promise.all([two.take('demo-job', 60_000, at(60_000)), three.take('demo-job', 60_000, at(60_000))]);
  expect(won.filter(Boolean)).toHaveLength(1);
  const winner = won[0] ? two : three;
  expect((await one.holderOf('demo-job'))?.holder).toBe(winner.holder);
  expect(await one.renew('demo-job', 60_000, at(60_001))).toBe(false);
  expect(await winner.renew('demo-job', 60_000, at(60_001))).toBe(true);
  // Released at 70 s, though it was good until 120 s: free from then.
  await winner.release('demo-job', at(70_000));
  expect(await one.take('demo-job', 60_000, at(70_000))).toBe(true);
});

test('the scheduler: a leased job runs once per interval; the app runs its expiry under the lease', async () => {
  let runs = 0;
  const s = new JobScheduler(new JobLeases(t.app.services.db), createLogger('silent'));
  s.add({ name: 'demo-interval-job', everyMs: 60_000, leased: true, run: async () => runs++ });
  expect(await s.tick('demo-interval-job')).toBe('ran');
  expect(await s.tick('demo-interval-job')).toBe('leased-elsewhere');
  expect(runs).toBe(1);
  await s.stop();
  expect(await t.app.jobs.tick('points-expiry')).toBe('ran');
  expect((await new JobLeases(t.app.services.db).holderOf('points-expiry'))?.holder).toBeDefined();
});
