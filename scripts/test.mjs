#!/usr/bin/env node
// `pnpm test`: finds a MariaDB/MySQL server for the integration tests, then runs every package's tests.
//   1. TEST_DATABASE_URL (e.g. mariadb://root@127.0.0.1:3306) if set;
//   2. else a server answering on 127.0.0.1:3306 (root, empty password);
//   3. else a private mariadbd started from PATH (or /usr/sbin) in a temporary directory, stopped afterwards;
//   4. else a clear message saying what to install.
// Extra arguments go to every package's jest (e.g. `pnpm test -- --runInBand`).
// `--clock-ahead=DAYS` (CI's second pass, `pnpm test:ahead`): every suite but the browser journeys runs again under
// libfaketime with the process clock DAYS ahead — the API's clock (packages/api/src/clock.ts) and the mini-program's
// move with it, MariaDB's does not — so a test that passes today but would fail next year fails today.
import { spawnSync } from 'node:child_process';
import { greets, startMariadbd, which } from './mariadbd.cjs';

const log = (m) => console.log(`[test] ${m}`);

async function privateMariadb() {
  const server = await startMariadbd();
  if (!server) return null;
  log(`started a private mariadbd on 127.0.0.1:${server.port} in ${server.dir}`);
  return server;
}

async function findDatabase() {
  if (process.env.TEST_DATABASE_URL) {
    const u = new URL(process.env.TEST_DATABASE_URL);
    if (!(await greets(u.hostname, Number(u.port || 3306)))) throw new Error(`TEST_DATABASE_URL=${process.env.TEST_DATABASE_URL} does not answer`);
    return { url: process.env.TEST_DATABASE_URL, stop: async () => {} };
  }
  if (await greets('127.0.0.1', 3306)) return { url: 'mariadb://root@127.0.0.1:3306', stop: async () => {} };
  const priv = await privateMariadb();
  if (priv) return priv;
  console.error(
    [
      '[test] No MariaDB/MySQL server for the integration tests.',
      '  Quanzi tests run against a real MariaDB (10.6+) or MySQL 8. Either:',
      '  - install MariaDB (Debian/Ubuntu: sudo apt-get install mariadb-server; macOS: brew install mariadb) and run `pnpm test` again',
      '    (a running server on 127.0.0.1:3306 with root and no password is used; otherwise mariadbd is started privately), or',
      '  - point the tests at a server: TEST_DATABASE_URL=mariadb://user:password@host:3306 pnpm test',
      '    (the user needs CREATE/DROP DATABASE: every test file gets its own database).',
    ].join('\n'),
  );
  process.exit(2);
}

const argv = process.argv.slice(2).filter((a) => a !== '--');
const ahead = argv.find((a) => a.startsWith('--clock-ahead='));
const args = argv.filter((a) => a !== ahead);
const aheadDays = ahead ? Number(ahead.split('=')[1]) : 0;
if (ahead && !(Number.isInteger(aheadDays) && aheadDays > 0)) {
  console.error(`[test] --clock-ahead takes a whole number of days, not ${ahead.split('=')[1]}`);
  process.exit(2);
}
if (ahead && !which('faketime')) {
  console.error('[test] --clock-ahead needs faketime (Debian: apt-get install faketime)');
  process.exit(2);
}

const db = await findDatabase();
log(`database server: ${db.url.replace(/\/\/([^:@]+):[^@]*@/, '//$1:***@')}`);
// The packages' suites run two at a time (the API's wait on MariaDB while the mini-program's and the console's use
// the CPU), then the browser journeys alone (they time real pages); the clock-ahead pass has no journeys. This keeps
// CI's two passes within its time limit.
const extra = args.length ? ['--', ...args] : [];
const suites = ['-r', '--workspace-concurrency=2', '--no-sort', '--if-present', '--filter', '!@quanzi/tests', 'run', 'test', ...extra];
const journeys = ['--filter', '@quanzi/tests', 'run', 'test', ...extra];
const env = { ...process.env, TEST_DATABASE_URL: db.url };
let res;
if (ahead) {
  log(`clock ${aheadDays} days ahead (faketime): every suite but the browser journeys`);
  // Only the wall clock moves: timers and timeouts (monotonic) keep real time.
  res = spawnSync('faketime', ['-f', `+${aheadDays}d`, 'pnpm', ...suites], { stdio: 'inherit', env: { ...env, FAKETIME_DONT_FAKE_MONOTONIC: '1' } });
} else {
  res = spawnSync('pnpm', suites, { stdio: 'inherit', env });
  if (res.status === 0) res = spawnSync('pnpm', journeys, { stdio: 'inherit', env });
}
await db.stop();
process.exit(res.status ?? 1);
