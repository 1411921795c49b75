/** Chinese labels for the members section (ledger kinds, redemption, club and adjustment states, tier changes). */
export const LEDGER_KIND_ZH: Record<string, string> = { EARN: '获得', REDEEM: '兑换', EXPIRE: '过期', REVERSAL: '退还', ADJUST: '人工调整' };
export const REDEMPTION_STATUS_ZH: Record<string, string> = { PENDING: '待处理', PROCESSING: '处理中', DELIVERED: '已发放', FAILED: '失败', ISSUED: '已发券', USED: '已使用' };
export const CLUB_ROLE_ZH: Record<string, string> = { MEMBER: '成员', ORGANIZER: '组织者' };
export const CLUB_STATUS_ZH: Record<string, string> = { PENDING: '待审核', ACTIVE: '已加入', LEFT: '已退出', REMOVED: '已移出', REJECTED: '已拒绝' };
export const TIER_CHANGE_ZH: Record<string, string> = { UPGRADE: '升级', DOWNGRADE: '降级', RENEWED: '保级' };
export const TIER_CHANGE_COLOR: Record<string, string> = { UPGRADE: 'green', DOWNGRADE: 'red', RENEWED: 'blue' };
export const ADJUSTMENT_STATUS_ZH: Record<string, string> = { PENDING: '待审批', APPLIED: '已入账', REJECTED: '已驳回' };
export const ADJUSTMENT_STATUS_COLOR: Record<string, string> = { PENDING: 'orange', APPLIED: 'green', REJECTED: 'default' };

/** A signed points figure: +500 / -200. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** An idempotency key for one submission (the form keeps it across retries of the same request). */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `adj-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}
