// Queries on llm_requests, and the one statement that ends a turn. Money is summed in SQL numeric, never in floats.
import { sql, type Kysely } from 'kysely'
import type { DB, LlmRequestRow, LlmRequestUpdate, Message, MessageMetadata, NewLlmRequest } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'

export type LlmRequestValues = Omit<NewLlmRequest, 'id' | 'created_at'>

export interface UsageTotals {
  requests: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  cost: string
  first_request_at: Date | null
  last_request_at: Date | null
}

export function createLlmRequestRepository (db: Kysely<DB>) {
  return {
    async insert (values: LlmRequestValues): Promise<LlmRequestRow> {
      return await db.insertInto('llm_requests')
        .values({ ...values, id: uuidv7() })
        .returningAll().executeTakeFirstOrThrow()
    },

    /**
     * Ends a turn in one round trip: the llm_requests row, the assistant message (when there is one) and the session's
     * last_activity_at, atomically (one statement is one transaction).
     */
    async recordTurn (
      request: LlmRequestValues,
      reply: { content: string, metadata: MessageMetadata } | null,
      // Chosen by the caller so that, after a failure whose outcome is unknown, it can look for them before repeating.
      { requestId, messageId } = { requestId: uuidv7(), messageId: uuidv7() }
    ): Promise<{ requestId: string, message: Message | null }> {
      const withRequest = db.with('req', (q) => q.insertInto('llm_requests')
        .values({ ...request, id: requestId })
        .returning('id'))
        .with('touch', (q) => q.updateTable('sessions').set({ last_activity_at: sql`clock_timestamp()` })
          .where('id', '=', request.session_id).returning('id'))
      if (!reply) {
        await withRequest.selectFrom(['req', 'touch']).select('req.id').execute()
        return { requestId, message: null }
      }
      const message = await withRequest
        .with('msg', (q) => q.insertInto('messages').values({
          id: messageId,
          session_id: request.session_id,
          role: 'assistant',
          content: reply.content,
          metadata: { ...reply.metadata, llm_request_id: requestId }
        }).returningAll())
        .selectFrom(['msg', 'req', 'touch']).selectAll('msg')
        .executeTakeFirstOrThrow()
      return { requestId, message }
    },

    async update (id: string, values: LlmRequestUpdate): Promise<void> {
      await db.updateTable('llm_requests').set(values).where('id', '=', id).execute()
    },

    async findById (id: string): Promise<LlmRequestRow | null> {
      return (await db.selectFrom('llm_requests').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    },

    async findForHumanMessage (sessionId: string, humanMessageId: string): Promise<LlmRequestRow | null> {
      const row = await db.selectFrom('llm_requests').selectAll()
        .where('session_id', '=', sessionId)
        .where(sql`request_body->'metadata'->>'human_message_id'`, '=', humanMessageId)
        .orderBy('created_at', 'desc').limit(1).executeTakeFirst()
      return row ?? null
    },

    async totals (sessionId: string): Promise<UsageTotals> {
      const row = await db.selectFrom('llm_requests')
        .select((eb) => [
          eb.fn.countAll<number>().as('requests'),
          sql<number>`coalesce(sum(prompt_tokens), 0)::int8`.as('prompt_tokens'),
          sql<number>`coalesce(sum(completion_tokens), 0)::int8`.as('completion_tokens'),
          sql<number>`coalesce(sum(total_tokens), 0)::int8`.as('total_tokens'),
          sql<string>`coalesce(sum(computed_cost), 0)::text`.as('cost'),
          eb.fn.min<Date | null>('created_at').as('first_request_at'),
          eb.fn.max<Date | null>('created_at').as('last_request_at')
        ])
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow()
      return row
    },

    async totalsByModel (sessionId: string) {
      return await db.selectFrom('llm_requests')
        .select((eb) => [
          'model', 'provider',
          eb.fn.countAll<number>().as('requests'),
          sql<number>`sum(prompt_tokens)::int8`.as('prompt_tokens'),
          sql<number>`sum(completion_tokens)::int8`.as('completion_tokens'),
          sql<number>`sum(total_tokens)::int8`.as('total_tokens'),
          sql<string>`coalesce(sum(computed_cost), 0)::text`.as('cost')
        ])
        .where('session_id', '=', sessionId)
        .groupBy(['model', 'provider'])
        .orderBy('model')
        .execute()
    },

    async listForSession (sessionId: string): Promise<LlmRequestRow[]> {
      return await db.selectFrom('llm_requests').selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('created_at').orderBy('id')
        .execute()
    }
  }
}

export type LlmRequestRepository = ReturnType<typeof createLlmRequestRepository>
