import Taro from '@tarojs/taro';
import { apiError } from '../api/errors';

/**
 * weapp sign-in: wx.login gives a one-time code that the API exchanges (code2Session). The H5 build uses
 * wx-login.h5.ts instead (demo personas).
 */
export interface Persona {
  user: string;
  name: string;
  description: string;
}

/** The demo personas to sign in as; null on weapp, where WeChat knows who the user is. */
export const LOGIN_PERSONAS: readonly Persona[] | null = null;

export async function getLoginCode(_persona?: string): Promise<string> {
  let code: string | undefined;
  try {
    code = (await Taro.login()).code;
  } catch {
    throw apiError('WECHAT_LOGIN_FAILED');
  }
  if (!code) throw apiError('WECHAT_LOGIN_FAILED');
  return code;
}
