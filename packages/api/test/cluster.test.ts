/**
 * `WEB_CONCURRENCY=N pnpm start` (src/cluster.ts), as real processes: the embedded demo refuses N > 1; on MariaDB two
 * workers share one port, a killed worker is replaced, and SIGTERM drains them all and exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from './support/db';

const API_DIR = path.join(__dirname, '..');

function startApi(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', './register.js', 'src/main.ts'], {
    cwd: API_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', H5_DIST: path.join(os.tmpdir(), 'quanzi-no-h5'), CONSOLE_DIST: path.join(os.tmpdir(), 'quanzi-no-console'), ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { child, out: () => out, exited };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readyPids = (out: string): number[] =>
  out
    .split('\n')
    .filter((l) => l.includes('Quanzi API ready'))
    .map((l) => (JSON.parse(l) as { pid: number }).pid);

test('the embedded demo refuses WEB_CONCURRENCY=2 with one line and exit code 1', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quanzi-cluster-'));
  try {
    const api = startApi({ WEB_CONCURRENCY: '2', SQLITE_FILE: path.join(dir, 'q.db'), PORT: String(await freePort()), LOG_LEVEL: 'silent' });
    const code = await api.exited;
    expect(code).toBe(1);
    expect(api.out().trim()).toBe(
      'Invalid configuration:\n  WEB_CONCURRENCY=2: the embedded demo (libsql file, in-process simulators) runs as one process; set DATABASE_URL to MariaDB (and DEMO=false) for several, or WEB_CONCURRENCY=1',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('WEB_CONCURRENCY=2 on MariaDB', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('mariadb');
  });
  afterAll(async () => db?.drop());

  test('two workers serve one port; a killed worker is replaced; SIGTERM drains them and exits 0', async () => {
    if (db.config.kind === 'sqlite') throw new Error('MariaDB expected');
    const port = await freePort();
    const api = startApi({
      WEB_CONCURRENCY: '2',
      DATABASE_URL: db.config.url,
      DEMO: 'false',
      PORT: String(port),
      LOG_LEVEL: 'info',
      JWT_SECRET: 'cluster-test-secret-cluster-test-secret-0',
      DB_POOL_MAX: '2',
    });
    try {
      const first = await until('two workers', () => readyPids(api.out()).length >= 2 && readyPids(api.out()));
      expect(new Set(first).size).toBe(2);
      expect(first).not.toContain(api.child.pid);
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`http://127.0.0.1:${port}/health`);
        expect(await r.json()).toEqual({ status: 'ok', database: 'mariadb' });
      }

      // A worker that dies is replaced by a new one on the same port.
      process.kill(first[0] as number, 'SIGKILL');
      const third = await until('a replacement worker', () => readyPids(api.out()).length >= 3 && readyPids(api.out())[2]);
      expect(first).not.toContain(third);
      expect(api.out()).toContain('API worker died: restarting it');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      expect(api.out()).toContain('all API workers stopped');
      // Both live workers drained: each ran its SIGTERM handler to the end and exited 0 (killed by the signal, it would say so).
      const stopped = api.out().split('\n').filter((l) => l.includes('"API worker stopped"')).map((l) => JSON.parse(l) as { code: number | null; signal: string | null });
      expect(stopped).toEqual([expect.objectContaining({ code: 0, signal: null }), expect.objectContaining({ code: 0, signal: null })]);
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      api.child.kill('SIGKILL');
    }
  }, 120_000);
});
