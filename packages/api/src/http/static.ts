/** Serves the mini-program's H5 build (a static single-page app) at / without extra dependencies. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export const DEFAULT_H5_DIST = path.resolve(__dirname, '..', '..', '..', 'miniapp', 'dist', 'h5');

/** Registers GET / and /* for files under `dir` (index.html as the fallback) when the build exists. */
export function registerStatic(fastify: FastifyInstance, dir: string | null): boolean {
  const root = path.resolve(dir ?? DEFAULT_H5_DIST);
  if (!existsSync(path.join(root, 'index.html'))) {
    fastify.get('/', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>Quanzi</title><p>Quanzi API is running: GraphQL at <a href="/graphql">/graphql</a>. Build the mini-program for the browser with <code>pnpm build</code> to see it here.</p>'),
    );
    return false;
  }
  fastify.get('/*', async (req, reply) => {
    const rel = decodeURIComponent((req.params as { '*': string })['*'] || 'index.html');
    const file = path.resolve(root, rel);
    const inside = file === root || file.startsWith(root + path.sep);
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : path.join(root, 'index.html');
    const ext = path.extname(target);
    reply.header('cache-control', ext === '.html' ? 'no-cache' : 'public, max-age=3600');
    return reply.type(TYPES[ext] ?? 'application/octet-stream').send(readFileSync(target));
  });
  return true;
}
