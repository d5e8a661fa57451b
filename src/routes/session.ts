import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { SessionSummarySchema } from './schemas/session.ts'
import { HistoryQuerySchema, HistorySchema } from './schemas/chat.ts'
import { errorResponses } from './schemas/common.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/session', {
    config: { session: 'create' },
    schema: { response: { 200: SessionSummarySchema, 204: Type.Null(), ...errorResponses(503) } }
  }, async (request, reply) => {
    // HEAD never creates a session: without one there is nothing to describe.
    if (!request.session) return reply.code(204).send(null)
    const summary = await app.sessions.summary(request.session.id)
    if (!summary) throw new Errors.NotFound('Session')
    const { id, ...rest } = summary
    const identity = await app.identity.describe({ id, customer_id: rest.customer_id, email: rest.email })
    return { session_id: id, ...rest, message_count: Number(rest.message_count ?? 0), ...identity }
  })

  app.get('/api/session/messages', {
    config: { session: 'optional', touchesSession: true }, // the page's statement touches it
    schema: { querystring: HistoryQuerySchema, response: { 200: HistorySchema, ...errorResponses(400, 503) } }
  }, async (request, reply) => {
    // No session yet: an empty history, and no session is made for it.
    if (!request.session) return { messages: [], has_more: false }
    const limit = request.query.limit ?? app.config.chat.history_limit
    const json = await app.messages.historyJson(request.session, limit, request.query.before)
    // Already JSON in HistorySchema's shape (built by Postgres): sent as is, not serialised again.
    return reply.type('application/json; charset=utf-8').send(json as never)
  })

  app.delete('/api/session', {
    config: { session: 'optional', sameOrigin: true },
    schema: { response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errorResponses(503) } }
  }, async (request, reply) => {
    const deleted = request.session ? await app.sessions.erase(request.session.id) : false
    if (deleted) request.log.info({ event: 'session.erased' }, 'session erased at the visitor\'s request')
    app.clearSessionCookie(reply)
    return { deleted }
  })
}

export default sessionRoutes
