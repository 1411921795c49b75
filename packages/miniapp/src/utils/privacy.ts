import Taro from '@tarojs/taro';
import { createStore, type Store } from '../state/store';

/**
 * weapp: WeChat's privacy-agreement flow (app.json `__usePrivacyCheck__: true`). Until the user has agreed to the
 * mini-program's 用户隐私保护指引, WeChat holds every privacy API (the getPhoneNumber button, and — gated by us —
 * wx.scanCode) and fires `wx.onNeedPrivacyAuthorization`; we then show our own sheet (components/privacy-sheet) and
 * answer `resolve({ event: 'agree', buttonId })` or `resolve({ event: 'disagree' })`. WeChat checks that the button
 * with `buttonId` (open-type="agreePrivacyAuthorization") was really tapped. H5 has no such flow (privacy.h5.ts).
 */
export const PRIVACY_CHECK = true;

/** The id of the sheet's agree button (open-type="agreePrivacyAuthorization"); WeChat checks it was tapped. */
export const AGREE_BUTTON_ID = 'privacy-agree';

/** Shown until getPrivacySetting tells the name set in the mini-program admin. */
export const DEFAULT_CONTRACT_NAME = '《圈子会员小程序隐私保护指引》';

type ResolveOption = { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string };
type Resolve = (option: ResolveOption) => void;

/** What the sheet shows while WeChat waits for an answer; null when nothing is pending. */
export interface PrivacyRequest {
  /** What the user was doing, e.g. 扫码 or 绑定手机号. */
  purpose: string;
  contractName: string;
}

export const privacyRequest: Store<PrivacyRequest | null> = createStore<PrivacyRequest | null>(null);

/** Resolvers WeChat handed us (one per held API call), answered together by the one sheet. */
let pending: { resolve: Resolve; exposed: boolean }[] = [];
/** What the next requirePrivacyAuthorize is for (its event's referrer names no feature). */
let purposeHint: string | null = null;
let installed = false;

function purposeOf(referrer: string | undefined): string {
  if (referrer && /getPhoneNumber|getRealtimePhoneNumber/i.test(referrer)) return '绑定手机号';
  if (referrer && /scanCode/i.test(referrer)) return '扫码';
  return purposeHint ?? '使用相关功能';
}

/** Calls a callback-style wx API; Taro's promise form mirrors the callbacks, so its rejection is swallowed. */
function call<T>(fn: ((o: Record<string, unknown>) => unknown) | undefined, option: Record<string, unknown> = {}): Promise<T> {
  if (typeof fn !== 'function') return Promise.reject(new Error('unsupported'));
  return new Promise<T>((resolve, reject) => {
    const r = fn({ ...option, success: resolve, fail: reject }) as Promise<unknown> | undefined;
    if (r && typeof r.then === 'function') r.then(undefined, () => undefined);
  });
}

interface PrivacySetting {
  needAuthorization: boolean;
  privacyContractName: string;
}

/** wx.getPrivacySetting; null when the base library has none (< 2.32.3) or it failed. */
export async function privacySetting(): Promise<PrivacySetting | null> {
  try {
    return await call<PrivacySetting>(Taro.getPrivacySetting as never);
  } catch {
    return null;
  }
}

/**
 * Registers the app-wide listener (call once at launch). Every held privacy API call queues its resolver and shows
 * the sheet on the current page.
 */
export function installPrivacyHandler(): void {
  if (installed || typeof Taro.onNeedPrivacyAuthorization !== 'function') return;
  installed = true;
  Taro.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    pending.push({ resolve, exposed: false });
    const purpose = purposeOf(eventInfo?.referrer);
    privacyRequest.set((prev) => prev ?? { purpose, contractName: DEFAULT_CONTRACT_NAME });
    void privacySetting().then((s) => {
      if (s?.privacyContractName) privacyRequest.set((prev) => (prev ? { ...prev, contractName: s.privacyContractName } : prev));
    });
  });
}

/** The sheet is on screen: tells WeChat once per held call (resolve({ event: 'exposureAuthorization' })). */
export function reportPrivacyExposure(): void {
  for (const p of pending) {
    if (!p.exposed) {
      p.exposed = true;
      p.resolve({ event: 'exposureAuthorization' });
    }
  }
}

function answer(option: ResolveOption): void {
  const answered = pending;
  pending = [];
  purposeHint = null;
  privacyRequest.set(null);
  for (const p of answered) p.resolve(option);
}

/** The agree button's agreeprivacyauthorization event: WeChat releases the held calls. */
export function agreePrivacy(): void {
  answer({ event: 'agree', buttonId: AGREE_BUTTON_ID });
}

/** 拒绝: the held calls fail with "privacy permission is not authorized". */
export function declinePrivacy(): void {
  answer({ event: 'disagree' });
}

/** Opens the 用户隐私保护指引 set in the mini-program admin (wx.openPrivacyContract). */
export function openPrivacyContract(): void {
  void call(Taro.openPrivacyContract as never).catch(() => Taro.showToast({ title: '暂时无法打开隐私保护指引', icon: 'none' }));
}

/**
 * Before a privacy API we call ourselves (wx.scanCode): true when the user has agreed (now or earlier), false when
 * they declined. Asks through wx.requirePrivacyAuthorize, which fires the listener (the sheet) only when needed.
 * When the base library can't tell (no getPrivacySetting), the call goes ahead and WeChat's own hold is the backstop.
 */
export async function ensurePrivacyConsent(purpose: string): Promise<boolean> {
  const setting = await privacySetting();
  if (!setting || !setting.needAuthorization) return true;
  purposeHint = purpose;
  try {
    await call(Taro.requirePrivacyAuthorize as never);
    return true;
  } catch {
    return false;
  }
}
