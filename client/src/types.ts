// Shapes of the server's JSON (SPEC §5). Counts may arrive as strings when Postgres returns int8.

export type Role = 'human' | 'assistant' | 'system'
export type MessageStatus = 'complete' | 'partial' | 'error'
export type SubmitShortcut = 'enter' | 'mod+enter'
export type Count = number | string

export interface UiConfig {
  sse_enabled: boolean
  allow_basic_html: boolean
  dev_diagnostics: boolean
  submit_shortcut: SubmitShortcut
  enter_inserts_newline: boolean
}

export interface ClientConfig {
  app_name: string
  ui: UiConfig
}

export interface SessionInfo {
  session_id: string
  created_at: string
  last_activity_at: string
  is_anonymous: boolean
  email: string | null
  message_count: Count
}

export interface MessageMetadata {
  status?: MessageStatus
  model?: string
  llm_request_id?: string
  finish_reason?: string
  client_message_id?: string
}

export interface ChatMessage {
  id: string
  role: Role
  content: string
  metadata: MessageMetadata | null
  created_at: string
}

export interface MessagesPage {
  messages: ChatMessage[]
  has_more: boolean
}

export interface TurnUsage {
  prompt_tokens: Count
  completion_tokens: Count
  total_tokens: Count
  cost: string | null
}

export interface ChatReply {
  reply: string
  message_id: string
  human_message_id: string
  session_id: string
  model: string
  usage: TurnUsage
}

export interface StreamEnd {
  status: MessageStatus
  message_id: string
  usage: TurnUsage
}

export interface ModelUsage {
  model: string
  provider: string
  requests: Count
  prompt_tokens: Count
  completion_tokens: Count
  total_tokens: Count
  cost: string | null
}

export interface UsageSummary {
  session_id: string
  requests: Count
  prompt_tokens: Count
  completion_tokens: Count
  total_tokens: Count
  cost: string | null
  by_model: ModelUsage[]
  first_request_at: string | null
  last_request_at: string | null
}

export interface Profile {
  customer_name: string | null
  email: string | null
  phone: string | null
  address_street: string | null
  address_city: string | null
  address_state: string | null
  address_zip: string | null
  products_of_interest: string[] | null
  services_of_interest: string[] | null
  preferences: Record<string, unknown> | null
  updated_at: string | null
}

export interface ApiErrorBody {
  error?: { code?: string, message?: string }
}
