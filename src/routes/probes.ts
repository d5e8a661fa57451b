// Operating endpoints: /livez (the process answers; no database), /readyz (Postgres answers and the server is not
// draining), /metrics (Prometheus text, to the admin token only: anyone else gets the plain 404 of an unknown route)
// and /openapi.json (this API, described from the route schemas).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { HealthSchema } from './schemas/session.ts'

const LiveSchema = Type.Object({ status: Type.Literal('ok') })
const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('draining'), Type.Literal('database_unavailable')]),
  database: HealthSchema.properties.database
})

const probeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/livez', { schema: { response: { 200: LiveSchema } } }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', { schema: { response: { 200: ReadySchema, 503: ReadySchema } } }, async (_request, reply) => {
    const database = await app.databaseHealth()
    const status = app.lifecycle.draining ? 'draining' : database.ok ? 'ready' : 'database_unavailable'
    return reply.code(status === 'ready' ? 200 : 503).send({ status, database })
  })

  app.get('/metrics', {
    schema: { security: [{ admin: [] }], produces: ['text/plain'], response: { 200: Type.String({ description: 'Prometheus text format 0.0.4' }) } }
  }, async (request, reply) => {
    if (!app.isAdmin(request)) return reply.callNotFound()
    return reply.type(app.metrics.contentType).header('cache-control', 'no-store').send(await app.metrics.render())
  })

  app.get('/openapi.json', { schema: { response: { 200: Type.Object({}, { additionalProperties: true }) } } }, async (_request, reply) => {
    return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(app.swagger())
  })
}

export default probeRoutes
