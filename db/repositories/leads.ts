// The console's leads (SPEC §12): sessions whose profile holds a way to know or reach the person (a name, an email
// or a phone), newest activity first or in another order, one keyset page at a time. Read-only.
// A page is chosen first (an index scan on the sort key, stopped after `limit + 1` rows), and only its rows are
// then counted and costed, so a page costs the same on the first screen and the thousandth.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { DB } from '../types.ts'

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

/** The sort key as SQL, and its type for reading a position back. Text keys sort case-insensitively, empties last. */
const SORT_KEYS = {
  last_activity: { column: sql`s.last_activity_at`, type: sql`timestamptz` },
  first_seen: { column: sql`s.created_at`, type: sql`timestamptz` },
  name: { column: sql`lower(coalesce(p.customer_name, ''))`, type: sql`text` },
  email: { column: sql`lower(coalesce(p.email, ''))`, type: sql`text` }
} as const

function likePattern (text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function conditions (filter: LeadFilter): Array<Expression<SqlBool>> {
  const where: Array<Expression<SqlBool>> = [sql<SqlBool>`(p.customer_name is not null or p.email is not null or p.phone is not null)`]
  if (filter.search) {
    const pattern = likePattern(filter.search)
    where.push(sql<SqlBool>`(p.customer_name ilike ${pattern} or p.email ilike ${pattern} or p.phone ilike ${pattern})`)
  }
  if (filter.interest) {
    where.push(sql<SqlBool>`exists (select 1 from unnest(p.products_of_interest || p.services_of_interest) as i(term)
      where lower(i.term) = lower(${filter.interest}))`)
  }
  if (filter.from) where.push(sql<SqlBool>`s.last_activity_at >= ${filter.from}`)
  if (filter.to) where.push(sql<SqlBool>`s.last_activity_at < ${filter.to}`)
  return where
}

export function createLeadRepository (db: Kysely<DB>) {
  return {
    /** One page (`limit + 1` rows are read to tell whether another follows). */
    async page (query: LeadQuery) {
      const key = SORT_KEYS[query.sort]
      const direction = query.order === 'asc' ? sql`asc` : sql`desc`
      const where = conditions(query)
      if (query.after) {
        const comparison = query.order === 'asc' ? sql`>` : sql`<`
        where.push(sql<SqlBool>`(${key.column}, s.id) ${comparison} (cast(${query.after.value} as ${key.type}), cast(${query.after.id} as uuid))`)
      }
      const { rows } = await sql<LeadRow>`
        with page as (
          select s.id, s.created_at, s.last_activity_at, ${key.column} as sort_key, ${key.column}::text as sort_value,
            p.customer_name, p.email, p.phone, p.products_of_interest, p.services_of_interest
          from sessions s join profiles p on p.session_id = s.id
          where ${sql.join(where, sql` and `)}
          order by ${key.column} ${direction}, s.id ${direction}
          limit ${query.limit + 1}
        )
        select page.id as session_id, page.customer_name, page.email, page.phone,
          page.products_of_interest, page.services_of_interest, page.created_at, page.last_activity_at, page.sort_value,
          (select count(*) from messages m where m.session_id = page.id)::int8 as messages,
          (select coalesce(sum(r.computed_cost), 0) from llm_requests r where r.session_id = page.id)::text as cost
        from page
        order by page.sort_key ${direction}, page.id ${direction}
      `.execute(db)
      return rows
    }
  }
}

export interface LeadRow {
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
