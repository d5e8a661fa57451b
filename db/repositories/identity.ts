// Queries on customers, identity_links, email_verifications and the outcome of email collisions (SPEC §10). Every
// method runs on the handle it is given: inside `identityTransaction` they share one, so a link, its profile merge and its
// provenance commit together or not at all. Lock order, everywhere: verification → session → customer's profile →
// session's profile (the profile repository's update takes session → profile too), so no two units deadlock.
import { sql, type Kysely } from 'kysely'
import type { Customer, DB, EmailCollision, EmailVerification, IdentityLink, LinkMethod, Profile, ProfileValues, Session } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'
import {
  evidenceBesides, latestSources, learnedInSessionSince, lockCustomerProfile, lockOwnProfile, lockSessionProfile,
  writeProfile, type ProfileChange
} from './profiles.ts'

export type FieldSource = Awaited<ReturnType<typeof latestSources>>[number]
export type ProvenanceRow = Awaited<ReturnType<typeof evidenceBesides>>[number]

/** A set of profile changes made by one extractor (merge, host, undo …). */
export interface ProfileStep { extractor: string, next: ProfileValues, changes: ProfileChange[] }

export interface LinkState {
  customerProfile: Profile
  customerSources: FieldSource[]
  sessionProfile: Profile | undefined
  sessionSources: FieldSource[]
}

export interface UndoState {
  customerProfile: Profile
  sessionProfile: Profile
  /** What the customer's other linked sessions taught. */
  evidence: ProvenanceRow[]
  /** What the undone session taught the customer's profile while it was linked. */
  learned: ProvenanceRow[]
}

export interface LinkInput {
  sessionId: string
  customerId: string
  customerCreated: boolean
  method: LinkMethod
  metadata?: Record<string, unknown>
}

export type LinkResult =
  | { status: 'linked' | 'same', link: IdentityLink }
  | { status: 'other_customer' }
  | { status: 'no_session' }

export type UndoResult =
  | { status: 'undone', link: IdentityLink }
  | { status: 'not_found' }
  | { status: 'already_undone' }

const values = ({ id: _id, session_id: _s, customer_id: _c, updated_at: _u, ...rest }: Profile): ProfileValues => rest

