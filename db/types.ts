// The database as Kysely sees it: one interface per table, rows derived with Selectable/Insertable.
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** numeric columns: pg returns strings, and money stays a decimal string end to end. */
type Decimal = ColumnType<string, string | null, string | null>
type Json<T extends object = Record<string, unknown>> = JSONColumnType<T, T | undefined, T>

// The fixed sets as values too, so the API's schemas are built from them rather than listing them again.
export const MESSAGE_ROLES = ['human', 'assistant', 'system'] as const
export type MessageRole = typeof MESSAGE_ROLES[number]
/** How an assistant message ended: whole, cut by a stop or a disconnect, or cut by an LLM error. */
export const MESSAGE_STATUSES = ['complete', 'partial', 'error'] as const
export type MessageStatus = typeof MESSAGE_STATUSES[number]
export const COLLISION_STATUSES = ['open', 'merged', 'dismissed'] as const
export type CollisionStatus = typeof COLLISION_STATUSES[number]
export type LinkMethod = 'email_code' | 'host_token' | 'operator'
export type VerificationStatus = 'pending' | 'consumed' | 'void' | 'superseded'
export type OutboxStatus = 'stored' | 'sending' | 'sent' | 'failed'

export interface SessionsTable {
  id: string
  session_key: string
  email: string | null
  is_anonymous: Generated<boolean>
  created_at: Timestamp
  last_activity_at: Timestamp
  metadata: Json
  /** The customer this session is linked to (SPEC §10); null while anonymous. */
  customer_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface CustomersTable {
  id: string
  /** Lower-cased; unique. */
  email: string | null
  /** The host site's user id (a JWT's `sub`); unique. */
  external_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
  metadata: Json
}

/** What a link changed, so an undo can give it back. */
export interface LinkChanges {
  customer_created: boolean
  session_before: { email: string | null, is_anonymous: boolean }
  /** profile_updates rows the link's merge wrote on the customer's profile. */
  profile_update_ids: string[]
}

export interface IdentityLinksTable {
  id: string
  customer_id: string
  session_id: string
  method: LinkMethod
  created_at: Timestamp
  undone_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  changes: Json<LinkChanges>
  metadata: Json
}

export interface EmailVerificationsTable {
  id: string
  session_id: string
  email: string
  code_hash: string
  status: ColumnType<VerificationStatus, VerificationStatus | undefined, VerificationStatus>
  attempts: Generated<number>
  expires_at: Timestamp
  created_at: Timestamp
  consumed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface OutboxTable {
  id: string
  session_id: string | null
  recipient: string
  subject: string
  /** As sent, except that a verification code is masked. */
  body: string
  kind: string
  transport: string
  status: OutboxStatus
  error: string | null
  created_at: Timestamp
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface MessageMetadata {
  status?: MessageStatus
  llm_request_id?: string
  model?: string
  provider?: string
  finish_reason?: string | null
  client_message_id?: string
  /** On an assistant message: the human message it answers. */
  reply_to?: string
  error_code?: string
  [key: string]: unknown
}

export interface MessagesTable {
  id: string
  session_id: string
  role: MessageRole
  content: string
  metadata: Json<MessageMetadata>
  created_at: Timestamp
}

export interface LlmRequestsTable {
  id: string
  session_id: string
  provider: string
  model: string
  request_body: Json
  response_body: Json
  prompt_tokens: Generated<number>
  completion_tokens: Generated<number>
  total_tokens: Generated<number>
  unit_cost_prompt: Decimal | null
  unit_cost_completion: Decimal | null
  computed_cost: Decimal | null
  latency_ms: number | null
  created_at: Timestamp
}

export interface ProfilesTable {
  id: string
  /** Exactly one of session_id and customer_id is set: a session's own profile, or a customer's. */
  session_id: string | null
  customer_id: ColumnType<string | null, string | null | undefined, string | null>
  customer_name: string | null
  phone: string | null
  email: string | null
  address_street: string | null
  address_city: string | null
  address_state: string | null
  address_zip: string | null
  products_of_interest: ColumnType<string[], string[] | undefined, string[]>
  services_of_interest: ColumnType<string[], string[] | undefined, string[]>
  preferences: Json
  updated_at: Timestamp
}

export interface EmailCollisionsTable {
  id: string
  email: string
  session_id: string
  other_session_id: string
  status: ColumnType<CollisionStatus, CollisionStatus | undefined, CollisionStatus>
  detected_at: Timestamp
  metadata: Json
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** The customer a merge joined both sessions to. */
  customer_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ProfileUpdatesTable {
  id: string
  profile_id: string
  session_id: string
  message_id: string | null
  field: string
  old_value: ColumnType<unknown, string | null, string | null>
  new_value: ColumnType<unknown, string | null, string | null>
  extractor: string
  confidence: Decimal
  created_at: Timestamp
  /** Set when the visitor forgot the field: old_value and new_value are then null (SPEC §11). */
  forgotten_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** A closed day's LLM spend per model and purpose (the console's books; SPEC §12). */
export interface LlmUsageDailyTable {
  day: ColumnType<string, string, string>
  model: string
  purpose: string
  requests: number
  errors: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  cost: Decimal
}

/** A closed day's request count and latency percentiles; its row says the day has been summarised. */
export interface LlmLatencyDailyTable {
  day: ColumnType<string, string, string>
  requests: number
  latency_p50_ms: number | null
  latency_p95_ms: number | null
  ttft_p50_ms: number | null
  ttft_p95_ms: number | null
  summarised_at: Timestamp
}

/** A closed day's LLM spend per session (for cost per lead). */
export interface LlmSessionDailyTable {
  day: ColumnType<string, string, string>
  session_id: string
  requests: number
  cost: Decimal
}

export interface DB {
  sessions: SessionsTable
  messages: MessagesTable
  llm_requests: LlmRequestsTable
  profiles: ProfilesTable
  email_collisions: EmailCollisionsTable
  profile_updates: ProfileUpdatesTable
  customers: CustomersTable
  identity_links: IdentityLinksTable
  email_verifications: EmailVerificationsTable
  outbox: OutboxTable
  llm_usage_daily: LlmUsageDailyTable
  llm_latency_daily: LlmLatencyDailyTable
  llm_session_daily: LlmSessionDailyTable
}

export type Session = Selectable<SessionsTable>
export type Message = Selectable<MessagesTable>
export type LlmRequestRow = Selectable<LlmRequestsTable>
export type NewLlmRequest = Insertable<LlmRequestsTable>
export type LlmRequestUpdate = Updateable<LlmRequestsTable>
export type Profile = Selectable<ProfilesTable>
/** A profile's own values: the row without its bookkeeping columns. */
export type ProfileValues = Omit<Profile, 'id' | 'session_id' | 'customer_id' | 'updated_at'>
/** The fields a profile holds (its value columns). */
export type ProfileField = keyof ProfileValues
export type ProfileUpdate = Updateable<ProfilesTable>
export type EmailCollision = Selectable<EmailCollisionsTable>
export type ProfileUpdateRow = Selectable<ProfileUpdatesTable>
export type Customer = Selectable<CustomersTable>
export type IdentityLink = Selectable<IdentityLinksTable>
export type EmailVerification = Selectable<EmailVerificationsTable>
export type OutboxRow = Selectable<OutboxTable>
