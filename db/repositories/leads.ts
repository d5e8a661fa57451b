// The console's leads (SPEC §12): customers, and the anonymous sessions whose profile holds a way to know or reach
// the person (a name, an email or a phone); newest activity first or in another order, one keyset page at a time.
// Read-only. Planned for its values (CUSTOM_PLAN): a rare search term and the plain list want different plans.
// A page is chosen first (an index scan on the sort key, stopped after `limit + 1` rows), and only its rows are
// then counted and costed, so a page costs the same on the first screen and the thousandth.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { DB } from '../types.ts'
import { CUSTOM_PLAN } from '../prepared-statements.ts'

export const LEAD_SORTS = ['last_activity', 'first_seen', 'name', 'email'] as const
export type LeadSort = typeof LEAD_SORTS[number]
export type SortOrder = 'asc' | 'desc'

export interface LeadFilter {
  /** Matched case-insensitively anywhere in the name, email or phone (taken literally: no wildcards). */
  search?: string
  /** A product or service of interest, matched case-insensitively. */
  interest?: string
  /** Last activity on or after `from` and before `to`. */
  from?: Date
  to?: Date
}

/** Where the previous page ended: its last row's sort value (as Postgres printed it) and id. */
export interface LeadPosition { value: string, id: string }

export interface LeadQuery extends LeadFilter {
  sort: LeadSort
  order: SortOrder
  limit: number
  after?: LeadPosition
}

/**
 * The sort key of each branch as SQL (sessions `s`, customers `c`, their last activity `act`, profile `p`), and its
 * type for reading a position back. Text keys sort case-insensitively, empty last in ascending order.
 */
const SORT_KEYS = {
  last_activity: { session: sql`s.last_activity_at`, customer: sql`act.last_activity_at`, type: sql`timestamptz` },
  first_seen: { session: sql`s.created_at`, customer: sql`c.created_at`, type: sql`timestamptz` },
  name: { session: sql`lower(coalesce(p.customer_name, ''))`, customer: sql`lower(coalesce(p.customer_name, ''))`, type: sql`text` },
  email: { session: sql`lower(coalesce(p.email, ''))`, customer: sql`lower(coalesce(p.email, c.email, ''))`, type: sql`text` }
} as const

function likePattern (text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** The filter's conditions for one branch: `email` and `activity` are that branch's expressions. */
function conditions (filter: LeadFilter, email: RawBuilder<unknown>, activity: RawBuilder<unknown>): Array<Expression<SqlBool>> {
  const where: Array<Expression<SqlBool>> = []
  if (filter.search) {
    const pattern = likePattern(filter.search)
    where.push(sql<SqlBool>`(p.customer_name ilike ${pattern} or ${email} ilike ${pattern} or p.phone ilike ${pattern})`)
  }
  if (filter.interest) {
    where.push(sql<SqlBool>`exists (select 1 from unnest(p.products_of_interest || p.services_of_interest) as i(term)
      where lower(i.term) = lower(${filter.interest}))`)
  }
  if (filter.from) where.push(sql<SqlBool>`${activity} >= ${filter.from}`)
  if (filter.to) where.push(sql<SqlBool>`${activity} < ${filter.to}`)
  return where
}

const and = (where: Array<Expression<SqlBool>>) => where.length === 0 ? sql`true` : sql.join(where, sql` and `)

export function createLeadRepository (db: Kysely<DB>) {
  return {
    /**
     * One page (`limit + 1` rows are read to tell whether another follows): the anonymous sessions and the customers,
     * each branch read in the sort order and cut at the page size, then merged.
     */
    async page (query: LeadQuery) {
      const key = SORT_KEYS[query.sort]
      const direction = query.order === 'asc' ? sql`asc` : sql`desc`
      const comparison = query.order === 'asc' ? sql`>` : sql`<`
      const after = (column: RawBuilder<unknown>, id: RawBuilder<unknown>) => query.after
        ? [sql<SqlBool>`(${column}, ${id}) ${comparison} (cast(${query.after.value} as ${key.type}), cast(${query.after.id} as uuid))`]
        : []
      const sessionWhere = [
        sql<SqlBool>`s.customer_id is null`,
        sql<SqlBool>`(p.customer_name is not null or p.email is not null or p.phone is not null)`,
        ...conditions(query, sql`p.email`, sql`s.last_activity_at`),
        ...after(key.session, sql`s.id`)
      ]
      const customerWhere = [...conditions(query, sql`coalesce(p.email, c.email)`, sql`act.last_activity_at`), ...after(key.customer, sql`c.id`)]
      const limit = query.limit + 1
      const { rows } = await sql<LeadRow>`${sql.raw(CUSTOM_PLAN)}
        with page as (
          (select 'session' as kind, s.id, null::uuid as customer_id, s.id as session_id, s.created_at, s.last_activity_at,
            ${key.session} as sort_key, p.customer_name, p.email, p.phone, p.products_of_interest, p.services_of_interest
          from sessions s join profiles p on p.session_id = s.id
          where ${and(sessionWhere)}
          order by ${key.session} ${direction}, s.id ${direction}
          limit ${limit})
          union all
          (select 'customer', c.id, c.id, act.session_id, c.created_at, act.last_activity_at,
            ${key.customer}, p.customer_name, coalesce(p.email, c.email), p.phone,
            coalesce(p.products_of_interest, '{}'), coalesce(p.services_of_interest, '{}')
          from customers c
            left join profiles p on p.customer_id = c.id
            cross join lateral (
              select s.id as session_id, s.last_activity_at from sessions s where s.customer_id = c.id
              order by s.last_activity_at desc limit 1
            ) act
          where ${and(customerWhere)}
          order by ${key.customer} ${direction}, c.id ${direction}
          limit ${limit})
        ), chosen as (
          select * from page order by sort_key ${direction}, id ${direction} limit ${limit}
        )
        select chosen.kind, chosen.id, chosen.customer_id, chosen.session_id, chosen.customer_name, chosen.email, chosen.phone,
          chosen.products_of_interest, chosen.services_of_interest, chosen.created_at, chosen.last_activity_at,
          chosen.sort_key::text as sort_value, activity.messages, activity.cost
        from chosen
          cross join lateral (
            select (select count(*) from messages m where m.session_id = any(ids.list))::int8 as messages,
              (select coalesce(sum(r.computed_cost), 0) from llm_requests r where r.session_id = any(ids.list))::text as cost
            from (select case when chosen.customer_id is null then array[chosen.session_id]
              else array(select s.id from sessions s where s.customer_id = chosen.customer_id) end as list) ids
          ) activity
        order by chosen.sort_key ${direction}, chosen.id ${direction}
      `.execute(db)
      return rows
    }
  }
}

export interface LeadRow {
  kind: 'session' | 'customer'
  /** The session's id, or the customer's: the key of the row (and of the next page's position). */
  id: string
  customer_id: string | null
  /** The session, or the customer's most recently active session. */
  session_id: string
  customer_name: string | null
  email: string | null
  phone: string | null
  products_of_interest: string[]
  services_of_interest: string[]
  created_at: Date
  last_activity_at: Date
  /** The sort key as Postgres printed it: the next page's position. */
  sort_value: string
  messages: number
  cost: string
}

export type LeadRepository = ReturnType<typeof createLeadRepository>
