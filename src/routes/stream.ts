// GET /events/stream: one turn, streamed as server-sent events. Unnamed events carry text deltas; `end` or `error`
// closes the stream, sent only after the reply and its llm_requests row are committed.
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyReply } from 'fastify'
import { StreamQuerySchema } from './schemas/chat.ts'
import { errorResponses } from './schemas/common.ts'
import { SSE_HEADERS, sseEvent } from './sse.ts'
import { streamEndBody, turnErrorBody } from './turn-response.ts'
import { checkMessageBeforeSession } from './message-check.ts'
import type { LiveTurn, TurnResult } from '../../plugins/app/chat/turn-service.ts'

const HEARTBEAT_MS = 15_000

/**
 * The response body: a bare Readable the route pushes events into, piped to the response by reply.send (so the
 * onSend hooks and headers apply). A PassThrough also carried a writable side and its listeners, per open stream.
 */
class EventStream extends Readable {
  override _read (): void {} // pushed to, never pulled from
}

function endEvent (result: TurnResult): string {
  if (result.status === 'error') return sseEvent(JSON.stringify(turnErrorBody(result)), 'error')
  return sseEvent(JSON.stringify(streamEndBody(result)), 'end')
}

/** Streams a live turn to the visitor; a visitor who leaves either lets it finish or aborts it, as configured. */
async function pump (turn: LiveTurn, out: EventStream, reply: FastifyReply, onDisconnect: 'finish' | 'abort', log: FastifyBaseLogger) {
  let clientGone = false
  reply.raw.once('close', () => {
    if (reply.raw.writableFinished) return
    clientGone = true
    log.info({ event: 'stream.client_gone', then: onDisconnect }, 'visitor left mid-stream')
    if (onDisconnect === 'abort') turn.abort()
  })
  const heartbeat = setInterval(() => out.push(': keep-alive\n\n'), HEARTBEAT_MS)
  try {
    // A callback per delta rather than a loop: no promise waits between deltas (bench/FINDINGS.md, "Notes from the code").
    await turn.deltas.forEach((delta) => {
      if (!clientGone) out.push(sseEvent(delta))
    })
    const result = await turn.done
    if (!clientGone) out.push(endEvent(result))
  } catch (err) {
    log.error({ err, event: 'stream.failed' }, 'stream failed')
    if (!clientGone) out.push(sseEvent(JSON.stringify({ code: 'internal_error', message: 'The reply could not be saved' }), 'error'))
  } finally {
    clearInterval(heartbeat)
    out.push(null)
  }
}

const streamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/events/stream', {
    config: { session: 'create', touchesSession: true, sameOrigin: true }, // the turn's last statement touches it
    preValidation: checkMessageBeforeSession(app, (request) => (request.query as { message?: unknown } | null)?.message),
    schema: { querystring: StreamQuerySchema, response: errorResponses(400, 403, 409, 413, 429, 503) }
  }, async (request, reply) => {
    const turn = await app.chat.start({
      session: request.session!, text: request.query.message, clientMessageId: request.query.client_message_id, log: request.log
    })
    const out = new EventStream()
    reply.headers(SSE_HEADERS)
    reply.send(out as never) // the response schemas describe the errors; the 200 body is this event stream
    out.push(': connected\n\n')
    if (turn.kind === 'replay') {
      if (turn.result.reply?.content) out.push(sseEvent(turn.result.reply.content))
      out.push(endEvent(turn.result))
      out.push(null)
    } else {
      pump(turn, out, reply, app.config.llm.on_client_disconnect, request.log).catch(() => {})
    }
    return reply
  })
}

export default streamRoutes
