import { clock } from '../utils/clock';
import { computeEarning, ruleSetFromView, type EarningResult, type EarningRuleSet, type PurchaseLineInput } from '@quanzi/shared';
import {
  EarningRulesDocument,
  MemberByCodeDocument,
  RecordPurchaseDocument,
  RedeemPointsDocument,
  RedeemRewardAtTillDocument,
  RequestTillRewardOtpDocument,
  RewardsDocument,
  TillOperationsDocument,
  type EarningRulesQuery,
  type MemberByCodeQuery,
  type RecordPurchaseMutation,
  type RedeemPointsMutation,
  type RedeemRewardAtTillMutation,
  type RequestTillRewardOtpMutation,
} from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { useSession, type Viewer } from './session';
import { readStorage, StorageKey, writeStorage } from './storage';
import { createStore, useStore } from './store';
import { useQuery } from './use-query';

export type Store = Viewer['staffStores'][number];
export type MemberAtTill = MemberByCodeQuery['memberByCode'];
export type RuleSetView = EarningRulesQuery['earningRules'];

/**
 * The member in front of the till: the scanned code, what it showed, and the till ticket the API gave for it, which is
 * sent with the purchase/deduction (valid 10 minutes at this till although the code itself rotates every 30 s).
 */
export interface TillMember {
  code: string;
  storeId: string;
  member: MemberAtTill;
  scannedAt: number;
}

export const tillMember = createStore<TillMember | null>(null);
const chosenStore = createStore<string | null>(readStorage<string>(StorageKey.tillStore));

/** The stores this user may operate, and the one chosen for this till (remembered on the device). */
export function useTillStore(): { stores: Store[]; store: Store | null; choose(id: string): void } {
  const { viewer } = useSession();
  const chosen = useStore(chosenStore);
  const stores = viewer?.staffStores ?? [];
  const store = stores.find((s) => s.id === chosen) ?? stores[0] ?? null;
  return {
    stores,
    store,
    choose(id) {
      writeStorage(StorageKey.tillStore, id);
      chosenStore.set(id);
      tillMember.set(null);
    },
  };
}

/** Validates a scanned code at the API (without consuming it) and makes it the till's current member. */
export async function lookUpMember(code: string, storeId: string): Promise<TillMember> {
  const { memberByCode } = await request(MemberByCodeDocument, { code, storeId });
  const m: TillMember = { code, storeId, member: memberByCode, scannedAt: clock.ms() };
  tillMember.set(m);
  return m;
}

export function useEarningRules(storeId: string | null) {
  return useQuery(EarningRulesDocument, { storeId: storeId ?? '' }, { skip: !storeId });
}

export function useTillOperations(storeId: string | null) {
  return useQuery(TillOperationsDocument, { storeId: storeId ?? '', first: 10 }, { skip: !storeId });
}

/** The API's rule view → the shared engine's input (ISO strings → Dates; scope names kept so the preview names 北京). */
export function toRuleSet(view: RuleSetView): EarningRuleSet {
  return ruleSetFromView(view);
}

/** Whose tier multiplies the points: the member at the till, or the signed-in member paying in the app. */
export type EarningTier = Pick<MemberAtTill, 'tierMultiplierPct' | 'tierName'>;

/** The points a purchase will earn, by the same shared engine the server runs (null without valid lines). */
export function previewEarning(view: RuleSetView, member: EarningTier, lines: PurchaseLineInput[], at: Date): EarningResult | null {
  if (lines.length === 0 || lines.some((l) => !(l.amountFen > 0))) return null;
  return computeEarning(toRuleSet(view), {
    storeId: view.storeId,
    regionId: view.regionId,
    at,
    tierMultiplierPct: member.tierMultiplierPct,
    tierName: member.tierName,
    lines,
  });
}

/** A fresh idempotency key for one purchase/deduction (reused on retries of the same submission). */
export function newIdempotencyKey(prefix: string): string {
  const rand = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `${prefix}-${clock.ms().toString(36)}-${rand}`;
}

export async function recordPurchase(input: {
  tillTicket: string;
  storeId: string;
  lines: PurchaseLineInput[];
  idempotencyKey: string;
  /** The member's coupon (F9): its discount comes off before the points (sent only when given). */
  couponCode?: string | null;
}): Promise<RecordPurchaseMutation['recordPurchase']> {
  const { couponCode, ...rest } = input;
  const amountFen = input.lines.reduce((s, l) => s + l.amountFen, 0);
  const code = (couponCode ?? '').replace(/\s+/g, '');
  const { recordPurchase: r } = await request(RecordPurchaseDocument, { input: { ...rest, amountFen, ...(code ? { couponCode: code } : {}) } });
  return r;
}

export async function redeemPoints(input: {
  tillTicket: string;
  storeId: string;
  points: number;
  reason: string;
  idempotencyKey: string;
}): Promise<RedeemPointsMutation['redeemPoints']> {
  const { redeemPoints: r } = await request(RedeemPointsDocument, { input });
  return r;
}

export type TillRewardResult = RedeemRewardAtTillMutation['redeemRewardAtTill'];
export type TillRewardOtp = RequestTillRewardOtpMutation['requestTillRewardOtp'];
export const TILL_REWARD_PAGE = '/staff/reward/index';

/** The catalogue offered at the till (the member's points and tier are checked by the API on redemption). */
export function useTillRewards() {
  return useQuery(RewardsDocument, { kind: null, first: 50 });
}

/** Redeems a catalogue reward for the member at the till (the mall's rules), once per idempotency key. */
export async function redeemRewardAtTill(input: {
  tillTicket: string;
  storeId: string;
  rewardId: string;
  target: string | null;
  otp: string | null;
  idempotencyKey: string;
}): Promise<TillRewardResult> {
  const { redeemRewardAtTill: r } = await request(RedeemRewardAtTillDocument, { input });
  return r;
}

/** Sends the member's one-time code for a high-value reward to their bound phone; the member reads it out. */
export async function requestTillRewardOtp(input: { tillTicket: string; storeId: string; rewardId: string; target: string | null }): Promise<TillRewardOtp> {
  const { requestTillRewardOtp: r } = await request(RequestTillRewardOtpDocument, { input });
  return r;
}
