// Owns chat turns: app.chat starts a turn (human message → listeners → LLM stream → reply, recorded by app.ledger).
import fp from 'fastify-plugin'
import { createMessageRepository } from '../../db/repositories/messages.ts'
import { createTurnService } from './chat/turn-service.ts'
import { createStreamSlots } from './chat/stream-slots.ts'

declare module 'fastify' {
  interface FastifyInstance { chat: ReturnType<typeof createTurnService> }
}

export default fp(async (app) => {
  const chat = createTurnService({
    config: app.config,
    llm: app.llm,
    messages: createMessageRepository(app.db),
    ledger: app.ledger,
    slots: createStreamSlots(app.config.chat.max_concurrent_streams_per_session,
      app.redis ? { redis: app.redis, holdMs: app.config.llm.timeout_ms + app.config.server.shutdown_grace_ms + 60_000 } : undefined),
  })
  app.decorate('chat', chat)
  // Before the server and the pool close: open turns get server.shutdown_grace_ms to finish, then are cut and saved.
  app.addHook('preClose', async () => {
    if (chat.liveTurns === 0) return
    const drained = await chat.drain(app.config.server.shutdown_grace_ms)
    app.log.info({ event: 'chat.drained', ...drained }, 'open turns finished or saved as partial replies')
  })
}, { name: 'chat', dependencies: ['db', 'config', 'llm', 'ledger', 'redis'] })
