/**
 * Configuration, parsed once from the environment with zod. Nothing else in the API reads `process.env`.
 * Every variable is documented in the README ("Configuration").
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** mariadb://user:pass@host:3306/db, mysql://…, or empty for the embedded libsql file. */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^(mariadb|mysql):\/\//.test(v), 'DATABASE_URL must start with mariadb:// or mysql://'),
  /**
   * Read replicas of DATABASE_URL for analytics and report reads (comma-separated, same scheme as DATABASE_URL; one is
   * picked per request). MariaDB/MySQL only: refused without DATABASE_URL. Which reads go there: src/db/read-routing.ts.
   */
  DATABASE_REPLICA_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []))
    .refine((v) => v.every((u) => /^(mariadb|mysql):\/\/[^/]/.test(u)), 'DATABASE_REPLICA_URL must be mariadb:// or mysql:// URLs, comma-separated'),
  /** libsql file used when DATABASE_URL is empty. */
  SQLITE_FILE: z.string().default('./data/quanzi.db'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** HS256 secret for session tokens (≥ 32 chars). Generated per process in the demo when empty. */
  JWT_SECRET: z.string().optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
  /** Manager console (issue #13): how long a console session lasts, and a sign-in QR ticket. */
  CONSOLE_SESSION_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(480),
  CONSOLE_LOGIN_TTL_SECONDS: z.coerce.number().int().min(30).max(600).default(120),
  /** Where the console's build is served from (default packages/console/dist). */
  CONSOLE_DIST: z.string().optional(),
  /** Manual points adjustments above this many points (either sign) wait for a second manager's approval. */
  ADJUSTMENT_APPROVAL_POINTS: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  WECHAT_APPID: z.string().default('wx_demo_appid'),
  WECHAT_SECRET: z.string().default('demo_app_secret'),
  /** Base URL for api.weixin.qq.com (point at the simulator in tests). Empty in the demo: the simulator starts in-process. */
  WECHAT_API_BASE: z.string().url().optional(),
  /** Start the WeChat simulators in-process and seed demo data (the offline demo). Default: on when DATABASE_URL is empty. */
  DEMO: z.enum(['true', 'false', '1', '0', 'auto']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Minutes between in-process points-expiry runs; 0 disables (run `runPointsExpiry` from a scheduler instead). */
  EXPIRY_JOB_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  /** Directory of the mini-program's H5 build served at / (default: packages/miniapp/dist/h5 when it exists). */
  H5_DIST: z.string().optional(),
  /** Public base URL of this API (https), used for WeChat Pay's notify_url: <PUBLIC_BASE_URL>/webhooks/wechatpay. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** WeChat Pay merchant (all of MCHID, SERIAL_NO, PRIVATE_KEY_PATH, APIV3_KEY, PLATFORM_KEYS enable payments). */
  WECHATPAY_MCHID: z.string().optional(),
  WECHATPAY_SERIAL_NO: z.string().optional(),
  WECHATPAY_PRIVATE_KEY_PATH: z.string().optional(),
  /** Merchant certificate (or public key) PEM path; defaults to the private key's public half. */
  WECHATPAY_PUBLIC_KEY_PATH: z.string().optional(),
  WECHATPAY_APIV3_KEY: z.string().optional(),
  /** Keys WeChat Pay signs with: comma-separated `serial=path.pem` (platform certificates and/or PUB_KEY_ID_…=public key). */
  WECHATPAY_PLATFORM_KEYS: z.string().optional(),
  WECHATPAY_API_BASE: z.string().url().default('https://api.mch.weixin.qq.com'),
  /** Unpaid orders expire after this many minutes. */
  PAY_ORDER_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(30),
  /** Orders still unpaid this many minutes after creation are queried (a lost notification still earns points). */
  PAY_RECOVERY_AFTER_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  /** Seconds between recovery runs; 0 disables. */
  PAY_RECOVERY_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Seconds between in-process club jobs (subscribe-message delivery, event reminders, finishing past events); 0 disables. */
  CLUB_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Which mini-program version till-order codes (getwxacodeunlimit) open: release, trial or develop. */
  WECHAT_WXACODE_ENV: z.enum(['release', 'trial', 'develop']).default('release'),
  /** Subscribe-message template ids: `CLUB_ANNOUNCEMENT=…,EVENT_REMINDER=…,EVENT_UPDATE=…,REWARD_RESULT=…,RATING_ALERT=…,CAMPAIGN_OFFER=…` (unset kinds keep the demo ids). */
  WECHAT_SUBSCRIBE_TEMPLATES: z.string().optional(),
  /** Redemptions costing at least this many points need a one-time code sent to the bound phone; 0 disables. */
  REWARD_OTP_THRESHOLD_POINTS: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Seconds between in-process reward jobs (fulfilment through the outbox: submit, query, retry); 0 disables. */
  REWARD_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** The recharge aggregator that fulfils top-ups and fuel cards (all three or none; the demo runs the simulator). */
  REWARD_PROVIDER_BASE_URL: z.string().url().optional(),
  REWARD_PROVIDER_APP_ID: z.string().optional(),
  REWARD_PROVIDER_SECRET: z.string().optional(),
  /** Give up waiting for the provider's answer after this long (then the order is queried); below the outbox lease (60 s). */
  REWARD_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  /** Days delivered outbox rows (and acknowledged dead letters) are kept before the retention job deletes them. */
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** Minutes between in-process outbox retention runs; 0 disables (run `runOutboxRetention` from a scheduler instead). */
  OUTBOX_RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  /** Log every SQL statement (debug). */
  DB_DEBUG: bool,
  /** GraphQL operation limits, checked before execution (QUERY_TOO_COMPLEX); every document the mini-program ships fits. */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(6),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(10),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(1000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(10_000_000).default(20_000),
  /** Introspection and "Did you mean …" suggestions; default on except with NODE_ENV=production. */
  GRAPHQL_INTROSPECTION: z.enum(['true', 'false', '1', '0']).optional(),
  /** Members, staff and the signed-out may send only the registered (trusted) documents; default on with NODE_ENV=production. */
  GRAPHQL_TRUSTED_DOCUMENTS: z.enum(['true', 'false', '1', '0']).optional(),
  /** Redis for the rate-limit counters and cache invalidation across API processes (shared by every instance); empty: counters in process memory, caches expire by their TTL (≤ 10 s). */
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^rediss?:\/\//.test(v), 'REDIS_URL must start with redis:// or rediss://'),
  /** Prefix of every Redis key the API writes. */
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,32}$/).default('quanzi:rl:'),
  /** Wrong member or voucher codes one till (staff user at a store) may send per window before its cool-down; 0 disables. */
  RATE_LIMIT_CODE_FAILURES: z.coerce.number().int().min(0).max(1000).default(10),
  RATE_LIMIT_CODE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_CODE_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Sign-ins per minute from one IP address / for one openid; 0 disables. */
  RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(0).max(100_000).default(60),
  RATE_LIMIT_LOGIN_PER_OPENID: z.coerce.number().int().min(0).max(1000).default(10),
  /** One-time-code requests per hour for one member (the phone that receives them) / from one IP address; 0 disables. */
  RATE_LIMIT_OTP_PER_MEMBER: z.coerce.number().int().min(0).max(1000).default(10),
  RATE_LIMIT_OTP_PER_IP: z.coerce.number().int().min(0).max(100_000).default(60),
  /** Behind a load balancer: which X-Forwarded-For hops to trust for the client's IP (fastify's trustProxy: true, a hop count, or IPs/CIDRs). */
  TRUST_PROXY: z.string().optional(),
  /** SMS gateway for one-time codes (README, "SMS"): `tencent` (the Tencent Cloud SMS API v3) or unset (codes go to the in-app inbox). */
  SMS_PROVIDER: z.enum(['tencent']).optional(),
  TENCENT_SMS_SECRET_ID: z.string().regex(/^[\w-]{1,128}$/, 'TENCENT_SMS_SECRET_ID: letters, digits, _ or -').optional(),
  TENCENT_SMS_SECRET_KEY: z.string().min(1).max(128).optional(),
  /** The SMS application's SdkAppId (e.g. 1400006666). */
  TENCENT_SMS_SDK_APP_ID: z.string().regex(/^\d{5,20}$/, 'TENCENT_SMS_SDK_APP_ID: digits').optional(),
  /** The approved signature (签名), e.g. 圈子会员. */
  TENCENT_SMS_SIGN_NAME: z.string().min(2).max(12).optional(),
  /** Approved template ids: `REWARD_OTP=1234567[,…]`. */
  TENCENT_SMS_TEMPLATES: z.string().optional(),
  TENCENT_SMS_REGION: z.enum(['ap-guangzhou', 'ap-beijing', 'ap-nanjing']).default('ap-guangzhou'),
  /** Base URL of the API (point at the simulator in tests); default https://sms.tencentcloudapi.com. */
  TENCENT_SMS_ENDPOINT: z.string().url().default('https://sms.tencentcloudapi.com'),
  /** Give up waiting for an answer after this long (then whether it was sent is unknown and it is not sent again). */
  TENCENT_SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
  /** API worker processes sharing the port (Node's cluster module); 1 runs the API in this process. Not with the embedded demo. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Analytics (issue #15): a member is active with a purchase within this many days (the KPIs' default window). */
  ANALYTICS_ACTIVE_DAYS: z.coerce.number().int().min(7).max(365).default(90),
  /** What the outstanding points cost the business: fen per 100 points (100 = ¥0.01 a point). */
  POINT_VALUE_FEN_PER_100: z.coerce.number().int().min(0).max(100_000).default(100),
  /** Minutes between runs of the leased job that adds the settled Shanghai days to the analytics summary; 0 disables. */
  ANALYTICS_SUMMARY_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(5),
  /** Minutes between in-process birthday-bonus checks (one pass a day per process); 0 disables (run `runBirthdayBonuses` from a scheduler instead). */
  BIRTHDAY_BONUS_JOB_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  /** Seconds between in-process campaign runs (start due campaigns, materialise segments, send offers); 0 disables. */
  CAMPAIGN_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** The most treated members one campaign run sends offers to (the throttle). */
  CAMPAIGN_SEND_PER_RUN: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** `replicaUrls`: read replicas for analytics and reports (DATABASE_REPLICA_URL; absent or empty: every read on `url`). */
  database: { kind: 'mariadb' | 'mysql'; url: string; replicaUrls?: string[]; poolMax: number; debug: boolean } | { kind: 'sqlite'; file: string; poolMax: number; debug: boolean };
  jwt: { secret: string; ttlSeconds: number; generated: boolean };
  /**
   * `wxacode`: how mini-program codes (getwxacodeunlimit) are made: the version they open, and whether WeChat checks
   * that the page exists in the published version (only for release codes in production: trial and develop builds
   * may have pages the release does not, and outside production the mini-program may not be published at all).
   */
  wechat: { appid: string; secret: string; apiBase: string | null; wxacode: { envVersion: 'release' | 'trial' | 'develop'; checkPath: boolean } };
  demo: boolean;
  logLevel: string;
  expiryIntervalMinutes: number;
  h5Dist: string | null;
  /** The manager console (issue #13): session lifetime, sign-in ticket lifetime, where its build lives. */
  console: { sessionMinutes: number; loginTtlSeconds: number; dist: string | null };
  /** Manual points adjustments (issue #13): |delta| above `approvalPoints` needs a second manager. */
  adjustments: { approvalPoints: number };
  clubJobsIntervalSeconds: number;
  /** WeChat subscribe-message template id per kind of notice. */
  subscribeTemplates: Record<SubscribeTemplateKind, string>;
  publicBaseUrl: string;
  wechatPay: WechatPayConfig | null;
  pay: { orderTtlMinutes: number; recoveryAfterMinutes: number; recoveryIntervalSeconds: number };
  rewards: RewardsConfig;
  /** Outbox retention: days kept after delivery (or acknowledgement of a dead letter), minutes between runs (0 = off). */
  outbox: { retentionDays: number; retentionIntervalMinutes: number };
  graphql: GraphqlConfig;
  limits: LimitsConfig;
  /** fastify's trustProxy: whether (and which hops of) X-Forwarded-For name the client. */
  trustProxy: boolean | number | string[];
  /** The SMS gateway (null: one-time codes go to the in-app inbox). */
  sms: SmsConfig | null;
  /** Analytics (issue #15): the default active-member window, and the cost of 100 points in fen (liability). */
  analytics: { activeDays: number; pointValueFenPer100: number; summaryIntervalMinutes: number };
  /** Minutes between in-process birthday-bonus checks (0 = off; the job passes once a day per process). */
  birthdayBonusIntervalMinutes: number;
  /** API worker processes `pnpm start` runs on the one port (1: no cluster). */
  webConcurrency: number;
  /** Targeted campaigns (issue #14): seconds between in-process runs (0 = off), offers sent per run. */
  campaigns: { jobsIntervalSeconds: number; sendPerRun: number };
};

