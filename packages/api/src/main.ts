/**
 * `pnpm start`: the API. With no DATABASE_URL it is the offline demo: libsql under ./data, migrations, demo data,
 * the WeChat simulator in-process, GraphQL at http://localhost:4000/graphql and the H5 build at /.
 * With WEB_CONCURRENCY=N (N > 1, MariaDB) this process is the cluster's primary and N workers run the API (cluster.ts).
 */
import cluster from 'node:cluster';
import { loadConfig, type Config } from './config';
import { EXIT_CANNOT_START, runPrimary } from './cluster';
import { createApp } from './app';
import { createLogger } from './logger';
import { initOrm } from './db/orm';
import { demoPhoneOf, seedDemo } from './demo/seed';
import { simulatedWechatPayConfig } from './demo/wechatpay';
import { startSimulatedRewardProvider } from './demo/recharge';
import { startSimulatedSms } from './demo/sms';
import { generateWechatPayKeys, startWechatMiniSimulator, startWechatPaySimulator } from '@quanzi/simulators';

async function main(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const orm = await initOrm(config.database);
  let wechatBase = config.wechat.apiBase ?? 'https://api.weixin.qq.com';
  let demoLoginCode: ((user: string) => string) | undefined;
  let demoPhoneCode: ((user: string) => string) | undefined;
  let closeSim: (() => Promise<void>) | undefined;
  let demoPay: ((params: Record<string, string>) => Promise<{ transactionId: string }>) | undefined;
  let closePaySim: (() => Promise<void>) | undefined;
  let closeRechargeSim: (() => Promise<void>) | undefined;
  let closeSmsSim: (() => Promise<void>) | undefined;
  if (config.demo) {
    if (!config.wechat.apiBase) {
      const sim = await startWechatMiniSimulator({ appid: config.wechat.appid, secret: config.wechat.secret });
      wechatBase = sim.url;
      demoLoginCode = (user) => sim.login(user);
      demoPhoneCode = (user) => sim.phoneCode(demoPhoneOf(user));
      closeSim = () => sim.close();
      log.info({ url: sim.url }, 'WeChat simulator started (demo)');
    }
    if (!config.wechatPay) {
      // Offline WeChat Pay: fresh merchant and platform keys for this process, the simulator on loopback.
      const keys = generateWechatPayKeys();
      const paySim = await startWechatPaySimulator({ keys, appid: config.wechat.appid, signWith: 'alternate' });
      config.wechatPay = simulatedWechatPayConfig(keys, paySim.url);
      demoPay = (params) => paySim.pay(params as never);
      closePaySim = () => paySim.close();
      log.info({ url: paySim.url }, 'WeChat Pay simulator started (demo)');
    }
    if (!config.rewards.provider) {
      // Offline top-ups and fuel cards: the recharge aggregator simulator (orders take a few seconds, then succeed).
      const { sim: rechargeSim, provider } = await startSimulatedRewardProvider({ settleMs: 3000 });
      config.rewards.provider = provider;
      closeRechargeSim = () => rechargeSim.close();
      log.info({ url: rechargeSim.url }, 'recharge provider simulator started (demo)');
    }
    if (!config.sms) {
      // Offline SMS: the Tencent Cloud SMS simulator (GET <url>/__sim/messages lists what the phones received); the
      // simulated phones have no screen, so one-time codes also land in the in-app inbox.
      const { sim: smsSim, sms } = await startSimulatedSms();
      config.sms = sms;
      closeSmsSim = () => smsSim.close();
      log.info({ url: smsSim.url, messages: `${smsSim.url}/__sim/messages` }, 'Tencent Cloud SMS simulator started (demo)');
    }
  }
  const app = await createApp({ config, orm, logger: log, wechatBase, demoLoginCode, demoPhoneCode, demoPay });
  if (config.demo) {
    const r = await seedDemo(app.services);
    if (r.seeded) log.info('demo data seeded');
  }
  const closeAll = async () => {
    await app.close();
    await orm.close(true);
    await closeSim?.();
    await closePaySim?.();
    await closeRechargeSim?.();
    await closeSmsSim?.();
  };
  try {
    await app.fastify.listen({ host: config.host, port: config.port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    // A terminal message, not a stack trace; the simulators and jobs stop with us.
    console.error(`port ${config.port} is in use; set PORT`);
    await closeAll().catch(() => undefined);
    process.exit(cluster.isWorker ? EXIT_CANNOT_START : 1);
  }
  const addr = app.fastify.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const where = `http://localhost:${port}`;
  const worker = cluster.isWorker ? { worker: cluster.worker?.id, pid: process.pid } : {};
  log.info({ graphql: `${where}/graphql`, app: `${where}/`, database: config.database.kind, demo: config.demo, ...worker }, 'Quanzi API ready');
  if (config.jwt.generated) log.warn('JWT_SECRET not set: using a random secret, sessions end when the process stops');

  let stopping = false;
  const stop = async (signal: string) => {
    // Ctrl-C reaches every process of the group, and the cluster's primary passes SIGTERM on as well: drain once.
    if (stopping) return;
    stopping = true;
    log.info({ signal, ...worker }, 'shutting down');
    await closeAll();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    // A configuration error is a message for the operator, not a stack trace.
    console.error((e as Error).message);
    process.exit(1);
  }
  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config, createLogger(config.logLevel));
  return main(config);
}

start().catch((e) => {
  console.error(e);
  process.exit(1);
});
