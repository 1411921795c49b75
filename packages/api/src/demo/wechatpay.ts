import type { WechatPayKeys } from '@quanzi/simulators';
import type { WechatPayConfig } from '../config';

/**
 * The merchant configuration for the WeChat Pay simulator's keys (the demo and the tests): WeChat Pay signs with
 * both a platform certificate and a public key, as during a real switch, so both serials are trusted.
 */
export function simulatedWechatPayConfig(keys: WechatPayKeys, apiBase: string): WechatPayConfig {
  return {
    mchid: keys.merchant.mchid,
    serialNo: keys.merchant.serial,
    privateKeyPem: keys.merchant.privateKeyPem,
    publicKeyPem: keys.merchant.publicKeyPem,
    apiV3Key: keys.apiV3Key,
    platformKeys: { [keys.platformCert.serial]: keys.platformCert.publicKeyPem, [keys.publicKey.id]: keys.publicKey.publicKeyPem },
    apiBase,
  };
}
