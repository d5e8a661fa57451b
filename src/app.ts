// buildApp: infrastructure plugins first, then app plugins (one concern each), then routes.
import Fastify, { type FastifyServerOptions, type RouteOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../plugins/infrastructure/config/schema.ts'
import { loadConfig, type LoadConfigOptions } from '../plugins/infrastructure/config/load-config.ts'
import { loggerOptions } from './logger.ts'
import configPlugin from '../plugins/infrastructure/config.ts'
import errorsPlugin, { clientErrorHandler, frameworkErrors } from '../plugins/infrastructure/errors.ts'
import lifecyclePlugin from '../plugins/infrastructure/lifecycle.ts'
import metricsPlugin from '../plugins/infrastructure/metrics.ts'
import openapiPlugin from '../plugins/infrastructure/openapi.ts'
import dbPlugin from '../plugins/infrastructure/db.ts'
import sameOriginPlugin from '../plugins/infrastructure/same-origin.ts'
import inputGuardPlugin from '../plugins/infrastructure/input-guard.ts'
import securityHeadersPlugin from '../plugins/infrastructure/security-headers.ts'
import rateLimitPlugin from '../plugins/infrastructure/rate-limit.ts'
import redisPlugin from '../plugins/infrastructure/redis.ts'
import sessionPlugin from '../plugins/app/session.ts'
import llmPlugin from '../plugins/app/llm.ts'
import messagesPlugin from '../plugins/app/messages.ts'
import adminPlugin from '../plugins/app/admin.ts'
import ledgerPlugin from '../plugins/app/ledger.ts'
import chatPlugin from '../plugins/app/chat.ts'
import profilePlugin from '../plugins/app/profile.ts'
import retentionPlugin from '../plugins/app/retention.ts'
import mailPlugin from '../plugins/app/mail.ts'
import identityPlugin from '../plugins/app/identity.ts'
import consolePlugin from '../plugins/app/console.ts'
import healthRoutes from './routes/health.ts'
import probeRoutes from './routes/probes.ts'
import sessionRoutes from './routes/session.ts'
import chatRoutes from './routes/chat.ts'
import streamRoutes from './routes/stream.ts'
import usageRoutes from './routes/usage.ts'
import clientRoutes from './routes/client.ts'
import embedRoutes from './routes/embed.ts'
import profileRoutes from './routes/profile.ts'
import identityRoutes from './routes/identity.ts'
import adminIdentityRoutes from './routes/admin-identity.ts'
import adminRoutes from './routes/admin/index.ts'

export interface BuildAppOptions {
  /** A ready configuration; otherwise it is loaded with `configOptions`. */
  config?: Config
  configOptions?: LoadConfigOptions
  /** Fastify's logger option (tests pass a stream to capture lines); default from config.logging. */
  logger?: FastifyServerOptions['logger']
  /** Sees every route as it is registered (tests compare them with the OpenAPI document). */
  onRoute?: (route: RouteOptions) => void
}

export async function buildApp (options: BuildAppOptions = {}) {
  const config = options.config ?? loadConfig(options.configOptions)
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logging.level),
    bodyLimit: config.server.body_limit_bytes,
    trustProxy: config.server.trust_proxy,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    forceCloseConnections: false,
    return503OnClosing: true,
    // A first start of the embedded Postgres runs initdb and the migrations inside the db plugin: seconds, or more on
    // a busy machine, well past Fastify's 10 s default.
    pluginTimeout: 120_000,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler
  }).withTypeProvider<TypeBoxTypeProvider>()

  if (options.onRoute) app.addHook('onRoute', options.onRoute)
  await app.register(configPlugin, { config })
  await app.register(lifecyclePlugin)
  await app.register(metricsPlugin)
  await app.register(errorsPlugin)
  await app.register(openapiPlugin)
  await app.register(dbPlugin)
  await app.register(sameOriginPlugin)
  await app.register(inputGuardPlugin)
  await app.register(securityHeadersPlugin)
  await app.register(redisPlugin)
  await app.register(rateLimitPlugin)
  // POST bodies are JSON only: no text/plain parser, so a cross-site form post cannot reach a route.
  app.removeContentTypeParser('text/plain')

  await app.register(sessionPlugin)
  await app.register(llmPlugin)
  await app.register(messagesPlugin)
  await app.register(adminPlugin)
  await app.register(ledgerPlugin)
  await app.register(chatPlugin)
  await app.register(profilePlugin)
  await app.register(retentionPlugin)
  await app.register(mailPlugin)
  await app.register(identityPlugin)
  await app.register(consolePlugin)
  app.metrics.countOpenStreams(() => app.chat.liveTurns)

  await app.register(healthRoutes)
  await app.register(probeRoutes)
  await app.register(sessionRoutes)
  await app.register(chatRoutes)
  await app.register(streamRoutes)
  await app.register(usageRoutes)
  await app.register(profileRoutes)
  await app.register(identityRoutes)
  await app.register(adminIdentityRoutes)
  await app.register(embedRoutes)
  await app.register(adminRoutes)
  await app.register(clientRoutes)
  return app
}
