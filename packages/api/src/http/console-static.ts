/**
 * Serves the manager console's build (packages/console/dist, a Vite single-page app) at /console/ (issue #13).
 * Vite names assets by content hash, so /console/assets/* are cached for a year (immutable); index.html is never
 * cached, so a new build is picked up at once. Every answer carries a strict Content-Security-Policy: scripts only
 * from here, no framing; styles allow inline because Ant Design injects its CSS-in-JS as <style> elements.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TYPES } from './static';

export const DEFAULT_CONSOLE_DIST = path.resolve(__dirname, '..', '..', '..', 'console', 'dist');

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/** Registers GET /console and /console/* when the build exists; otherwise a page saying how to build it. */
export function registerConsole(fastify: FastifyInstance, dir: string | null): boolean {
  const root = path.resolve(dir ?? DEFAULT_CONSOLE_DIST);
  fastify.get('/console', async (_req, reply) => reply.redirect('/console/'));
  if (!existsSync(path.join(root, 'index.html'))) {
    fastify.get('/console/*', async (_req, reply) =>
      secure(reply)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>Quanzi 管理后台</title><p>The manager console is not built: run <code>pnpm build</code> (or <code>pnpm --filter @quanzi/console build</code>).</p>'),
    );
    return false;
  }
  fastify.get('/console/*', async (req, reply) => {
    let rel: string;
    try {
      rel = decodeURIComponent((req.params as { '*': string })['*'] || 'index.html');
    } catch {
      rel = 'index.html';
    }
    const file = path.resolve(root, rel);
    const inside = file.startsWith(root + path.sep);
    const found = inside && existsSync(file) && statSync(file).isFile();
    // A missing asset is a 404 (not the app page: a stale index.html must not get HTML for a script).
    if (!found && rel.startsWith('assets/')) return secure(reply).code(404).type('text/plain; charset=utf-8').send('Not found');
    const target = found ? file : path.join(root, 'index.html');
    const ext = path.extname(target);
    const immutable = found && rel.startsWith('assets/');
    secure(reply).header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.type(TYPES[ext] ?? 'application/octet-stream').send(readFileSync(target));
  });
  return true;
}
