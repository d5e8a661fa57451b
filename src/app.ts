// buildApp: infrastructure plugins first, then app plugins (one concern each), then routes.
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../plugins/infrastructure/config/schema.ts'
import { loadConfig, type LoadConfigOptions } from '../plugins/infrastructure/config/load-config.ts'
import { loggerOptions } from './logger.ts'
import configPlugin from '../plugins/infrastructure/config.ts'
import errorsPlugin, { clientErrorHandler, frameworkErrors } from '../plugins/infrastructure/errors.ts'
import dbPlugin from '../plugins/infrastructure/db.ts'
import sameOriginPlugin from '../plugins/infrastructure/same-origin.ts'
import inputGuardPlugin from '../plugins/infrastructure/input-guard.ts'
import securityHeadersPlugin from '../plugins/infrastructure/security-headers.ts'
import rateLimitPlugin from '../plugins/infrastructure/rate-limit.ts'
import sessionPlugin from '../plugins/app/session.ts'
import llmPlugin from '../plugins/app/llm.ts'
import messagesPlugin from '../plugins/app/messages.ts'
import adminPlugin from '../plugins/app/admin.ts'
import ledgerPlugin from '../plugins/app/ledger.ts'
import chatPlugin from '../plugins/app/chat.ts'
import profilePlugin from '../plugins/app/profile.ts'
import healthRoutes from './routes/health.ts'
import sessionRoutes from './routes/session.ts'
import chatRoutes from './routes/chat.ts'
import streamRoutes from './routes/stream.ts'
import usageRoutes from './routes/usage.ts'
import clientRoutes from './routes/client.ts'
import profileRoutes from './routes/profile.ts'

export interface BuildAppOptions {
  /** A ready configuration; otherwise it is loaded with `configOptions`. */
  config?: Config
  configOptions?: LoadConfigOptions
  /** Fastify's logger option (tests pass a stream to capture lines); default from config.logging. */
  logger?: FastifyServerOptions['logger']
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

  await app.register(configPlugin, { config })
  await app.register(errorsPlugin)
  await app.register(dbPlugin)
  await app.register(sameOriginPlugin)
  await app.register(inputGuardPlugin)
  await app.register(securityHeadersPlugin)
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

  await app.register(healthRoutes)
  await app.register(sessionRoutes)
  await app.register(chatRoutes)
  await app.register(streamRoutes)
  await app.register(usageRoutes)
  await app.register(profileRoutes)
  await app.register(clientRoutes)
  return app
}
