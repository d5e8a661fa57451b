// Queries on sessions. The key in the cookie never reaches the database: only its SHA-256 does.
import { sql, type Kysely } from 'kysely'
import type { DB, Session } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'

export function createSessionRepository (db: Kysely<DB>) {
  return {
    async insert (keyHash: string): Promise<Session> {
      return await db.insertInto('sessions')
        .values({ id: uuidv7(), session_key: keyHash })
        .returningAll()
        .executeTakeFirstOrThrow()
    },

    /**
     * Finds a live session (null when unknown or idle too long). With `touch`, records the activity in the same
     * statement; without, it is a plain read and commits nothing (for routes whose own statements record it).
     */
    async resume (keyHash: string, maxIdleSeconds: number, touch = true): Promise<Session | null> {
      const live = sql<boolean>`last_activity_at > clock_timestamp() - make_interval(secs => ${maxIdleSeconds})`
      const row = touch
        ? await db.updateTable('sessions').set({ last_activity_at: sql`clock_timestamp()` })
          .where('session_key', '=', keyHash).where(live).returningAll().executeTakeFirst()
        : await db.selectFrom('sessions').selectAll().where('session_key', '=', keyHash).where(live).executeTakeFirst()
      return row ?? null
    },

    async summary (sessionId: string) {
      return await db.selectFrom('sessions')
        .select(['id', 'created_at', 'last_activity_at', 'is_anonymous', 'email', 'customer_id'])
        .select((eb) => eb.selectFrom('messages').whereRef('messages.session_id', '=', 'sessions.id')
          .select(eb.fn.countAll<number>().as('n')).as('message_count'))
        .where('id', '=', sessionId)
        .executeTakeFirst()
    },

    async erase (sessionId: string): Promise<boolean> {
      const result = await db.deleteFrom('sessions').where('id', '=', sessionId).executeTakeFirst()
      return result.numDeletedRows > 0n
    },

    /**
     * Erases up to `limit` sessions idle for longer than `idleDays` (their rows go with them: ON DELETE CASCADE);
     * returns how many. Batches keep each transaction and its locks short.
     */
    async eraseIdle (idleDays: number, limit: number): Promise<number> {
      const result = await db.deleteFrom('sessions')
        .where('id', 'in', (eb) => eb.selectFrom('sessions').select('id')
          .where('last_activity_at', '<', sql<Date>`clock_timestamp() - make_interval(days => ${idleDays})`)
          .limit(limit))
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    }
  }
}
