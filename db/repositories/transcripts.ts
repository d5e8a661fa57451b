// A conversation as the operator reads it (SPEC §12): the session, its messages in history order, each assistant
// message with the LLM call that produced it, each human message with the facts taken from it. Read-only.
import { sql, type Kysely } from 'kysely'
import type { DB, MessageRole } from '../types.ts'

export interface TranscriptMessageRow {
  id: string
  role: MessageRole
  content: string
  status: string | null
  created_at: Date
  llm_request_id: string | null
  model: string | null
  llm_status: string | null
  prompt_tokens: number | null
  completion_tokens: number | null
  total_tokens: number | null
  cost: string | null
  latency_ms: number | null
  ttft_ms: number | null
}

export interface FactRow {
  message_id: string
  field: string
  old_value: unknown
  new_value: unknown
  extractor: string
  confidence: string
  created_at: Date
}

export function createTranscriptRepository (db: Kysely<DB>) {
  return {
    async session (sessionId: string) {
      // The profile the session sees: its customer's once linked, else its own.
      const row = await db.selectFrom('sessions as s')
        .leftJoin('profiles as p', (join) => join.on((eb) => eb.or([
          eb.and([eb('s.customer_id', 'is not', null), eb('p.customer_id', '=', eb.ref('s.customer_id'))]),
          eb.and([eb('s.customer_id', 'is', null), eb('p.session_id', '=', eb.ref('s.id'))])
        ])))
        .select(['s.id as session_id', 's.customer_id', 's.created_at', 's.last_activity_at', 's.is_anonymous', 's.email as session_email',
          'p.customer_name', 'p.email', 'p.phone', 'p.address_street', 'p.address_city', 'p.address_state', 'p.address_zip',
          'p.products_of_interest', 'p.services_of_interest', 'p.preferences'])
        .select([
          sql<number>`(select count(*) from messages m where m.session_id = s.id)::int8`.as('messages'),
          sql<number>`(select count(*) from llm_requests r where r.session_id = s.id)::int8`.as('requests'),
          sql<string>`(select coalesce(sum(r.computed_cost), 0) from llm_requests r where r.session_id = s.id)::text`.as('cost'),
          // The customer's other sessions, newest first, so the operator can read the whole person.
          sql<string[]>`coalesce(array(select o.id from sessions o where o.customer_id = s.customer_id and o.id <> s.id
            order by o.last_activity_at desc limit 50), '{}')`.as('other_sessions')
        ])
        .where('s.id', '=', sessionId)
        .executeTakeFirst()
      return row ?? null
    },

    async hasMessage (sessionId: string, messageId: string): Promise<boolean> {
      const row = await db.selectFrom('messages').select('id')
        .where('session_id', '=', sessionId).where('id', '=', messageId).executeTakeFirst()
      return row !== undefined
    },

    /** `limit + 1` messages after the message `afterId` (or from the first), oldest first, with their LLM figures. */
    async messages (sessionId: string, limit: number, afterId?: string): Promise<TranscriptMessageRow[]> {
      let query = db.selectFrom('messages as m')
        .leftJoin('llm_requests as r', (join) => join
          .on('r.session_id', '=', sessionId)
          .on(sql`r.id::text`, '=', sql`m.metadata->>'llm_request_id'`))
        .select(['m.id', 'm.role', 'm.content', 'm.created_at', 'r.id as llm_request_id', 'r.model', 'r.prompt_tokens',
          'r.completion_tokens', 'r.total_tokens', 'r.latency_ms'])
        .select([
          sql<string | null>`m.metadata->>'status'`.as('status'),
          sql<string | null>`r.response_body->>'status'`.as('llm_status'),
          sql<string | null>`r.computed_cost::text`.as('cost'),
          sql<number | null>`(r.response_body->>'ttft_ms')::numeric::int`.as('ttft_ms')
        ])
        .where('m.session_id', '=', sessionId)
      // The position is read in SQL: a JavaScript Date would drop the timestamp's microseconds.
      if (afterId) query = query.where(sql`(m.created_at, m.id)`, '>', sql`(select a.created_at, a.id from messages a where a.id = ${afterId})`)
      return await query.orderBy('m.created_at').orderBy('m.id').limit(limit + 1).execute()
    },

    /** The profile changes each of these messages caused, oldest first. */
    async facts (messageIds: string[]): Promise<FactRow[]> {
      if (messageIds.length === 0) return []
      return await db.selectFrom('profile_updates')
        .select(['message_id', 'field', 'old_value', 'new_value', 'extractor', 'created_at'])
        .select(sql<string>`confidence::text`.as('confidence'))
        .where('message_id', 'in', messageIds)
        .orderBy('created_at').orderBy('id')
        .$narrowType<{ message_id: string }>()
        .execute()
    }
  }
}

export type TranscriptRepository = ReturnType<typeof createTranscriptRepository>
