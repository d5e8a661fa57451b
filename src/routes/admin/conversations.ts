// GET /api/admin/conversations/{session_id}: a session's transcript with each message's LLM figures and facts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { TranscriptParamsSchema, TranscriptQuerySchema, TranscriptSchema } from '../schemas/admin.ts'
import { errorResponses } from '../schemas/common.ts'

const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/admin/conversations/:session_id', {
    config: { admin: true },
    schema: {
      params: TranscriptParamsSchema,
      querystring: TranscriptQuerySchema,
      response: { 200: TranscriptSchema, ...errorResponses(400, 404, 429, 503) }
    }
  }, async (request) => await app.console.transcript(request.params.session_id.toLowerCase(), request.query))
}

export default conversationRoutes
