import { randomBytes } from 'node:crypto';
import { startTencentSmsSimulator, type TencentSmsSimulator, type TencentSmsSimulatorOptions } from '@quanzi/simulators';
import type { SmsConfig } from '../config';

/** The demo's signature and one-time-code template (the simulator knows them as approved). */
export const DEMO_SMS_SIGN = '圈子会员';
export const DEMO_SMS_OTP_TEMPLATE = '1000001';

/**
 * Starts the Tencent Cloud SMS simulator with a fresh SecretId/SecretKey (the demo and the tests) and returns it with
 * the SMS configuration that points the API at it. `inboxCopy` (default on: the demo's phone has no screen) also puts
 * one-time codes in the in-app inbox.
 */
export async function startSimulatedSms(
  opts: Partial<Omit<TencentSmsSimulatorOptions, 'secretId' | 'secretKey' | 'sdkAppId'>> = {},
  c: { timeoutMs?: number; inboxCopy?: boolean } = {},
): Promise<{ sim: TencentSmsSimulator; sms: SmsConfig }> {
  const secretId = `AKIDqzdemo${randomBytes(12).toString('hex')}`;
  const secretKey = randomBytes(24).toString('base64url');
  const sdkAppId = '1400000001';
  const sim = await startTencentSmsSimulator({ secretId, secretKey, sdkAppId, signNames: [DEMO_SMS_SIGN], ...opts });
  return {
    sim,
    sms: {
      provider: 'tencent',
      secretId,
      secretKey,
      sdkAppId,
      signName: DEMO_SMS_SIGN,
      region: 'ap-guangzhou',
      endpoint: sim.url,
      timeoutMs: c.timeoutMs ?? 5000,
      templates: { REWARD_OTP: DEMO_SMS_OTP_TEMPLATE },
      inboxCopy: c.inboxCopy ?? true,
    },
  };
}
