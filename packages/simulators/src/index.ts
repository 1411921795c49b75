export {
  simulatedOpenid,
  simulatedUnionid,
  startWechatMiniSimulator,
  type SimulatedLogin,
  type WechatMiniApi,
  type WechatMiniSimulator,
  type WechatMiniSimulatorOptions,
} from './wechat-mini';
