// Owns message history: app.messages (save, page through with a cursor, recent context, count). A session linked to a
// customer sees the customer's timeline: the messages of every session linked to it, in one order.
import fp from 'fastify-plugin'
import { createMessageRepository } from '../../db/repositories/messages.ts'
import type { Session } from '../../db/types.ts'
import { Errors } from '../infrastructure/errors/error-classes.ts'

declare module 'fastify' {
  interface FastifyInstance { messages: ReturnType<typeof createMessageService> }
}

function createMessageService (repository: ReturnType<typeof createMessageRepository>) {
  return {
    ...repository,
    /**
     * The history page as JSON text, ready to send: the session's own messages, or its customer's timeline once
     * linked (SPEC §10); a cursor from outside what the session sees is refused.
     */
    async historyJson (session: Pick<Session, 'id' | 'customer_id'>, limit: number, beforeId?: string): Promise<string> {
      const { json, cursorFound } = session.customer_id === null
        ? await repository.pageJson(session.id, limit, beforeId)
        : await repository.customerPageJson(session.id, session.customer_id, limit, beforeId)
      if (!cursorFound) throw new Errors.InvalidCursor()
      return json
    }
  }
}

export default fp(async (app) => {
  app.decorate('messages', createMessageService(createMessageRepository(app.db)))
}, { name: 'messages', dependencies: ['db'] })