/** The messages that may go out by SMS; each needs a template approved in the Tencent Cloud SMS console. */
export const SMS_TEMPLATE_KINDS = ['REWARD_OTP', 'CAMPAIGN'] as const;
export type SmsTemplateKind = (typeof SMS_TEMPLATE_KINDS)[number];

export interface SmsConfig {
  provider: 'tencent';
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  endpoint: string;
  timeoutMs: number;
  /** Template id per kind of message (a kind without one is not sent by SMS). */
  templates: Partial<Record<SmsTemplateKind, string>>;
  /** Demo only (no real phone): one-time codes sent by SMS are also put in the in-app inbox. */
  inboxCopy: boolean;
}

function loadSms(e: z.infer<typeof schema>): SmsConfig | null {
  const required = { TENCENT_SMS_SECRET_ID: e.TENCENT_SMS_SECRET_ID, TENCENT_SMS_SECRET_KEY: e.TENCENT_SMS_SECRET_KEY, TENCENT_SMS_SDK_APP_ID: e.TENCENT_SMS_SDK_APP_ID, TENCENT_SMS_SIGN_NAME: e.TENCENT_SMS_SIGN_NAME };
  if (!e.SMS_PROVIDER) {
    if (Object.values(required).some(Boolean)) throw new Error('Invalid configuration:\n  SMS_PROVIDER: set SMS_PROVIDER=tencent to use the TENCENT_SMS_* settings');
    return null;
  }
  const missing = Object.entries(required).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) throw new Error(`Invalid configuration:\n  SMS_PROVIDER=tencent: set ${missing.join(', ')}`);
  const templates: Partial<Record<SmsTemplateKind, string>> = {};
  for (const item of (e.TENCENT_SMS_TEMPLATES ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const [kind, id] = item.split('=').map((x) => x.trim());
    if (!kind || !id || !(SMS_TEMPLATE_KINDS as readonly string[]).includes(kind) || !/^\d{1,20}$/.test(id)) {
      throw new Error(`Invalid configuration:\n  TENCENT_SMS_TEMPLATES: expected KIND=templateId[,…] with KIND one of ${SMS_TEMPLATE_KINDS.join(', ')} and a numeric id`);
    }
    templates[kind as SmsTemplateKind] = id;
  }
  return {
    provider: 'tencent',
    secretId: e.TENCENT_SMS_SECRET_ID as string,
    secretKey: e.TENCENT_SMS_SECRET_KEY as string,
    sdkAppId: e.TENCENT_SMS_SDK_APP_ID as string,
    signName: e.TENCENT_SMS_SIGN_NAME as string,
    region: e.TENCENT_SMS_REGION,
    endpoint: e.TENCENT_SMS_ENDPOINT.replace(/\/$/, ''),
    timeoutMs: e.TENCENT_SMS_TIMEOUT_MS,
    templates,
    inboxCopy: false,
  };
}

