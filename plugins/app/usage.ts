// Owns usage reporting: app.usage (per-session totals and the JSON export of every llm_requests row).
import fp from 'fastify-plugin'
import { createLlmRequestRepository } from '../../db/repositories/llm-requests.ts'

declare module 'fastify' {
  interface FastifyInstance {
    usage: ReturnType<typeof createUsageService>
  }
}

function createUsageService (repository: ReturnType<typeof createLlmRequestRepository>) {
  return {
    async report (sessionId: string) {
      const [totals, byModel] = await Promise.all([repository.totals(sessionId), repository.totalsByModel(sessionId)])
      return { session_id: sessionId, ...totals, by_model: byModel }
    },
    async exportRows (sessionId: string) {
      return await repository.listForSession(sessionId)
    },
    llmRequests: repository
  }
}

export default fp(async (app) => {
  app.decorate('usage', createUsageService(createLlmRequestRepository(app.db)))
}, { name: 'usage', dependencies: ['db', 'config'] })
