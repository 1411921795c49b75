import {
  base32Decode,
  base32Encode,
  currentMemberCode,
  formatMemberCode,
  matchTotpStep,
  MEMBER_CODE_PREFIX,
  parseMemberCode,
  secondsToRotate,
  totpAt,
  totpStep,
} from './member-code';

// The package's tsconfig has no Node types (shared code must not use Node), so the test declares the little of
// node:crypto it uses to cross-check the pure implementation.
declare function require(id: 'node:crypto'): NodeCrypto;
interface NodeDigest { update(data: Uint8Array): NodeDigest; digest(encoding: 'hex'): string }
interface NodeCrypto { createHash(alg: 'sha1'): NodeDigest; createHmac(alg: 'sha1', key: Uint8Array): NodeDigest; randomBytes(n: number): Uint8Array }
const { createHmac } = require('node:crypto');

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** Latin-1 / ASCII text → bytes (test strings are ASCII). */
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

/** RFC 6238 Appendix B: the SHA-1 seed is ASCII "12345678901234567890". */
const RFC_SECRET = base32Encode(ascii('12345678901234567890'));
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Reference TOTP with node:crypto, the counter written with BigInt (fine in a test; the source avoids it). */
function referenceTotp(secretBase32: string, step: number, digits = 6): string {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(step), false);
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest('hex');
  const off = parseInt(mac.slice(38), 16) & 0x0f;
  const bin = (parseInt(mac.slice(off * 2, off * 2 + 8), 16) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

describe('base32 (RFC 4648 §10)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
    ['12345678901234567890', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'],
  ])('%j ⇄ %j', (plain, encoded) => {
    expect(base32Encode(ascii(plain))).toBe(encoded);
    expect(text(base32Decode(encoded))).toBe(plain);
  });

  it.each([
    ['lower case', 'mzxw6ytboi', 'foobar'],
    ['padding', 'MZXW6YQ=', 'foob'],
    ['full padding', 'MY======', 'f'],
  ])('decode accepts %s', (_name, encoded, plain) => {
    expect(text(base32Decode(encoded))).toBe(plain);
  });

  it.each(['MZXW1', 'MZ XW', 'MZ=XW', 'MZXW8', '中文'])('decode rejects %j', (s) => {
    expect(() => base32Decode(s)).toThrow(RangeError);
  });

  it('round-trips random bytes of every length up to 40', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = new Uint8Array(Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 0xff));
      expect(Array.from(base32Decode(base32Encode(bytes)))).toEqual(Array.from(bytes));
    }
  });
});

describe('totpAt (RFC 6238 Appendix B, SHA-1)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('T = %i s → %s (8 digits)', (seconds, expected) => {
    const step = totpStep(seconds * 1000);
    expect(totpAt(RFC_SECRET, step, 8)).toBe(expected);
    expect(totpAt(RFC_SECRET, step)).toBe(expected.slice(2)); // 6 digits = the last 6 of the same number
  });

  // Counters above 2^32 need the high word: checked against node:crypto with a BigInt counter.
  it.each([0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER])('step %i matches node:crypto', (step) => {
    expect(totpAt(SECRET, step)).toBe(referenceTotp(SECRET, step));
    expect(totpAt(SECRET, step, 8)).toBe(referenceTotp(SECRET, step, 8));
  });

  it.each<[string, number, number]>([
    ['negative step', -1, 6],
    ['fractional step', 1.5, 6],
    ['NaN step', NaN, 6],
    ['0 digits', 1, 0],
    ['10 digits', 1, 10],
  ])('rejects %s', (_name, step, digits) => {
    expect(() => totpAt(SECRET, step, digits)).toThrow(RangeError);
  });
});

describe('totpStep / secondsToRotate', () => {
  it.each([
    [0, 0, 30],
    [29_999, 0, 1],
    [29_001, 0, 1],
    [30_000, 1, 30],
    [45_500, 1, 15],
    [59_000, 1, 1],
    [1_700_000_000_000, 56_666_666, 10],
  ])('at %i ms: step %i, %i s to rotate', (ms, step, secs) => {
    expect(totpStep(ms)).toBe(step);
    expect(secondsToRotate(ms)).toBe(secs);
  });

  it('supports another step length', () => {
    expect(totpStep(125_000, 60)).toBe(2);
    expect(secondsToRotate(125_000, 60)).toBe(55);
  });
});

