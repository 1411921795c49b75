/**
 * BENCH_API_PROCESSES=N: the stack as production runs it — `pnpm start`'s entry (packages/api/src/main.ts) in its own
 * process with WEB_CONCURRENCY=N (N = 1: one process; N > 1: the cluster's primary and N workers, each with its own
 * pool), on the bench's database, instead of the API inside the bench's process. Issue #16: throughput for one and
 * for two API processes on the same machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../soak/mariadb';

export interface ExternalApi {
  url: string;
  close(): Promise<void>;
}

/** Starts the API with `env` (DATABASE_URL, secrets, …) and WEB_CONCURRENCY = `processes`; resolves once /health answers. */
export async function startExternalApi(processes: number, env: Record<string, string>): Promise<ExternalApi> {
  if (!Number.isInteger(processes) || processes < 1 || processes > 8) throw new Error('BENCH_API_PROCESSES: 1–8');
  const port = await freePort();
  const api = path.join(__dirname, '..', '..', 'packages', 'api');
  const child: ChildProcess = spawn(process.execPath, ['-r', path.join(api, 'register.js'), path.join(api, 'src', 'main.ts')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: String(processes) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited: number | null = null;
  const done = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code ?? 0), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`the API (WEB_CONCURRENCY=${processes}) exited with ${exited} before it answered`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the API (WEB_CONCURRENCY=${processes}) did not answer /health within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // With several workers, /health answers once the first listens: give the others (forked at once) time to start.
  if (processes > 1) await new Promise((r) => setTimeout(r, 3_000));
  return {
    url,
    close: async () => {
      if (exited === null) child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 35_000))]);
      if (exited === null) child.kill('SIGKILL');
    },
  };
}
