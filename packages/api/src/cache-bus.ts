/**
 * Cache invalidation across API processes (README, "Production: several API processes"): when a manager's change
 * drops a cache in one process (`TtlCache.invalidate()`), a message on a Redis pub/sub channel makes every other
 * process drop its copy of that cache too, so none serves old rules, tiers or stores for longer than the message
 * takes (milliseconds). Through ioredis, the client the rate limits already use.
 *
 * When Redis is unreachable the bus only logs: every cache still expires after its TTL (≤ 10 s), the bound without
 * Redis. After a reconnect every cache is dropped, since messages sent while disconnected are lost.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { TtlCache } from './cache';
import type { Logger } from './logger';

export class CacheBus {
  /** This app's id: its own messages come back to it and are ignored. */
  readonly id = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private connectedOnce = false;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly caches: TtlCache<unknown>[],
    private readonly log: Logger,
  ) {
    this.channel = `${keyPrefix}cache-invalidate`;
    this.pub = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.sub = new Redis(url, { connectTimeout: 2000 });
    const warn = (e: Error) => this.log.warn({ err: e.message }, 'cache bus: Redis error (caches fall back to their TTL)');
    this.pub.on('error', warn);
    this.sub.on('error', warn);
    this.sub.on('message', (_channel: string, message: string) => this.receive(message));
    this.sub.on('ready', () => {
      // ioredis re-subscribes after a reconnect; what was published meanwhile is lost, so start afresh.
      if (this.connectedOnce) for (const c of this.caches) c.drop();
      this.connectedOnce = true;
    });
    for (const c of caches) c.onInvalidate = (name) => this.publish(name);
  }

  /**
   * Subscribes: resolves once Redis confirmed, rejects when it has not within `waitMs` (start-up does not wait for
   * Redis; ioredis keeps trying and the subscription starts when it answers).
   */
  async start(waitMs = 2000): Promise<void> {
    const subscribed = this.sub.subscribe(this.channel);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${waitMs} ms`)), waitMs);
    });
    subscribed.catch(() => undefined);
    try {
      await Promise.race([subscribed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private publish(name: string): void {
    this.pub.publish(this.channel, JSON.stringify({ from: this.id, name })).catch((e: Error) => this.log.warn({ err: e.message, cache: name }, 'cache bus: publish failed'));
  }

  private receive(message: string): void {
    let m: { from?: unknown; name?: unknown };
    try {
      m = JSON.parse(message) as typeof m;
    } catch {
      return;
    }
    if (m.from === this.id || typeof m.name !== 'string') return;
    for (const c of this.caches) if (c.name === m.name) c.drop();
  }

  async close(): Promise<void> {
    for (const c of this.caches) c.onInvalidate = null;
    await Promise.all([this.pub.quit().catch(() => this.pub.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
  }
}
