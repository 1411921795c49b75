import { BindPhoneDocument, LoginDocument, ViewerDocument, type LoginMutation } from '@quanzi/shared/graphql';
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
  return (await signInWithInvite(persona, null)).viewer;
}

/**
 * Sign in through a friend's invitation (PRODUCT F8): a new member is bound to the referrer; `referral` says whether,
 * or why not (the sign-in itself succeeds either way).
 */
export async function signInWithInvite(persona: string | undefined, invite: string | null): Promise<{ viewer: Viewer; referral: LoginMutation['login']['referral'] }> {
  const code = await getLoginCode(persona);
  const { login } = await request(LoginDocument, invite ? { code, invite } : { code });
  if (IS_H5) writeStorage(StorageKey.persona, persona ?? null);
  session.signIn(login.token, login.viewer);
  return { viewer: login.viewer, referral: login.referral ?? null };
}

/**
 * weapp: sign in at launch without a tap (wx.login needs no consent), with the invitation the app was opened with
 * (a friend's share card or code), so that a new member is bound at this very first sign-in. Failures leave the
 * sign-in state.
 */
export async function silentLogin(invite: string | null = null): Promise<void> {
  if (IS_H5 || session.get().token) return;
  try {
    await signInWithInvite(undefined, invite);
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