/** How hostile GraphQL is kept out (README, "GraphQL"): limits, introspection, trusted documents. */
export interface GraphqlConfig {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Estimated result size (about one unit per field in the answer, lists multiplied by their page size). */
  maxCost: number;
  /** Introspection and field suggestions in error messages. */
  introspection: boolean;
  /** Only registered documents from anyone but managers. */
  trustedDocuments: boolean;
}

/** Rate limits on guessable inputs and costly floods (see the README, "Rate limits"). 0 disables a limit. */
export interface LimitsConfig {
  redisUrl: string | null;
  keyPrefix: string;
  codeFailures: number;
  codeWindowSeconds: number;
  codeCooldownSeconds: number;
  loginPerIpPerMinute: number;
  loginPerOpenidPerMinute: number;
  otpPerMemberPerHour: number;
  otpPerIpPerHour: number;
}

function parseTrustProxy(v: string | undefined): boolean | number | string[] {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  return v.split(',').map((x) => x.trim()).filter(Boolean);
}

export interface RewardsConfig {
  /** Points price from which a redemption needs a one-time code (0 = never). */
  otpThresholdPoints: number;
  jobsIntervalSeconds: number;
  /** The recharge aggregator (null: top-ups and fuel cards cannot be fulfilled). */
  provider: { baseUrl: string; appId: string; secret: string; timeoutMs: number } | null;
}

