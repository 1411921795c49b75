#!/usr/bin/env node
// `pnpm start`: the offline demo. Builds the mini-program's H5 version (served at http://localhost:4000/) and the
// manager console (served at /console/) once each, then starts the API (libsql + demo data + WeChat simulators unless
// DATABASE_URL / WECHAT_* say otherwise). SKIP_H5_BUILD=1 starts the API only. WEB_CONCURRENCY=N (MariaDB only) runs N API
// worker processes on the port (packages/api/src/cluster.ts); under a supervisor start packages/api's process itself (README).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const h5 = path.join(root, 'packages', 'miniapp', 'dist', 'h5', 'index.html');
if (!existsSync(h5) && !process.env.SKIP_H5_BUILD && !process.env.H5_DIST) {
  console.log('[start] building the mini-program for the browser (once, about 30 s)…');
  const b = spawnSync('pnpm', ['--filter', 'miniapp', 'build:h5'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) console.warn('[start] the H5 build failed; starting the API without it');
}
const consoleIndex = path.join(root, 'packages', 'console', 'dist', 'index.html');
if (!existsSync(consoleIndex) && !process.env.SKIP_H5_BUILD && !process.env.CONSOLE_DIST) {
  console.log('[start] building the manager console (once, about 30 s)…');
  const b = spawnSync('pnpm', ['--filter', '@quanzi/console', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) console.warn('[start] the console build failed; starting the API without it');
}
const r = spawnSync('pnpm', ['--filter', '@quanzi/api', 'start'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
