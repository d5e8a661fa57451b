// Owns what the operator console reads (SPEC §12): app.console.leads / transcript / costs / collisions. Read-only:
// every change the console makes (merge, dismiss, undo) goes through the plugin that owns those tables.
import { createHmac, randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { CollisionStatus, DB } from '../../db/types.ts'
import { createLeadRepository, LEAD_SORTS, type LeadFilter, type LeadPosition, type LeadRow, type LeadSort, type SortOrder } from '../../db/repositories/leads.ts'
import { createTranscriptRepository } from '../../db/repositories/transcripts.ts'
import { createConsoleCostRepository } from '../../db/repositories/console-costs.ts'
import { createCollisionReviewRepository } from '../../db/repositories/collision-review.ts'
import { Errors } from '../infrastructure/errors/error-classes.ts'
import { createCursorCodec } from './console/cursor.ts'
import { csvLine } from './console/csv.ts'
import { dayRange, parseDay } from './console/day-range.ts'

declare module 'fastify' {
  interface FastifyInstance {
    console: ReturnType<typeof createConsoleService>
  }
}

export interface LeadListQuery {
  q?: string
  interest?: string
  from?: string
  to?: string
  sort: LeadSort
  order: SortOrder
  limit: number
  cursor?: string
}

interface LeadCursor extends LeadPosition { sort: LeadSort, order: SortOrder }

const isLeadCursor = (value: unknown): value is LeadCursor => {
  if (!value || typeof value !== 'object') return false
  const { sort, order, value: position, id } = value as Record<string, unknown>
  return LEAD_SORTS.some((s) => s === sort) && (order === 'asc' || order === 'desc') &&
    typeof position === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)
}

const EXPORT_PAGE = 500
const CSV_HEADER = ['kind', 'customer_id', 'session_id', 'customer_name', 'email', 'phone', 'products_of_interest', 'services_of_interest',
  'first_seen_at', 'last_activity_at', 'messages', 'cost']

function leadView (row: LeadRow) {
  return {
    kind: row.kind,
    customer_id: row.customer_id,
    session_id: row.session_id,
    customer_name: row.customer_name,
    email: row.email,
    phone: row.phone,
    products_of_interest: row.products_of_interest,
    services_of_interest: row.services_of_interest,
    first_seen_at: row.created_at,
    last_activity_at: row.last_activity_at,
    messages: row.messages,
    cost: row.cost
  }
}

/**
 * The leads filter from the query string: days become instants (the end day included); a reversed range is 400.
 * Unlike a chart's, a list's range may be long: only the page is read.
 */
function leadFilter (query: Pick<LeadListQuery, 'q' | 'interest' | 'from' | 'to'>): LeadFilter {
  const filter: LeadFilter = { search: query.q?.trim() || undefined, interest: query.interest?.trim() || undefined }
  if (query.from) filter.from = new Date(parseDay(query.from, 'from'))
  if (query.to) filter.to = new Date(parseDay(query.to, 'to') + 86_400_000)
  if (filter.from && filter.to && filter.from >= filter.to) throw new Errors.InvalidRange('from is after to')
  return filter
}

function createConsoleService (db: Kysely<DB>, cursorKey: Buffer) {
  const leads = createLeadRepository(db)
  const transcripts = createTranscriptRepository(db)
  const costs = createConsoleCostRepository(db)
  const review = createCollisionReviewRepository(db)
  const leadCursors = createCursorCodec(cursorKey, isLeadCursor)

  return {
    async leads (query: LeadListQuery) {
      const after = query.cursor ? leadCursors.decode(query.cursor) : undefined
      if (after && (after.sort !== query.sort || after.order !== query.order)) throw new Errors.InvalidListCursor()
      const rows = await leads.page({ ...leadFilter(query), sort: query.sort, order: query.order, limit: query.limit, after })
      const page = rows.slice(0, query.limit)
      const last = page[page.length - 1]
      const more = rows.length > query.limit && last !== undefined
      return {
        leads: page.map(leadView),
        next_cursor: more ? leadCursors.encode({ sort: query.sort, order: query.order, value: last.sort_value, id: last.id }) : null
      }
    },

    /** Every lead the filter matches, as CSV lines (header first), read a page at a time. */
    async * leadsCsv (query: Omit<LeadListQuery, 'limit' | 'cursor'>): AsyncGenerator<string> {
      const filter = leadFilter(query)
      yield csvLine(CSV_HEADER)
      let after: LeadPosition | undefined
      for (;;) {
        const rows = await leads.page({ ...filter, sort: query.sort, order: query.order, limit: EXPORT_PAGE, after })
        const page = rows.slice(0, EXPORT_PAGE)
        for (const row of page) {
          const lead = leadView(row)
          yield csvLine(CSV_HEADER.map((column) => lead[column as keyof typeof lead]))
        }
        const last = page[page.length - 1]
        if (rows.length <= EXPORT_PAGE || !last) return
        after = { value: last.sort_value, id: last.id }
      }
    },

    async transcript (sessionId: string, options: { after?: string, limit: number }) {
      const session = await transcripts.session(sessionId)
      if (!session) throw new Errors.NotFound('Session')
      if (options.after && !(await transcripts.hasMessage(sessionId, options.after))) throw new Errors.InvalidCursor()
      const rows = await transcripts.messages(sessionId, options.limit, options.after)
      const page = rows.slice(0, options.limit)
      const facts = await transcripts.facts(page.filter((m) => m.role === 'human').map((m) => m.id))
      const messages = page.map((message) => ({
        ...message,
        facts: facts.filter((fact) => fact.message_id === message.id)
          .map(({ field, old_value: oldValue, new_value: newValue, extractor, confidence, created_at: createdAt }) =>
            ({ field, old_value: oldValue, new_value: newValue, extractor, confidence, created_at: createdAt }))
      }))
      const last = page[page.length - 1]
      return { session, messages, next_cursor: rows.length > options.limit && last ? last.id : null }
    },

    costs: {
      async daily (query: { from?: string, to?: string }) {
        const range = dayRange(query)
        return { ...range, ...await costs.daily(range) }
      },
      async summary (query: { from?: string, to?: string }) {
        const range = dayRange(query)
        return { ...range, ...await costs.summary(range) }
      },
      closeBooks: costs.closeBooks
    },

    async collisions (status: CollisionStatus, limit: number) {
      const list = await review.list(status, limit)
      const ids = [...new Set(list.flatMap((c) => [c.session_id, c.other_session_id]))]
      const [sides, messages] = await Promise.all([review.sides(ids), review.lastMessages(ids, 3)])
      const side = (sessionId: string) => {
        const found = sides.find((s) => s.session_id === sessionId)
        return found ? { ...found, last_messages: messages.filter((m) => m.session_id === sessionId).map(({ session_id: _s, ...m }) => m) } : null
      }
      return list.map((collision) => ({ ...collision, session: side(collision.session_id), other_session: side(collision.other_session_id) }))
    }
  }
}

export default fp(async (app) => {
  const token = app.config.admin.token
  // Cursors stay valid across restarts and instances (they share the token); without a token the console is off.
  const cursorKey = token ? createHmac('sha256', token).update('salient-console-cursor-v1').digest() : randomBytes(32)
  app.decorate('console', createConsoleService(app.db, cursorKey))
}, { name: 'console', dependencies: ['db', 'config'] })
