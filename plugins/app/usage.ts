// Owns usage reporting: app.usage (per-session totals and the JSON export of every llm_requests row), and who may
// read them: the session's own cookie, or the admin token.
import { timingSafeEqual, createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { createLlmRequestRepository } from '../../db/repositories/llm-requests.ts'

declare module 'fastify' {
  interface FastifyInstance {
    usage: ReturnType<typeof createUsageService>
    isAdmin: (request: FastifyRequest) => boolean
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

const digest = (value: string) => createHash('sha256').update(value).digest()

export default fp(async (app) => {
  app.decorate('usage', createUsageService(createLlmRequestRepository(app.db)))
  const token = app.config.admin.token
  const expected = token ? digest(token) : null
  app.decorate('isAdmin', (request: FastifyRequest) => {
    const header = request.headers.authorization
    if (!expected || !header?.startsWith('Bearer ')) return false
    return timingSafeEqual(digest(header.slice(7).trim()), expected)
  })
}, { name: 'usage', dependencies: ['db', 'config'] })
