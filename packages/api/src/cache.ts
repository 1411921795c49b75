/**
 * A tiny in-process cache with a TTL and explicit invalidation, for config-like data read on hot paths.
 *
 * With several API processes, `invalidate()` (called after a manager's change has committed) is also announced to
 * the other processes through Redis when REDIS_URL is set (`cache-bus.ts`), which drop their copy at once; without
 * Redis another process serves the old value until its TTL runs out (at most 10 s for every cache here).
 */
import { clock } from './clock';

/** Caches constructed inside `collectCaches` (one service graph: an app, or a test's second app). */
let collecting: TtlCache<unknown>[] | null = null;

export class TtlCache<T> {
  private value: { v: Promise<T>; at: number } | null = null;
  /** Set by the cache bus: tells the other processes that this cache's data changed. */
  onInvalidate: ((name: string) => void) | null = null;

  /** `name` identifies the cache across processes (the same in every process of one version). */
  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    readonly name: string = 'anonymous',
    private readonly now: () => number = () => clock.ms(),
  ) {
    collecting?.push(this as TtlCache<unknown>);
  }

  get(): Promise<T> {
    const t = this.now();
    if (!this.value || t - this.value.at > this.ttlMs) {
      const v = this.load();
      this.value = { v, at: t };
      v.catch(() => {
        if (this.value?.v === v) this.value = null;
      });
    }
    return this.value.v;
  }

  /** The data changed (or must be read fresh): drop it here, and in the other processes when a bus is attached. */
  invalidate(): void {
    this.drop();
    this.onInvalidate?.(this.name);
  }

  /** Drops the value in this process only (a message from another process, or a miss in `find`). */
  drop(): void {
    this.value = null;
  }

  /**
   * Picks something out of the cached value; when it is not there (created moments ago, perhaps by another
   * instance), reloads once and picks again.
   */
  async find<R>(pick: (value: T) => R | undefined): Promise<R | undefined> {
    const hit = pick(await this.get());
    if (hit !== undefined) return hit;
    this.drop();
    return pick(await this.get());
  }
}

/** Runs `build` (synchronous) and returns the caches it constructed with it, so one app can wire up its own. */
export function collectCaches<R>(build: () => R): { value: R; caches: TtlCache<unknown>[] } {
  const outer = collecting;
  const caches: TtlCache<unknown>[] = [];
  collecting = caches;
  try {
    return { value: build(), caches };
  } finally {
    collecting = outer;
  }
}
