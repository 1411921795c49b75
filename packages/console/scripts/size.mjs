#!/usr/bin/env node
// `pnpm size` (console part): builds the console when dist is missing (or with --build), prints every JS/CSS asset
// with its gzip size, and fails when the initial JS (the entry script and what index.html preloads) is over budget.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 500;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
if (process.argv.includes('--build') || !existsSync(path.join(dist, 'index.html'))) {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = new Set([...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const kb = (n) => (n / 1024).toFixed(1).padStart(8);
let initialGz = 0;
const rows = readdirSync(path.join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const buf = readFileSync(path.join(dist, 'assets', f));
    const gz = gzipSync(buf, { level: 9 }).length;
    const isInitial = initial.has(`assets/${f}`);
    if (isInitial) initialGz += gz;
    return { f, raw: buf.length, gz, isInitial };
  })
  .sort((a, b) => b.gz - a.gz);
console.log('[console size]      raw KB  gzip KB  asset');
for (const r of rows) console.log(`[console size] ${kb(r.raw)} ${kb(r.gz)}  ${r.f}${r.isInitial ? '  (initial)' : ''}`);
console.log(`[console size] initial JS: ${(initialGz / 1024).toFixed(1)} KB gzip (budget ${BUDGET_KB} KB); sections load on demand`);
if (initialGz > BUDGET_KB * 1024) {
  console.error(`[console size] over budget: initial JS ${(initialGz / 1024).toFixed(1)} KB > ${BUDGET_KB} KB gzip`);
  process.exit(1);
}
