// Owns chat turns: app.chat starts a turn (human message → listeners → LLM stream → reply + llm_requests row).
import fp from 'fastify-plugin'
import { createLlmRequestRepository } from '../../db/repositories/llm-requests.ts'
import { createMessageRepository } from '../../db/repositories/messages.ts'
import { createTurnService } from './chat/turn-service.ts'

declare module 'fastify' {
  interface FastifyInstance { chat: ReturnType<typeof createTurnService> }
}

export default fp(async (app) => {
  const chat = createTurnService({
    config: app.config,
    llm: app.llm,
    messages: createMessageRepository(app.db),
    llmRequests: createLlmRequestRepository(app.db),
    log: app.log.child({ plugin: 'chat' })
  })
  app.decorate('chat', chat)
  app.addHook('onClose', () => chat.close())
}, { name: 'chat', dependencies: ['db', 'config', 'llm'] })
