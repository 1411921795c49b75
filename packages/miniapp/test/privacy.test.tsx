import { act } from 'react';
import Taro from '@tarojs/taro';
import TillPage from '../src/pages/till';
import ProfilePage from '../src/pages/profile';
import { PRIVACY_USES } from '../src/components/privacy-sheet';
import { AGREE_BUTTON_ID, declinePrivacy, installPrivacyHandler, privacyRequest } from '../src/utils/privacy';
import { bobMe, carolViewer } from './fixtures';
import { $, api, click, flush, mount, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

/**
 * The weapp privacy-agreement flow (utils/privacy.ts + components/privacy-sheet) against a fake of WeChat's base
 * library: privacy calls are held and fire the onNeedPrivacyAuthorization listener until the user has agreed; an
 * 'agree' answer counts only with the id of an agreePrivacyAuthorization button that was really tapped.
 */
type Answer = { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string };
type Listener = (resolve: (a: Answer) => void, info: { referrer: string }) => void;

const CONTRACT = '《圈子会员小程序隐私保护指引》';
const CODE = 'QZ1.10000042.123456';
const atTill = { memberByCode: { memberNo: '10000042', phone: '138****5678', tierName: '金卡', tierMultiplierPct: 150, points: 1280, tillTicket: 'ticket-1' } };

const wechat = {
  listener: null as Listener | null,
  agreed: false,
  answers: [] as Answer[],
  /** ids of agreePrivacyAuthorization buttons the user tapped */
  tapped: new Set<string>(),
};

/** WeChat holds a privacy call: proceeds at once when agreed, else asks the listener and waits for its answer. */
function hold(referrer: string, proceed: () => void, refuse: () => void): void {
  if (wechat.agreed) return proceed();
  if (!wechat.listener) throw new Error('no onNeedPrivacyAuthorization listener registered');
  wechat.listener(
    (answer) => {
      wechat.answers.push(answer);
      if (answer.event === 'exposureAuthorization') return;
      if (answer.event === 'agree' && answer.buttonId && wechat.tapped.has(answer.buttonId)) {
        wechat.agreed = true;
        proceed();
      } else refuse();
    },
    { referrer },
  );
}

/** The base library's side of <button open-type="agreePrivacyAuthorization">: a tap fires its event. */
function onTap(e: Event): void {
  const host = (e.target as HTMLElement).closest<HTMLElement>('[open-type="agreePrivacyAuthorization"]');
  if (!host) return;
  wechat.tapped.add(host.id);
  host.dispatchEvent(new CustomEvent('agreeprivacyauthorization', { detail: {}, bubbles: true }));
}

let scanCode: jest.SpyInstance;
let openContract: jest.SpyInstance;
let requireAuthorize: jest.SpyInstance;

beforeAll(() => {
  jest.spyOn(Taro, 'onNeedPrivacyAuthorization').mockImplementation((l) => {
    wechat.listener = l as unknown as Listener;
  });
  installPrivacyHandler(); // as app.ts does at launch
  document.addEventListener('click', onTap, true);
});

beforeEach(() => {
  Object.assign(wechat, { agreed: false, answers: [], tapped: new Set() });
  jest.spyOn(Taro, 'getPrivacySetting').mockImplementation(((o?: { success?: (r: unknown) => void }) => {
    o?.success?.({ needAuthorization: !wechat.agreed, privacyContractName: CONTRACT, errMsg: 'getPrivacySetting:ok' });
  }) as never);
  requireAuthorize = jest.spyOn(Taro, 'requirePrivacyAuthorize').mockImplementation(((o?: { success?: (r: unknown) => void; fail?: (r: unknown) => void }) => {
    hold(
      'requirePrivacyAuthorize',
      () => o?.success?.({ errMsg: 'requirePrivacyAuthorize:ok' }),
      () => o?.fail?.({ errMsg: 'requirePrivacyAuthorize:fail privacy permission is not authorized' }),
    );
  }) as never);
  openContract = jest.spyOn(Taro, 'openPrivacyContract').mockImplementation(((o?: { success?: (r: unknown) => void }) => {
    o?.success?.({ errMsg: 'openPrivacyContract:ok' });
  }) as never);
  scanCode = jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
});

afterEach(() => {
  act(() => declinePrivacy()); // nothing left pending between tests
  scanCode.mockRestore();
  openContract.mockRestore();
  requireAuthorize.mockRestore();
  resetAll();
});

afterAll(() => document.removeEventListener('click', onTap, true));

async function openTillAndScan(): Promise<void> {
  signIn(carolViewer);
  api.on('MemberByCode', atTill);
  await mount(TillPage);
  await click('扫描会员码');
}

describe('privacy consent sheet (weapp)', () => {
  it('holds the scan until the user agrees, then the scan runs', async () => {
    await openTillAndScan();
    await waitForText('用户隐私保护提示');
    expect(scanCode).not.toHaveBeenCalled();
    expect(text()).toContain('扫码需要使用你的个人信息');
    expect(text()).toContain(CONTRACT);
    for (const use of PRIVACY_USES) {
      expect(text()).toContain(use.data);
      expect(text()).toContain(use.why);
    }
    expect(wechat.answers).toEqual([{ event: 'exposureAuthorization' }]); // the sheet's exposure was reported

    await click('同意并继续');
    await waitForText('会员号 10000042');
    expect(wechat.answers.at(-1)).toEqual({ event: 'agree', buttonId: AGREE_BUTTON_ID });
    expect(scanCode).toHaveBeenCalledTimes(1);
    expect(api.callsOf('MemberByCode')[0]?.variables).toMatchObject({ code: CODE });
    expect(text()).not.toContain('用户隐私保护提示');
    expect(privacyRequest.get()).toBeNull();
  });

  it('declining answers disagree and the scan never runs', async () => {
    await openTillAndScan();
    await waitForText('用户隐私保护提示');
    await click('拒绝');
    await flush(20);
    expect(wechat.answers.at(-1)).toEqual({ event: 'disagree' });
    expect(wechat.agreed).toBe(false);
    expect(scanCode).not.toHaveBeenCalled();
    expect(api.callsOf('MemberByCode')).toHaveLength(0);
    expect(text()).not.toContain('用户隐私保护提示');
    expect(text()).toContain('扫描会员码'); // still on the till, nothing else happened
  });

  it('asks again next time after a refusal, and not at all once agreed', async () => {
    await openTillAndScan();
    await waitForText('用户隐私保护提示');
    await click('拒绝');
    await click('扫描会员码');
    await waitForText('用户隐私保护提示');
    await click('同意并继续');
    await waitForText('会员号 10000042');
    expect(requireAuthorize).toHaveBeenCalledTimes(2);

    // Agreed now: getPrivacySetting says no authorization is needed, the scan goes straight to the camera.
    await click('扫描会员码');
    await flush(20);
    expect(requireAuthorize).toHaveBeenCalledTimes(2);
    expect(scanCode).toHaveBeenCalledTimes(2);
    expect(text()).not.toContain('用户隐私保护提示');
  });

  it('opens the privacy contract from the link', async () => {
    await openTillAndScan();
    await waitForText(CONTRACT);
    await click(CONTRACT);
    expect(openContract).toHaveBeenCalledTimes(1);
    expect(text()).toContain('用户隐私保护提示'); // still waiting for an answer
    expect(scanCode).not.toHaveBeenCalled();
  });

  it('answers a getPhoneNumber button held by WeChat: agree lets the binding go on', async () => {
    signIn();
    api.on('Me', bobMe);
    api.on('BindPhone', { bindPhone: { id: '2', phone: '139****0000', phoneBound: true } });
    await mount(ProfilePage);
    await waitForText('绑定手机号');
    const bindButton = $('.profile__bind-button');
    // WeChat holds the button's getPhoneNumber and asks the listener; on agree it delivers the phone code.
    act(() =>
      hold(
        'button.getPhoneNumber',
        () => bindButton.dispatchEvent(new CustomEvent('getphonenumber', { detail: { code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' }, bubbles: true })),
        () => undefined,
      ),
    );
    await waitForText('绑定手机号需要使用你的个人信息');
    expect(api.callsOf('BindPhone')).toHaveLength(0);
    await click('同意并继续');
    await flush(20);
    expect(wechat.answers.at(-1)).toEqual({ event: 'agree', buttonId: AGREE_BUTTON_ID });
    expect(api.callsOf('BindPhone')[0]?.variables).toEqual({ code: 'phone-code-1' });
  });
});
