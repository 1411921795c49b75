/**
 * weapp: the phone number comes from WeChat's getPhoneNumber button (a one-time code the API exchanges).
 * H5 uses phone.h5.ts.
 */
export const PHONE_BUTTON = true;

export async function demoPhoneCode(): Promise<string> {
  throw new Error('only on H5');
}
