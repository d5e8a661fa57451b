// Queries on messages. History order is (created_at, id) everywhere.
import { sql, type Kysely } from 'kysely'
import type { DB, Message, MessageMetadata, MessageRole } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'

export interface HistoryPage { messages: Message[], hasMore: boolean }

export function createMessageRepository (db: Kysely<DB>) {
  return {
    /**
     * Saves a human message. With a client_message_id, a retry finds the first save instead of storing it twice
     * (`created: false`).
     */
    async insertHuman (sessionId: string, content: string, clientMessageId?: string, id = uuidv7()): Promise<{ message: Message, created: boolean }> {
      const metadata: MessageMetadata = clientMessageId ? { client_message_id: clientMessageId } : {}
      const inserted = await db.insertInto('messages')
        .values({ id, session_id: sessionId, role: 'human', content, metadata: JSON.stringify(metadata) as unknown as MessageMetadata })
        // The index predicate is literal SQL: as a bound parameter it stops matching the partial index once
        // Postgres switches a prepared statement to a generic plan (42P10).
        .onConflict((oc) => oc.expression(sql`session_id, (metadata->>'client_message_id')`)
          .where(sql<boolean>`role = 'human' and metadata ? 'client_message_id'`).doNothing())
        .returningAll()
        .executeTakeFirst()
      if (inserted) return { message: inserted, created: true }
      const existing = await db.selectFrom('messages').selectAll()
        .where('session_id', '=', sessionId).where('role', '=', 'human')
        .where(sql`metadata->>'client_message_id'`, '=', clientMessageId!)
        .executeTakeFirstOrThrow()
      return { message: existing, created: false }
    },

    async findReplyTo (sessionId: string, humanMessageId: string): Promise<Message | null> {
      const row = await db.selectFrom('messages').selectAll()
        .where('session_id', '=', sessionId).where('role', '=', 'assistant')
        .where(sql`metadata->>'reply_to'`, '=', humanMessageId)
        .orderBy('created_at', 'desc').limit(1)
        .executeTakeFirst()
      return row ?? null
    },

    async findInSession (sessionId: string, messageId: string): Promise<Message | null> {
      const row = await db.selectFrom('messages').selectAll()
        .where('session_id', '=', sessionId).where('id', '=', messageId).executeTakeFirst()
      return row ?? null
    },

    /**
     * The newest `limit` messages before the cursor message (exclusive), returned oldest first. A history load is
     * activity (SPEC §4): the same statement records it on the session.
     */
    async page (sessionId: string, limit: number, before?: { created_at: Date, id: string }): Promise<HistoryPage> {
      let query = db.with('touch', (db) => db.updateTable('sessions').set({ last_activity_at: sql`clock_timestamp()` })
        .where('id', '=', sessionId).returning('id'))
        .selectFrom('messages')
        .select(['id', 'session_id', 'role', 'content', 'metadata', 'created_at'])
        .where('session_id', '=', sessionId)
      if (before) query = query.where(sql<boolean>`(created_at, id) < (${before.created_at}, ${before.id}::uuid)`)
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
      const hasMore = rows.length > limit
      return { messages: rows.slice(0, limit).reverse(), hasMore }
    },

    /** The last `limit` messages for the LLM's context, oldest first. */
    async recent (sessionId: string, limit: number): Promise<Array<{ id: string, role: MessageRole, content: string, metadata: MessageMetadata }>> {
      if (limit === 0) return []
      const rows = await db.selectFrom('messages')
        .select(['id', 'role', 'content', 'metadata'])
        .where('session_id', '=', sessionId)
        .orderBy('created_at', 'desc').orderBy('id', 'desc')
        .limit(limit)
        .execute()
      return rows.reverse()
    },

    async count (sessionId: string): Promise<number> {
      const row = await db.selectFrom('messages').select(db.fn.countAll<number>().as('n'))
        .where('session_id', '=', sessionId).executeTakeFirstOrThrow()
      return Number(row.n)
    }
  }
}

export type MessageRepository = ReturnType<typeof createMessageRepository>
