/** Chinese labels of WeChat Pay orders, refunds and anomalies. */
export const ORDER_STATE_ZH: Record<string, string> = { PENDING: '待支付', PAID: '已支付', CLOSED: '已关闭' };
export const ORDER_STATE_COLOR: Record<string, string> = { PENDING: 'orange', PAID: 'green', CLOSED: 'default' };
/** PayRefundStatus: WeChat Pay's refund_status. */
export const REFUND_STATUS_ZH: Record<string, string> = { PROCESSING: '退款中', SUCCESS: '已退款', CLOSED: '退款关闭', ABNORMAL: '退款异常' };
export const REFUND_STATUS_COLOR: Record<string, string> = { PROCESSING: 'processing', SUCCESS: 'green', CLOSED: 'default', ABNORMAL: 'red' };
export const ANOMALY_KIND_ZH: Record<string, string> = {
  AMOUNT_MISMATCH: '金额不符',
  MERCHANT_MISMATCH: '商户号不符',
  PAYER_MISMATCH: '付款人不符',
  TRANSACTION_REUSED: '交易号重复使用',
  PAID_TWICE: '重复支付',
};
export const ANOMALY_SOURCE_ZH: Record<string, string> = { notify: '支付通知', query: '主动查询' };
