/**
 * The soak's GraphQL client, behaving like a real till or phone: a request that failed with a network error, a
 * timeout, an HTTP 5xx or the API's INTERNAL code is sent again — the same body, so the SAME idempotency key — with
 * backoff until it gets an answer or its deadline passes. Every request ends in one recorded outcome.
 */

export interface GqlError { message: string; extensions?: { code?: string; [k: string]: unknown } }

export interface CallResult<T> {
  data: T | null;
  /** The error code of the final answer (null when it succeeded or never got an answer). */
  code: string | null;
  message: string | null;
  attempts: number;
  /** No answer before the deadline (the request's effect is unknown: the checks allow zero or one). */
  gaveUp: boolean;
}

/** Named counters, printed at the end. */
export class Counters {
  private readonly m = new Map<string, number>();
  add(name: string, n = 1): void {
    this.m.set(name, (this.m.get(name) ?? 0) + n);
  }
  get(name: string): number {
    return this.m.get(name) ?? 0;
  }
  /** Counters whose name starts with `prefix.`, as `rest=n` pairs. */
  group(prefix: string): string {
    const out = [...this.m.entries()].filter(([k]) => k.startsWith(`${prefix}.`)).sort(([a], [b]) => a.localeCompare(b));
    return out.length ? out.map(([k, v]) => `${k.slice(prefix.length + 1)}=${v}`).join(' ') : '(none)';
  }
  prefixes(): string[] {
    return [...new Set([...this.m.keys()].map((k) => k.split('.')[0] as string))].sort();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class SoakClient {
  constructor(
    readonly url: string,
    readonly counters: Counters,
    /** How long one logical request may keep retrying (ms). */
    private readonly deadlineMs: number,
    /** Per-attempt timeout (ms): a hung attempt counts as a network error and is retried. */
    private readonly attemptTimeoutMs = 20_000,
  ) {}

  /**
   * Sends `query` until it gets an answer that is not a transient failure, or the deadline passes.
   * `op` names the counters (`retry.<op>.<reason>`).
   */
  async call<T>(op: string, query: string, variables: Record<string, unknown>, token: string | null): Promise<CallResult<T>> {
    const until = Date.now() + this.deadlineMs;
    const body = JSON.stringify({ query, variables });
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      try {
        const res = await fetch(`${this.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body,
          signal: AbortSignal.timeout(this.attemptTimeoutMs),
        });
        const text = await res.text();
        let json: { data?: T | null; errors?: GqlError[] } | null = null;
        try {
          json = JSON.parse(text) as { data?: T | null; errors?: GqlError[] };
        } catch {
          json = null;
        }
        const code = json?.errors?.[0]?.extensions?.code ?? null;
        if (res.status >= 500 && (!json || code === 'INTERNAL' || code === null)) reason = `http${res.status}`;
        else if (code === 'INTERNAL') reason = 'INTERNAL';
        else if (!json) reason = `http${res.status}-unparsed`;
        else {
          if (json.errors?.length) return { data: null, code: String(code ?? 'UNKNOWN'), message: json.errors[0]?.message ?? null, attempts: attempt, gaveUp: false };
          return { data: (json.data ?? null) as T | null, code: null, message: null, attempts: attempt, gaveUp: false };
        }
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        reason = err.name === 'TimeoutError' ? 'timeout' : (err.cause?.code ?? 'network');
      }
      this.counters.add(`retry.${op}.${reason}`);
      if (Date.now() >= until) return { data: null, code: null, message: `gave up after ${attempt} attempts (last: ${reason})`, attempts: attempt, gaveUp: true };
      await sleep(Math.min(3000, 250 * 1.6 ** Math.min(attempt, 8)) * (0.75 + Math.random() * 0.5));
    }
  }

  /** A call that must succeed (setup, the final checks): throws with the error otherwise. */
  async must<T>(op: string, query: string, variables: Record<string, unknown>, token: string | null): Promise<T> {
    const r = await this.call<T>(op, query, variables, token);
    if (!r.data) throw new Error(`${op} failed: ${r.code ?? ''} ${r.message ?? ''}`);
    return r.data;
  }
}
