/** Display helpers shared by server logs and the mini-program. */

/**
 * Masks a phone number for logs and display. 11 characters or more (a mainland mobile, or one with a `+86`
 * prefix): first 3 + `****` + last 4, e.g. `13812345678` → `138****5678`. Anything shorter keeps only its last
 * 2 characters (`****78`); 2 characters or fewer are masked entirely (`****`). `''` stays `''`;
 * null/undefined → null.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone == null) return null;
  const s = String(phone);
  if (s.length === 0) return '';
  if (s.length >= 11) return `${s.slice(0, 3)}****${s.slice(-4)}`;
  return s.length > 2 ? `****${s.slice(-2)}` : '****';
}

/**
 * Masks a WeChat openid/unionid: `oAbc…xyz` → first 4 + `****` + last 4 (for ids of 12 characters or more;
 * real openids have 28). Shorter ids keep only their last 2 characters (`****yz`), 2 or fewer are masked
 * entirely. `''` stays `''`; null/undefined → null.
 */
export function maskOpenid(openid: string | null | undefined): string | null {
  if (openid == null) return null;
  const s = String(openid);
  if (s.length === 0) return '';
  if (s.length >= 12) return `${s.slice(0, 4)}****${s.slice(-4)}`;
  return s.length > 2 ? `****${s.slice(-2)}` : '****';
}

/**
 * Integer fen → yuan with exactly two decimals, no float arithmetic: 12345 → `123.45`, 5 → `0.05`,
 * -150 → `-1.50`. Throws RangeError for a non-integer (money is always integer fen).
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError('fen must be a safe integer');
  const abs = Math.abs(fen);
  const cents = abs % 100;
  return `${fen < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}

/**
 * The reason texts of ledger entries written at a store. Every such entry carries its store (`storeName`, shown
 * under the row), so a reason never repeats the store's name: `门店消费 ¥123.45`, `门店抵扣 · 兑换咖啡`,
 * `微信支付 ¥100.00`.
 */
export const ledgerReason = {
  /** Points earned by a purchase recorded at the till. */
  purchase: (amountFen: number): string => `门店消费 ¥${fenToYuan(amountFen)}`,
  /** Points deducted at the till, with the staff's reason (e.g. 兑换咖啡). */
  tillRedeem: (reason: string): string => `门店抵扣 · ${reason}`,
  /** A catalogue reward redeemed in the mall (no store) or at a till (the entry carries the store). */
  reward: (rewardName: string, atTill: boolean): string => `${atTill ? '门店兑换' : '积分兑换'} · ${rewardName}`,
  /** Points earned by a WeChat Pay payment. */
  wechatPay: (amountFen: number): string => `微信支付 ¥${fenToYuan(amountFen)}`,
  /** The programme's one-off bonus at a member's first sign-in. */
  signupBonus: (): string => '新会员注册奖励',
  /** A manager's manual adjustment (console, four-eyes above a threshold), with the manager's reason. */
  adjustment: (reason: string): string => `人工调整 · ${reason}`,
  /** The referrer's one-off bonus when an invited friend makes a first purchase (the friend's masked name). */
  referralBonus: (referee: string): string => `邀请好友奖励 · ${referee} 首次消费`,
  /** The referrer's share of what an invited friend earned (`origin`: by a purchase, 消费, or e.g. an event, 活动). */
  referralShare: (referee: string, sharePct: number, origin = '消费'): string => `好友${origin}分成 ${sharePct}% · ${referee}`,
  /** The share taken back after the friend's refund. */
  referralShareReversal: (referee: string): string => `好友退款扣回分成 · ${referee}`,
  /** The welcome bonus of a member who signed up through an invitation. */
  referralWelcome: (): string => '受邀注册奖励',
  /** The programme's bonus in the member's birthday month (once in any 12 months). */
  birthdayBonus: (): string => '生日月奖励',
  /** The programme's one-off bonus for completing the profile (gender, birthday, home store). */
  profileBonus: (): string => '完善资料奖励',
};
