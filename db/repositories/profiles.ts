// Queries on profiles, their provenance (profile_updates) and email collisions. An update is one short
// transaction holding the profile's row lock, so concurrent updates of one profile never lose a field.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, Profile, ProfileField, ProfileValues } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'

export interface ProfileChange { field: ProfileField, oldValue: unknown, newValue: unknown, confidence: number }

export interface UpdateContext { sessionId: string, messageId: string | null, extractor: string }

export interface Collision { id: string, otherSessionId: string }

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value))

/**
 * Creates the session's profile if it has none and row-locks it, in one statement: the no-op update on conflict
 * takes the lock and returns the latest committed values, so concurrent updates of one profile queue here.
 */
async function lockProfile (trx: Transaction<DB>, sessionId: string): Promise<Profile> {
  return await trx.insertInto('profiles').values({ id: uuidv7(), session_id: sessionId })
    // The target is the whole unique index idx_profiles_session_id (no predicate, so nothing bound in one).
    .onConflict((oc) => oc.column('session_id').doUpdateSet((eb) => ({ session_id: eb.ref('excluded.session_id') })))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Links the session to the email and records one collision per other session already holding it. */
async function linkEmail (trx: Transaction<DB>, sessionId: string, email: string): Promise<Collision[]> {
  const linked = email.toLowerCase()
  await trx.updateTable('sessions').set({ email: linked, is_anonymous: false }).where('id', '=', sessionId).execute()
  const others = await trx.selectFrom('sessions').select('id').where('email', '=', linked).where('id', '!=', sessionId)
    .union(trx.selectFrom('profiles').select('session_id as id').where('email', 'in', [email, linked]).where('session_id', '!=', sessionId))
    .execute()
  const collisions: Collision[] = []
  for (const { id: otherSessionId } of others) {
    const row = await trx.insertInto('email_collisions')
      .values({ id: uuidv7(), email: linked, session_id: sessionId, other_session_id: otherSessionId })
      .onConflict((oc) => oc.doNothing())
      .returning('id').executeTakeFirst()
    if (row) collisions.push({ id: row.id, otherSessionId })
  }
  return collisions
}

export function createProfileRepository (db: Kysely<DB>) {
  return {
    async findBySession (sessionId: string): Promise<Profile | null> {
      return (await db.selectFrom('profiles').selectAll().where('session_id', '=', sessionId).executeTakeFirst()) ?? null
    },

    /**
     * Locks (creating if needed) the session's profile, lets `merge` compute the new values from the current ones,
     * and writes them with one provenance row per changed field — all in one transaction.
     */
    async update (context: UpdateContext, merge: (current: ProfileValues) => { next: ProfileValues, changes: ProfileChange[] }) {
      return await db.transaction().execute(async (trx) => {
        const current = await lockProfile(trx, context.sessionId)
        // Only the values go to merge, so only they come back in `next` and are written.
        const { id, session_id: _sessionId, updated_at: _updatedAt, ...values } = current
        const { next, changes } = merge(values)
        if (changes.length === 0) return { profile: current, changes, collisions: [] as Collision[] }
        const profile = await trx.updateTable('profiles').set({
          ...next,
          updated_at: sql`clock_timestamp()`
        }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
        await trx.insertInto('profile_updates').values(changes.map((change) => ({
          id: uuidv7(),
          profile_id: id,
          session_id: context.sessionId,
          message_id: context.messageId,
          field: change.field,
          old_value: json(change.oldValue),
          new_value: json(change.newValue),
          extractor: context.extractor,
          confidence: change.confidence.toFixed(3)
        }))).execute()
        const emailChanged = changes.some((c) => c.field === 'email') && next.email
        const collisions = emailChanged ? await linkEmail(trx, context.sessionId, next.email!) : []
        return { profile, changes, collisions }
      })
    },

    async provenance (sessionId: string) {
      return await db.selectFrom('profile_updates').selectAll().where('session_id', '=', sessionId)
        .orderBy('created_at').orderBy('id').execute()
    },

    async collisions (limit: number) {
      const messageCount = (column: 'email_collisions.session_id' | 'email_collisions.other_session_id') =>
        sql<number>`(select count(*) from messages m where m.session_id = ${sql.ref(column)})::int8`
      return await db.selectFrom('email_collisions')
        .innerJoin('sessions as s', 's.id', 'email_collisions.session_id')
        .innerJoin('sessions as o', 'o.id', 'email_collisions.other_session_id')
        .select([
          'email_collisions.id', 'email_collisions.email', 'email_collisions.status', 'email_collisions.detected_at',
          'email_collisions.session_id', 's.created_at as session_created_at',
          'email_collisions.other_session_id', 'o.created_at as other_session_created_at'
        ])
        .select([messageCount('email_collisions.session_id').as('session_message_count'), messageCount('email_collisions.other_session_id').as('other_session_message_count')])
        .orderBy('email_collisions.detected_at', 'desc').orderBy('email_collisions.id', 'desc')
        .limit(limit)
        .execute()
    }
  }
}