export function createIdentityRepository (db: Kysely<DB>) {
  async function writeSteps (profileId: string, sessionId: string, steps: ProfileStep[]): Promise<string[]> {
    const ids: string[] = []
    for (const step of steps) {
      if (step.changes.length === 0) continue
      const { updateIds } = await writeProfile(db, { profileId, sessionId, messageId: null, extractor: step.extractor, next: step.next, changes: step.changes })
      ids.push(...updateIds)
    }
    return ids
  }

  async function liveLink (sessionId: string): Promise<IdentityLink | undefined> {
    return await db.selectFrom('identity_links').selectAll().where('session_id', '=', sessionId).where('undone_at', 'is', null).executeTakeFirst()
  }

  /** Finds or creates the customer with this unique key; `created` tells which (xmax is 0 on a fresh insert). */
  async function upsertCustomer (column: 'email' | 'external_id', value: string): Promise<{ customer: Customer, created: boolean }> {
    const row = await db.insertInto('customers').values({ id: uuidv7(), [column]: value })
      .onConflict((oc) => oc.column(column).doUpdateSet({ updated_at: sql`clock_timestamp()` }))
      .returningAll().returning(sql<boolean>`xmax = 0`.as('created'))
      .executeTakeFirstOrThrow()
    const { created, ...customer } = row
    return { customer, created }
  }

  return {
    // ---- email codes ----------------------------------------------------------------------------------------------

    /**
     * Serialises code requests of one session and of one address (the session's row lock, an advisory lock on the
     * address), then counts the codes of the last hour: the hourly limits hold under concurrent requests.
     */
    async recentCodes (sessionId: string, email: string): Promise<{ session: number, address: number } | null> {
      const session = await db.selectFrom('sessions').select('id').where('id', '=', sessionId).forNoKeyUpdate().executeTakeFirst()
      if (!session) return null
      await sql`select pg_advisory_xact_lock(hashtextextended(${email}, 0))`.execute(db)
      const hourAgo = sql<Date>`clock_timestamp() - interval '1 hour'`
      const row = await db.selectFrom('email_verifications')
        .select((eb) => [
          eb.fn.countAll<string>().filterWhere('session_id', '=', sessionId).as('session'),
          eb.fn.countAll<string>().filterWhere('email', '=', email).as('address')
        ])
        .where((eb) => eb.or([eb('session_id', '=', sessionId), eb('email', '=', email)]))
        .where('created_at', '>', hourAgo)
        .executeTakeFirstOrThrow()
      return { session: Number(row.session), address: Number(row.address) }
    },

    /** A new code replaces the session's pending ones: only the newest can be confirmed. */
    async insertVerification (row: { id: string, sessionId: string, email: string, codeHash: string, ttlSeconds: number }): Promise<EmailVerification> {
      await db.updateTable('email_verifications').set({ status: 'superseded' })
        .where('session_id', '=', row.sessionId).where('status', '=', 'pending').execute()
      return await db.insertInto('email_verifications').values({
        id: row.id,
        session_id: row.sessionId,
        email: row.email,
        code_hash: row.codeHash,
        expires_at: sql<Date>`clock_timestamp() + make_interval(secs => ${row.ttlSeconds})`
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** The session's newest code, row-locked: concurrent confirms of it queue here, and exactly one consumes it. */
    async newestVerification (sessionId: string): Promise<(EmailVerification & { expired: boolean }) | undefined> {
      return await db.selectFrom('email_verifications').selectAll()
        .select(sql<boolean>`expires_at <= clock_timestamp()`.as('expired'))
        .where('session_id', '=', sessionId)
        .orderBy('created_at', 'desc').orderBy('id', 'desc')
        .limit(1).forUpdate()
        .executeTakeFirst()
    },

    /** Counts a wrong code; the `maxAttempts`-th voids it. */
    async recordWrongCode (id: string, maxAttempts: number): Promise<EmailVerification> {
      return await db.updateTable('email_verifications')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: sql`case when attempts + 1 >= ${maxAttempts} then 'void' else status end`
        }))
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    async consumeVerification (id: string): Promise<void> {
      await db.updateTable('email_verifications').set({ status: 'consumed', consumed_at: sql`clock_timestamp()` })
        .where('id', '=', id).execute()
    },

    // ---- customers -----------------------------------------------------------------------------------------------

    async customerByEmail (email: string) {
      return await upsertCustomer('email', email)
    },

    async customerByExternalId (externalId: string) {
      return await upsertCustomer('external_id', externalId)
    },

    async findCustomer (id: string): Promise<Customer | undefined> {
      return await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async findSession (id: string): Promise<Session | undefined> {
      return await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /**
     * SPEC §10's email_hint condition: the address is known beyond this session (a customer has it, or another
     * session mentioned it).
     */
    async emailKnownElsewhere (sessionId: string, email: string): Promise<boolean> {
      const row = await db.selectNoFrom((eb) => eb.or([
        eb.exists(eb.selectFrom('customers').select('id').where('email', '=', email)),
        eb.exists(eb.selectFrom('sessions').select('id').where('email', '=', email).where('id', '!=', sessionId))
      ]).as('known')).executeTakeFirstOrThrow()
      return Boolean(row.known)
    },

    // ---- links ---------------------------------------------------------------------------------------------------

    /**
     * Links the session to the customer: `plan` computes the profile changes from both profiles (row-locked here),
     * then the session, the link (with what it changed) and the changes are written. A session already linked to
     * this customer changes nothing ('same'); to another one, nothing either ('other_customer').
     */
    async linkSession (input: LinkInput, plan: (state: LinkState) => ProfileStep[]): Promise<LinkResult> {
      const session = await db.selectFrom('sessions').selectAll().where('id', '=', input.sessionId).forNoKeyUpdate().executeTakeFirst()
      if (!session) return { status: 'no_session' }
      if (session.customer_id === input.customerId) {
        const link = await liveLink(session.id)
        if (link) return { status: 'same', link }
      }
      if (session.customer_id !== null) return { status: 'other_customer' }
      const customerProfile = await lockCustomerProfile(db, input.customerId)
      const sessionProfile = await lockOwnProfile(db, session.id)
      const steps = plan({
        customerProfile,
        customerSources: await latestSources(db, customerProfile.id),
        sessionProfile,
        sessionSources: sessionProfile ? await latestSources(db, sessionProfile.id) : []
      })
      const profileUpdateIds = await writeSteps(customerProfile.id, session.id, steps)
      const customer = await db.updateTable('customers').set({ updated_at: sql`clock_timestamp()` })
        .where('id', '=', input.customerId).returning('email').executeTakeFirstOrThrow()
      const email = session.email ?? customer.email
      await db.updateTable('sessions').set({ customer_id: input.customerId, email, is_anonymous: email === null && session.is_anonymous })
        .where('id', '=', session.id).execute()
      const link = await db.insertInto('identity_links').values({
        id: uuidv7(),
        customer_id: input.customerId,
        session_id: session.id,
        method: input.method,
        changes: {
          customer_created: input.customerCreated,
          session_before: { email: session.email, is_anonymous: session.is_anonymous },
          profile_update_ids: profileUpdateIds
        },
        metadata: input.metadata ?? {}
      }).returningAll().executeTakeFirstOrThrow()
      return { status: 'linked', link }
    },

    /**
     * Undoes a live link: `plan` computes what the customer's profile loses and what the session's own profile gets
     * back; the session is unlinked and the link marked undone (it stays, as history).
     */
    async undoLink (linkId: string, plan: (state: UndoState) => { customer: ProfileStep, session: ProfileStep }): Promise<UndoResult> {
      const link = await db.selectFrom('identity_links').selectAll().where('id', '=', linkId).forNoKeyUpdate().executeTakeFirst()
      if (!link) return { status: 'not_found' }
      if (link.undone_at !== null) return { status: 'already_undone' }
      const session = await db.selectFrom('sessions').selectAll().where('id', '=', link.session_id).forNoKeyUpdate().executeTakeFirstOrThrow()
      const customerProfile = await lockCustomerProfile(db, link.customer_id)
      const sessionProfile = await lockSessionProfile(db, session.id)
      const steps = plan({
        customerProfile,
        sessionProfile,
        evidence: await evidenceBesides(db, link.customer_id, customerProfile.id, session.id),
        learned: await learnedInSessionSince(db, customerProfile.id, session.id, link.created_at)
      })
      await writeSteps(customerProfile.id, session.id, [steps.customer])
      await writeSteps(sessionProfile.id, session.id, [steps.session])
      const email = steps.session.next.email?.toLowerCase() ?? link.changes.session_before.email
      await db.updateTable('sessions').set({ customer_id: null, email, is_anonymous: email === null })
        .where('id', '=', session.id).execute()
      const undone = await db.updateTable('identity_links').set({ undone_at: sql`clock_timestamp()` })
        .where('id', '=', linkId).returningAll().executeTakeFirstOrThrow()
      return { status: 'undone', link: undone }
    },

    /** Identity links, newest first, with the customer's email; `before` is the last id of the previous page. */
    async links (limit: number, before?: string) {
      let query = db.selectFrom('identity_links as l').innerJoin('customers as c', 'c.id', 'l.customer_id')
        .select(['l.id', 'l.customer_id', 'c.email as customer_email', 'c.external_id as customer_external_id',
          'l.session_id', 'l.method', 'l.created_at', 'l.undone_at'])
      if (before !== undefined) {
        query = query.where((eb) => eb(eb.refTuple('l.created_at', 'l.id'), '<',
          eb.selectFrom('identity_links as cursor').select(['cursor.created_at', 'cursor.id']).where('cursor.id', '=', before).$asTuple('created_at', 'id')))
      }
      const rows = await query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(limit + 1).execute()
      return { items: rows.slice(0, limit), hasMore: rows.length > limit }
    },

    // ---- collisions ----------------------------------------------------------------------------------------------

    async lockCollision (id: string): Promise<EmailCollision | undefined> {
      return await db.selectFrom('email_collisions').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst()
    },

    async resolveCollision (id: string, status: 'merged' | 'dismissed', customerId: string | null): Promise<EmailCollision> {
      return await db.updateTable('email_collisions')
        .set({ status, customer_id: customerId, resolved_at: sql`clock_timestamp()` })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    // ---- erase ---------------------------------------------------------------------------------------------------

    /**
     * Erases the customer, every session linked to it (their messages, requests, profiles, provenance, codes and
     * mail go with them: ON DELETE CASCADE) and the mail and codes sent to its address. Returns the sessions erased.
     */
    async eraseCustomer (customerId: string): Promise<number> {
      const customer = await db.selectFrom('customers').select(['id', 'email']).where('id', '=', customerId).forUpdate().executeTakeFirst()
      if (!customer) return 0
      const sessions = await db.deleteFrom('sessions').where('customer_id', '=', customerId).executeTakeFirst()
      if (customer.email !== null) {
        await db.deleteFrom('outbox').where('recipient', '=', customer.email).execute()
        await db.deleteFrom('email_verifications').where('email', '=', customer.email).execute()
      }
      await db.deleteFrom('customers').where('id', '=', customerId).execute()
      return Number(sessions.numDeletedRows)
    }
  }
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>

/** One unit of work: the repository on one transaction. */
export async function identityTransaction<T> (db: Kysely<DB>, work: (repository: IdentityRepository) => Promise<T>): Promise<T> {
  return await db.transaction().execute(async (trx) => await work(createIdentityRepository(trx)))
}
export { values as profileValues }
