/**
 * The till load of the expiry bench (expiry.ts), in its own process so its timings never share an event loop with
 * the API: `connections` loops each sending recordPurchase (a fresh idempotency key, a valid member code, the next
 * member round-robin) one after another. Every answer's latency is filed under the phase the parent last announced
 * (`before`, `during` the expiry, …); `stop` answers with them.
 */
import { formatMemberCode, totpAt, totpStep } from '@quanzi/shared';
import { PURCHASE_MUTATION, type BuyMember } from './protocol';

export type TillCommand =
  | { type: 'start'; url: string; staffToken: string; storeId: number; buyers: BuyMember[]; connections: number }
  | { type: 'phase'; name: string }
  | { type: 'stop' };

export interface PhaseFigures { latencies: number[]; errors: number; errorSamples: string[]; seconds: number }
export type TillReply = { type: 'started' } | { type: 'stopped'; phases: Record<string, PhaseFigures> };

const MARGIN_MS = 2_000;
let buyers: BuyMember[] = [];
let lastStep = new Int32Array(0);
let next = 0;
let seq = 0;
let phase = 'warmup';
let phaseStart = performance.now();
let stopping = false;
const phases: Record<string, PhaseFigures> = {};
const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

function figures(name: string): PhaseFigures {
  phases[name] ??= { latencies: [], errors: 0, errorSamples: [], seconds: 0 };
  return phases[name] as PhaseFigures;
}

/** A member code that is valid now and not used before (see load.ts, which does the same for autocannon). */
function nextCode(): string {
  const now = Date.now();
  const lo = totpStep(now + MARGIN_MS) - 1;
  const hi = totpStep(now - MARGIN_MS) + 1;
  for (let tries = 0; tries < buyers.length; tries++) {
    const i = next;
    next = (next + 1) % buyers.length;
    const step = Math.max((lastStep[i] as number) + 1, lo);
    if (step <= hi) {
      lastStep[i] = step;
      const b = buyers[i] as BuyMember;
      return formatMemberCode(b.memberNo, totpAt(b.codeSecret, step));
    }
  }
  throw new Error('every till member used up for this code window: seed more');
}

async function loop(url: string, staffToken: string, storeId: number): Promise<void> {
  while (!stopping) {
    const n = ++seq;
    const input = { memberCode: nextCode(), storeId: String(storeId), amountFen: 3000 + (n % 91) * 100, lines: [{ category: 'grocery', amountFen: 3000 + (n % 91) * 100 }], idempotencyKey: `exp-${tag}-${n}` };
    const t0 = performance.now();
    let error: string | null = null;
    try {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` }, body: JSON.stringify({ query: PURCHASE_MUTATION, variables: { input } }) });
      const body = await res.text();
      if (res.status !== 200 || body.includes('"errors"')) error = `HTTP ${res.status}: ${body.slice(0, 200)}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const f = figures(phase);
    f.latencies.push(performance.now() - t0);
    if (error) {
      f.errors++;
      if (f.errorSamples.length < 3) f.errorSamples.push(error);
    }
  }
}

let loops: Promise<void>[] = [];
process.on('message', (cmd: TillCommand) => {
  if (cmd.type === 'start') {
    buyers = cmd.buyers;
    lastStep = new Int32Array(buyers.length).fill(-1);
    phaseStart = performance.now();
    loops = Array.from({ length: cmd.connections }, () => loop(cmd.url, cmd.staffToken, cmd.storeId));
    process.send?.({ type: 'started' } satisfies TillReply);
  } else if (cmd.type === 'phase') {
    figures(phase).seconds += (performance.now() - phaseStart) / 1000;
    phase = cmd.name;
    phaseStart = performance.now();
  } else if (cmd.type === 'stop') {
    stopping = true;
    void Promise.all(loops).then(() => {
      figures(phase).seconds += (performance.now() - phaseStart) / 1000;
      process.send?.({ type: 'stopped', phases } satisfies TillReply);
      setTimeout(() => process.exit(0), 100);
    });
  }
});
