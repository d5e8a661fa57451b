// Queries on messages. History order is (created_at, id) everywhere.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { DB, Message, MessageMetadata, ProfileValues } from '../types.ts'
import { uuidv7 } from '../uuid7.ts'
import { effectiveProfileQuery } from './profiles.ts'

/** What the LLM's context needs of a message: no metadata or timestamp to decode (50 JSONB values and Dates a turn). */
export type ContextMessage = Pick<Message, 'id' | 'role' | 'content'>

const CONTEXT_COLUMNS = ['id', 'role', 'content'] as const
const contextOf = ({ id, role, content }: ContextMessage): ContextMessage => ({ id, role, content })

/** created_at as JavaScript's Date#toISOString writes it (milliseconds, UTC, Z), so the JSON matches the API's. */
const ISO_TIMESTAMP = sql`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** History order, newest first, as the (session_id, created_at, id) index reads it backwards. */
function newestFirst<Q extends SelectQueryBuilder<DB, 'messages', object>> (query: Q, limit: number): Q {
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit) as Q
}

/**
 * The profile a session sees as one JSON value, or null: profiles.ts's effectiveProfileQuery (its customer's when
 * linked, else its own), so the turn and the profile routes make that choice in one place.
 */
function profileJson (db: Kysely<DB>, sessionId: string) {
  return sql<ProfileValues | null>`(select to_jsonb(p) from (${effectiveProfileQuery(db, sessionId)}) as p)`
}

/**
 * The newest `limit` context messages of a customer's timeline (every session linked to it), newest first: a top-N
 * per session on the (session_id, created_at, id) index, then merged, so it stays an index path however long the
 * sessions are.
 */
function newestOfCustomer (db: Kysely<DB>, customerId: string, limit: number) {
  return db.selectFrom('sessions as s')
    .innerJoinLateral((eb) => newestFirst(eb.selectFrom('messages').select([...CONTEXT_COLUMNS, 'created_at']).whereRef('messages.session_id', '=', 's.id'), limit).as('m'),
      (join) => join.onTrue())
    .select(['m.id', 'm.role', 'm.content'])
    .where('s.customer_id', '=', customerId)
    .orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(limit)
}

/** The statement of customerPageJson: exported so a test and the benchmark can show its plan. */
export function customerPageQuery (sessionId: string, customerId: string, limit: number, beforeId?: string) {
  const linked = sql`select id from sessions where customer_id = ${customerId}`
  const cursor = sql`select created_at, id from messages where id = ${beforeId ?? null}::uuid and session_id in (${linked})`
  return sql`
    with touch as (update sessions set last_activity_at = clock_timestamp() where id = ${sessionId} returning id),
    page as (
      select m.id, m.role, m.content, m.metadata, m.created_at
      from sessions s cross join lateral (
        select id, role, content, metadata, created_at from messages
        where session_id = s.id ${beforeId === undefined ? sql`` : sql`and (created_at, id) < (${cursor})`}
        order by created_at desc, id desc
        limit ${limit + 1}
      ) m
      where s.customer_id = ${customerId}
      order by m.created_at desc, m.id desc
      limit ${limit + 1}
    ),
    numbered as (select *, row_number() over (order by created_at desc, id desc) as n from page)
    select
      coalesce(json_agg(json_build_object('id', id, 'role', role, 'content', content, 'metadata', metadata, 'created_at', ${ISO_TIMESTAMP})
        order by created_at, id) filter (where n <= ${limit}), '[]')::text as messages,
      count(*) > ${limit} as has_more,
      ${beforeId === undefined ? sql`true` : sql`exists (${cursor})`} as cursor_found
    from numbered`
}

export function createMessageRepository (db: Kysely<DB>) {
  return {
    /**
     * Saves a human message and, in the same statement, reads the LLM's context: the newest `contextLimit` messages
     * of the session, this one included, oldest first. With a client_message_id, a retry finds the first save
     * instead of storing it twice (`created: false`, and no context: the caller decides what that turn needs).
     */
    async insertHuman (sessionId: string, content: string, options: { clientMessageId?: string, id?: string, contextLimit?: number, customerId?: string | null, withProfile?: boolean } = {}): Promise<{ message: Message, created: boolean, context: ContextMessage[], profile: ProfileValues | null }> {
      const { clientMessageId, id = uuidv7(), contextLimit = 0, customerId = null, withProfile = false } = options
      const olderLimit = Math.max(contextLimit - 1, 0)
      const metadata: MessageMetadata = clientMessageId ? { client_message_id: clientMessageId } : {}
      // The older messages come from the statement's snapshot, which never holds the row it inserts.
      const rows = await db
        .with('inserted', (db) => db.insertInto('messages')
          .values({ id, session_id: sessionId, role: 'human', content, metadata })
          // The index predicate is literal SQL: as a bound parameter it stops matching the partial index once
          // Postgres switches a prepared statement to a generic plan (42P10).
          .onConflict((oc) => oc.expression(sql`session_id, (metadata->>'client_message_id')`)
            .where(sql<boolean>`role = 'human' and metadata ? 'client_message_id'`).doNothing())
          .returningAll())
        // A linked session's context is its customer's timeline (SPEC §10).
        .with('older', () => customerId === null
          ? newestFirst(db.selectFrom('messages').select(CONTEXT_COLUMNS).where('session_id', '=', sessionId), olderLimit)
          : newestOfCustomer(db, customerId, olderLimit))
        // The new message whole, then the older ones with only the context's columns (a UNION matches by position;
        // cast() rather than ::, which pgbench would read as a variable when bench/turns.ts replays this statement).
        // The profile the session sees (SPEC §11's memory) rides on the new message's row: no extra round trip.
        .selectFrom('inserted').select(['id', 'role', 'content', 'session_id', 'metadata', 'created_at'])
        .select(withProfile ? profileJson(db, sessionId).as('profile') : sql<ProfileValues | null>`cast(null as jsonb)`.as('profile'))
        .unionAll((db) => db.selectFrom('older').select([...CONTEXT_COLUMNS,
          sql<string>`cast(null as uuid)`.as('session_id'), sql<MessageMetadata>`cast(null as jsonb)`.as('metadata'), sql<Date>`cast(null as timestamptz)`.as('created_at'),
          sql<ProfileValues | null>`cast(null as jsonb)`.as('profile')]))
        .execute()
      const row = rows.find((r) => r.id === id)
      if (row) {
        const { profile, ...message } = row
        return { message, created: true, context: contextLimit === 0 ? [] : rows.reverse().map(contextOf), profile }
      }
      const existing = await db.selectFrom('messages').selectAll()
        .where('session_id', '=', sessionId).where('role', '=', 'human')
        .where(sql`metadata->>'client_message_id'`, '=', clientMessageId!)
        .executeTakeFirstOrThrow()
      return { message: existing, created: false, context: [], profile: null }
    },

    /** The profile the session sees, for a turn that could not read it with its message (a retried save). */
    async profileOf (sessionId: string): Promise<ProfileValues | null> {
      const row = await db.selectNoFrom(profileJson(db, sessionId).as('profile')).executeTakeFirst()
      return row?.profile ?? null
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
     * A history page as the JSON the API answers with (`{"messages": [...], "has_more"}`): the newest `limit` messages
     * before the cursor message (exclusive), oldest first. Postgres builds the JSON, so the rows are never parsed
     * into objects only to be serialised again (cheaper in all: bench/FINDINGS.md, "Notes from the code"). `cursorFound` is false when the
     * cursor is not a message of this session (the page is then empty). A history load is activity (SPEC §4): the
     * same statement records it.
     */
    async pageJson (sessionId: string, limit: number, beforeId?: string): Promise<{ json: string, cursorFound: boolean }> {
      const cursor = sql`select created_at, id from messages where session_id = ${sessionId} and id = ${beforeId ?? null}::uuid`
      const result = await sql<{ messages: string, has_more: boolean, cursor_found: boolean }>`
        with touch as (update sessions set last_activity_at = clock_timestamp() where id = ${sessionId} returning id),
        page as (
          select id, role, content, metadata, created_at, row_number() over (order by created_at desc, id desc) as n
          from messages
          where session_id = ${sessionId} ${beforeId === undefined ? sql`` : sql`and (created_at, id) < (${cursor})`}
          order by created_at desc, id desc
          limit ${limit + 1}
        )
        select
          coalesce(json_agg(json_build_object('id', id, 'role', role, 'content', content, 'metadata', metadata, 'created_at', ${ISO_TIMESTAMP})
            order by created_at, id) filter (where n <= ${limit}), '[]')::text as messages,
          count(*) > ${limit} as has_more,
          ${beforeId === undefined ? sql`true` : sql`exists (${cursor})`} as cursor_found
        from page`.execute(db)
      const { messages, has_more: hasMore, cursor_found: cursorFound } = result.rows[0]!
      return { json: `{"messages":${messages},"has_more":${hasMore}}`, cursorFound }
    },

    /** The last `limit` messages for the LLM's context, oldest first (of the customer's timeline when linked). */
    async recent (sessionId: string, limit: number, customerId: string | null = null): Promise<ContextMessage[]> {
      if (limit === 0) return []
      const rows = customerId === null
        ? await newestFirst(db.selectFrom('messages').select(CONTEXT_COLUMNS).where('session_id', '=', sessionId), limit).execute()
        : await newestOfCustomer(db, customerId, limit).execute()
      return rows.reverse()
    },

    /**
     * A linked session's history page (SPEC §10): the customer's timeline, with pageJson's contract (order, cursor,
     * has_more, the session's activity recorded). Each linked session gives its newest `limit + 1` before the cursor
     * from the (session_id, created_at, id) index (LATERAL), and only those are merged: an index path whatever the
     * sessions' length. The cursor may be a message of any linked session.
     */
    async customerPageJson (sessionId: string, customerId: string, limit: number, beforeId?: string): Promise<{ json: string, cursorFound: boolean }> {
      const result = await sql<{ messages: string, has_more: boolean, cursor_found: boolean }>`${customerPageQuery(sessionId, customerId, limit, beforeId)}`.execute(db)
      const { messages, has_more: hasMore, cursor_found: cursorFound } = result.rows[0]!
      return { json: `{"messages":${messages},"has_more":${hasMore}}`, cursorFound }
    },

    async count (sessionId: string): Promise<number> {
      const row = await db.selectFrom('messages').select(db.fn.countAll<number>().as('n'))
        .where('session_id', '=', sessionId).executeTakeFirstOrThrow()
      return Number(row.n)
    }
  }
}

export type MessageRepository = ReturnType<typeof createMessageRepository>
