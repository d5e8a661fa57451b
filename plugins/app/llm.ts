// The llm decoration: one client (OpenRouter or offline) for the whole app, closed with it.
import fp from 'fastify-plugin'
import { createLlmClient, type LlmClient } from './llm/index.ts'

declare module 'fastify' {
  interface FastifyInstance { llm: LlmClient }
}

export default fp(async (app) => {
  app.decorate('llm', createLlmClient(app.config.llm, app.config.app, { log: app.log.child({ plugin: 'llm' }) }))
  app.addHook('onClose', () => app.llm.close())
}, { name: 'llm', dependencies: ['config'] })
