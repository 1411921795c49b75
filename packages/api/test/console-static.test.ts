/**
 * The manager console's static serving (src/http/console-static.ts): caching by content hash, the security headers on
 * every answer (found, fallback, 404, not built), and no way out of the build directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { CONSOLE_CSP, registerConsole } from '../src/http/console-static';

const SECURITY = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

type Answer = { statusCode: number; headers: http.IncomingHttpHeaders; body: string };

/** GET with the path sent exactly as written (fetch would normalise `..` away before it leaves). */
function get(app: FastifyInstance, rawPath: string): Promise<Answer> {
  const { port } = app.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: rawPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('console static files', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'qz-console-'));
    mkdirSync(path.join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'dist', 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside the build');
    app = Fastify();
    expect(registerConsole(app, path.join(dir, 'dist'))).toBe(true);
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('CSP: scripts and connections only from here, no framing, no plugins', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).toContain("object-src 'none'");
  });

  it('/console redirects to /console/', async () => {
    const r = await get(app, '/console');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/console/');
  });

  it('the app page is never cached and carries the security headers', async () => {
    for (const url of ['/console/', '/console/members/42', '/console/%E4%BC%9A%E5%91%98']) {
      const r = await get(app, url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('<div id="root">');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers).toMatchObject(SECURITY);
    }
  });

  it('a malformed address is a 400 from the router, not a crash', async () => {
    const r = await get(app, '/console/%E0%A4%A');
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toContain('    at ');
  });

  it('hashed assets are cached for a year (immutable); a missing asset is a 404, not the app page', async () => {
    const js = await get(app, '/console/assets/index-AbC123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers).toMatchObject(SECURITY);
    const gone = await get(app, '/console/assets/index-Old999.js');
    expect(gone.statusCode).toBe(404);
    expect(gone.body).not.toContain('<div id="root">');
    expect(gone.headers).toMatchObject(SECURITY);
  });

  it('no path leaves the build directory', async () => {
    for (const url of ['/console/../secret.txt', '/console/..%2fsecret.txt', '/console/%2e%2e/secret.txt', '/console/assets/..%2f..%2fsecret.txt']) {
      const r = await get(app, url);
      expect(r.body).not.toContain('outside the build');
    }
  });

  it('without a build: a page saying how to build it, with the same headers', async () => {
    const bare = Fastify();
    expect(registerConsole(bare, path.join(dir, 'nowhere'))).toBe(false);
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const r = await get(bare, '/console/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('pnpm build');
    expect(r.headers).toMatchObject(SECURITY);
    await bare.close();
  });
});
