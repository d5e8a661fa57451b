// Owns message history: app.messages (save, page through with a cursor, recent context, count).
import fp from 'fastify-plugin'
import { createMessageRepository } from '../../db/repositories/messages.ts'
import { Errors } from '../../src/errors.ts'

declare module 'fastify' {
  interface FastifyInstance { messages: ReturnType<typeof createMessageService> }
}

function createMessageService (repository: ReturnType<typeof createMessageRepository>) {
  return {
    ...repository,
    /** The newest `limit` messages before the cursor, oldest first; a cursor from another session is refused. */
    async history (sessionId: string, limit: number, beforeId?: string) {
      if (!beforeId) return await repository.page(sessionId, limit)
      const cursor = await repository.findInSession(sessionId, beforeId)
      if (!cursor) throw new Errors.InvalidCursor()
      return await repository.page(sessionId, limit, cursor)
    }
  }
}

export default fp(async (app) => {
  app.decorate('messages', createMessageService(createMessageRepository(app.db)))
}, { name: 'messages', dependencies: ['db'] })
