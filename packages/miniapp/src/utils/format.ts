import { fenToYuan } from '@quanzi/shared';
import type { LedgerKind } from '@quanzi/shared/graphql';
import { BEIJING_OFFSET_MS, toBeijing } from './beijing-time';

/** ¥ amount for display: 12345 → "123.45", 100000 → "1000" (whole yuan without ".00"). */
export function yuan(fen: number): string {
  return fenToYuan(fen).replace(/\.00$/, '');
}

/** "12.5" / "12" / "0.05" yuan → integer fen; null for anything else (negative, 3 decimals, text). */
export function parseYuan(input: string): number | null {
  const s = input.trim();
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** A tier multiplier for display: 150 → "×1.5", 100 → "×1", 125 → "×1.25". */
export function multiplierText(pct: number): string {
  return `×${(pct / 100).toFixed(2).replace(/\.?0+$/, '')}`;
}

/** A positive whole number of points, or null. */
export function parsePoints(input: string): number | null {
  const s = input.trim();
  if (!/^\d{1,8}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/** Shanghai wall-clock parts of an ISO instant (no Intl: the mini-program's JS engines differ). */
function shanghai(iso: string): Date | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t + BEIJING_OFFSET_MS);
}

/** "2026-11-23 18:05" in Asia/Shanghai. */
export function formatDateTime(iso: string): string {
  const w = toBeijing(iso);
  return w ? `${w.date} ${w.time}` : '';
}

/** "2026年12月31日" in Asia/Shanghai. */
export function formatDate(iso: string): string {
  const d = shanghai(iso);
  if (!d) return '';
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** Whole days from `nowMs` until the Shanghai calendar day of `iso` (0 = today). */
export function daysUntil(iso: string, nowMs: number): number {
  const target = shanghai(iso);
  const now = new Date(nowMs + BEIJING_OFFSET_MS);
  if (!target) return 0;
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(target) - day(now)) / 86400000);
}

export const ledgerKindLabel: Record<LedgerKind, string> = {
  EARN: '获得',
  REDEEM: '使用',
  EXPIRE: '过期',
  REVERSAL: '冲正',
  ADJUST: '调整',
};

/** "+120" / "-50". */
export function signedPoints(delta: number): string {
  return delta > 0 ? `+${delta}` : String(delta);
}

export const tillOperationLabel: Record<string, string> = {
  PURCHASE: '消费积分',
  REDEMPTION: '积分抵扣',
  REWARD: '兑换礼品',
};
