/**
 * Just enough PNG decoding (8-bit RGB/RGBA, non-interlaced, as Chromium writes screenshots) to tell a real
 * screenshot from a blank one: how many distinct colours it has and how much of it differs from the background.
 */
import { inflateSync } from 'node:zlib';

export interface PngStats {
  width: number;
  height: number;
  /** Distinct RGB colours (capped at 100 000). */
  colors: number;
  /** Share of pixels that differ from the most common colour (0…1). */
  nonBackground: number;
}

export function pngStats(buf: Buffer): PngStats {
  if (buf.length < 8 || buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colorType = data[9];
      const interlace = data[12];
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType}, interlace ${interlace})`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (out[at + x - channels] as number) : 0;
      const b = y > 0 ? (out[at - stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (out[at - stride + x - channels] as number) : 0;
      const v = line[x] as number;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[at + x] = (v + pred) & 0xff;
    }
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < out.length; i += channels) {
    const rgb = ((out[i] as number) << 16) | ((out[i + 1] as number) << 8) | (out[i + 2] as number);
    if (counts.size < 100_000 || counts.has(rgb)) counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  const top = Math.max(...counts.values());
  return { width, height, colors: counts.size, nonBackground: 1 - top / (width * height) };
}
