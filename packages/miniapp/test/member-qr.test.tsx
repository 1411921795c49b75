import { currentMemberCode } from '@quanzi/shared';
import { MemberQr } from '../src/components/member-qr';
import CardPage from '../src/pages/card';
import { qrDataUrl } from '../src/utils/qr';
import { aliceMe, SECRET } from './fixtures';
import { $, api, flush, mount, OFFLINE, resetAll, signIn, text, unmountAll, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.useRealTimers();
  resetAll();
});

// Any instant 5 s before a 30 s code boundary (2026-11-23T10:00:25Z): the tests fake the timers (and the clock) from it.
const T0 = Date.UTC(2026, 10, 23, 10, 0, 25);
const shownCode = () => $('.member-qr__image').getAttribute('data-code');

describe('rotating member code', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
  });

  it('shows the TOTP code for now, as a QR image generated on the device', async () => {
    await mount(() => <MemberQr memberNo='10000042' secret={SECRET} />);
    const code = currentMemberCode('10000042', SECRET, T0);
    expect(code).toMatch(/^QZ1\.10000042\.\d{6}$/);
    expect(shownCode()).toBe(code);
    expect($('.member-qr__image').getAttribute('src')).toBe(qrDataUrl(code));
    expect(text()).toContain('5 秒后自动刷新');
  });

  it('rotates exactly at the 30 s boundary and counts down to it', async () => {
    await mount(() => <MemberQr memberNo='10000042' secret={SECRET} />);
    const first = shownCode();
    await flush(3000);
    expect(text()).toContain('2 秒后自动刷新');
    expect(shownCode()).toBe(first);
    await flush(1900); // 10:00:29.9
    expect(shownCode()).toBe(first);
    await flush(200); // 10:00:30.1
    const second = currentMemberCode('10000042', SECRET, T0 + 5000);
    expect(shownCode()).toBe(second);
    expect(second).not.toBe(first);
    expect(text()).toContain('30 秒后自动刷新');
    await flush(30000);
    expect(shownCode()).toBe(currentMemberCode('10000042', SECRET, T0 + 35000));
  });
});

describe('card offline', () => {
  it('keeps showing the card and a live code from the offline copy when the network is gone', async () => {
    jest.useFakeTimers({ now: T0, doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
    signIn();
    api.on('Me', aliceMe);
    await mount(CardPage);
    await waitForText('会员号 10000042');
    unmountAll();
    api.reset();
    api.on('Me', OFFLINE);
    await mount(CardPage);
    await waitForText('当前显示离线数据');
    expect(text()).toContain('会员号 10000042');
    expect(shownCode()).toBe(currentMemberCode('10000042', SECRET, Date.now()));
    await flush(30000);
    expect(shownCode()).toBe(currentMemberCode('10000042', SECRET, Date.now()));
  });

  it('without an offline copy, a network failure is an error state', async () => {
    signIn();
    api.on('Me', OFFLINE);
    await mount(CardPage);
    await waitForText('网络连接失败，请检查网络后重试');
    expect(text()).not.toContain('会员号');
  });
});
