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

export interface SessionsTable {
  id: string
  session_key: string
  email: string | null
  is_anonymous: Generated<boolean>
  created_at: Timestamp
  last_activity_at: Timestamp
  metadata: Json
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
  session_id: string
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
}

export interface DB {
  sessions: SessionsTable
  messages: MessagesTable
  llm_requests: LlmRequestsTable
  profiles: ProfilesTable
  email_collisions: EmailCollisionsTable
  profile_updates: ProfileUpdatesTable
}

export type Session = Selectable<SessionsTable>
export type Message = Selectable<MessagesTable>
export type LlmRequestRow = Selectable<LlmRequestsTable>
export type NewLlmRequest = Insertable<LlmRequestsTable>
export type LlmRequestUpdate = Updateable<LlmRequestsTable>
export type Profile = Selectable<ProfilesTable>
/** A profile's own values: the row without its bookkeeping columns. */
export type ProfileValues = Omit<Profile, 'id' | 'session_id' | 'updated_at'>
/** The fields a profile holds (its value columns). */
export type ProfileField = keyof ProfileValues
