/**
 * The HTTP application: fastify with Apollo Server 5 at /graphql, /health, the demo's WeChat sign-in helper,
 * and (when built) the mini-program's H5 build at /.
 */
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { MikroORM } from '@mikro-orm/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode } from '@quanzi/shared';
import type { Config } from './config';
import { RequestContext } from './context';
import { initOrm } from './db/orm';
import { createLogger, type Logger } from './logger';
import { getSchema } from './schema';
import { createServices, type Services } from './services';
import { registerStatic } from './http/static';
import { graphqlLandingPage } from './http/graphql-page';
import { demoPayRefusal } from './demo/pay-refusal';
import { registerConsole } from './http/console-static';
import { DEMO_PERSONAS } from './demo/seed';
import { isTokenLimitError, operationLimits } from './graphql/limits';
import { loadManifests, manifestCache, trustedDocumentCheck } from './graphql/trusted-documents';
import { createJobs, type JobScheduler } from './jobs';
import { collectCaches } from './cache';
import { CacheBus } from './cache-bus';

export interface App {
  fastify: FastifyInstance;
  services: Services;
  apollo: ApolloServer<RequestContext>;
  /** The in-process job timers (src/jobs); `jobs.tick(name)` runs one now. */
  jobs: JobScheduler;
  /** Stops timers, HTTP and the database pool. */
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  /** Where api.weixin.qq.com lives (the simulator in tests and the demo). */
  wechatBase: string;
  orm?: MikroORM;
  logger?: Logger;
  /** Demo only: mint a wx.login code for a persona (the simulator's control API). */
  demoLoginCode?: (user: string) => Promise<string> | string;
  /** Demo only: mint a getPhoneNumber code for a persona's phone (the simulator's control API). */
  demoPhoneCode?: (user: string) => Promise<string> | string;
  /** Demo only: pay with wx.requestPayment's parameters through the WeChat Pay simulator (no phone in a browser). */
  demoPay?: (params: Record<string, string>) => Promise<{ transactionId: string }>;
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** Maps every error to one of our codes; unknown errors become INTERNAL without internals leaking. */
export function formatError(log: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const orig = unwrapResolverError(error);
    if (orig instanceof ArgumentValidationError) {
      const fields = orig.extensions.validationErrors as { property: string; constraints?: Record<string, string> }[] | undefined;
      const detail = (fields ?? []).map((f) => `${f.property}: ${Object.values(f.constraints ?? {}).join(', ')}`).join('; ');
      return { message: `Invalid input${detail ? ` (${detail})` : ''}`, path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT, fields: (fields ?? []).map((f) => f.property) } };
    }
    const code = String(formatted.extensions?.code ?? '');
    // Apollo re-codes validation errors GRAPHQL_VALIDATION_FAILED; ours (the limits, introspection) keep their code on the original.
    const inner = code === 'GRAPHQL_VALIDATION_FAILED' && error instanceof GraphQLError ? error.originalError : undefined;
    const innerCode = inner instanceof GraphQLError ? String(inner.extensions?.code ?? '') : '';
    if (KNOWN_CODES.has(innerCode)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: innerCode } };
    }
    if (code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(formatted.message)) {
      return { message: formatted.message.replace(/^Syntax Error: /, ''), extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } };
    }
    if (KNOWN_CODES.has(code)) {
      const { stacktrace: _s, ...ext } = formatted.extensions ?? {};
      return production ? { ...formatted, extensions: ext } : formatted;
    }
    if (['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND'].includes(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code } };
    }
    log.error({ err: orig instanceof Error ? { message: orig.message, stack: orig.stack } : String(orig), path: formatted.path }, 'unhandled error');
    return { message: production ? 'Internal error' : formatted.message, path: formatted.path, extensions: { code: ErrorCode.INTERNAL } };
  };
}

