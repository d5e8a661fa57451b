// POST /chat: one turn, answered whole — text/plain by default (the baseline's contract), JSON on request.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ChatBodySchema, ChatResponseSchema } from './schemas/chat.ts'
import { errorResponses } from './schemas/common.ts'
import { turnError, usageBody } from './turn-response.ts'
import { checkMessageBeforeSession } from './message-check.ts'
import type { TurnResult } from '../../plugins/app/chat/turn-service.ts'

const chatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/chat', {
    config: { session: 'create', touchesSession: true, sameOrigin: true }, // the turn's last statement touches it
    preValidation: checkMessageBeforeSession(app, (request) => (request.body as { message?: unknown } | null)?.message),
    schema: {
      body: ChatBodySchema,
      response: { 200: Type.Union([ChatResponseSchema, Type.String()]), ...errorResponses(400, 403, 409, 413, 415, 429, 502, 503) }
    }
  }, async (request, reply) => {
    const session = request.session!
    const turn = await app.chat.start({ session, text: request.body.message, clientMessageId: request.body.client_message_id, log: request.log })
    let result: TurnResult
    if (turn.kind === 'replay') {
      result = turn.result
    } else {
      const onClose = () => { if (!reply.raw.writableFinished && app.config.llm.on_client_disconnect === 'abort') turn.abort() }
      reply.raw.once('close', onClose)
      // The reply is answered whole: the deltas need no consumer (the stream keeps them and joins them once).
      result = await turn.done
      reply.raw.off('close', onClose)
    }
    if (result.status === 'error') throw turnError(result)
    const text = result.reply?.content ?? ''
    if (!request.headers.accept?.includes('application/json')) return reply.type('text/plain; charset=utf-8').send(text)
    return reply.send({
      reply: text,
      message_id: result.reply?.id ?? null,
      human_message_id: result.human.id,
      session_id: session.id,
      model: result.model,
      status: result.status,
      usage: usageBody(result)
    })
  })
}

export default chatRoutes
