// Queries on profiles, their provenance (profile_updates) and email collisions. An update is one short
// transaction holding the profile's row lock, so concurrent updates of one profile never lose a field.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely'
import type { DB, Profile, ProfileField, ProfileUpdate, ProfileValues } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'

export interface ProfileChange {
  field: ProfileField
  oldValue: unknown
  newValue: unknown
  confidence: number
  /** The message the value came from, when it is not the context's (a merge copies another profile's source). */
  messageId?: string | null
}

export interface UpdateContext { sessionId: string, messageId: string | null, extractor: string }

export interface Collision { id: string, otherSessionId: string }

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value))

/**
 * Creates the session's profile if it has none and row-locks it, in one statement: the no-op update on conflict
 * takes the lock and returns the latest committed values, so concurrent updates of one profile queue here.
 */
export async function lockSessionProfile (trx: Kysely<DB>, sessionId: string): Promise<Profile> {
  return await trx.insertInto('profiles').values({ id: uuidv7(), session_id: sessionId })
    // The target is the whole unique index idx_profiles_session_id (no predicate, so nothing bound in one).
    .onConflict((oc) => oc.column('session_id').doUpdateSet((eb) => ({ session_id: eb.ref('excluded.session_id') })))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The customer's profile, created if needed and row-locked, as lockSessionProfile does for a session's. */
export async function lockCustomerProfile (trx: Kysely<DB>, customerId: string): Promise<Profile> {
  return await trx.insertInto('profiles').values({ id: uuidv7(), customer_id: customerId })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet((eb) => ({ customer_id: eb.ref('excluded.customer_id') })))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Locks the profile the session's facts go to: the customer's when the session is linked, else its own. The
 * session row is read FOR SHARE, so a link being made waits or is waited for (never half-seen).
 */
async function lockEffectiveProfile (trx: Transaction<DB>, sessionId: string): Promise<Profile> {
  const session = await trx.selectFrom('sessions').select('customer_id').where('id', '=', sessionId).forShare().executeTakeFirst()
  return session?.customer_id ? await lockCustomerProfile(trx, session.customer_id) : await lockSessionProfile(trx, sessionId)
}

/** Links the session to the email and records one collision per other session already holding it. */
async function linkEmail (trx: Transaction<DB>, sessionId: string, email: string): Promise<Collision[]> {
  const linked = email.toLowerCase()
  await trx.updateTable('sessions').set({ email: linked, is_anonymous: false }).where('id', '=', sessionId).execute()
  // Sessions already joined to this session's customer are the same person, not a collision.
  const sameCustomer = (eb: ExpressionBuilder<DB, 'sessions'>) => eb.exists(eb.selectFrom('sessions as mine').select('mine.id')
    .where('mine.id', '=', sessionId).whereRef('mine.customer_id', '=', 'sessions.customer_id'))
  const others = await trx.selectFrom('sessions').select('id').where('email', '=', linked).where('id', '!=', sessionId)
    .where((eb) => eb.not(sameCustomer(eb)))
    .union(trx.selectFrom('profiles').innerJoin('sessions', 'sessions.id', 'profiles.session_id').select('sessions.id')
      .where('profiles.email', 'in', [email, linked]).where('sessions.id', '!=', sessionId).where((eb) => eb.not(sameCustomer(eb))))
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

/** Fields the visitor forgot after this message was written: only later messages may set them again (SPEC §11). */
async function forgottenSince (trx: Transaction<DB>, profileId: string, messageId: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('profile_updates').select('field').distinct()
    .where('profile_id', '=', profileId)
    .where('forgotten_at', '>', (eb) => eb.selectFrom('messages').select('created_at').where('id', '=', messageId))
    .execute()
  return new Set(rows.map((r) => r.field))
}

/** The empty value of a field, as a profiles column holds it. */
function emptyColumn (field: ProfileField): ProfileUpdate {
  switch (field) {
    case 'products_of_interest':
    case 'services_of_interest':
      return { [field]: [] }
    case 'preferences':
      return { preferences: {} }
    default:
      return { [field]: null }
  }
}

/** The forgotten email stops naming the session, and the open collisions it caused go with it. */
async function unlinkEmail (trx: Transaction<DB>, sessionId: string, email: string): Promise<void> {
  const lower = email.toLowerCase()
  await trx.updateTable('sessions').set({ email: null, is_anonymous: true }).where('id', '=', sessionId).where('email', '=', lower).execute()
  await trx.deleteFrom('email_collisions').where('email', '=', lower).where('status', '=', 'open')
    .where((eb) => eb.or([eb('session_id', '=', sessionId), eb('other_session_id', '=', sessionId)]))
    .execute()
}

/** The session itself and, once it is linked, every session linked to the same customer. */
function seenSessions (eb: ExpressionBuilder<DB, 'messages'>, sessionId: string) {
  return eb.selectFrom('sessions as seen').select('seen.id')
    .where((w) => w.or([
      w('seen.id', '=', sessionId),
      w('seen.customer_id', '=', w.selectFrom('sessions as me').select('me.customer_id').where('me.id', '=', sessionId))
    ]))
}

export interface ProfileWrite extends UpdateContext {
  profileId: string
  next: ProfileValues
  changes: ProfileChange[]
}

/** Writes a profile's new values and one provenance row per change; returns the row and the provenance ids. */
export async function writeProfile (db: Kysely<DB>, write: ProfileWrite): Promise<{ profile: Profile, updateIds: string[] }> {
  const profile = await db.updateTable('profiles').set({
    ...write.next,
    updated_at: sql`clock_timestamp()`
  }).where('id', '=', write.profileId).returningAll().executeTakeFirstOrThrow()
  if (write.changes.length === 0) return { profile, updateIds: [] }
  const rows = write.changes.map((change) => ({
    id: uuidv7(),
    profile_id: write.profileId,
    session_id: write.sessionId,
    message_id: change.messageId === undefined ? write.messageId : change.messageId,
    field: change.field,
    old_value: json(change.oldValue),
    new_value: json(change.newValue),
    extractor: write.extractor,
    confidence: change.confidence.toFixed(3)
  }))
  await db.insertInto('profile_updates').values(rows).execute()
  return { profile, updateIds: rows.map((r) => r.id) }
}

/** The session's own profile row-locked, or undefined when it has none. */
export async function lockOwnProfile (db: Kysely<DB>, sessionId: string): Promise<Profile | undefined> {
  return await db.selectFrom('profiles').selectAll().where('session_id', '=', sessionId).forUpdate().executeTakeFirst()
}

/** Per field, the newest provenance row of a profile: when, from which message and how surely its value was learned. */
export async function latestSources (db: Kysely<DB>, profileId: string) {
  return await db.selectFrom('profile_updates')
    .select(['field', 'created_at', 'message_id', 'confidence'])
    .distinctOn('field')
    .where('profile_id', '=', profileId)
    .orderBy('field').orderBy('created_at', 'desc').orderBy('id', 'desc')
    .execute()
}

/**
 * What the customer's other linked sessions taught: their provenance rows on the customer's profile or on their own
 * profiles (undo rows aside: they move values, they do not learn them). An undo keeps only values found here.
 */
export async function evidenceBesides (db: Kysely<DB>, customerId: string, customerProfileId: string, sessionId: string) {
  const others = db.selectFrom('sessions').select('id').where('customer_id', '=', customerId).where('id', '!=', sessionId)
  return await db.selectFrom('profile_updates').selectAll()
    .where('session_id', 'in', others)
    .where('extractor', '!=', 'undo')
    .where((eb) => eb.or([
      eb('profile_id', '=', customerProfileId),
      eb('profile_id', 'in', eb.selectFrom('profiles').select('id').where('session_id', 'in', others))
    ]))
    .orderBy('created_at').orderBy('id')
    .execute()
}

/** Facts a session taught its customer's profile since `since` (not copies made by a merge), oldest first. */
export async function learnedInSessionSince (db: Kysely<DB>, customerProfileId: string, sessionId: string, since: Date) {
  return await db.selectFrom('profile_updates').selectAll()
    .where('profile_id', '=', customerProfileId).where('session_id', '=', sessionId)
    .where('extractor', 'not in', ['merge', 'undo'])
    .where('created_at', '>=', since)
    .orderBy('created_at').orderBy('id')
    .execute()
}

/** The profile a session sees: exported so a test can show its plan (two index lookups, no scan). */
export function effectiveProfileQuery (db: Kysely<DB>, sessionId: string) {
  return db.selectFrom('sessions as s')
    .innerJoin('profiles as p', (join) => join.on((eb) => eb.or([
      eb.and([eb('s.customer_id', 'is not', null), eb('p.customer_id', '=', eb.ref('s.customer_id'))]),
      eb.and([eb('s.customer_id', 'is', null), eb('p.session_id', '=', eb.ref('s.id'))])
    ])))
    .selectAll('p')
    .where('s.id', '=', sessionId)
}

export function createProfileRepository (db: Kysely<DB>) {
  return {
    /** The session's own profile (kept while the session is linked, so an undo can give it back). */
    async findBySession (sessionId: string): Promise<Profile | null> {
      return (await db.selectFrom('profiles').selectAll().where('session_id', '=', sessionId).executeTakeFirst()) ?? null
    },

    /**
     * The profile the session sees (SPEC §10): its customer's when linked, else its own. One statement, so a link
     * committed in between is never half-seen.
     */
    async effective (sessionId: string): Promise<Profile | null> {
      return (await effectiveProfileQuery(db, sessionId).executeTakeFirst()) ?? null
    },

    /**
     * Locks (creating if needed) the session's profile, lets `merge` compute the new values from the current ones,
     * and writes them with one provenance row per changed field — all in one transaction.
     */
    async update (context: UpdateContext, merge: (current: ProfileValues, forgotten: Set<string>) => { next: ProfileValues, changes: ProfileChange[] }) {
      return await db.transaction().execute(async (trx) => {
        const current = await lockEffectiveProfile(trx, context.sessionId)
        // Only the values go to merge, so only they come back in `next` and are written.
        const { id, session_id: _sessionId, customer_id: _customerId, updated_at: _updatedAt, ...values } = current
        const forgotten = context.messageId === null ? new Set<string>() : await forgottenSince(trx, id, context.messageId)
        const { next, changes } = merge(values, forgotten)
        if (changes.length === 0) return { profile: current, changes, collisions: [] as Collision[] }
        const { profile } = await writeProfile(trx, { profileId: id, next, changes, ...context })
        const emailChanged = changes.some((c) => c.field === 'email') && next.email
        const collisions = emailChanged ? await linkEmail(trx, context.sessionId, next.email!) : []
        return { profile, changes, collisions }
      })
    },

    /** Where each field's current value came from: its latest update that set a value. */
    async facts (profileId: string) {
      return await db.selectFrom('profile_updates')
        .select(['field', 'message_id', 'created_at', 'extractor', 'confidence'])
        .distinctOn('field')
        .where('profile_id', '=', profileId).where('new_value', 'is not', null).where('forgotten_at', 'is', null)
        .orderBy('field').orderBy('created_at', 'desc').orderBy('id', 'desc')
        .execute()
    },

    /**
     * A field's values, newest first: each update that set a value is valid from its own time until the next update
     * of the field (a later value, a withdrawal or a forget). Forgotten values are gone from the rows, so not listed.
     */
    async history (profileId: string, field: string) {
      const timeline = db.selectFrom('profile_updates')
        .select(['id', 'new_value as value', 'created_at as valid_from', 'message_id as source_message_id', 'extractor', 'confidence'])
        .select(sql<Date | null>`lead(created_at) over (order by created_at, id)`.as('valid_to'))
        .where('profile_id', '=', profileId).where('field', '=', field)
        .as('timeline')
      return await db.selectFrom(timeline).selectAll().where('value', 'is not', null)
        .orderBy('valid_from', 'desc').orderBy('id', 'desc')
        .execute()
    },

    /**
     * Forgets a field in one transaction: the profile's value empties, every earlier value of the field is scrubbed
     * from profile_updates (rows kept, marked forgotten_at), one row records the forget, and a forgotten email no
     * longer names the session (sessions.email, open collisions).
     */
    async forget (context: { profileId: string, sessionId: string }, field: ProfileField): Promise<boolean> {
      return await db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('profiles').selectAll().where('id', '=', context.profileId).forUpdate().executeTakeFirst()
        if (current === undefined) return false
        // A customer's profile, and the own profiles its linked sessions keep for an undo: none may keep the value.
        const holders = (eb: ExpressionBuilder<DB, 'profiles' | 'profile_updates'>) => eb.selectFrom('profiles').select('profiles.id')
          .where((w) => w.or([
            w('profiles.id', '=', context.profileId),
            w('profiles.session_id', 'in', (q) => q.selectFrom('sessions').select('sessions.id').where('sessions.customer_id', '=', current.customer_id))
          ]))
        await trx.updateTable('profiles').set({ ...emptyColumn(field), updated_at: sql`clock_timestamp()` })
          .where('profiles.id', 'in', holders).execute()
        await trx.updateTable('profile_updates').set({ old_value: null, new_value: null, forgotten_at: sql`clock_timestamp()` })
          .where('profile_updates.profile_id', 'in', holders).where('field', '=', field).execute()
        await trx.insertInto('profile_updates').values({
          id: uuidv7(),
          profile_id: context.profileId,
          session_id: context.sessionId,
          message_id: null,
          field,
          old_value: null,
          new_value: null,
          extractor: 'visitor',
          confidence: '1.000',
          forgotten_at: sql`clock_timestamp()`
        }).execute()
        if (field === 'email' && typeof current.email === 'string') await unlinkEmail(trx, context.sessionId, current.email)
        return true
      })
    },

    /** Whether the message is one the session sees: its own, or of a session linked to the same customer. */
    async isMessageOf (sessionId: string, messageId: string): Promise<boolean> {
      const row = await db.selectFrom('messages').select('messages.id').where('messages.id', '=', messageId)
        .where('messages.session_id', 'in', (eb) => seenSessions(eb, sessionId))
        .executeTakeFirst()
      return row !== undefined
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