function loadRewards(e: z.infer<typeof schema>): RewardsConfig {
  const parts = [e.REWARD_PROVIDER_BASE_URL, e.REWARD_PROVIDER_APP_ID, e.REWARD_PROVIDER_SECRET];
  if (parts.some((p) => p) && parts.some((p) => !p)) {
    throw new Error('Invalid configuration:\n  REWARD_PROVIDER_*: set all of REWARD_PROVIDER_BASE_URL, REWARD_PROVIDER_APP_ID, REWARD_PROVIDER_SECRET (or none)');
  }
  return {
    otpThresholdPoints: e.REWARD_OTP_THRESHOLD_POINTS,
    jobsIntervalSeconds: e.REWARD_JOBS_INTERVAL_SECONDS,
    provider: e.REWARD_PROVIDER_BASE_URL
      ? { baseUrl: e.REWARD_PROVIDER_BASE_URL.replace(/\/$/, ''), appId: e.REWARD_PROVIDER_APP_ID as string, secret: e.REWARD_PROVIDER_SECRET as string, timeoutMs: e.REWARD_PROVIDER_TIMEOUT_MS }
      : null,
  };
}

export interface WechatPayConfig {
  mchid: string;
  serialNo: string;
  privateKeyPem: string;
  publicKeyPem: string;
  apiV3Key: string;
  /** serial → PEM of every key WeChat Pay may sign with (platform certificates, PUB_KEY_ID_… public keys). */
  platformKeys: Record<string, string>;
  apiBase: string;
}

