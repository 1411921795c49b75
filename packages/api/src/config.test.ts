/** loadConfig: defaults for the offline demo, database URLs, and readable rejections of bad settings. */
import { loadConfig } from './config';

const SECRET = 'a-jwt-secret-that-is-long-enough-123';

describe('loadConfig', () => {
  test('no DATABASE_URL: the embedded libsql file under ./data with the demo on', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'sqlite', file: './data/quanzi.db', poolMax: 10, debug: false });
    expect(c.demo).toBe(true);
    expect(c.env).toBe('development');
    expect(c.port).toBe(4000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.wechat.apiBase).toBeNull();
    expect(c.expiryIntervalMinutes).toBe(60);
    // No JWT_SECRET outside production: one is generated for this process.
    expect(c.jwt.generated).toBe(true);
    expect(c.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).jwt.secret).not.toBe(c.jwt.secret);
  });

  test('an empty DATABASE_URL counts as unset; SQLITE_FILE moves the file', () => {
    expect(loadConfig({ DATABASE_URL: '', SQLITE_FILE: '/tmp/x.db' }).database).toMatchObject({ kind: 'sqlite', file: '/tmp/x.db' });
  });

  test.each([
    ['mariadb://quanzi:pw@db.internal:3306/quanzi', 'mariadb'],
    ['mysql://quanzi:pw@db.internal:3306/quanzi', 'mysql'],
  ])('%s selects the %s driver and turns the demo off', (url, kind) => {
    const c = loadConfig({ DATABASE_URL: url, DB_POOL_MAX: '25' });
    expect(c.database).toEqual({ kind, url, poolMax: 25, debug: false });
    expect(c.demo).toBe(false);
  });

  test('DATABASE_REPLICA_URL: read replicas of a MariaDB/MySQL primary; refused for libsql or another scheme', () => {
    const primary = 'mariadb://quanzi:pw@db-1:3306/quanzi';
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'mariadb://ro:pw@db-2:3306/quanzi' }).database).toEqual({
      kind: 'mariadb', url: primary, replicaUrls: ['mariadb://ro:pw@db-2:3306/quanzi'], poolMax: 10, debug: false,
    });
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'mariadb://db-2/quanzi, mariadb://db-3/quanzi' }).database).toMatchObject({ replicaUrls: ['mariadb://db-2/quanzi', 'mariadb://db-3/quanzi'] });
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: '' }).database).not.toHaveProperty('replicaUrls');
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'mariadb://db-2/quanzi' })).toThrow(/DATABASE_REPLICA_URL: read replicas need DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'mysql://db-2/quanzi' })).toThrow(/DATABASE_REPLICA_URL: use the same scheme as DATABASE_URL \(mariadb:\/\/\)/);
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'postgres://db-2/quanzi' })).toThrow(/DATABASE_REPLICA_URL must be mariadb:\/\/ or mysql:\/\//);
  });

  test('DEMO=true forces the demo on a real database', () => {
    expect(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/q', DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
  });

  test('a postgres:// URL is rejected with a message naming the variable and what is accepted', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/quanzi' })).toThrow(
      /Invalid configuration:\n\s+DATABASE_URL: DATABASE_URL must start with mariadb:\/\/ or mysql:\/\//,
    );
  });

  test('PORT=abc is rejected, naming PORT', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/Invalid configuration:\n\s+PORT: /);
  });

  test('every bad variable is listed at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^\s+PORT: /m);
    expect(message).toMatch(/^\s+DATABASE_URL: /m);
    expect(message).toMatch(/^\s+LOG_LEVEL: /m);
  });

  test('production without JWT_SECRET is rejected', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'mariadb://root@127.0.0.1:3306/q' })).toThrow(/JWT_SECRET: required in production/);
  });

  test('a JWT_SECRET shorter than 32 characters is rejected, in production and elsewhere', () => {
    const short = 'x'.repeat(31);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: short })).toThrow(/JWT_SECRET: .*at least 32 characters/);
    expect(() => loadConfig({ JWT_SECRET: short })).toThrow(/JWT_SECRET: at least 32 characters/);
  });

  test('production with a good secret and a database loads, using that secret', () => {
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL: 'mariadb://root@127.0.0.1:3306/q', PORT: '8080', WECHAT_API_BASE: 'https://api.weixin.qq.com' });
    expect(c).toMatchObject({ env: 'production', port: 8080, demo: false, jwt: { secret: SECRET, generated: false }, wechat: { apiBase: 'https://api.weixin.qq.com' } });
  });

  test('club jobs run every minute by default; subscribe templates default to the demo ids and can be set per kind', () => {
    const c = loadConfig({});
    expect(c.clubJobsIntervalSeconds).toBe(60);
    expect(c.subscribeTemplates).toEqual({ CLUB_ANNOUNCEMENT: 'demo-tmpl-club-announcement', EVENT_REMINDER: 'demo-tmpl-event-reminder', EVENT_UPDATE: 'demo-tmpl-event-update', REWARD_RESULT: 'demo-tmpl-reward-result', RATING_ALERT: 'demo-tmpl-rating-alert', CAMPAIGN_OFFER: 'demo-tmpl-campaign-offer' });
    const set = loadConfig({ CLUB_JOBS_INTERVAL_SECONDS: '0', WECHAT_SUBSCRIBE_TEMPLATES: ' EVENT_REMINDER = AbC-123_x , CLUB_ANNOUNCEMENT=zz9 ' });
    expect(set.clubJobsIntervalSeconds).toBe(0);
    expect(set.subscribeTemplates).toEqual({ CLUB_ANNOUNCEMENT: 'zz9', EVENT_REMINDER: 'AbC-123_x', EVENT_UPDATE: 'demo-tmpl-event-update', REWARD_RESULT: 'demo-tmpl-reward-result', RATING_ALERT: 'demo-tmpl-rating-alert', CAMPAIGN_OFFER: 'demo-tmpl-campaign-offer' });
  });

  test.each(['REMINDER=abc', 'EVENT_REMINDER', 'EVENT_REMINDER=', 'EVENT_REMINDER=a b'])('WECHAT_SUBSCRIBE_TEMPLATES=%s is rejected, naming the variable', (v) => {
    expect(() => loadConfig({ WECHAT_SUBSCRIBE_TEMPLATES: v })).toThrow(/Invalid configuration:\n\s+WECHAT_SUBSCRIBE_TEMPLATES: expected KIND=templateId/);
  });

  test('mini-program codes open the release by default; WECHAT_WXACODE_ENV picks trial/develop; WeChat checks the page only for release codes in production', () => {
    expect(loadConfig({}).wechat.wxacode).toEqual({ envVersion: 'release', checkPath: false });
    const prod = { NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL: 'mariadb://root@127.0.0.1:3306/q' };
    expect(loadConfig(prod).wechat.wxacode).toEqual({ envVersion: 'release', checkPath: true });
    expect(loadConfig({ ...prod, WECHAT_WXACODE_ENV: 'trial' }).wechat.wxacode).toEqual({ envVersion: 'trial', checkPath: false });
    expect(loadConfig({ WECHAT_WXACODE_ENV: 'develop' }).wechat.wxacode).toEqual({ envVersion: 'develop', checkPath: false });
    expect(() => loadConfig({ WECHAT_WXACODE_ENV: 'prod' })).toThrow(/Invalid configuration:\n\s+WECHAT_WXACODE_ENV: /);
  });

  test('outbox retention: 14 days, hourly, both settable; at least a day, at most a day between runs', () => {
    expect(loadConfig({}).outbox).toEqual({ retentionDays: 14, retentionIntervalMinutes: 60 });
    expect(loadConfig({ OUTBOX_RETENTION_DAYS: '90', OUTBOX_RETENTION_INTERVAL_MINUTES: '0' }).outbox).toEqual({ retentionDays: 90, retentionIntervalMinutes: 0 });
    expect(() => loadConfig({ OUTBOX_RETENTION_DAYS: '0' })).toThrow(/OUTBOX_RETENTION_DAYS/);
    expect(() => loadConfig({ OUTBOX_RETENTION_DAYS: 'forever' })).toThrow(/OUTBOX_RETENTION_DAYS/);
    expect(() => loadConfig({ OUTBOX_RETENTION_INTERVAL_MINUTES: '1441' })).toThrow(/OUTBOX_RETENTION_INTERVAL_MINUTES/);
  });

  test('CLUB_JOBS_INTERVAL_SECONDS must be 0–3600', () => {
    expect(() => loadConfig({ CLUB_JOBS_INTERVAL_SECONDS: '-1' })).toThrow(/CLUB_JOBS_INTERVAL_SECONDS/);
    expect(() => loadConfig({ CLUB_JOBS_INTERVAL_SECONDS: 'soon' })).toThrow(/CLUB_JOBS_INTERVAL_SECONDS/);
  });

  test('rewards: a one-time code from 10,000 points, jobs every 10 s, no provider unless all three provider variables are set', () => {
    const c = loadConfig({});
    expect(c.rewards).toEqual({ otpThresholdPoints: 10_000, jobsIntervalSeconds: 10, provider: null });
    const set = loadConfig({ REWARD_OTP_THRESHOLD_POINTS: '0', REWARD_PROVIDER_BASE_URL: 'https://recharge.example.com/', REWARD_PROVIDER_APP_ID: 'app', REWARD_PROVIDER_SECRET: 'secret', REWARD_PROVIDER_TIMEOUT_MS: '5000' });
    expect(set.rewards).toEqual({ otpThresholdPoints: 0, jobsIntervalSeconds: 10, provider: { baseUrl: 'https://recharge.example.com', appId: 'app', secret: 'secret', timeoutMs: 5000 } });
    expect(() => loadConfig({ REWARD_PROVIDER_BASE_URL: 'https://recharge.example.com' })).toThrow(/REWARD_PROVIDER_\*: set all of/);
    expect(() => loadConfig({ REWARD_PROVIDER_TIMEOUT_MS: '60000' })).toThrow(/REWARD_PROVIDER_TIMEOUT_MS/);
  });

  test('graphql: limits with defaults every shipped document fits; introspection on and trusted documents off except in production', () => {
    const dev = loadConfig({}).graphql;
    expect(dev).toEqual({ maxDepth: 6, maxAliases: 15, maxDirectives: 10, maxTokens: 1000, maxCost: 20_000, introspection: true, trustedDocuments: false });
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).graphql;
    expect(prod).toMatchObject({ introspection: false, trustedDocuments: true });
    const set = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_ALIASES: '0', GRAPHQL_MAX_COST: '50000', GRAPHQL_MAX_TOKENS: '2000', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_TRUSTED_DOCUMENTS: 'false' }).graphql;
    expect(set).toEqual({ maxDepth: 8, maxAliases: 0, maxDirectives: 10, maxTokens: 2000, maxCost: 50_000, introspection: true, trustedDocuments: false });
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: '1' })).toThrow(/GRAPHQL_MAX_DEPTH/);
    expect(() => loadConfig({ GRAPHQL_MAX_COST: 'lots' })).toThrow(/GRAPHQL_MAX_COST/);
    expect(() => loadConfig({ GRAPHQL_TRUSTED_DOCUMENTS: 'yes' })).toThrow(/GRAPHQL_TRUSTED_DOCUMENTS/);
  });

  test('WEB_CONCURRENCY: 1 by default, 1–64; more than one needs MariaDB without the demo, and JWT_SECRET', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    const db = 'mariadb://root@127.0.0.1:3306/q';
    expect(loadConfig({ WEB_CONCURRENCY: '4', DATABASE_URL: db, JWT_SECRET: SECRET }).webConcurrency).toBe(4);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY=2: the embedded demo .* runs as one process/);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: db, DEMO: 'true', JWT_SECRET: SECRET })).toThrow(/embedded demo/);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: db })).toThrow(/JWT_SECRET: required with WEB_CONCURRENCY=2/);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY/);
    expect(() => loadConfig({ WEB_CONCURRENCY: '65' })).toThrow(/WEB_CONCURRENCY/);
  });
});
