import { apiError } from '../api/errors';
import { postJson } from '../api/transport';
import { API_ROOT } from '../env';
import { readStorage, StorageKey } from '../state/storage';

/**
 * H5 (browser demo): there is no getPhoneNumber button; the demo API may mint a phone code for the signed-in
 * persona through the WeChat simulator (POST /demo/phone-code {user} → {code}).
 */
export const PHONE_BUTTON = false;

export async function demoPhoneCode(): Promise<string> {
  const user = readStorage<string>(StorageKey.persona);
  let res;
  try {
    res = await postJson(`${API_ROOT}/demo/phone-code`, { user });
  } catch {
    throw apiError('NETWORK');
  }
  const code = (res.data as { code?: unknown } | null)?.code;
  if (res.status === 200 && typeof code === 'string' && code) return code;
  // 404: this demo server has no phone-code helper, i.e. the (simulated) WeChat service can't provide the number.
  throw apiError(res.status === 404 ? 'WECHAT_UNAVAILABLE' : 'PHONE_CODE_INVALID', `HTTP ${res.status}`);
}
