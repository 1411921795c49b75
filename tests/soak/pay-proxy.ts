/**
 * A transparent loopback proxy between the API and the WeChat Pay simulator (requests and signed responses pass
 * byte for byte: WeChat Pay signs the path and the body, not the host). For one fault it can hold refund requests:
 * they never reach WeChat Pay, as when the network stalls and the API process dies while it waits for the answer.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PayProxy {
  readonly url: string;
  /** While true, POST /v3/refund/domestic/refunds is held: not forwarded, not answered. */
  holdRefunds: boolean;
  /** Refund requests held so far. */
  readonly held: number;
  close(): Promise<void>;
}

export async function startPayProxy(target: string): Promise<PayProxy> {
  const t = new URL(target);
  const holding: ServerResponse[] = [];
  let held = 0;
  const state = { holdRefunds: false };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.holdRefunds && req.method === 'POST' && (req.url ?? '').startsWith('/v3/refund/domestic/refunds')) {
        held++;
        holding.push(res);
        return;
      }
      const body = Buffer.concat(chunks);
      const out = request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host, 'content-length': String(body.length) } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get holdRefunds() {
      return state.holdRefunds;
    },
    set holdRefunds(v: boolean) {
      state.holdRefunds = v;
    },
    get held() {
      return held;
    },
    async close() {
      for (const r of holding) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
