import { randomBytes } from 'node:crypto';
import { startRechargeProviderSimulator, type RechargeSimulator, type RechargeSimulatorOptions } from '@quanzi/simulators';
import type { RewardsConfig } from '../config';

/**
 * Starts the recharge aggregator simulator with a fresh app id and secret (the demo and the tests) and returns it
 * with the provider configuration that points the API at it.
 */
export async function startSimulatedRewardProvider(
  opts: Partial<Omit<RechargeSimulatorOptions, 'appId' | 'secret'>> = {},
  timeoutMs = 10_000,
): Promise<{ sim: RechargeSimulator; provider: NonNullable<RewardsConfig['provider']> }> {
  const appId = `qz_demo_${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  const sim = await startRechargeProviderSimulator({ appId, secret, ...opts });
  return { sim, provider: { baseUrl: sim.url, appId, secret, timeoutMs } };
}
