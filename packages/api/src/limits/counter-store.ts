/**
 * Where rate-limit counters live: Redis when REDIS_URL is set (shared by every instance, through ioredis), process
 * memory otherwise (the embedded demo needs nothing but Node).
 *
 * Windows and cool-downs are decided on the API's clock, never on the store's: a counter's key names its window
 * (`floor(now / window)` by `clock.ms()`) and a cool-down's value is its end in `clock.ms()` terms. Expiry in the
 * store (Redis PX, the memory sweep) only collects garbage, so tests move past a cool-down with `clock.offset`
 * instead of sleeping, and a Redis server with a skewed clock cannot lengthen or shorten a window.
 */
import Redis from 'ioredis';
import { clock } from '../clock';
import type { Logger } from '../logger';

export interface CounterStore {
  readonly kind: 'redis' | 'memory';
  /** Adds one to the counter `key` (one fixed window; kept at least `ttlMs`) and returns the new count. */
  incr(key: string, ttlMs: number, nowMs: number): Promise<number>;
  /** The end (epoch ms, API clock) of the cool-down on `key` when one is running at `nowMs`, else null. */
  blockedUntil(key: string, nowMs: number): Promise<number | null>;
  /** Starts a cool-down on `key` until `untilMs` unless one is running; true when this call started it (exactly one caller does). */
  block(key: string, untilMs: number, nowMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Counters in this process (one instance, or the demo). Swept of old entries as it grows. */
export class MemoryCounterStore implements CounterStore {
  readonly kind = 'memory' as const;
  private readonly counters = new Map<string, { n: number; until: number }>();
  private readonly blocks = new Map<string, number>();
  private writes = 0;

  async incr(key: string, ttlMs: number, nowMs: number): Promise<number> {
    this.sweep(nowMs);
    const c = this.counters.get(key);
    if (c && c.until > nowMs) {
      c.n += 1;
      return c.n;
    }
    this.counters.set(key, { n: 1, until: nowMs + ttlMs });
    return 1;
  }

  async blockedUntil(key: string, nowMs: number): Promise<number | null> {
    const until = this.blocks.get(key);
    return until !== undefined && until > nowMs ? until : null;
  }

  async block(key: string, untilMs: number, nowMs: number): Promise<boolean> {
    const cur = this.blocks.get(key);
    if (cur !== undefined && cur > nowMs) return false;
    this.blocks.set(key, untilMs);
    return true;
  }

  async close(): Promise<void> {
    this.counters.clear();
    this.blocks.clear();
  }

  private sweep(nowMs: number): void {
    if (++this.writes % 1000 !== 0 && this.counters.size < 50_000) return;
    for (const [k, c] of this.counters) if (c.until <= nowMs) this.counters.delete(k);
    for (const [k, until] of this.blocks) if (until <= nowMs) this.blocks.delete(k);
  }
}

// INCR, and set the expiry when the key is new (one round trip, atomic).
const INCR = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;
// A cool-down is set only when none is running at ARGV[2] (API clock); the PX only collects it later.
const BLOCK = `local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

/**
 * Counters in Redis, shared by every API instance. When Redis does not answer, the limiter fails open (logged):
 * a till keeps working during a Redis outage, and the database-side locks (one-time codes, code steps) still hold.
 */
export class RedisCounterStore implements CounterStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private lastErrorLog = 0;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true });
    this.redis.on('error', (e: Error) => this.warn(e));
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    try {
      return Number(await this.redis.eval(INCR, 1, this.prefix + key, String(ttlMs)));
    } catch (e) {
      this.warn(e);
      return 0;
    }
  }

  async blockedUntil(key: string, nowMs: number): Promise<number | null> {
    try {
      const v = await this.redis.get(this.prefix + key);
      const until = v === null ? NaN : Number(v);
      return Number.isFinite(until) && until > nowMs ? until : null;
    } catch (e) {
      this.warn(e);
      return null;
    }
  }

  async block(key: string, untilMs: number, nowMs: number): Promise<boolean> {
    try {
      // Kept a minute past its end by Redis's clock, whatever the skew; the API's clock decides when it ends.
      const px = Math.max(1, untilMs - nowMs) + 60_000;
      return Number(await this.redis.eval(BLOCK, 1, this.prefix + key, String(untilMs), String(nowMs), String(px))) === 1;
    } catch (e) {
      this.warn(e);
      return false;
    }
  }

  /** Answers PONG (for tests and start-up checks). */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private warn(e: unknown): void {
    const now = clock.ms();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'Redis unavailable: rate limits are not enforced');
  }
}
