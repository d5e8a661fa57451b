// Queries on the outbox: every email the server sends or would send (a verification code in it already masked).
import { sql, type Insertable, type Kysely } from 'kysely'
import type { DB, OutboxRow, OutboxTable } from '../types.ts'

export type NewOutboxRow = Insertable<OutboxTable>

export function createOutboxRepository (db: Kysely<DB>) {
  return {
    async insert (row: NewOutboxRow): Promise<OutboxRow> {
      return await db.insertInto('outbox').values(row).returningAll().executeTakeFirstOrThrow()
    },

    async markSent (id: string): Promise<OutboxRow> {
      return await db.updateTable('outbox').set({ status: 'sent', sent_at: sql`clock_timestamp()`, error: null })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    async markFailed (id: string, error: string): Promise<OutboxRow> {
      return await db.updateTable('outbox').set({ status: 'failed', error })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    /** Newest first; `before` is the id of the last row of the previous page (keyset on (created_at, id)). */
    async page (limit: number, before?: string): Promise<{ items: OutboxRow[], hasMore: boolean }> {
      let query = db.selectFrom('outbox').selectAll()
      if (before !== undefined) {
        query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<',
          eb.selectFrom('outbox as cursor').select(['cursor.created_at', 'cursor.id']).where('cursor.id', '=', before).$asTuple('created_at', 'id')))
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
      return { items: rows.slice(0, limit), hasMore: rows.length > limit }
    }
  }
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>
