/** Small HTTP helpers the JSON-speaking simulators share (the recharge aggregator, Tencent Cloud SMS). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request body, refused with `tooLarge()` (and the socket dropped) past `max` bytes. */
export function readBodyLimited(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        fail(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** Answers JSON (unless the client is already gone). */
export function sendJson(res: ServerResponse, payload: unknown, status = 200): void {
  if (res.destroyed || res.writableEnded) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
