/**
 * Every error code the API can put in `extensions.code`. The mini-program maps each to a Chinese message
 * (`errorMessageZh`), so adding a code here without a message is a type error.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  INSUFFICIENT_POINTS: 'INSUFFICIENT_POINTS',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  CODE_INVALID: 'CODE_INVALID',
  CODE_EXPIRED: 'CODE_EXPIRED',
  CODE_REUSED: 'CODE_REUSED',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  WECHAT_LOGIN_FAILED: 'WECHAT_LOGIN_FAILED',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_RISKY_USER: 'WECHAT_RISKY_USER',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  PHONE_CODE_INVALID: 'PHONE_CODE_INVALID',
  CONFLICT: 'CONFLICT',
  TIER_REQUIRED: 'TIER_REQUIRED',
  CLUB_FULL: 'CLUB_FULL',
  CLUB_MEMBERSHIP_REQUIRED: 'CLUB_MEMBERSHIP_REQUIRED',
  INVITE_INVALID: 'INVITE_INVALID',
  EVENT_CLOSED: 'EVENT_CLOSED',
  RSVP_REQUIRED: 'RSVP_REQUIRED',
  CONTENT_REJECTED: 'CONTENT_REJECTED',
  REWARD_UNAVAILABLE: 'REWARD_UNAVAILABLE',
  LIMIT_REACHED: 'LIMIT_REACHED',
  TARGET_INVALID: 'TARGET_INVALID',
  PHONE_REQUIRED: 'PHONE_REQUIRED',
  OTP_REQUIRED: 'OTP_REQUIRED',
  OTP_INVALID: 'OTP_INVALID',
  OTP_EXPIRED: 'OTP_EXPIRED',
  VOUCHER_INVALID: 'VOUCHER_INVALID',
  VOUCHER_USED: 'VOUCHER_USED',
  VOUCHER_EXPIRED: 'VOUCHER_EXPIRED',
  VOUCHER_WRONG_STORE: 'VOUCHER_WRONG_STORE',
  /** Coupons (F9): before the coupon's first valid day, a spend below its minimum, another member's coupon. */
  VOUCHER_NOT_STARTED: 'VOUCHER_NOT_STARTED',
  VOUCHER_MIN_SPEND: 'VOUCHER_MIN_SPEND',
  VOUCHER_NOT_OWNER: 'VOUCHER_NOT_OWNER',
  /** Coupons (F9): held by a WeChat Pay till order waiting to be paid. */
  VOUCHER_RESERVED: 'VOUCHER_RESERVED',
  RULE_CONFLICT: 'RULE_CONFLICT',
  ORDER_PAID: 'ORDER_PAID',
  ORDER_CLOSED: 'ORDER_CLOSED',
  ORDER_EXPIRED: 'ORDER_EXPIRED',
  PAY_SIGNATURE_INVALID: 'PAY_SIGNATURE_INVALID',
  PAY_PARAMS_INVALID: 'PAY_PARAMS_INVALID',
  /** Manager console QR sign-in (issue #13): the ticket is unknown, expired, or already used. */
  LOGIN_TICKET_INVALID: 'LOGIN_TICKET_INVALID',
  LOGIN_TICKET_EXPIRED: 'LOGIN_TICKET_EXPIRED',
  LOGIN_TICKET_USED: 'LOGIN_TICKET_USED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  OPERATION_NOT_ALLOWED: 'OPERATION_NOT_ALLOWED',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Manual points adjustment (issue #13): the requester may not approve their own; it was already approved or rejected. */
  FOUR_EYES_REQUIRED: 'FOUR_EYES_REQUIRED',
  ADJUSTMENT_DECIDED: 'ADJUSTMENT_DECIDED',
  INTERNAL: 'INTERNAL',
  /** Instant ratings (F11): this operation was already rated (once per operation). */
  ALREADY_RATED: 'ALREADY_RATED',
  /** Instant ratings (F11): the 24 hours to rate this operation are over. */
  RATING_CLOSED: 'RATING_CLOSED',
  /** Referrals (F8): why a sign-in through an invitation did not bind the member to the referrer, or a credit was not paid. */
  REFERRAL_UNKNOWN: 'REFERRAL_UNKNOWN',
  REFERRAL_SELF: 'REFERRAL_SELF',
  REFERRAL_NOT_NEW: 'REFERRAL_NOT_NEW',
  REFERRAL_ALREADY_BOUND: 'REFERRAL_ALREADY_BOUND',
  REFERRAL_DISABLED: 'REFERRAL_DISABLED',
  REFERRAL_CAP_REACHED: 'REFERRAL_CAP_REACHED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Chinese text for every error code, shown by the mini-program. */
