import { BindPhoneDocument, LoginDocument, ViewerDocument } from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { IS_H5 } from '../env';
import { getLoginCode } from '../utils/wx-login';
import { session, type Viewer } from './session';
import { StorageKey, writeStorage } from './storage';

/**
 * Sign in: a WeChat login code (wx.login on weapp; a demo persona's code on H5) → `login` → token + roles.
 * Rejects with an ApiError (Chinese message).
 */
export async function signIn(persona?: string): Promise<Viewer> {
  const code = await getLoginCode(persona);
  const { login } = await request(LoginDocument, { code });
  if (IS_H5) writeStorage(StorageKey.persona, persona ?? null);
  session.signIn(login.token, login.viewer);
  return login.viewer;
}

/** weapp: sign in at launch without a tap (wx.login needs no consent). Failures leave the sign-in state. */
export async function silentLogin(): Promise<void> {
  if (IS_H5 || session.get().token) return;
  try {
    await signIn();
  } catch {
    /* the pages show their sign-in state; the user can retry there */
  }
}

/** Re-reads the roles (e.g. staff assignment changed). */
export async function refreshViewer(): Promise<Viewer | null> {
  const { viewer } = await request(ViewerDocument, {});
  if (viewer) session.setViewer(viewer);
  return viewer;
}

export function signOut(): void {
  writeStorage(StorageKey.persona, null);
  session.signOut();
}

/** Binds the phone number from a getPhoneNumber code; returns the masked number. */
export async function bindPhone(code: string) {
  const { bindPhone: m } = await request(BindPhoneDocument, { code });
  return m;
}
