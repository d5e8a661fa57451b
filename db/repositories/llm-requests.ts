// Queries on llm_requests, and the one statement that ends a turn. Money is summed in SQL numeric, never in floats.
import { sql, type Kysely } from 'kysely'
import type { DB, LlmRequestRow, Message, MessageMetadata, NewLlmRequest } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'

export type LlmRequestValues = Omit<NewLlmRequest, 'id' | 'created_at' | 'request_body' | 'response_body'> & {
  request_body: Record<string, unknown>
  response_body: Record<string, unknown>
}

export interface UsageTotals {
  requests: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  cost: string
  first_request_at: Date | null
  last_request_at: Date | null
}

const json = (value: unknown) => JSON.stringify(value) as never

export function createLlmRequestRepository (db: Kysely<DB>) {
  return {
    async insert (values: LlmRequestValues): Promise<LlmRequestRow> {
      return await db.insertInto('llm_requests')
        .values({ ...values, id: uuidv7(), request_body: json(values.request_body), response_body: json(values.response_body) })
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
        .values({ ...request, id: requestId, request_body: json(request.request_body), response_body: json(request.response_body) })
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
          metadata: json({ ...reply.metadata, llm_request_id: requestId })
        }).returningAll())
        .selectFrom(['msg', 'req', 'touch']).selectAll('msg')
        .executeTakeFirstOrThrow()
      return { requestId, message }
    },

    async update (id: string, values: Partial<LlmRequestValues>): Promise<void> {
      const { request_body: requestBody, response_body: responseBody, ...rest } = values
      await db.updateTable('llm_requests').set({
        ...rest,
        ...(requestBody ? { request_body: json(requestBody) } : {}),
        ...(responseBody ? { response_body: json(responseBody) } : {})
      }).where('id', '=', id).execute()
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
          eb.fn.min('created_at').as('first_request_at'),
          eb.fn.max('created_at').as('last_request_at')
        ])
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow()
      return row as UsageTotals
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
