/**
 * WeChat Pay payment notifications for the `notify` scenario, built the way the simulator
 * (packages/simulators/src/wechat-pay.ts renderNotification) builds them: the transaction plaintext in the query
 * shape, AES-256-GCM under the APIv3 key (12-character nonce, AAD "transaction", base64(ct ‖ tag)), and
 * `Wechatpay-*` headers signed SHA256withRSA over `TIMESTAMP\nNONCE\nBODY\n`, alternating between the platform
 * certificate key and the WeChat Pay public key (a merchant mid-switch, as the tests configure the simulator).
 *
 * Built here rather than with `paySim.buildNotification()` so that tens of thousands of orders need no JSAPI prepay
 * and `pay()` each: the run checks (run.ts) that a notification the simulator built and one built here are accepted
 * alike. The timestamp is the build time: WeChat's 300 s window holds as long as a batch is sent soon after it is
 * built (load.ts builds each run's batch just before the run).
 */
import { createCipheriv, createPrivateKey, createSign, randomInt, type KeyObject } from 'node:crypto';

/** What the loader needs to sign and encrypt like WeChat Pay (private keys generated for the run). */
export interface NotifyKeys {
  appid: string;
  mchid: string;
  apiV3Key: string;
  certSerial: string;
  certPrivateKeyPem: string;
  pubKeyId: string;
  pubKeyPrivateKeyPem: string;
}

/** One pending order to pay: out_trade_no, the amount in fen, the payer's openid. */
export interface NotifyOrder { no: string; total: number; openid: string }

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';
const CST_OFFSET_MS = 8 * 3600_000;

const randomString = (n: number, alphabet = ALNUM): string => {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
};
/** `yyyy-MM-ddTHH:mm:ss+08:00`, as WeChat Pay writes times. */
export const cstTime = (ms: number): string => `${new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
const cstStamp = (ms: number): string => cstTime(ms).slice(0, 19).replace(/[-T:]/g, '');

export interface NotificationBuilder {
  /** The signed, encrypted TRANSACTION.SUCCESS notification for an order paid at `paidAtMs` (default now). */
  build(o: NotifyOrder, paidAtMs?: number): { headers: Record<string, string>; body: string };
}

export function notificationBuilder(k: NotifyKeys): NotificationBuilder {
  const certKey: KeyObject = createPrivateKey(k.certPrivateKeyPem);
  const pubKey: KeyObject = createPrivateKey(k.pubKeyPrivateKeyPem);
  const aesKey = Buffer.from(k.apiV3Key, 'utf8');
  let n = 0;
  return {
    build(o, paidAtMs) {
      const t = Date.now();
      const paid = paidAtMs ?? t;
      const plaintext = JSON.stringify({
        appid: k.appid,
        mchid: k.mchid,
        out_trade_no: o.no,
        transaction_id: `4200${randomString(4, DIGITS)}${cstStamp(paid).slice(0, 8)}${randomString(12, DIGITS)}`,
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        attach: '',
        success_time: cstTime(paid),
        payer: { openid: o.openid },
        amount: { total: o.total, payer_total: o.total, currency: 'CNY', payer_currency: 'CNY' },
      });
      const nonce = randomString(12);
      const cipher = createCipheriv('aes-256-gcm', aesKey, Buffer.from(nonce, 'utf8'));
      cipher.setAAD(Buffer.from('transaction', 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      const body = JSON.stringify({
        id: `EV-${cstStamp(t)}${randomString(8, DIGITS)}`,
        create_time: cstTime(t),
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: 'transaction', nonce },
      });
      const useCert = n++ % 2 === 0;
      const timestamp = String(Math.floor(t / 1000));
      const headerNonce = randomString(32, UPPER_ALNUM);
      const signature = createSign('RSA-SHA256').update(`${timestamp}\n${headerNonce}\n${body}\n`, 'utf8').sign(useCert ? certKey : pubKey, 'base64');
      return {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Mozilla/4.0',
          'wechatpay-nonce': headerNonce,
          'wechatpay-serial': useCert ? k.certSerial : k.pubKeyId,
          'wechatpay-signature': signature,
          'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
          'wechatpay-timestamp': timestamp,
        },
        body,
      };
    },
  };
}
