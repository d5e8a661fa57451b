// Retention: erasing every session idle for longer than N days, with its messages, LLM requests, profile and
// provenance (ON DELETE CASCADE), in short batches. Used by `npm run purge` and by the server's daily purge
// (retention.idle_days), which takes a Postgres advisory lock first so that one instance purges at a time.
import { sql, type Kysely } from 'kysely'
import type { DB } from './types.ts'
import { createSessionRepository } from './repositories/sessions.ts'

const BATCH = 500
// pg_try_advisory_lock's key for the purge: any constant no other code of this database uses ("salient purge").
const PURGE_LOCK_KEY = 0x5a1e_0001

interface PurgeLog { info: (fields: object, message: string) => void }

export async function purgeIdleSessions (db: Kysely<DB>, idleDays: number, log: PurgeLog): Promise<number> {
  const sessions = createSessionRepository(db)
  let total = 0
  for (;;) {
    const erased = await sessions.eraseIdle(idleDays, BATCH)
    total += erased
    if (erased < BATCH) break
  }
  log.info({ event: 'sessions.purged', idle_days: idleDays, sessions: total }, `erased ${total} sessions idle for more than ${idleDays} days`)
  return total
}

/**
 * The purge, by whichever instance gets the lock: the others (and a second call while one runs) return null at once.
 * The lock is a session lock, so it is taken, used and given back on one connection.
 */
export async function purgeIdleSessionsOnce (db: Kysely<DB>, idleDays: number, log: PurgeLog): Promise<number | null> {
  return await db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${PURGE_LOCK_KEY}) as locked`.execute(connection)
    if (!rows[0]?.locked) return null
    try {
      return await purgeIdleSessions(connection, idleDays, log)
    } finally {
      await sql`select pg_advisory_unlock(${PURGE_LOCK_KEY})`.execute(connection)
    }
  })
}
