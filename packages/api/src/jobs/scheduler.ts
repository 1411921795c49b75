/**
 * The in-process job timers (README, "Production: several API processes"). Every API process runs them; each job is
 * safe when two processes run it at once (see `jobs/index.ts` for why, job by job), and the ones that would only
 * duplicate work or calls to WeChat run under a lease (`JobLeases`): one process at a time, once per interval.
 *
 * A process never overlaps its own runs of a job (a tick while the last run is still going is skipped), and
 * `stop()` waits for the runs in progress, so a SIGTERM lets them finish before the database pool closes.
 */
import { clock } from '../clock';
import type { Logger } from '../logger';
import type { JobLeases } from './leases';

export interface JobSpec<R = unknown> {
  /** The lease's name too (≤ 64 characters). */
  name: string;
  everyMs: number;
  /** Run under a lease: one process at a time, and at most once per interval across processes. */
  leased: boolean;
  run(): Promise<R>;
  /** Logs what a run did (only what is worth a line). */
  report?(result: R, log: Logger): void;
}

/** How long a lease lasts while its run goes on; renewed every third of it, so a dead holder blocks others this long at most. */
export const RUN_LEASE_MS = 120_000;

export type TickOutcome = 'ran' | 'busy' | 'leased-elsewhere' | 'failed';

export class JobScheduler {
  private readonly jobs = new Map<string, JobSpec>();
  private readonly running = new Map<string, Promise<TickOutcome>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly leases: JobLeases,
    private readonly log: Logger,
  ) {}

  add<R>(spec: JobSpec<R>): void {
    if (this.jobs.has(spec.name)) throw new Error(`job ${spec.name} added twice`);
    this.jobs.set(spec.name, spec as JobSpec);
  }

  /** Starts the timers of every job with an interval. */
  start(): void {
    for (const spec of this.jobs.values()) {
      if (spec.everyMs <= 0) continue;
      const t = setInterval(() => void this.tick(spec.name), spec.everyMs);
      t.unref();
      this.timers.push(t);
    }
  }

  /** Runs `name` now as its timer would (tests call it to make two processes tick at once). */
  tick(name: string): Promise<TickOutcome> {
    const spec = this.jobs.get(name);
    if (!spec) throw new Error(`no job ${name}`);
    if (this.stopped) return Promise.resolve('busy');
    const current = this.running.get(name);
    if (current) return current.then(() => 'busy' as const);
    const run = this.runOnce(spec).finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  private async runOnce(spec: JobSpec): Promise<TickOutcome> {
    const started = clock.now();
    let heartbeat: NodeJS.Timeout | null = null;
    let leased = false;
    try {
      if (spec.leased) {
        leased = await this.leases.take(spec.name, RUN_LEASE_MS, started);
        if (!leased) return 'leased-elsewhere';
        heartbeat = setInterval(() => {
          this.leases
            .renew(spec.name, RUN_LEASE_MS)
            .then((held) => held || this.log.warn({ job: spec.name }, 'job lease lost during a run (the run is idempotent; another process may be running it too)'))
            .catch((e: Error) => this.log.warn({ job: spec.name, err: e.message }, 'job lease renewal failed'));
        }, RUN_LEASE_MS / 3);
        heartbeat.unref();
      }
      const result = await spec.run();
      spec.report?.(result, this.log);
      return 'ran';
    } catch (e) {
      this.log.error({ job: spec.name, err: (e as Error).message }, `${spec.name} failed`);
      return 'failed';
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      if (leased) {
        // Held until the next run is due (less a tenth, for timer drift), so N processes run the job once per interval.
        const next = new Date(started.getTime() + spec.everyMs * 0.9);
        const now = clock.now();
        await this.leases.release(spec.name, next > now ? next : now).catch((e: Error) => this.log.warn({ job: spec.name, err: e.message }, 'job lease release failed'));
      }
    }
  }

  /** Stops the timers and waits for the runs in progress (the caller closes the pool afterwards). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    await Promise.allSettled([...this.running.values()]);
  }
}
