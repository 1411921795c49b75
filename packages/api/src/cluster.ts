/**
 * `WEB_CONCURRENCY=N pnpm start`: N API worker processes behind one port, through Node's cluster module (README,
 * "Production: several API processes"). The primary migrates the database once, forks the workers (each opens its
 * own pool and runs the API as `main.ts` does alone), restarts a worker that dies (backing off when they keep dying
 * at once), and on SIGTERM/SIGINT passes the signal on and waits for every worker to drain: stop accepting, finish
 * the requests and job runs in progress, close the pool.
 *
 * Why cluster rather than N processes on N ports: the load balancer keeps one upstream per host and one health
 * check, the primary spreads connections over the workers (round-robin on Linux), and supervising (restart, drain)
 * comes with Node, without a process manager or a dependency.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config';
import { clock } from './clock';
import { initOrm } from './db/orm';
import type { Logger } from './logger';

/** A worker exits with this code when it cannot run at all (the port is taken): the primary stops instead of restarting it. */
export const EXIT_CANNOT_START = 78;

/** How long the primary waits for workers to drain after SIGTERM before it kills them. */
const DRAIN_MS = 30_000;

export async function runPrimary(config: Config, log: Logger): Promise<void> {
  // Once, before any worker: N workers migrating one database at the same moment would race on the DDL.
  const orm = await initOrm(config.database);
  await orm.close(true);

  const n = config.webConcurrency;
  if (!config.limits.redisUrl) {
    log.warn({ workers: n }, 'REDIS_URL is not set: each worker counts rate limits alone (limits are N times looser) and caches refresh by TTL only (≤ 10 s)');
  }
  let stopping = false;
  let finalCode = 0;
  let quickDeaths = 0;
  /** Live workers and when each started (the primary's own bookkeeping: cluster.workers lags behind 'exit'). */
  const alive = new Map<Worker, number>();
  const fork = (slot: number): Worker => {
    const w = cluster.fork({ QUANZI_WORKER_SLOT: String(slot) });
    alive.set(w, clock.ms());
    w.on('exit', (code, signal) => {
      const lived = clock.ms() - (alive.get(w) ?? 0);
      alive.delete(w);
      if (stopping) {
        log.info({ pid: w.process.pid, code, signal }, 'API worker stopped');
        if (alive.size === 0) {
          log.info('all API workers stopped');
          process.exit(finalCode);
        }
        return;
      }
      if (code === EXIT_CANNOT_START) {
        log.error({ pid: w.process.pid, code }, 'an API worker cannot start: stopping');
        void stop('worker cannot start', 1);
        return;
      }
      // A crash loop (bad deploy, database down) backs off up to 30 s instead of forking as fast as it can.
      quickDeaths = lived < 10_000 ? quickDeaths + 1 : 0;
      const delay = Math.min(30_000, quickDeaths === 0 ? 0 : 500 * 2 ** (quickDeaths - 1));
      log.warn({ pid: w.process.pid, code, signal, restartInMs: delay }, 'API worker died: restarting it');
      setTimeout(() => stopping || fork(slot), delay);
    });
    return w;
  };

  const stop = async (reason: string, exitCode = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    finalCode = exitCode;
    log.info({ reason, workers: alive.size }, 'stopping the API workers');
    if (alive.size === 0) process.exit(exitCode);
    for (const w of alive.keys()) w.process.kill('SIGTERM');
    setTimeout(() => {
      log.error({ workers: alive.size }, `API workers still running after ${DRAIN_MS / 1000} s: killing them`);
      for (const w of alive.keys()) w.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, DRAIN_MS).unref();
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  for (let i = 1; i <= n; i++) fork(i);
  log.info({ workers: n, port: config.port, pid: process.pid }, 'API cluster started');
}

/** Whether this process is a worker of the cluster (then it serves; otherwise it may be the primary). */
export const isClusterWorker = (): boolean => cluster.isWorker;