describe('formatMemberCode / parseMemberCode', () => {
  it('formats with the prefix', () => {
    expect(formatMemberCode('10000042', '492039')).toBe('QZ1.10000042.492039');
    expect(MEMBER_CODE_PREFIX).toBe('QZ1');
  });

  it.each([
    ['QZ1.10000042.492039', { memberNo: '10000042', totp: '492039' }],
    ['  QZ1.10000042.492039\n', { memberNo: '10000042', totp: '492039' }],
    ['QZ1.1.000000', { memberNo: '1', totp: '000000' }],
    ['QZ1.12345678901234567890.123456', { memberNo: '12345678901234567890', totp: '123456' }],
  ])('parses %j', (code, expected) => {
    expect(parseMemberCode(code)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    'QZ1..123456',
    'QZ1.10000042',
    'QZ1.10000042.',
    'QZ1.10000042.12345',
    'QZ1.10000042.1234567',
    'QZ1.10000042.12345a',
    'QZ1.123456789012345678901.123456', // 21-digit member number
    'QZ1.-1.123456',
    'QZ1.10 42.123456',
    'QZ1.１２３.123456', // full-width digits
    'qz1.10000042.492039',
    'QZ2.10000042.492039',
    'QZ1-10000042-492039',
    'QZ1.10000042.492039.extra',
    'xQZ1.10000042.492039',
    'QZ1.10000042.492039\u0000',
    '10000042',
  ])('rejects %j', (code) => {
    expect(parseMemberCode(code)).toBeNull();
  });

  it('returns null for a non-string at runtime', () => {
    expect(parseMemberCode(undefined as unknown as string)).toBeNull();
  });
});

describe('currentMemberCode', () => {
  it('is the parseable code of the current step', () => {
    const now = 1_700_000_012_345;
    const code = currentMemberCode('10000042', SECRET, now);
    expect(parseMemberCode(code)).toEqual({ memberNo: '10000042', totp: totpAt(SECRET, totpStep(now)) });
    expect(code).toBe(`QZ1.10000042.${referenceTotp(SECRET, totpStep(now))}`);
  });

  it('rotates at the step boundary, not before', () => {
    const start = 56_666_667 * 30_000;
    expect(currentMemberCode('1', SECRET, start)).toBe(currentMemberCode('1', SECRET, start + 29_999));
    expect(currentMemberCode('1', SECRET, start)).not.toBe(currentMemberCode('1', SECRET, start + 30_000));
  });
});

describe('matchTotpStep', () => {
  const now = 1_700_000_000_000 + 10_000;
  const s = totpStep(now);
  const codeAt = (step: number): string => totpAt(SECRET, step);

  it.each<[string, number, number, number | null]>([
    ['current step', s, 1, s],
    ['previous step (-1)', s - 1, 1, s - 1],
    ['next step (+1, phone clock ahead)', s + 1, 1, s + 1],
    ['two steps old', s - 2, 1, null],
    ['two steps ahead', s + 2, 1, null],
    ['previous step with window 0', s - 1, 0, null],
    ['current step with window 0', s, 0, s],
    ['two steps old with window 2', s - 2, 2, s - 2],
  ])('%s', (_name, codeStep, window, expected) => {
    const code = codeAt(codeStep);
    // Guard: no step inside the window happens to share this code (that would make a null row meaningless).
    const inWindow = Array.from({ length: 2 * window + 1 }, (_, i) => s - window + i).filter((x) => x !== codeStep);
    if (expected === null) expect(inWindow.map(codeAt)).not.toContain(code);
    expect(matchTotpStep(SECRET, code, now, window)).toBe(expected);
  });

  it('defaults to a window of 1', () => {
    expect(matchTotpStep(SECRET, codeAt(s - 1), now)).toBe(s - 1);
    expect(matchTotpStep(SECRET, codeAt(s + 1), now)).toBe(s + 1);
  });

  it('matches at the exact instants a step starts and ends', () => {
    const start = s * 30_000;
    expect(matchTotpStep(SECRET, codeAt(s), start, 0)).toBe(s);
    expect(matchTotpStep(SECRET, codeAt(s), start + 29_999, 0)).toBe(s);
    expect(matchTotpStep(SECRET, codeAt(s), start + 30_000, 0)).toBeNull();
    expect(matchTotpStep(SECRET, codeAt(s), start + 30_000, 1)).toBe(s);
  });

  it.each(['', '12345', '1234567', 'abcdef', ' 123456'])('rejects malformed totp %j', (totp) => {
    expect(matchTotpStep(SECRET, totp, now)).toBeNull();
  });

  it('rejects the right digits under another secret', () => {
    const other = 'KRSXG5CTMVRXEZLU';
    expect([s - 1, s, s + 1].map((x) => totpAt(other, x))).not.toContain(codeAt(s));
    expect(matchTotpStep(other, codeAt(s), now)).toBeNull();
  });

  it('skips negative steps near the epoch', () => {
    expect(matchTotpStep(SECRET, totpAt(SECRET, 0), 1_000, 1)).toBe(0);
  });

  it('rejects a negative window', () => {
    expect(() => matchTotpStep(SECRET, codeAt(s), now, -1)).toThrow(RangeError);
  });
});
