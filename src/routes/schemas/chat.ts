import { Type, type Static } from '@sinclair/typebox'
import { Money, Timestamp, Uuid } from './common.ts'

// A client_message_id is the browser's idempotency key for one send: a UUID or a similar opaque token.
const ClientMessageId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
// Length is checked against chat.max_message_chars by the chat service (413 naming the limit); this is a backstop.
const MessageText = Type.String({ maxLength: 1_000_000 })

export const ChatBodySchema = Type.Object({
  message: MessageText,
  client_message_id: Type.Optional(ClientMessageId)
}, { additionalProperties: false })

export const StreamQuerySchema = Type.Object({
  message: MessageText,
  client_message_id: Type.Optional(ClientMessageId)
})

export const UsageSchema = Type.Object({
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  total_tokens: Type.Integer(),
  cost: Money
})

export const ChatResponseSchema = Type.Object({
  reply: Type.String(),
  message_id: Type.Union([Uuid, Type.Null()]),
  human_message_id: Uuid,
  session_id: Uuid,
  model: Type.String(),
  status: Type.String(),
  usage: UsageSchema
})

export const MessageSchema = Type.Object({
  id: Uuid,
  role: Type.Union([Type.Literal('human'), Type.Literal('assistant'), Type.Literal('system')]),
  content: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  created_at: Timestamp
})

export const HistoryQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  before: Type.Optional(Uuid)
})

export const HistorySchema = Type.Object({
  messages: Type.Array(MessageSchema),
  has_more: Type.Boolean()
})

export const UsageReportSchema = Type.Object({
  session_id: Uuid,
  requests: Type.Integer(),
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  total_tokens: Type.Integer(),
  cost: Type.String(),
  by_model: Type.Array(Type.Object({
    model: Type.String(),
    provider: Type.String(),
    requests: Type.Integer(),
    prompt_tokens: Type.Integer(),
    completion_tokens: Type.Integer(),
    total_tokens: Type.Integer(),
    cost: Type.String()
  })),
  first_request_at: Type.Union([Timestamp, Type.Null()]),
  last_request_at: Type.Union([Timestamp, Type.Null()])
})

export const UsageParamsSchema = Type.Object({ session_id: Type.String({ maxLength: 64 }) })
export const UsageQuerySchema = Type.Object({ export: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')])) })

export type ChatBody = Static<typeof ChatBodySchema>
