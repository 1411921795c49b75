import Taro from '@tarojs/taro';

/** weapp: the camera scanner (wx.scanCode). H5 uses scan.h5.ts, where a text field stands in. */
export const CAN_SCAN = true;

/**
 * The scanned text of a QR code, or null when the scan was cancelled. A mini-program code of this app gives its
 * page path (with `?scene=`) instead of a text.
 */
export async function scanQrText(): Promise<string | null> {
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
