/**
 * Start-up in a terminal: a busy port prints one line and exits 1 (no stack trace, nothing left running); the
 * browser page at GET /graphql works offline (no CDN).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from './support/harness';

const API_DIR = path.join(__dirname, '..');

test('pnpm start on a busy port prints "port N is in use; set PORT" and exits with code 1', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quanzi-start-'));
  try {
    const child = spawn(process.execPath, ['-r', './register.js', 'src/main.ts'], {
      cwd: API_DIR,
      // Only what main needs: the demo on a private libsql file, on the taken port.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', SQLITE_FILE: path.join(dir, 'q.db'), LOG_LEVEL: 'silent', H5_DIST: path.join(dir, 'none') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(err.trim()).toBe(`port ${port} is in use; set PORT`);
    expect(out + err).not.toMatch(/\n\s+at /); // no stack trace
    expect(code).toBe(1);
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('GET /graphql in a browser', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  }, 60_000);
  afterAll(async () => t?.close());

  test('serves a self-hosted explorer that needs no internet, and says the full Sandbox does', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('small offline explorer served by the API itself');
    expect(html).toContain('Sandbox needs internet');
    expect(html).toContain('curl -s http://localhost:4000/graphql');
    // Nothing loads from elsewhere: no external scripts, styles or fonts.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|apollo-server-landing-page|embeddable-sandbox/);
    // Queries still work, by POST and by GET.
    const q = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ programSettings { rounding } }')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(await q.json()).toEqual({ data: { programSettings: { rounding: 'FLOOR' } } });
  });
});
