export {
  DEFAULT_FLAGGED_WORDS,
  simulatedOpenid,
  simulatedUnionid,
  startWechatMiniSimulator,
  type FlaggedWord,
  type GeneratedWxaCode,
  type SentSubscribeMessage,
  type SimulatedLogin,
  type WechatMiniApi,
  type WechatMiniSimulator,
  type WechatMiniSimulatorOptions,
  type WxaEnvVersion,
} from './wechat-mini';
export {
  generateWechatPayKeys,
  startWechatPaySimulator,
  WECHAT_PAY_RETRY_SCHEDULE_S,
  type NotificationDelivery,
  type WechatPayKeys,
  type WechatPayNotificationTamper,
  type WechatPaySimulator,
  type WechatPaySimulatorOptions,
} from './wechat-pay';
