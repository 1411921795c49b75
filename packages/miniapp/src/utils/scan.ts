import Taro from '@tarojs/taro';
import { ensurePrivacyConsent } from './privacy';

/** weapp: the camera scanner (wx.scanCode). H5 uses scan.h5.ts, where a text field stands in. */
export const CAN_SCAN = true;

/**
 * The scanned text of a QR code, or null when the scan was cancelled. A mini-program code of this app gives its
 * page path (with `?scene=`) instead of a text. The camera is a privacy API: the user agrees to the privacy guide
 * first (the consent sheet); declined → null without opening the camera.
 */
export async function scanQrText(): Promise<string | null> {
  if (!(await ensurePrivacyConsent('扫码'))) return null;
  try {
    const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
    const text = (r.result || r.path || '').trim();
    return text ? text : null;
  } catch {
    return null;
  }
}

/** The till scans a member's code. */
export const scanMemberCode = scanQrText;
