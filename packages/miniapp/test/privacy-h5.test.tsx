import Taro from '@tarojs/taro';
import TillPage from '../src/pages/till';
import { ensurePrivacyConsent, installPrivacyHandler, PRIVACY_CHECK, privacyRequest } from '../src/utils/privacy';
import { carolViewer } from './fixtures';
import { mount, resetAll, signIn, text } from './harness';

// The H5 build resolves utils/privacy to privacy.h5.ts (and utils/scan to scan.h5.ts).
jest.mock('../src/utils/privacy', () => jest.requireActual('../src/utils/privacy.h5'));
jest.mock('../src/utils/scan', () => jest.requireActual('../src/utils/scan.h5'));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('privacy flow on H5', () => {
  it('is a no-op: no WeChat listener, consent is never asked, no sheet', async () => {
    const listen = jest.spyOn(Taro, 'onNeedPrivacyAuthorization');
    const setting = jest.spyOn(Taro, 'getPrivacySetting');
    const require = jest.spyOn(Taro, 'requirePrivacyAuthorize');
    installPrivacyHandler();
    expect(PRIVACY_CHECK).toBe(false);
    await expect(ensurePrivacyConsent('扫码')).resolves.toBe(true);
    expect(listen).not.toHaveBeenCalled();
    expect(setting).not.toHaveBeenCalled();
    expect(require).not.toHaveBeenCalled();

    signIn(carolViewer);
    await mount(TillPage);
    expect(text()).toContain('识别会员');
    expect(privacyRequest.get()).toBeNull();
    expect(document.querySelector('.privacy-sheet')).toBeNull();
  });
});
