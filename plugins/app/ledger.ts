// Owns llm_requests: app.ledger writes every LLM call's row (chat turns, profile extraction, late usage
// reconciliation) and answers every usage read.
import fp from 'fastify-plugin'
import { createLedger, type Ledger } from './ledger/ledger-service.ts'

declare module 'fastify' {
  interface FastifyInstance { ledger: Ledger }
}

export default fp(async (app) => {
  const ledger = createLedger({
    db: app.db,
    llm: app.llm,
    log: app.log.child({ plugin: 'ledger' }),
    reconcileDelaysMs: app.config.llm.reconcile_delays_ms,
    onCall: app.metrics.llmCall
  })
  app.decorate('ledger', ledger)
  app.addHook('onClose', () => ledger.close())
}, { name: 'ledger', dependencies: ['db', 'config', 'llm', 'metrics'] })
