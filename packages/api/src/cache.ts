/** A tiny in-process cache with a TTL and explicit invalidation, for config-like data read on hot paths. */
import { clock } from './clock';
export class TtlCache<T> {
  private value: { v: Promise<T>; at: number } | null = null;
  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => clock.ms(),
  ) {}

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

  invalidate(): void {
    this.value = null;
  }

  /**
   * Picks something out of the cached value; when it is not there (created moments ago, perhaps by another
   * instance), reloads once and picks again.
   */
  async find<R>(pick: (value: T) => R | undefined): Promise<R | undefined> {
    const hit = pick(await this.get());
    if (hit !== undefined) return hit;
    this.invalidate();
    return pick(await this.get());
  }
}
