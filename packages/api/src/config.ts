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
  /** libsql file used when DATABASE_URL is empty. */
  SQLITE_FILE: z.string().default('./data/quanzi.db'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** HS256 secret for session tokens (≥ 32 chars). Generated per process in the demo when empty. */
  JWT_SECRET: z.string().optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
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
  /** Log every SQL statement (debug). */
  DB_DEBUG: bool,
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: { kind: 'mariadb' | 'mysql'; url: string; poolMax: number; debug: boolean } | { kind: 'sqlite'; file: string; poolMax: number; debug: boolean };
  jwt: { secret: string; ttlSeconds: number; generated: boolean };
  wechat: { appid: string; secret: string; apiBase: string | null };
  demo: boolean;
  logLevel: string;
  expiryIntervalMinutes: number;
  h5Dist: string | null;
};

/** Parses `env` (default `process.env`) into a typed config; throws a readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: e.DATABASE_URL.startsWith('mysql:') ? 'mysql' : 'mariadb', url: e.DATABASE_URL, poolMax: e.DB_POOL_MAX, debug: e.DB_DEBUG }
    : { kind: 'sqlite', file: e.SQLITE_FILE, poolMax: e.DB_POOL_MAX, debug: e.DB_DEBUG };
  const demo = e.DEMO === 'auto' ? database.kind === 'sqlite' : e.DEMO === 'true' || e.DEMO === '1';
  if (e.NODE_ENV === 'production' && (!e.JWT_SECRET || e.JWT_SECRET.length < 32)) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required in production, at least 32 characters');
  }
  if (e.JWT_SECRET !== undefined && e.JWT_SECRET.length < 32) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: at least 32 characters');
  }
  const secret = e.JWT_SECRET ?? randomSecret();
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    jwt: { secret, ttlSeconds: e.JWT_TTL_SECONDS, generated: !e.JWT_SECRET },
    wechat: { appid: e.WECHAT_APPID, secret: e.WECHAT_SECRET, apiBase: e.WECHAT_API_BASE ?? null },
    demo,
    logLevel: e.LOG_LEVEL,
    expiryIntervalMinutes: e.EXPIRY_JOB_INTERVAL_MINUTES,
    h5Dist: e.H5_DIST ?? null,
  };
}

function randomSecret(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(32).toString('base64url');
}
