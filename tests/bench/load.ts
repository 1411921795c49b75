/**
 * The load generator, in its own process (forked by run.ts) so autocannon never shares an event loop with the
 * server under test. Commands arrive over IPC; each run answers with its figures.
 *
 * `me`: POST /graphql with the member-home query, rotating over the members' session tokens.
 * `purchase`: recordPurchase with a fresh idempotency key and a valid member code per request. A member code is
 * accepted for steps now-1..now+1 and each step at most once per member (CODE_REUSED otherwise), so members are
 * taken round-robin from a large pool, each time with the lowest step above the one it last used that is still
 * safely inside the window. With the pool much larger than the connections, one member never has two requests
 * in flight, so its steps commit in order.
 * `notify`: POST /webhooks/wechatpay, each request the signed, encrypted TRANSACTION.SUCCESS notification of a
 * different pending order (built here just before the run, see notify.ts); success is 204 and only 204. The run
 * sends at most one notification per order it was given (autocannon's maxOverallRequests), so it ends early when
 * the orders are used up rather than replaying one.
 */
import autocannon from 'autocannon';
import { formatMemberCode, totpAt, totpStep } from '@quanzi/shared';
import { notificationBuilder, type NotificationBuilder } from './notify';
import { ME_QUERY, NOTIFY_PATH, PURCHASE_MUTATION, type BuyMember, type LoadCommand, type LoadReply, type RunFigures } from './protocol';

let tokens: string[] = [];
let buyers: BuyMember[] = [];
let lastStep: Int32Array = new Int32Array(0);
let staffToken = '';
let storeId = 0;
let notifier: NotificationBuilder | null = null;
let nextBuyer = 0;
let nextToken = 0;
let keySeq = 0;
let dryWarnings = 0;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/** Steps at least this far from a step boundary: a code must still match when the server checks it. */
const MARGIN_MS = 2_000;

function nextCode(): string {
  const now = Date.now();
  const lo = totpStep(now + MARGIN_MS) - 1;
  const hi = totpStep(now - MARGIN_MS) + 1;
  for (let tries = 0; tries < buyers.length; tries++) {
    const i = nextBuyer;
    nextBuyer = (nextBuyer + 1) % buyers.length;
    const step = Math.max((lastStep[i] as number) + 1, lo);
    if (step <= hi) {
      lastStep[i] = step;
      const b = buyers[i] as BuyMember;
      return formatMemberCode(b.memberNo, totpAt(b.codeSecret, step));
    }
  }
  // Every member used up for this window: send a stale code, which the server rejects (counted as an error).
  if (dryWarnings++ === 0) process.stderr.write(`bench: all ${buyers.length} till members used up their codes for this 30-second window: raise BENCH_BUYERS\n`);
  const b = buyers[0] as BuyMember;
  return formatMemberCode(b.memberNo, totpAt(b.codeSecret, Math.max(0, lo - 10)));
}

async function runOne(cmd: Extract<LoadCommand, { type: 'run' }>): Promise<RunFigures> {
  let gqlErrors = 0;
  const errorSamples: string[] = [];
  const notify = cmd.scenario === 'notify';
  const onResponse = (status: number, body: string): void => {
    if (notify && status !== 204 && status >= 200 && status < 300) {
      gqlErrors++; // a notification is acknowledged with 204 and nothing else
      if (errorSamples.length < 3) errorSamples.push(`HTTP ${status}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`);
    } else if (status >= 200 && status < 300 && body.includes('"errors"')) {
      gqlErrors++;
      if (errorSamples.length < 3) errorSamples.push(body.replace(/\s+/g, ' ').slice(0, 300));
    } else if ((status < 200 || status >= 300) && errorSamples.length < 3) {
      errorSamples.push(`HTTP ${status}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
  };
  let buildSeconds: number | undefined;
  let notifications: { headers: Record<string, string>; body: string }[] = [];
  if (notify) {
    if (!notifier) throw new Error('notify needs the WeChat Pay keys (init.pay)');
    const orders = cmd.orders ?? [];
    if (orders.length < cmd.connections) throw new Error(`notify needs at least ${cmd.connections} orders, got ${orders.length}`);
    const t0 = Date.now();
    notifications = orders.map((o) => (notifier as NotificationBuilder).build(o));
    buildSeconds = (Date.now() - t0) / 1000;
  }
  let nextNotification = 0;
  const request = notify
    ? {
        method: 'POST' as const,
        path: NOTIFY_PATH,
        setupRequest: (req: autocannon.Request) => {
          const n = notifications[nextNotification++];
          // Never replay one: past the end (which maxOverallRequests prevents) send something unverifiable, an error.
          if (!n) return { ...req, headers: { 'content-type': 'application/json' }, body: '{}' };
          return { ...req, headers: n.headers, body: n.body };
        },
        onResponse,
      }
    : cmd.scenario === 'me'
      ? {
          method: 'POST' as const,
          path: '/graphql',
          setupRequest: (req: autocannon.Request) => {
            const t = tokens[nextToken] as string;
            nextToken = (nextToken + 1) % tokens.length;
            return { ...req, headers: { ...req.headers, authorization: `Bearer ${t}` } };
          },
          onResponse,
        }
      : {
          method: 'POST' as const,
          path: '/graphql',
          setupRequest: (req: autocannon.Request) => {
            const n = ++keySeq;
            const fresh = 1000 + (n % 37) * 100;
            const grocery = 2000 + (n % 91) * 100;
            const input = {
              memberCode: nextCode(),
              storeId: String(storeId),
              amountFen: fresh + grocery,
              lines: [
                { category: 'fresh', amountFen: fresh },
                { category: 'grocery', amountFen: grocery },
              ],
              idempotencyKey: `bench-${runTag}-${n}`,
            };
            return { ...req, body: JSON.stringify({ query: PURCHASE_MUTATION, variables: { input } }) };
          },
          onResponse,
        };
  const result = await autocannon({
    url: cmd.url,
    connections: cmd.connections,
    duration: cmd.seconds,
    timeout: 10,
    ...(notify ? { maxOverallRequests: notifications.length } : {}),
    headers: {
      'content-type': 'application/json',
      ...(cmd.scenario === 'purchase' ? { authorization: `Bearer ${staffToken}` } : {}),
    },
    body: JSON.stringify({ query: ME_QUERY }),
    requests: [request as autocannon.Request],
  });
  const ok = Math.max(0, result['2xx'] - gqlErrors);
  return {
    reqPerSec: ok / result.duration,
    rawReqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    ok,
    non2xx: result.non2xx,
    gqlErrors,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    errorSamples,
    seconds: result.duration,
    ...(buildSeconds === undefined ? {} : { buildSeconds }),
  };
}

function send(m: LoadReply): void {
  process.send?.(m);
}

process.on('message', (cmd: LoadCommand) => {
  if (cmd.type === 'init') {
    tokens = cmd.tokens;
    buyers = cmd.buyers;
    lastStep = new Int32Array(buyers.length).fill(-1);
    staffToken = cmd.staffToken;
    storeId = cmd.storeId;
    notifier = cmd.pay ? notificationBuilder(cmd.pay) : null;
    send({ type: 'ready' });
  } else if (cmd.type === 'run') {
    runOne(cmd).then(
      (figures) => send({ type: 'result', id: cmd.id, figures }),
      (e: unknown) => send({ type: 'failed', id: cmd.id, message: e instanceof Error ? e.stack ?? e.message : String(e) }),
    );
  } else if (cmd.type === 'exit') {
    process.disconnect?.();
    process.exit(0);
  }
});
