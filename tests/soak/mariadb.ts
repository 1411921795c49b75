/**
 * The soak's own MariaDB server: `mariadb-install-db` into a temporary directory, `mariadbd --no-defaults` on a free
 * loopback port (like scripts/test.mjs), and — the point of it — stopped (SIGTERM, or SIGKILL for a crash) and
 * started again on the same datadir and port while the API is under load. Never touches any other server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Resolves true when something speaking the MySQL protocol greets us on host:port. */
export function greets(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (v: boolean): void => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (buf) => done(buf.length > 5 && (buf[4] === 10 || buf[4] === 0xff)));
  });
}

export function which(bin: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin']) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** A free TCP port on 127.0.0.1 (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface PrivateMariadb {
  /** mariadb://root@127.0.0.1:<port> (no database). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the server: 'term' = clean shutdown (waits for exit), 'kill' = SIGKILL (a crash; InnoDB recovers on start). */
  stop(how: 'term' | 'kill'): Promise<void>;
  /** Starts it again on the same datadir and port; resolves when it greets. */
  start(): Promise<void>;
  /** Stops it for good and removes the directory. */
  destroy(): Promise<void>;
  /** Synchronous SIGKILL for an emergency exit (the directory stays). */
  killNow(): void;
}

/** Initialises a datadir in a temporary directory and starts mariadbd on a free port. */
export async function startPrivateMariadb(log: (m: string) => void): Promise<PrivateMariadb> {
  const server = which('mariadbd') ?? which('mysqld');
  const install = which('mariadb-install-db') ?? which('mysql_install_db');
  if (!server || !install) throw new Error('the soak needs mariadbd and mariadb-install-db on PATH (Debian: apt-get install mariadb-server)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quanzi-soak-mariadb-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const init = spawnSync(install, ['--no-defaults', `--datadir=${dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`${install} failed:\n${init.stderr || init.stdout}`);
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const out = openSync(path.join(dir, 'mariadbd.log'), 'a');
    const c = spawn(
      server,
      [
        '--no-defaults', `--datadir=${dir}/data`, `--socket=${dir}/mysqld.sock`, `--pid-file=${dir}/mysqld.pid`, '--bind-address=127.0.0.1', `--port=${port}`,
        '--innodb-buffer-pool-size=128M', '--max-connections=300', '--skip-log-bin', ...asRoot,
      ],
      { stdio: ['ignore', out, out] },
    );
    child = c;
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    for (let i = 0; i < 300; i++) {
      if (await greets('127.0.0.1', port)) return;
      if (c.exitCode !== null) break;
      await sleep(200);
    }
    throw new Error(`the private mariadbd did not start on port ${port} (log: ${dir}/mariadbd.log)`);
  };

  await launch();
  log(`private mariadbd on 127.0.0.1:${port}, datadir ${dir}/data (pid ${(child as ChildProcess | null)?.pid})`);
  return {
    url: `mariadb://root@127.0.0.1:${port}`,
    port,
    dir,
    async stop(how) {
      const c = child;
      if (!c || c.exitCode !== null) return;
      c.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM');
      const deadline = Date.now() + 60_000;
      await Promise.race([exited, sleep(60_000)]);
      if (c.exitCode === null && c.signalCode === null && Date.now() >= deadline) {
        c.kill('SIGKILL');
        await exited;
      }
      child = null;
    },
    async start() {
      if (child) return;
      await launch();
    },
    killNow() {
      child?.kill('SIGKILL');
    },
    async destroy() {
      const c = child;
      if (c && c.exitCode === null) {
        c.kill('SIGTERM');
        await Promise.race([exited, sleep(20_000)]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
      child = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
