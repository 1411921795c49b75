/**
 * Inbound WeChat Pay v3 cryptography, with node:crypto (WECHAT.md): signature verification against a
 * serial → key map (platform certificates AND WeChat Pay public keys `PUB_KEY_ID_…`), a 300 s timestamp window,
 * probe signatures (`WECHATPAY/SIGNTEST/`) refused, and AEAD_AES_256_GCM decryption with the tag checked.
 * wechatpay-node-v3 is not used for any of this: it skips the GCM tag and cannot verify by public key id.
 */
import { clock } from '../../clock';
import { createDecipheriv, createPublicKey, createVerify, X509Certificate, type KeyObject } from 'node:crypto';

export class WechatPayVerifyError extends Error {
  constructor(readonly reason: 'MISSING_HEADERS' | 'UNKNOWN_SERIAL' | 'STALE_TIMESTAMP' | 'PROBE' | 'BAD_SIGNATURE' | 'BAD_BODY' | 'DECRYPT_FAILED', message: string) {
    super(message);
  }
}

export interface SignedMessage {
  timestamp: string | undefined;
  nonce: string | undefined;
  serial: string | undefined;
  signature: string | undefined;
  body: string;
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
}

export interface NotificationEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary?: string;
  resource: EncryptedResource;
}

const TIMESTAMP_WINDOW_S = 300;

/** Turns a PEM certificate or public key into a KeyObject. */
export function toPublicKey(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

export class WechatPayVerifier {
  private readonly keys = new Map<string, KeyObject>();

  /**
   * @param keys serial → PEM (platform certificate or public key) for every key WeChat Pay may sign with:
   *   during a switch from certificates to public keys callbacks arrive signed either way.
   * @param apiV3Key the 32-byte APIv3 key
   */
  constructor(keys: Record<string, string>, private readonly apiV3Key: string, private readonly now: () => number = () => clock.ms()) {
    for (const [serial, pem] of Object.entries(keys)) this.keys.set(serial.toUpperCase(), toPublicKey(pem));
    if (Buffer.byteLength(apiV3Key) !== 32) throw new Error('The APIv3 key must be 32 bytes');
  }

  /** Verifies `Wechatpay-*` headers over `TIMESTAMP\nNONCE\nBODY\n`; throws WechatPayVerifyError. */
  verify(m: SignedMessage): void {
    if (!m.timestamp || !m.nonce || !m.serial || !m.signature) throw new WechatPayVerifyError('MISSING_HEADERS', 'missing Wechatpay-* headers');
    if (m.signature.startsWith('WECHATPAY/SIGNTEST/')) throw new WechatPayVerifyError('PROBE', 'probe signature');
    const key = this.keys.get(m.serial.toUpperCase());
    if (!key) throw new WechatPayVerifyError('UNKNOWN_SERIAL', `unknown serial ${m.serial}`);
    const ts = Number(m.timestamp);
    if (!/^\d{1,12}$/.test(m.timestamp) || Math.abs(this.now() / 1000 - ts) > TIMESTAMP_WINDOW_S) throw new WechatPayVerifyError('STALE_TIMESTAMP', 'timestamp outside the 300 s window');
    const ok = createVerify('RSA-SHA256').update(`${m.timestamp}\n${m.nonce}\n${m.body}\n`).verify(key, m.signature, 'base64');
    if (!ok) throw new WechatPayVerifyError('BAD_SIGNATURE', 'signature does not verify');
  }

  /** AEAD_AES_256_GCM: ciphertext is base64(ct ‖ 16-byte tag); the tag is checked. */
  decrypt<T>(r: EncryptedResource): T {
    if (r.algorithm !== 'AEAD_AES_256_GCM') throw new WechatPayVerifyError('BAD_BODY', `unsupported algorithm ${r.algorithm}`);
    try {
      const buf = Buffer.from(r.ciphertext, 'base64');
      if (buf.length <= 16) throw new Error('short ciphertext');
      const d = createDecipheriv('aes-256-gcm', Buffer.from(this.apiV3Key), Buffer.from(r.nonce));
      d.setAuthTag(buf.subarray(buf.length - 16));
      if (r.associated_data) d.setAAD(Buffer.from(r.associated_data));
      const plain = Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]).toString('utf8');
      return JSON.parse(plain) as T;
    } catch (e) {
      throw new WechatPayVerifyError('DECRYPT_FAILED', `decryption failed: ${(e as Error).message}`);
    }
  }

  /** Verifies and decrypts a notification; returns the envelope and its plaintext resource. */
  open<T>(headers: Record<string, string | string[] | undefined>, body: string): { envelope: NotificationEnvelope; resource: T } {
    const h = (k: string) => {
      const v = headers[k];
      return Array.isArray(v) ? v[0] : v;
    };
    this.verify({ timestamp: h('wechatpay-timestamp'), nonce: h('wechatpay-nonce'), serial: h('wechatpay-serial'), signature: h('wechatpay-signature'), body });
    let envelope: NotificationEnvelope;
    try {
      envelope = JSON.parse(body) as NotificationEnvelope;
    } catch {
      throw new WechatPayVerifyError('BAD_BODY', 'body is not JSON');
    }
    if (!envelope?.resource?.ciphertext || !envelope.event_type) throw new WechatPayVerifyError('BAD_BODY', 'not a notification');
    return { envelope, resource: this.decrypt<T>(envelope.resource) };
  }
}
