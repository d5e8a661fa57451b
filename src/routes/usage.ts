// GET /api/session/{session_id}/usage: totals for the session's own cookie or the admin token; 404 for anyone else,
// so a stranger cannot even learn that the session exists.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { UsageParamsSchema, UsageQuerySchema, UsageReportSchema } from './schemas/chat.ts'
import { UUID_PATTERN, errorResponses } from './schemas/common.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

const uuid = new RegExp(UUID_PATTERN)

const usageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/session/:session_id/usage', {
    config: { session: 'optional' },
    schema: {
      params: UsageParamsSchema,
      querystring: UsageQuerySchema,
      response: { 200: Type.Union([UsageReportSchema, Type.Object({}, { additionalProperties: true })]), ...errorResponses(404, 503) }
    }
  }, async (request, reply) => {
    const sessionId = request.params.session_id.toLowerCase()
    const allowed = uuid.test(sessionId) && (request.session?.id === sessionId || app.isAdmin(request))
    if (!allowed) throw new Errors.NotFound('Session')
    const exporting = request.query.export === '1' || request.query.export === 'true'
    if (!exporting) return await app.ledger.report(sessionId)
    const [report, rows] = await Promise.all([app.ledger.report(sessionId), app.ledger.exportRows(sessionId)])
    reply.header('content-disposition', `attachment; filename="usage-${sessionId}.json"`)
    // Serialized here: the export carries every column of every row, which the summary schema would strip.
    return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send({ ...report, exported_at: new Date().toISOString(), llm_requests: rows })
  })
}

export default usageRoutes
