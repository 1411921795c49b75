/** Display helpers: money in yuan, times in Beijing time (Asia/Shanghai) whatever the browser's zone. */
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function beijingTime(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? '—' : TIME.format(d);
}

export function yuan(fen: number | null | undefined): string {
  if (fen == null) return '—';
  return `¥${(fen / 100).toFixed(2).replace(/\.00$/, '')}`;
}

export const ROLE_ZH: Record<string, string> = { STAFF: '店员', ORGANIZER: '组织者', MANAGER: '经理' };
export const SCOPE_ZH: Record<string, string> = { HQ: '总部', REGION: '区域', STORE: '门店' };
export const RULE_KIND_ZH: Record<string, string> = { BASE_RATE: '基础积分率', CATEGORY: '品类倍数', CAMPAIGN: '限时活动' };
export const REWARD_KIND_ZH: Record<string, string> = { MOBILE_TOPUP: '话费充值', FUEL_CARD: '加油卡', OWN_PRODUCT: '自有商品', COUPON: '优惠券' };
/** Product categories the till uses (codes as stored; the console shows the Chinese name). */
/** Category codes and names: one list in @quanzi/shared (the till's too). */
export { categoryLabel as categoryZh } from '@quanzi/shared';

/** CSV text (RFC 4180 quoting) with a BOM, so Excel opens Chinese text correctly. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v == null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
