/** Plumbing shared by the simulators: listening on loopback, and knowing when background work has settled. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` (0 picks a free port) and returns the base URL, e.g. `http://127.0.0.1:54321`. */
export async function listenLoopback(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${urlHost}:${address.port}`;
}

/**
 * Counts background work (deliveries, timers, callbacks) so tests can wait until none is left: `idle()` resolves on
 * the tick after the last tracked promise settles, or at once once `release()` has been called (the simulator closed).
 */
export class IdleTracker {
  private pending = 0;
  private released = false;
  private readonly waiters: Array<() => void> = [];

  track<T>(work: Promise<T>): Promise<T> {
    this.pending++;
    return work.finally(() => {
      this.pending--;
      if (this.pending === 0) setImmediate(() => this.flush());
    });
  }

  idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.released) return resolve();
      this.waiters.push(resolve);
      setImmediate(() => this.flush());
    });
  }

  /** Wakes every waiter now and makes later `idle()` calls resolve at once. */
  release(): void {
    this.released = true;
    for (const w of this.waiters.splice(0)) w();
  }

  private flush(): void {
    if (this.pending !== 0) return;
    for (const w of this.waiters.splice(0)) w();
  }
}
