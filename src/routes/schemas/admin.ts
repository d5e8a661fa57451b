// Requests and responses of the operator console's API (SPEC §12).
import { Type, type Static } from '@sinclair/typebox'
import { Money, Text, Timestamp, Uuid } from './common.ts'
import { ProfileTextProperties } from './profile.ts'
const Count = Type.Integer({ minimum: 0 })
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A UTC calendar day, YYYY-MM-DD' })
/**
 * Search text: names, emails, phones. Bound as a parameter (never SQL), and what looks like SQL (a quote-dash
 * comment, a semicolon, an `=`) is refused with 400 rather than searched for: no lead has it in a name or email.
 */
const SearchText = Type.String({ maxLength: 100, pattern: '^(?!.*(--|/\\*|\\*/|;))[^=<>\\\\"`{}|]*$' })

export const AdminLoginBodySchema = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false })
export const AdminMeSchema = Type.Object({ admin: Type.Literal(true), via: Type.Union([Type.Literal('cookie'), Type.Literal('bearer')]) })

export const LeadSortSchema = Type.Union([Type.Literal('last_activity'), Type.Literal('first_seen'), Type.Literal('name'), Type.Literal('email')], { default: 'last_activity' })
export const SortOrderSchema = Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })

const LeadFilterProperties = {
  q: Type.Optional(SearchText),
  interest: Type.Optional(SearchText),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  sort: LeadSortSchema,
  order: SortOrderSchema
}

export const LeadsQuerySchema = Type.Object({
  ...LeadFilterProperties,
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 1024, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' }))
}, { additionalProperties: false })
export const LeadsExportQuerySchema = Type.Object(LeadFilterProperties, { additionalProperties: false })

export const LeadSchema = Type.Object({
  /** A customer (verified, all their sessions together) or an anonymous session that left contact details. */
  kind: Type.Union([Type.Literal('customer'), Type.Literal('session')]),
  customer_id: Type.Union([Uuid, Type.Null()]),
  /** The session, or the customer's most recently active one (where its transcript opens). */
  session_id: Uuid,
  customer_name: Text,
  email: Text,
  phone: Text,
  products_of_interest: Type.Array(Type.String()),
  services_of_interest: Type.Array(Type.String()),
  first_seen_at: Timestamp,
  last_activity_at: Timestamp,
  messages: Count,
  cost: Type.String()
})
export const LeadPageSchema = Type.Object({ leads: Type.Array(LeadSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) })

export const TranscriptParamsSchema = Type.Object({ session_id: Uuid })
export const TranscriptQuerySchema = Type.Object({
  after: Type.Optional(Uuid),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 })
}, { additionalProperties: false })

const FactSchema = Type.Object({
  field: Type.String(),
  old_value: Type.Unknown(),
  new_value: Type.Unknown(),
  extractor: Type.String(),
  confidence: Type.String(),
  created_at: Timestamp
})

export const TranscriptSchema = Type.Object({
  session: Type.Object({
    session_id: Uuid,
    customer_id: Type.Union([Uuid, Type.Null()]),
    /** The customer's other sessions (newest first, at most 50). */
    other_sessions: Type.Array(Uuid),
    created_at: Timestamp,
    last_activity_at: Timestamp,
    is_anonymous: Type.Boolean(),
    session_email: Text,
    ...ProfileTextProperties,
    products_of_interest: Type.Union([Type.Array(Type.String()), Type.Null()]),
    services_of_interest: Type.Union([Type.Array(Type.String()), Type.Null()]),
    preferences: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    messages: Count,
    requests: Count,
    cost: Type.String()
  }),
  messages: Type.Array(Type.Object({
    id: Uuid,
    role: Type.Union([Type.Literal('human'), Type.Literal('assistant'), Type.Literal('system')]),
    content: Type.String(),
    status: Text,
    created_at: Timestamp,
    llm_request_id: Type.Union([Uuid, Type.Null()]),
    model: Text,
    llm_status: Text,
    prompt_tokens: Type.Union([Count, Type.Null()]),
    completion_tokens: Type.Union([Count, Type.Null()]),
    total_tokens: Type.Union([Count, Type.Null()]),
    cost: Money,
    latency_ms: Type.Union([Type.Integer(), Type.Null()]),
    ttft_ms: Type.Union([Type.Integer(), Type.Null()]),
    facts: Type.Array(FactSchema)
  })),
  next_cursor: Type.Union([Uuid, Type.Null()])
})

export const CostsQuerySchema = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false })

const UsageRowSchema = Type.Object({
  day: Type.Union([Day, Type.Null()]),
  model: Text,
  purpose: Text,
  requests: Count,
  errors: Count,
  prompt_tokens: Count,
  completion_tokens: Count,
  total_tokens: Count,
  cost: Type.String()
})
const Millis = Type.Union([Type.Number(), Type.Null()])

export const CostsDailySchema = Type.Object({
  from: Day,
  to: Day,
  /** Rolled up by (day, model) — purpose null —, by (day, purpose) — model null —, and by model — day null. */
  usage: Type.Array(UsageRowSchema),
  latency: Type.Array(Type.Object({
    day: Day,
    requests: Count,
    latency_p50_ms: Millis,
    latency_p95_ms: Millis,
    ttft_p50_ms: Millis,
    ttft_p95_ms: Millis
  }))
})

export const CostsSummarySchema = Type.Object({
  from: Day,
  to: Day,
  models: Type.Array(UsageRowSchema),
  per_lead: Type.Object({ leads: Count, spend: Type.String(), cost_per_lead: Money })
})

export const CollisionReviewQuerySchema = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('merged'), Type.Literal('dismissed')], { default: 'open' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 })
}, { additionalProperties: false })

const ReviewSideSchema = Type.Union([Type.Null(), Type.Object({
  session_id: Uuid,
  customer_id: Type.Union([Uuid, Type.Null()]),
  created_at: Timestamp,
  last_activity_at: Timestamp,
  messages: Count,
  customer_name: Text,
  email: Text,
  phone: Text,
  products_of_interest: Type.Union([Type.Array(Type.String()), Type.Null()]),
  services_of_interest: Type.Union([Type.Array(Type.String()), Type.Null()]),
  last_messages: Type.Array(Type.Object({
    id: Uuid,
    role: Type.Union([Type.Literal('human'), Type.Literal('assistant'), Type.Literal('system')]),
    content: Type.String(),
    created_at: Timestamp
  }))
})])

export const CollisionReviewSchema = Type.Object({
  collisions: Type.Array(Type.Object({
    id: Uuid,
    email: Type.String(),
    status: Type.String(),
    detected_at: Timestamp,
    session_id: Uuid,
    other_session_id: Uuid,
    session: ReviewSideSchema,
    other_session: ReviewSideSchema
  }))
})

export type LeadPage = Static<typeof LeadPageSchema>
export type Lead = Static<typeof LeadSchema>
export type Transcript = Static<typeof TranscriptSchema>
export type CostsDaily = Static<typeof CostsDailySchema>
export type CostsSummary = Static<typeof CostsSummarySchema>
export type CollisionReview = Static<typeof CollisionReviewSchema>
