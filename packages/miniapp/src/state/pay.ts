import { clock } from '../utils/clock';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CreatePaymentDocument,
  CreateTillOrderDocument,
  MyOrdersDocument,
  PayOrderDocument,
  PayStoresDocument,
  PayTillOrderDocument,
  TillOrderCodeDocument,
  type PayOrderFieldsFragment,
  type PayOrderState,
  type PaymentIntentFieldsFragment,
  type PayStoresQuery,
  type PurchaseLineInput,
} from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { apiError, toApiError, type ApiError } from '../api/errors';
import { useSession } from './session';
import { readStorage, StorageKey, writeStorage } from './storage';
import { createStore, useStore } from './store';
import { useQuery } from './use-query';

/** WeChat Pay (PRODUCT F5): orders, payment intents (wx.requestPayment's parameters), polling after paying. */
export type PayOrder = PayOrderFieldsFragment;
export type PaymentIntent = PaymentIntentFieldsFragment;
export type PaymentParams = PaymentIntent['payment'];
export type PayStore = PayStoresQuery['stores'][number];

/** The member-facing label of each order state (exhaustive: a new state in the schema fails the typecheck here). */
export const orderStateLabel: Record<PayOrderState, string> = { PENDING: '待支付', PAID: '已支付', CLOSED: '已关闭' };

/** Result page: poll every second for up to 15 s (the notification normally lands within a moment). */
export const RESULT_POLL = { intervalMs: 1000, timeoutMs: 15_000 };
/** Till: poll every 2 s while the customer pays, at most until the order expires (and never past 30 min). */
export const TILL_POLL = { intervalMs: 2000, maxMs: 30 * 60_000 };

export const PAY_PAGE = '/member/pay/index';
export const PAY_RESULT_PAGE = '/member/pay-result/index';
export const ORDERS_PAGE = '/member/orders/index';

/** WeChat's rule for out_trade_no: 6–32 of digits, letters, _-|*. */
const ORDER_NO_RE = /^[A-Za-z0-9_\-|*]{6,32}$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * An order number from a scanned or typed text: the bare number, or a link/query carrying `outTradeNo=` or `scene=`.
 * null when the text holds none.
 */
