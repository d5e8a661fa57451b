import { Type } from '@sinclair/typebox'
import { Money, OneOf, Timestamp, Uuid } from './common.ts'
import { MESSAGE_ROLES, MESSAGE_STATUSES, type MessageMetadata } from '../../../db/types.ts'

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
  status: OneOf(MESSAGE_STATUSES),
  usage: UsageSchema
})

/** The stream's `end` event. */
export const StreamEndSchema = Type.Object({
  status: OneOf(MESSAGE_STATUSES),
  message_id: Type.Union([Uuid, Type.Null()]),
  usage: UsageSchema
})

/** The stream's `error` event. */
export const TurnErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  upstream_code: Type.Union([Type.String(), Type.Null()]),
  message_id: Type.Union([Uuid, Type.Null()])
})

export const MessageSchema = Type.Object({
  id: Uuid,
  role: OneOf(MESSAGE_ROLES),
  content: Type.String(),
  // Postgres writes the history JSON itself (messages.pageJson): the stored metadata, as db/types.ts declares it.
  metadata: Type.Unsafe<MessageMetadata>(Type.Record(Type.String(), Type.Unknown())),
  created_at: Timestamp
})

export const HistoryQuerySchema = Type.Object({
  // Default: chat.history_limit.
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
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
