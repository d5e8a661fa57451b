// Owns app.config: the validated configuration (plugins/infrastructure/config/schema.ts), loaded once by buildApp.
import fp from 'fastify-plugin'
import type { Config } from './config/schema.ts'

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

export default fp<{ config: Config }>(async (app, { config }) => {
  app.decorate('config', config)
}, { name: 'config' })