export function parseOrderNo(text: string | null | undefined): string | null {
  const t = decode((text ?? '').trim());
  if (ORDER_NO_RE.test(t)) return t;
  const m = /(?:^|[?&#])(?:outTradeNo|scene)=([^&#]+)/.exec(t);
  if (!m?.[1]) return null;
  const v = decode(m[1]).trim();
  return ORDER_NO_RE.test(v) ? v : null;
}

/**
 * The till order a page was opened for: weapp passes a mini-program code's `scene` (URL-encoded, the order number);
 * links and the order list pass `outTradeNo`.
 */
export function tillOrderFromParams(params: Record<string, string | undefined> | null | undefined): string | null {
  if (!params) return null;
  return parseOrderNo(params.scene) ?? parseOrderNo(params.outTradeNo);
}

export function resultUrl(intent: PaymentIntent): string {
  return `${PAY_RESULT_PAGE}?outTradeNo=${encodeURIComponent(intent.order.outTradeNo)}&points=${intent.pointsPreview}`;
}

export function payUrl(outTradeNo: string): string {
  return `${PAY_PAGE}?outTradeNo=${encodeURIComponent(outTradeNo)}`;
}

/** Every store (a member may pay at any of them). */
export function usePayStores() {
  return useQuery(PayStoresDocument, {});
}

const chosenPayStore = createStore<string | null>(readStorage<string>(StorageKey.payStore));

/** Remembers (or forgets, with null) the store the member pays at, on this phone. */
export function choosePayStore(id: string | null): void {
  writeStorage(StorageKey.payStore, id);
  chosenPayStore.set(id);
}

/** The store the member pays at: the one chosen last time on this phone, else the first. */
export function usePayStore(stores: readonly PayStore[]): { store: PayStore | null; choose(id: string): void } {
  const chosen = useStore(chosenPayStore);
  return { store: stores.find((s) => s.id === chosen) ?? stores[0] ?? null, choose: choosePayStore };
}

/** The signed-in member's orders, newest first. */
export function useMyOrders(first = 20) {
  return useQuery(MyOrdersDocument, { first });
}

/**
 * The intent for a till order the member scanned. `payTillOrder` is a mutation (it claims the order for this member
 * and prepays) but is safe to repeat for the same member, so it runs like a query: on load, on retry, on refresh.
 */
export function useTillOrderIntent(outTradeNo: string | null) {
  return useQuery(PayTillOrderDocument, { outTradeNo: outTradeNo ?? '' }, { skip: !outTradeNo });
}

/** Member: an order at a store and wx.requestPayment's parameters (the server previews the points too). */
export async function createPayment(input: { storeId: string; amountFen: number; lines?: PurchaseLineInput[] }): Promise<PaymentIntent> {
  const { createPayment: intent } = await request(CreatePaymentDocument, { input });
  return intent;
}

/** Staff: an order at the till for the member to scan and pay. */
export async function createTillOrder(input: { storeId: string; amountFen: number; lines?: PurchaseLineInput[]; couponCode?: string }): Promise<PayOrder> {
  const { createTillOrder: order } = await request(CreateTillOrderDocument, { input });
  return order;
}

/** The mini-program code for a till order (WeChat's scanner opens the pay page with the order as its scene). */
export async function tillOrderCode(outTradeNo: string): Promise<string> {
  const { tillOrderCode: code } = await request(TillOrderCodeDocument, { outTradeNo });
  return code.dataUrl;
}

export interface OrderPoll {
  data: PayOrder | null;
  error: ApiError | null;
  loading: boolean;
  /** Still asking: the order is PENDING and the time allowed has not run out. */
  polling: boolean;
  /** Ask again (restarts polling with a fresh time allowance). */
  refetch(): Promise<void>;
}

/**
 * Polls `payOrder` every `intervalMs` until the order is no longer PENDING or `timeoutMs` has passed; stops on
 * unmount (and when signed out). A failed poll stops too and reports its error; `refetch` starts again.
 */
export function usePayOrderPoll(outTradeNo: string | null, opts: { intervalMs: number; timeoutMs: number }): OrderPoll {
  const { token } = useSession();
  const [state, setState] = useState<Omit<OrderPoll, 'refetch'>>({ data: null, error: null, loading: true, polling: false });
  const run = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { intervalMs, timeoutMs } = opts;

  const stop = useCallback(() => {
    run.current++;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const start = useCallback(() => {
    stop();
    if (!outTradeNo) return;
    const id = run.current;
    const deadline = clock.ms() + timeoutMs;
    setState((s) => ({ ...s, loading: s.data === null, error: null, polling: true }));
    const tick = async () => {
      timer.current = null;
      try {
        const { payOrder } = await request(PayOrderDocument, { outTradeNo });
        if (id !== run.current) return;
        const more = payOrder.state === 'PENDING' && clock.ms() + intervalMs <= deadline;
        setState({ data: payOrder, error: null, loading: false, polling: more });
        if (more) timer.current = setTimeout(() => void tick(), intervalMs);
      } catch (e) {
        if (id !== run.current) return;
        setState((s) => ({ ...s, error: toApiError(e), loading: false, polling: false }));
      }
    };
    void tick();
  }, [outTradeNo, intervalMs, timeoutMs, stop]);

  useEffect(() => {
    if (!token) {
      stop();
      setState({ data: null, error: apiError('UNAUTHENTICATED'), loading: false, polling: false });
      return undefined;
    }
    start();
    return stop;
  }, [token, start, stop]);

  const refetch = useCallback(async () => (token ? start() : undefined), [token, start]);
  return { ...state, refetch };
}

/** Milliseconds to keep polling a till order: until it expires, within [one interval, TILL_POLL.maxMs]. */
export function tillPollWindow(expiresAt: string, now = clock.ms()): number {
  const left = Date.parse(expiresAt) - now;
  return Math.min(TILL_POLL.maxMs, Math.max(TILL_POLL.intervalMs, Number.isNaN(left) ? TILL_POLL.maxMs : left));
}
