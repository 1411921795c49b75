#!/usr/bin/env node
/**
 * Size budget for the WeChat package (issue #3): builds weapp, then fails when the main package exceeds 1.2 MB or
 * any subpackage 1.5 MB (WeChat's own hard limit is 2 MB each). The main package is every file of dist/weapp that
 * is not under a subpackage root from app.json, as WeChat counts it.
 *
 *   node scripts/size-budget.mjs            build, then measure
 *   node scripts/size-budget.mjs --no-build measure the existing dist/weapp
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const BUDGET = { main: 1.2 * MB, sub: 1.5 * MB };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'weapp');

if (!process.argv.includes('--no-build')) {
  const t0 = Date.now();
  const r = spawnSync('pnpm', ['exec', 'taro', 'build', '--type', 'weapp'], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error('size: the weapp build failed');
    process.exit(r.status ?? 1);
  }
  console.log(`size: weapp build took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (!existsSync(path.join(dist, 'app.json'))) {
  console.error(`size: ${path.relative(process.cwd(), dist)}/app.json not found (build weapp first)`);
  process.exit(1);
}

/** @returns {{ file: string, bytes: number }[]} */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [{ file: path.relative(dist, p).split(path.sep).join('/'), bytes: statSync(p).size }];
  });
}

const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/?$/, '/'));
const all = files(dist);
const packages = [{ name: '主包 (main)', root: null, budget: BUDGET.main }, ...subRoots.map((r) => ({ name: `分包 ${r}`, root: r, budget: BUDGET.sub }))];
const sizeOf = (pkg) =>
  all.filter((f) => (pkg.root ? f.file.startsWith(pkg.root) : !subRoots.some((r) => f.file.startsWith(r)))).reduce((s, f) => s + f.bytes, 0);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let failed = false;
console.log('\nWeChat package sizes (dist/weapp):');
for (const pkg of packages) {
  const bytes = sizeOf(pkg);
  const ok = bytes <= pkg.budget;
  failed ||= !ok;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${pkg.name.padEnd(18)} ${kb(bytes).padStart(10)}  / budget ${kb(pkg.budget)}`);
}
console.log(`  total               ${kb(all.reduce((s, f) => s + f.bytes, 0)).padStart(10)}`);
const biggest = all.filter((f) => !subRoots.some((r) => f.file.startsWith(r))).sort((a, b) => b.bytes - a.bytes).slice(0, 5);
console.log(`  largest in main: ${biggest.map((f) => `${f.file} ${kb(f.bytes)}`).join(', ')}`);

// Every page written in src (an index.config.ts beside its index.tsx) must be listed in app.json and emitted.
const listed = [...app.pages, ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/$/, '')}/${page}`))];
const srcDir = path.join(root, 'src');
const written = readdirRecursive(srcDir)
  .filter((f) => f.endsWith('/index.config.ts') && !f.startsWith('custom-tab-bar/'))
  .map((f) => f.replace(/\.config\.ts$/, ''));
const missing = written.filter((p) => !listed.includes(p));
const unbuilt = listed.filter((p) => !['.js', '.json', '.wxml'].every((ext) => existsSync(path.join(dist, p + ext))));
console.log(`  pages in app.json: ${listed.length} (${app.pages.length} main + ${listed.length - app.pages.length} in subpackages), all built: ${unbuilt.length === 0}`);
if (missing.length || unbuilt.length) {
  if (missing.length) console.error(`size: pages in src missing from app.json: ${missing.join(', ')}`);
  if (unbuilt.length) console.error(`size: pages in app.json without output: ${unbuilt.join(', ')}`);
  failed = true;
}

// app.json's sitemapLocation must name a file in the package (Taro doesn't emit it; config/index.ts copies it).
if (app.sitemapLocation && !existsSync(path.join(dist, app.sitemapLocation))) {
  console.error(`size: app.json sitemapLocation ${app.sitemapLocation} is missing from dist/weapp`);
  failed = true;
} else if (app.sitemapLocation) {
  console.log(`  sitemap: ${app.sitemapLocation} present; __usePrivacyCheck__: ${app.__usePrivacyCheck__ === true}`);
}

if (failed) {
  console.error('\nsize: failed (budget: main ≤ 1.2 MB, each subpackage ≤ 1.5 MB; every page built and listed)');
  process.exit(1);
}

function readdirRecursive(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? readdirRecursive(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}