/** Builds (and migrates the database of) the application; call `fastify.listen` to serve. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.logger ?? createLogger(config.logLevel);
  const orm = opts.orm ?? (await initOrm(config.database));
  // The service graph, and the caches it built: with Redis, one process's invalidation reaches the others (cache-bus.ts).
  const { value: services, caches } = collectCaches(() => createServices(config, orm, log, opts.wechatBase));
  const cacheBus = config.limits.redisUrl ? new CacheBus(config.limits.redisUrl, config.limits.keyPrefix, caches, log) : null;
  await cacheBus?.start().catch((e: Error) => log.warn({ err: e.message }, 'cache bus: not subscribed yet (caches fall back to their TTL until Redis answers)'));
  const fastify = Fastify({ logger: false, bodyLimit: 1024 * 1024, genReqId: () => randomUUID(), trustProxy: config.trustProxy });
  const production = config.env === 'production';

  const logPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse(rc) {
          if (log.isLevelEnabled('debug')) {
            log.debug({ op: rc.operationName, ms: Number(process.hrtime.bigint() - start) / 1e6, errors: rc.errors?.length ?? 0, requestId: rc.contextValue.requestId }, 'graphql');
          }
        },
      };
    },
  };

  // Hostile GraphQL (README, "GraphQL"): limits before execution, then the trusted-document check, in this order.
  const limits = operationLimits(config.graphql);
  const manifest = loadManifests();
  const checkTrusted = trustedDocumentCheck(config.graphql.trustedDocuments, manifest);
  const guardPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          limits.checkCost(rc);
          await checkTrusted(rc);
        },
      };
    },
  };

  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(services),
    formatError: formatError(log, production),
    includeStacktraceInErrorResponses: !production,
    nodeEnv: config.env,
    // Our own rule refuses introspection with OPERATION_NOT_ALLOWED when it is off (limits.ts); Apollo's would say GRAPHQL_VALIDATION_FAILED.
    introspection: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // Hashes resolve from the build's manifest only; clients cannot register documents.
    persistedQueries: { cache: manifestCache(manifest) },
    csrfPrevention: true,
    // main.ts drains on SIGTERM/SIGINT (HTTP, jobs, pool) and stops Apollo through close(); Apollo's own handler would
    // re-raise the signal as soon as Apollo alone had stopped, killing the process mid-drain.
    stopOnTerminationSignals: false,
    plugins: [
      fastifyApolloDrainPlugin(fastify),
      logPlugin,
      ...(limits.plugins as ApolloServerPlugin<RequestContext>[]),
      guardPlugin,
      graphqlLandingPage(production),
      // No field has a cache hint and no response is cacheable (every answer is per user): Apollo's cache-control
      // plugin would only run a hook per resolved field (1 % of a `me` request's CPU).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  await fastify.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => {
      const auth = request.headers.authorization;
      let userId: number | null = null;
      if (auth) {
        const m = /^Bearer\s+(\S+)$/i.exec(auth);
        if (!m) throw new GraphQLError('Malformed Authorization header', { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
        try {
          userId = await services.tokens.verify(m[1] as string);
        } catch (e) {
          throw new GraphQLError((e as Error).message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
        }
      }
      return new RequestContext(userId, (id) => services.users.rolesOf(id), request.id, request.ip);
    },
  });

  fastify.get('/health', async (_req, reply) => {
    try {
      await services.db.q.get('SELECT 1 AS ok');
      return { status: 'ok', database: services.db.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: services.db.dialect });
    }
  });

  // Demo only: the simulator plays the phone (wx.login, the getPhoneNumber button) for a persona.
  const personaRoute = (path: string, mint: (user: string) => Promise<string> | string) =>
    fastify.post<{ Body: { user?: unknown } }>(path, async (req, reply) => {
      const user = typeof req.body?.user === 'string' ? req.body.user.trim() : '';
      if (!/^[\w-]{1,32}$/.test(user)) return reply.code(400).send({ code: ErrorCode.BAD_USER_INPUT, message: 'user: 1–32 letters, digits, _ or -' });
      return { code: await mint(user) };
    });
  if (opts.demoLoginCode) personaRoute('/demo/wx-code', opts.demoLoginCode);
  // Demo only: the personas the manager console offers to confirm its QR sign-in (the mini-program lists its own).
  if (opts.demoLoginCode) fastify.get('/demo/personas', async () => ({ personas: Object.entries(DEMO_PERSONAS).map(([user, description]) => ({ user, description })) }));
  if (opts.demoPhoneCode) personaRoute('/demo/phone-code', opts.demoPhoneCode);

  if (opts.demoPay) {
    const pay = opts.demoPay;
    fastify.post<{ Body: Record<string, unknown> }>('/demo/pay', async (req, reply) => {
      const b = req.body ?? {};
      const params = Object.fromEntries(['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'].map((k) => [k, typeof b[k] === 'string' ? (b[k] as string) : '']));
      try {
        return await pay(params);
      } catch (e) {
        const r = demoPayRefusal(e);
        if (r.code === ErrorCode.INTERNAL) log.error({ err: (e as Error)?.message }, 'demo pay failed');
        return reply.code(r.status).send({ code: r.code, message: r.message });
      }
    });
  }

  // WeChat Pay notifications: the raw body is what was signed, so this route parses JSON itself.
  await fastify.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/wechatpay', async (req, reply) => {
      const out = await services.payments.handleNotification(req.headers, typeof req.body === 'string' ? req.body : '');
      return out.status === 204 ? reply.code(204).send() : reply.code(out.status).send(out.body);
    });
  });

  // Reward provider callbacks (F6): the raw body is what was signed; the answer is the provider's ack text.
  await fastify.register(async (scope) => {
    scope.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { provider: string } }>('/webhooks/rewards/:provider', async (req, reply) => {
      const out = await services.fulfilment.handleCallback(req.params.provider, String(req.headers['content-type'] ?? ''), typeof req.body === 'string' ? req.body : '');
      return reply.code(out.status).type('text/plain; charset=utf-8').send(out.body);
    });
  });

  registerConsole(fastify, config.console.dist);
  registerStatic(fastify, config.h5Dist);

  // The in-process jobs (src/jobs): safe with any number of API processes; leased where a second run only duplicates work.
  const jobs = createJobs(services, config, log);
  jobs.start();

  return {
    fastify,
    services,
    apollo,
    jobs,
    async close() {
      await jobs.stop();
      await fastify.close();
      await apollo.stop().catch(() => undefined);
      await services.limits.close();
      await cacheBus?.close();
      if (!opts.orm) await orm.close(true);
    },
  };
}
