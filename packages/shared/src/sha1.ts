/**
 * SHA-1 (FIPS 180-4) and HMAC-SHA1 (RFC 2104) in plain TypeScript: 32-bit integer math on Uint8Array, no Node,
 * browser or WeChat crypto, no BigInt, no TextEncoder. Used by the member code's TOTP; internal to this package
 * (not re-exported from the index).
 */

const BLOCK_BYTES = 64;

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** SHA-1 digest (20 bytes) of `message`. */
export function sha1(message: Uint8Array): Uint8Array {
  const len = message.length;
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer; total a multiple of 64 bytes.
  const padded = new Uint8Array((Math.floor((len + 8) / BLOCK_BYTES) + 1) * BLOCK_BYTES);
  padded.set(message);
  padded[len] = 0x80;
  // Bit length = len * 8, split into 32-bit words without shifting a number above 2^32.
  const bitsHigh = Math.floor(len / 0x20000000); // len / 2^29 = (len * 8) / 2^32
  const bitsLow = (len % 0x20000000) * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitsHigh >>> 0, false);
  view.setUint32(padded.length - 4, bitsLow >>> 0, false);

  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  const w = new Int32Array(80);

  for (let off = 0; off < padded.length; off += BLOCK_BYTES) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4, false);
    for (let i = 16; i < 80; i++) {
      // Int32Array reads are always in range here; `?? 0` satisfies noUncheckedIndexedAccess.
      w[i] = rotl((w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0), 1);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const t = (rotl(a, 5) + f + e + k + (w[i] ?? 0)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }

  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  ov.setInt32(0, h0, false);
  ov.setInt32(4, h1, false);
  ov.setInt32(8, h2, false);
  ov.setInt32(12, h3, false);
  ov.setInt32(16, h4, false);
  return out;
}

/** HMAC-SHA1 (RFC 2104) of `message` under `key`; a key longer than the 64-byte block is hashed first. */
export function hmacSha1(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = new Uint8Array(BLOCK_BYTES);
  k.set(key.length > BLOCK_BYTES ? sha1(key) : key);
  const inner = new Uint8Array(BLOCK_BYTES + message.length);
  const outer = new Uint8Array(BLOCK_BYTES + 20);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const b = k[i] ?? 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  inner.set(message, BLOCK_BYTES);
  outer.set(sha1(inner), BLOCK_BYTES);
  return sha1(outer);
}
