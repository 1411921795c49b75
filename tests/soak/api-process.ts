/**
 * The API child process (tests/soak/api.ts under `node -r packages/api/register.js`): started, SIGKILLed and
 * started again on the same port with the same environment. Its output goes to a log file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export class ApiProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Exits nobody asked for (a crash), with their code or signal. */
  readonly unexpectedExits: string[] = [];
  private expectingExit = false;

  constructor(
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Forks the API and resolves once it listens (it migrates the database first). */
  async start(timeoutMs = 180_000): Promise<number> {
    const out = openSync(this.logFile, 'a');
    const t0 = Date.now();
    const c = fork(path.join(__dirname, 'api.ts'), [], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env },
      execArgv: ['-r', path.join(ROOT, 'packages', 'api', 'register.js')],
      stdio: ['ignore', out, out, 'ipc'],
    });
    this.child = c;
    this.expectingExit = false;
    this.exited = new Promise((resolve) =>
      c.once('exit', (code, signal) => {
        if (!this.expectingExit) this.unexpectedExits.push(`pid ${c.pid}: ${signal ?? `exit ${code}`}`);
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the API did not start within ${timeoutMs / 1000} s (log: ${this.logFile})`)), timeoutMs);
      c.on('message', (m: { type?: string }) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the API exited while starting (${signal ?? code}); log: ${this.logFile}`));
      });
    });
    return Date.now() - t0;
  }

  /** SIGKILL (no shutdown hooks, in-flight requests and transactions cut off); resolves when it is gone. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    this.expectingExit = true;
    c.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  /** SIGTERM and wait (the end of the run). */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    this.expectingExit = true;
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
    this.child = null;
  }

  /** Synchronous SIGKILL for an emergency exit. */
  killNow(): void {
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }
}
