import { createStore, type Store } from '../state/store';

/**
 * H5 (browser demo): WeChat's privacy-agreement flow doesn't exist; nothing is held, the sheet never shows.
 * Same exports as privacy.ts (weapp).
 */
export const PRIVACY_CHECK = false;
export const AGREE_BUTTON_ID = 'privacy-agree';
export const DEFAULT_CONTRACT_NAME = '《圈子会员小程序隐私保护指引》';

export interface PrivacyRequest {
  purpose: string;
  contractName: string;
}

export const privacyRequest: Store<PrivacyRequest | null> = createStore<PrivacyRequest | null>(null);

export async function privacySetting(): Promise<{ needAuthorization: boolean; privacyContractName: string } | null> {
  return null;
}

export function installPrivacyHandler(): void {}

export function reportPrivacyExposure(): void {}

export function agreePrivacy(): void {}

export function declinePrivacy(): void {}

export function openPrivacyContract(): void {}

export async function ensurePrivacyConsent(_purpose: string): Promise<boolean> {
  return true;
}