export const errorMessageZh: Record<ErrorCode, string> = {
  BAD_USER_INPUT: '输入有误，请检查后重试',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '找不到相关记录',
  INSUFFICIENT_POINTS: '积分不足',
  OUT_OF_STOCK: '库存不足',
  CODE_INVALID: '会员码无效',
  CODE_EXPIRED: '会员码已过期，请刷新后重试',
  CODE_REUSED: '会员码已使用，请刷新后重试',
  IDEMPOTENCY_CONFLICT: '重复提交的请求内容不一致',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  WECHAT_RATE_LIMITED: '操作太频繁，请稍后再试',
  WECHAT_RISKY_USER: '账号存在风险，暂时无法登录',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后再试',
  PHONE_CODE_INVALID: '手机号授权已失效，请重新授权',
  CONFLICT: '数据已被修改，请刷新后重试',
  TIER_REQUIRED: '会员等级不足，升级后即可参加',
  CLUB_FULL: '俱乐部人数已满',
  CLUB_MEMBERSHIP_REQUIRED: '请先加入该俱乐部',
  INVITE_INVALID: '邀请码无效',
  EVENT_CLOSED: '活动未开放报名或签到',
  RSVP_REQUIRED: '该会员未报名此活动',
  CONTENT_REJECTED: '内容未通过安全审核，请修改后重试',
  REWARD_UNAVAILABLE: '该礼品暂不可兑换',
  LIMIT_REACHED: '已达到兑换次数上限',
  TARGET_INVALID: '充值号码或卡号有误，请检查后重试',
  PHONE_REQUIRED: '请先绑定手机号',
  OTP_REQUIRED: '请输入短信验证码',
  OTP_INVALID: '验证码错误，请重新输入',
  OTP_EXPIRED: '验证码已过期，请重新获取',
  VOUCHER_INVALID: '券码无效',
  VOUCHER_USED: '该券已使用',
  VOUCHER_EXPIRED: '该券已过期',
  VOUCHER_WRONG_STORE: '该券不能在本门店使用',
  VOUCHER_NOT_STARTED: '该券尚未到可用时间',
  VOUCHER_MIN_SPEND: '未达到该券的使用门槛',
  VOUCHER_NOT_OWNER: '该券不属于当前会员',
  VOUCHER_RESERVED: '该券正用于一笔待支付订单，请先完成或取消该订单',
  RULE_CONFLICT: '此范围已有生效的同类积分规则，请修改或停用原规则',
  ORDER_PAID: '该订单已支付',
  ORDER_CLOSED: '该订单已关闭，请重新下单',
  ORDER_EXPIRED: '订单已过期，请重新下单',
  PAY_SIGNATURE_INVALID: '支付签名校验失败，请重新发起支付',
  PAY_PARAMS_INVALID: '支付参数有误，请重新发起支付',
  LOGIN_TICKET_INVALID: '登录二维码无效，请刷新后重新扫码',
  LOGIN_TICKET_EXPIRED: '登录二维码已过期，请刷新后重新扫码',
  LOGIN_TICKET_USED: '登录二维码已使用，请刷新后重新扫码',
  QUERY_TOO_COMPLEX: '请求过于复杂，已被拒绝',
  OPERATION_NOT_ALLOWED: '不支持的请求，请更新小程序后重试',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  FOUR_EYES_REQUIRED: '需由另一位经理审批，不能审批自己提交的调整',
  ADJUSTMENT_DECIDED: '该调整已审批或已驳回，请刷新后查看',
  INTERNAL: '系统繁忙，请稍后再试',
  ALREADY_RATED: '您已评价过这次服务，感谢反馈',
  RATING_CLOSED: '评价已截止（服务后 24 小时内可评价）',
  REFERRAL_UNKNOWN: '邀请链接无效，已为您正常登录',
  REFERRAL_SELF: '不能接受自己的邀请',
  REFERRAL_NOT_NEW: '您已是会员，邀请仅对新会员有效',
  REFERRAL_ALREADY_BOUND: '您已接受过其他会员的邀请',
  REFERRAL_DISABLED: '邀请活动暂未开放，已为您正常登录',
  REFERRAL_CAP_REACHED: '本月邀请奖励已达上限',
};

/** What the API adds to `extensions` that changes the message shown (see `errorMessageZhFor`). */
export interface ErrorDetails {
  /** OTP_INVALID: tries left on this code (0: request a new one). */
  attemptsLeft?: unknown;
  /** OTP_INVALID: `USED` (the code was already used), `NOT_REQUESTED` (no code for this reward yet), `WRONG`. */
  reason?: unknown;
  /** TIER_REQUIRED: what the tier is needed for, `REWARD` (to redeem) or `CLUB`/`EVENT` (to take part). */
  context?: unknown;
  /** RATE_LIMITED: seconds until the cool-down ends. */
  retryAfterSeconds?: unknown;
  [key: string]: unknown;
}

/**
 * The Chinese message for an API error, refined by its extensions where one text cannot fit every case:
 * a one-time code that was already used or has no tries left asks for a new code; a reward's tier requirement
 * says 兑换 rather than 参加. Unknown details fall back to `errorMessageZh`.
 */
export function errorMessageZhFor(code: ErrorCode, details: ErrorDetails = {}): string {
  if (code === ErrorCode.OTP_INVALID) {
    if (details.reason === 'USED') return '该验证码已使用，请重新获取验证码';
    if (details.reason === 'NOT_REQUESTED') return '请先获取验证码';
    if (details.attemptsLeft === 0) return '验证码错误次数过多，请重新获取验证码';
    if (typeof details.attemptsLeft === 'number' && details.attemptsLeft > 0) return `验证码错误，还可尝试 ${details.attemptsLeft} 次`;
  }
  if (code === ErrorCode.TIER_REQUIRED && details.context === 'REWARD') return '会员等级不足，升级后即可兑换';
  if (code === ErrorCode.RATE_LIMITED) return rateLimitedMessageZh(details.retryAfterSeconds);
  return errorMessageZh[code];
}

/**
 * The Chinese text for RATE_LIMITED with the wait the API sent in `extensions.retryAfterSeconds`: "操作过于频繁，请 N 秒后再试"
 * (whole minutes from two minutes on). Without a usable number, the plain message.
 */
export function rateLimitedMessageZh(retryAfterSeconds: unknown): string {
  if (typeof retryAfterSeconds !== 'number' || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) return errorMessageZh.RATE_LIMITED;
  const s = Math.ceil(retryAfterSeconds);
  return s >= 120 ? `操作过于频繁，请 ${Math.ceil(s / 60)} 分钟后再试` : `操作过于频繁，请 ${s} 秒后再试`;
}
