// Owns app.config: the validated configuration (src/schemas/config.ts), loaded once by buildApp.
import fp from 'fastify-plugin'
import type { Config } from '../../src/schemas/config.ts'

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

export default fp<{ config: Config }>(async (app, { config }) => {
  app.decorate('config', config)
}, { name: 'config' })
