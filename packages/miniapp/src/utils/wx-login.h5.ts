import { apiError } from '../api/errors';
import { postJson } from '../api/transport';
import { API_ROOT } from '../env';

/**
 * H5 (browser demo) sign-in: there is no wx.login, so the demo API mints a real js_code for a seeded persona
 * through the WeChat simulator (POST /demo/wx-code {user} → {code}); the rest of the flow is the same.
 */
export interface Persona {
  user: string;
  name: string;
  description: string;
}

export const LOGIN_PERSONAS: readonly Persona[] | null = [
  { user: 'alice', name: 'Alice', description: '金卡会员' },
  { user: 'bob', name: 'Bob', description: '新会员' },
  { user: 'carol', name: 'Carol', description: '北京国贸店 店员' },
  { user: 'dave', name: 'Dave', description: '总部经理' },
  { user: 'erin', name: 'Erin', description: '俱乐部组织者' },
];

export async function getLoginCode(persona?: string): Promise<string> {
  if (!persona) throw apiError('BAD_USER_INPUT');
  let res;
  try {
    res = await postJson(`${API_ROOT}/demo/wx-code`, { user: persona });
  } catch {
    throw apiError('NETWORK');
  }
  const code = (res.data as { code?: unknown } | null)?.code;
  if (res.status === 200 && typeof code === 'string' && code) return code;
  throw apiError(res.status === 400 ? 'BAD_USER_INPUT' : 'WECHAT_LOGIN_FAILED', `HTTP ${res.status}`);
}