function loadWechatPay(e: z.infer<typeof schema>): WechatPayConfig | null {
  const parts = [e.WECHATPAY_MCHID, e.WECHATPAY_SERIAL_NO, e.WECHATPAY_PRIVATE_KEY_PATH, e.WECHATPAY_APIV3_KEY, e.WECHATPAY_PLATFORM_KEYS];
  if (parts.every((p) => !p)) return null;
  if (parts.some((p) => !p)) {
    throw new Error('Invalid configuration:\n  WECHATPAY_*: set all of WECHATPAY_MCHID, WECHATPAY_SERIAL_NO, WECHATPAY_PRIVATE_KEY_PATH, WECHATPAY_APIV3_KEY, WECHATPAY_PLATFORM_KEYS (or none)');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createPrivateKey, createPublicKey } = require('node:crypto') as typeof import('node:crypto');
  const read = (path: string, name: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new Error(`Invalid configuration:\n  ${name}: cannot read ${path}`);
    }
  };
  const privateKeyPem = read(e.WECHATPAY_PRIVATE_KEY_PATH as string, 'WECHATPAY_PRIVATE_KEY_PATH');
  const publicKeyPem = e.WECHATPAY_PUBLIC_KEY_PATH
    ? read(e.WECHATPAY_PUBLIC_KEY_PATH, 'WECHATPAY_PUBLIC_KEY_PATH')
    : (createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }) as string);
  if (Buffer.byteLength(e.WECHATPAY_APIV3_KEY as string) !== 32) throw new Error('Invalid configuration:\n  WECHATPAY_APIV3_KEY: must be 32 characters');
  const platformKeys: Record<string, string> = {};
  for (const item of (e.WECHATPAY_PLATFORM_KEYS as string).split(',').map((s) => s.trim()).filter(Boolean)) {
    const [serial, path] = item.split('=');
    if (!serial || !path) throw new Error('Invalid configuration:\n  WECHATPAY_PLATFORM_KEYS: expected serial=path.pem[,serial=path.pem]');
    platformKeys[serial] = read(path, 'WECHATPAY_PLATFORM_KEYS');
  }
  return {
    mchid: e.WECHATPAY_MCHID as string,
    serialNo: e.WECHATPAY_SERIAL_NO as string,
    privateKeyPem,
    publicKeyPem,
    apiV3Key: e.WECHATPAY_APIV3_KEY as string,
    platformKeys,
    apiBase: e.WECHATPAY_API_BASE,
  };
}

