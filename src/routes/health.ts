import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema } from './schemas/session.ts'

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { response: { 200: HealthSchema, 503: HealthSchema } }
  }, async (_request, reply) => {
    const database = await app.databaseHealth()
    return reply.code(database.ok ? 200 : 503).send({ status: database.ok ? 'ok' : 'degraded', database })
  })
}

export default healthRoutes
