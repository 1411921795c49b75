import { hmacSha1, sha1 } from './sha1';

// The package's tsconfig has no Node types (shared code must not use Node), so the test declares the little of
// node:crypto it uses to cross-check the pure implementation.
declare function require(id: 'node:crypto'): NodeCrypto;
interface NodeDigest { update(data: Uint8Array): NodeDigest; digest(encoding: 'hex'): string }
interface NodeCrypto { createHash(alg: 'sha1'): NodeDigest; createHmac(alg: 'sha1', key: Uint8Array): NodeDigest; randomBytes(n: number): Uint8Array }
const { createHash, createHmac, randomBytes } = require('node:crypto');

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** Latin-1 / ASCII text → bytes (test strings are ASCII). */
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

const fill = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);

describe('sha1', () => {
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
  ])('FIPS/known vector %j', (msg, expected) => {
    expect(hex(sha1(ascii(msg)))).toBe(expected);
  });

  // Every length around the padding boundaries (55/56/63/64/119/120 bytes) and a few multi-block sizes.
  const lengths = [...Array.from({ length: 140 }, (_, i) => i), 1000, 4095, 4096, 65_537];
  it.each(lengths)('matches node:crypto for %i random bytes', (n) => {
    const msg = randomBytes(n);
    expect(hex(sha1(msg))).toBe(createHash('sha1').update(msg).digest('hex'));
  });

  it('FIPS 180 vector: one million "a"', () => {
    const msg = fill(0x61, 1_000_000);
    expect(hex(sha1(msg))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });
});

describe('hmacSha1 (RFC 2202)', () => {
  const key4 = new Uint8Array(Array.from({ length: 25 }, (_, i) => i + 1));
  it.each<[string, Uint8Array, Uint8Array, string]>([
    ['1', fill(0x0b, 20), ascii('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    ['2', ascii('Jefe'), ascii('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['3', fill(0xaa, 20), fill(0xdd, 50), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    ['4', key4, fill(0xcd, 50), '4c9007f4026250c6bc8414f9bf50c86c2d7235da'],
    ['5', fill(0x0c, 20), ascii('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    ['6', fill(0xaa, 80), ascii('Test Using Larger Than Block-Size Key - Hash Key First'), 'aa4ae5e15272d00e95705637ce8a3b55ed402112'],
    [
      '7',
      fill(0xaa, 80),
      ascii('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
    ],
  ])('test case %s', (_n, key, data, expected) => {
    expect(hex(hmacSha1(key, data))).toBe(expected);
    expect(createHmac('sha1', key).update(data).digest('hex')).toBe(expected);
  });

  it.each([0, 1, 63, 64, 65, 200])('matches node:crypto with a %i-byte key', (keyLen) => {
    const key = randomBytes(keyLen);
    const data = randomBytes(77);
    expect(hex(hmacSha1(key, data))).toBe(createHmac('sha1', key).update(data).digest('hex'));
  });
});
