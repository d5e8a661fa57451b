// Owns message history: app.messages (save, page through with a cursor, recent context, count).
import fp from 'fastify-plugin'
import { createMessageRepository } from '../../db/repositories/messages.ts'
import { Errors } from '../infrastructure/errors/error-classes.ts'

declare module 'fastify' {
  interface FastifyInstance { messages: ReturnType<typeof createMessageService> }
}

function createMessageService (repository: ReturnType<typeof createMessageRepository>) {
  return {
    ...repository,
    /** The history page as JSON text, ready to send; a cursor from another session is refused. */
    async historyJson (sessionId: string, limit: number, beforeId?: string): Promise<string> {
      const { json, cursorFound } = await repository.pageJson(sessionId, limit, beforeId)
      if (!cursorFound) throw new Errors.InvalidCursor()
      return json
    }
  }
}

export default fp(async (app) => {
  app.decorate('messages', createMessageService(createMessageRepository(app.db)))
}, { name: 'messages', dependencies: ['db'] })
