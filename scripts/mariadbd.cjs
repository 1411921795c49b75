// A private MariaDB server for tests: `pnpm test` (scripts/test.mjs) starts one when no server answers on 3306, and
// packages/api/test/replica.mariadb.test.ts starts a primary and a replica. Types: mariadbd.d.cts.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** Resolves true when something speaking the MySQL protocol greets us on host:port. */
function greets(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (v) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (buf) => done(buf.length > 5 && (buf[4] === 10 || buf[4] === 0xff)));
  });
}

/** A program on PATH or in the usual sbin directories, or null. */
function which(bin) {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin']) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment for the server and the installer: without libfaketime (`pnpm test:ahead` moves the API's clock, not
 * MariaDB's, as with a server already running on 3306).
 */
function serverEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'LD_PRELOAD' || k === 'DYLD_INSERT_LIBRARIES' || k.startsWith('FAKETIME')) delete env[k];
  return env;
}

/** The server and installer binaries, or null when MariaDB (or MySQL) is not installed. */
function mariadbBinaries() {
  const server = which('mariadbd') ?? which('mysqld');
  const install = which('mariadb-install-db') ?? which('mysql_install_db');
  return server && install ? { server, install } : null;
}

/** Runs the installer into `dataDir` (a fresh system database: root@localhost, no password). */
function initDataDir(dataDir) {
  const bins = mariadbBinaries();
  if (!bins) throw new Error('MariaDB is not installed (no mariadbd / mariadb-install-db)');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const init = spawnSync(bins.install, ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { encoding: 'utf8', env: serverEnv() });
  if (init.status !== 0) throw new Error(`${bins.install} failed:\n${init.stderr || init.stdout}`);
}

/**
 * Starts a mariadbd with its own data directory in a fresh temporary directory, on a free port of 127.0.0.1 (root, no
 * password). Resolves null when the binaries are absent. `args` go to mariadbd (e.g. --server-id, --log-bin);
 * `dataFrom` copies a data directory made by initDataDir (of no running server) instead of running the installer.
 * `stop()` ends the server, waits for it to exit and removes the directory.
 */
async function startMariadbd(opts = {}) {
  const bins = mariadbBinaries();
  if (!bins) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quanzi-mariadb-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  if (opts.dataFrom) {
    const cp = spawnSync('cp', ['-a', opts.dataFrom, `${dir}/data`], { encoding: 'utf8' });
    if (cp.status !== 0) throw new Error(`copying ${opts.dataFrom} failed: ${cp.stderr}`);
  } else {
    initDataDir(`${dir}/data`);
  }
  const child = spawn(
    bins.server,
    [
      '--no-defaults', `--datadir=${dir}/data`, `--socket=${dir}/mysqld.sock`, `--pid-file=${dir}/mysqld.pid`, '--bind-address=127.0.0.1', `--port=${port}`,
      `--innodb-buffer-pool-size=${opts.bufferPool ?? '256M'}`, '--max-connections=500', ...asRoot, ...(opts.args ?? []),
    ],
    { stdio: 'ignore', env: serverEnv() },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let up = false;
  for (let i = 0; i < 150 && !up && child.exitCode === null; i++) {
    up = await greets('127.0.0.1', port);
    if (!up) await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!up) {
    await stop();
    throw new Error(`the private ${path.basename(bins.server)} did not start on port ${port}`);
  }
  return { url: `mariadb://root@127.0.0.1:${port}`, port, dir, dataDir: `${dir}/data`, pid: child.pid, stop };
}

module.exports = { greets, which, freePort, mariadbBinaries, initDataDir, startMariadbd };
