import { consoleLoginQr, consoleTicketFromQr } from './console-login';

const T = 'a'.repeat(20) + 'B_-' + '9'.repeat(20); // 43 base64url characters

describe('console sign-in QR', () => {
  it('round-trips: what the console shows, the mini-program reads back', () => {
    const qr = consoleLoginQr('https://quanzi.example.cn/', T);
    expect(qr).toBe(`https://quanzi.example.cn/console/qr?ticket=${T}`);
    expect(consoleTicketFromQr(qr)).toBe(T);
  });

  it('reads the link as WeChat passes it (URL-encoded in q) and a bare ticket', () => {
    expect(consoleTicketFromQr(encodeURIComponent(`https://quanzi.example.cn/console/qr?ticket=${T}`))).toBe(T);
    expect(consoleTicketFromQr(`http://localhost:4000/console/qr?ticket=${T}`)).toBe(T);
    expect(consoleTicketFromQr(`  ${T} `)).toBe(T);
  });

  it('refuses anything else', () => {
    expect(consoleTicketFromQr('QZ1.1234567.123456')).toBeNull(); // a member code
    expect(consoleTicketFromQr(`https://quanzi.example.cn/console/qr?ticket=${T}x`)).toBeNull(); // 44 characters
    expect(consoleTicketFromQr(`https://quanzi.example.cn/other?ticket=${T}`)).toBeNull();
    expect(consoleTicketFromQr(T.slice(1))).toBeNull();
    expect(consoleTicketFromQr('%E0%A4%A')).toBeNull();
    expect(consoleTicketFromQr('https%3A%2F%2F%E0%A4%A')).toBeNull(); // malformed encoding
    expect(consoleTicketFromQr('')).toBeNull();
    expect(consoleTicketFromQr(null)).toBeNull();
    expect(consoleTicketFromQr(`https://x.cn/console/qr?ticket=${T}`.padEnd(600, '&'))).toBeNull();
  });
});
