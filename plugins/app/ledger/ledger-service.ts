// The one writer of llm_requests: every LLM call becomes one row (its shape in llm-request-row.ts), a row with
// estimated usage is corrected later (reconciler.ts), and usage reports read the same rows.
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB, Message, MessageMetadata } from '../../../db/types.ts'
import { createLlmRequestRepository } from '../../../db/repositories/llm-requests.ts'
import { createMessageRepository } from '../../../db/repositories/messages.ts'
import { PERSISTENT, withRetry } from '../../../db/retry.ts'
import { uuidv7 } from '../../../db/uuid7.ts'
import type { LlmClient, LlmOutcome } from '../llm/types.ts'
import { llmRequestRow, type RowContext } from './llm-request-row.ts'
import { createReconciler } from './reconciler.ts'

interface Dependencies {
  db: Kysely<DB>
  llm: LlmClient
  log: FastifyBaseLogger
  reconcileDelaysMs: number[]
  /** Told of every call once its row is written (metrics). */
  onCall: (outcome: LlmOutcome, purpose: RowContext['purpose']) => void
}

/** The assistant message a turn ends with; its llm_request_id is added by the ledger. */
export interface TurnReply { content: string, metadata: MessageMetadata }

export function createLedger ({ db, llm, log, reconcileDelaysMs, onCall }: Dependencies) {
  const llmRequests = createLlmRequestRepository(db)
  const messages = createMessageRepository(db)
  const reconciler = createReconciler({ llm, llmRequests, log, delaysMs: reconcileDelaysMs })

  return {
    /** A call outside a turn (profile extraction): one row. */
    async record (outcome: LlmOutcome, context: RowContext): Promise<string> {
      const row = llmRequestRow(outcome, context)
      const { id } = await llmRequests.insert(row)
      onCall(outcome, context.purpose)
      reconciler.scheduleIfEstimated(id, outcome, row)
      return id
    },

    /**
     * Ends a turn in one statement: its row, the assistant message (when there is one) and the session's activity.
     * The reply exists nowhere else, so the write waits out a database outage (db/retry.ts PERSISTENT); after a
     * failure whose outcome is unknown it first looks for the rows by their ids, and never writes them twice.
     */
    async recordTurn (outcome: LlmOutcome, context: RowContext, reply: TurnReply | null, turnLog: FastifyBaseLogger): Promise<{ requestId: string, message: Message | null }> {
      const row = llmRequestRow(outcome, context)
      const ids = { requestId: uuidv7(), messageId: uuidv7() }
      const recorded = await withRetry(() => llmRequests.recordTurn(row, reply, ids), {
        policy: PERSISTENT,
        verify: async () => {
          if (!await llmRequests.findById(ids.requestId)) return undefined
          return { requestId: ids.requestId, message: reply ? await messages.findInSession(context.sessionId, ids.messageId) : null }
        },
        onRetry: (info) => turnLog.warn({ event: 'chat.turn_save_retry', ...info }, 'saving the reply failed: retrying')
      })
      onCall(outcome, context.purpose)
      reconciler.scheduleIfEstimated(recorded.requestId, outcome, row)
      return recorded
    },

    findById: llmRequests.findById,
    findForHumanMessage: llmRequests.findForHumanMessage,

    /** A session's usage: totals and totals per model. */
    async report (sessionId: string) {
      const [totals, byModel] = await Promise.all([llmRequests.totals(sessionId), llmRequests.totalsByModel(sessionId)])
      return { session_id: sessionId, ...totals, by_model: byModel }
    },

    /** Every row of a session, every column: the usage export. */
    exportRows: llmRequests.listForSession,

    get pendingReconciliations () { return reconciler.pending },

    async close (): Promise<void> {
      await reconciler.close()
    }
  }
}

export type Ledger = ReturnType<typeof createLedger>
