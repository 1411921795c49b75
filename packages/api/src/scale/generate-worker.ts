/**
 * The generator on a worker thread (load.ts): it answers each `{ first, last }` request, in order, with the chunk's
 * rows encoded as one UTF-8 body per table, so the main thread only streams them to the database while this thread
 * generates the next chunk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CHUNK_TABLES, ScaleGenerator, type Chunk, type ScaleOptions } from './generate';

export interface ChunkRequest {
  first: number;
  last: number;
}

export interface EncodedChunk extends ChunkRequest {
  /** The table's rows, tab-separated and newline-terminated; absent when it has none. */
  bodies: Partial<Record<keyof Chunk, Uint8Array>>;
  counts: Record<keyof Chunk, number>;
  /** Time spent generating and encoding (ms). */
  ms: number;
}

/** The chunk's rows as one UTF-8 body per table, and the buffers to transfer (not copy) to the main thread. */
function encodeChunk(ch: Chunk, req: ChunkRequest, started: number): { message: EncodedChunk; transfer: ArrayBuffer[] } {
  const encoder = new TextEncoder();
  const bodies: EncodedChunk['bodies'] = {};
  const counts = {} as EncodedChunk['counts'];
  const transfer: ArrayBuffer[] = [];
  for (const table of CHUNK_TABLES) {
    const lines = ch[table];
    counts[table] = lines.length;
    if (lines.length === 0) continue;
    const body = encoder.encode(`${lines.join('\n')}\n`);
    bodies[table] = body;
    transfer.push(body.buffer as ArrayBuffer);
  }
  return { message: { ...req, bodies, counts, ms: Date.now() - started }, transfer };
}

if (parentPort) {
  const port = parentPort;
  const gen = new ScaleGenerator(workerData as ScaleOptions);
  port.on('message', (req: ChunkRequest) => {
    const started = Date.now();
    const { message, transfer } = encodeChunk(gen.chunk(req.first, req.last), req, started);
    port.postMessage(message, transfer);
  });
}
