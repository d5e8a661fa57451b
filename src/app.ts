// buildApp: infrastructure plugins first, then app plugins (one concern each), then routes.
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './schemas/config.ts'
import { loadConfig, type LoadConfigOptions } from './config/load-config.ts'
import { loggerOptions } from './logger.ts'
import configPlugin from '../plugins/infrastructure/config.ts'
import errorsPlugin from '../plugins/infrastructure/errors.ts'
import dbPlugin from '../plugins/infrastructure/db.ts'
import sessionPlugin from '../plugins/app/session.ts'
import healthRoutes from './routes/health.ts'
import sessionRoutes from './routes/session.ts'

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
    routerOptions: { maxParamLength: 200 }
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(configPlugin, { config })
  await app.register(errorsPlugin)
  await app.register(dbPlugin)
  await app.register(sessionPlugin)

  await app.register(healthRoutes)
  await app.register(sessionRoutes)
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
