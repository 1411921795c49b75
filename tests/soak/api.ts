/**
 * The API as the soak runs it: a separate process (so it can be SIGKILLed and started again), the real `createApp`
 * configured only through the environment (loadConfig), like `pnpm start` in production. The soak passes the private
 * MariaDB's URL, the simulators' URLs and keys, a fixed JWT_SECRET (tokens survive a restart) and the port.
 *
 * SOAK_SEED_ORG=1: on an empty database, seed the standard test organisation (packages/api/test/support/org.ts)
 * before listening, in this process, so its caches start consistent.
 * Tells its parent `{ type: 'ready', port }` over IPC once it listens.
 */
import { createApp } from '../../packages/api/src/app';
import { loadConfig } from '../../packages/api/src/config';
import { createLogger } from '../../packages/api/src/logger';
import { seedOrg } from '../../packages/api/test/support/org';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await createApp({ config, wechatBase: config.wechat.apiBase ?? 'https://api.weixin.qq.com', logger: log });
  if (process.env.SOAK_SEED_ORG === '1') {
    const seeded = await app.services.db.q.get('SELECT id FROM loyalty_program WHERE id = 1');
    if (!seeded) await seedOrg(app);
  }
  await app.fastify.listen({ host: config.host, port: config.port });
  log.info({ port: config.port }, 'soak API ready');
  process.send?.({ type: 'ready', port: config.port });
  const stop = async (): Promise<void> => {
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // The parent may die without telling us: do not outlive it.
  process.on('disconnect', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`soak API failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