/** Parses `env` (default `process.env`) into a typed config; throws a readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set" (so PORT= does not become port 0).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const replicaUrls = e.DATABASE_REPLICA_URL;
  if (replicaUrls.length > 0 && !e.DATABASE_URL) {
    // Refused rather than ignored: whoever sets it expects reports off the primary, and a libsql file has no replicas.
    throw new Error('Invalid configuration:\n  DATABASE_REPLICA_URL: read replicas need DATABASE_URL (MariaDB/MySQL); the embedded libsql file has none');
  }
  const scheme = (u: string) => u.slice(0, u.indexOf(':'));
  if (e.DATABASE_URL && replicaUrls.some((u) => scheme(u) !== scheme(e.DATABASE_URL as string))) {
    throw new Error(`Invalid configuration:\n  DATABASE_REPLICA_URL: use the same scheme as DATABASE_URL (${scheme(e.DATABASE_URL)}://)`);
  }
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: e.DATABASE_URL.startsWith('mysql:') ? 'mysql' : 'mariadb', url: e.DATABASE_URL, ...(replicaUrls.length ? { replicaUrls } : {}), poolMax: e.DB_POOL_MAX, debug: e.DB_DEBUG }
    : { kind: 'sqlite', file: e.SQLITE_FILE, poolMax: e.DB_POOL_MAX, debug: e.DB_DEBUG };
  const demo = e.DEMO === 'auto' ? database.kind === 'sqlite' : e.DEMO === 'true' || e.DEMO === '1';
  if (e.NODE_ENV === 'production' && (!e.JWT_SECRET || e.JWT_SECRET.length < 32)) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required in production, at least 32 characters');
  }
  if (e.JWT_SECRET !== undefined && e.JWT_SECRET.length < 32) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: at least 32 characters');
  }
  if (e.WEB_CONCURRENCY > 1 && (database.kind === 'sqlite' || demo)) {
    // A libsql file is not shared safely by several processes, and each would start its own WeChat simulators.
    throw new Error(`Invalid configuration:\n  WEB_CONCURRENCY=${e.WEB_CONCURRENCY}: the embedded demo (libsql file, in-process simulators) runs as one process; set DATABASE_URL to MariaDB (and DEMO=false) for several, or WEB_CONCURRENCY=1`);
  }
  if (e.WEB_CONCURRENCY > 1 && !e.JWT_SECRET) {
    // A secret generated per process would make every worker refuse the others' session tokens.
    throw new Error(`Invalid configuration:\n  JWT_SECRET: required with WEB_CONCURRENCY=${e.WEB_CONCURRENCY} (every worker signs and verifies the same session tokens)`);
  }
  const secret = e.JWT_SECRET ?? randomSecret();
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    jwt: { secret, ttlSeconds: e.JWT_TTL_SECONDS, generated: !e.JWT_SECRET },
    wechat: {
      appid: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
      apiBase: e.WECHAT_API_BASE ?? null,
      wxacode: { envVersion: e.WECHAT_WXACODE_ENV, checkPath: e.NODE_ENV === 'production' && e.WECHAT_WXACODE_ENV === 'release' },
    },
    demo,
    logLevel: e.LOG_LEVEL,
    expiryIntervalMinutes: e.EXPIRY_JOB_INTERVAL_MINUTES,
    h5Dist: e.H5_DIST ?? null,
    console: { sessionMinutes: e.CONSOLE_SESSION_MINUTES, loginTtlSeconds: e.CONSOLE_LOGIN_TTL_SECONDS, dist: e.CONSOLE_DIST ?? null },
    adjustments: { approvalPoints: e.ADJUSTMENT_APPROVAL_POINTS },
    clubJobsIntervalSeconds: e.CLUB_JOBS_INTERVAL_SECONDS,
    subscribeTemplates: parseSubscribeTemplates(e.WECHAT_SUBSCRIBE_TEMPLATES),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    wechatPay: loadWechatPay(e),
    pay: { orderTtlMinutes: e.PAY_ORDER_TTL_MINUTES, recoveryAfterMinutes: e.PAY_RECOVERY_AFTER_MINUTES, recoveryIntervalSeconds: e.PAY_RECOVERY_INTERVAL_SECONDS },
    rewards: loadRewards(e),
    outbox: { retentionDays: e.OUTBOX_RETENTION_DAYS, retentionIntervalMinutes: e.OUTBOX_RETENTION_INTERVAL_MINUTES },
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      introspection: flag(e.GRAPHQL_INTROSPECTION, e.NODE_ENV !== 'production'),
      trustedDocuments: flag(e.GRAPHQL_TRUSTED_DOCUMENTS, e.NODE_ENV === 'production'),
    },
    limits: {
      redisUrl: e.REDIS_URL ?? null,
      keyPrefix: e.REDIS_KEY_PREFIX,
      codeFailures: e.RATE_LIMIT_CODE_FAILURES,
      codeWindowSeconds: e.RATE_LIMIT_CODE_WINDOW_SECONDS,
      codeCooldownSeconds: e.RATE_LIMIT_CODE_COOLDOWN_SECONDS,
      loginPerIpPerMinute: e.RATE_LIMIT_LOGIN_PER_IP,
      loginPerOpenidPerMinute: e.RATE_LIMIT_LOGIN_PER_OPENID,
      otpPerMemberPerHour: e.RATE_LIMIT_OTP_PER_MEMBER,
      otpPerIpPerHour: e.RATE_LIMIT_OTP_PER_IP,
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    sms: loadSms(e),
    analytics: { activeDays: e.ANALYTICS_ACTIVE_DAYS, pointValueFenPer100: e.POINT_VALUE_FEN_PER_100, summaryIntervalMinutes: e.ANALYTICS_SUMMARY_INTERVAL_MINUTES },
    birthdayBonusIntervalMinutes: e.BIRTHDAY_BONUS_JOB_INTERVAL_MINUTES,
    webConcurrency: e.WEB_CONCURRENCY,
    campaigns: { jobsIntervalSeconds: e.CAMPAIGN_JOBS_INTERVAL_SECONDS, sendPerRun: e.CAMPAIGN_SEND_PER_RUN },
  };
}

const flag = (v: string | undefined, otherwise: boolean): boolean => (v === undefined ? otherwise : v === 'true' || v === '1');

/** The notices that may go out as WeChat subscribe messages; each needs a template chosen in the WeChat admin console. */
export const SUBSCRIBE_TEMPLATE_KINDS = ['CLUB_ANNOUNCEMENT', 'EVENT_REMINDER', 'EVENT_UPDATE', 'REWARD_RESULT', 'RATING_ALERT', 'CAMPAIGN_OFFER'] as const;
export type SubscribeTemplateKind = (typeof SUBSCRIBE_TEMPLATE_KINDS)[number];

function parseSubscribeTemplates(v: string | undefined): Record<SubscribeTemplateKind, string> {
  const out: Record<SubscribeTemplateKind, string> = {
    CLUB_ANNOUNCEMENT: 'demo-tmpl-club-announcement',
    EVENT_REMINDER: 'demo-tmpl-event-reminder',
    EVENT_UPDATE: 'demo-tmpl-event-update',
    REWARD_RESULT: 'demo-tmpl-reward-result',
    RATING_ALERT: 'demo-tmpl-rating-alert',
    CAMPAIGN_OFFER: 'demo-tmpl-campaign-offer',
  };
  for (const item of (v ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const [kind, id] = item.split('=').map((x) => x.trim());
    if (!kind || !id || !(SUBSCRIBE_TEMPLATE_KINDS as readonly string[]).includes(kind) || !/^[\w-]{1,64}$/.test(id)) {
      throw new Error(`Invalid configuration:\n  WECHAT_SUBSCRIBE_TEMPLATES: expected KIND=templateId[,…] with KIND one of ${SUBSCRIBE_TEMPLATE_KINDS.join(', ')}`);
    }
    out[kind as SubscribeTemplateKind] = id;
  }
  return out;
}

function randomSecret(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(32).toString('base64url');
}
