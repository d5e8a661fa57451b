// Shapes of the server's JSON (SPEC §5), taken from the server's own response schemas: never declared twice.
import type { Static, TSchema } from '@sinclair/typebox'
import type { ClientConfigSchema } from '../../src/routes/schemas/client.ts'
import type { SessionSummarySchema } from '../../src/routes/schemas/session.ts'
import type { ChatResponseSchema, HistorySchema, MessageSchema, StreamEndSchema, UsageReportSchema } from '../../src/routes/schemas/chat.ts'
import type { FieldSchema, ProfileSchema } from '../../src/routes/schemas/profile.ts'
import type { ErrorSchema } from '../../src/routes/schemas/common.ts'

/** What JSON makes of a server-side type: a Date travels as its ISO string. */
type Wire<T> = T extends Date ? string : T extends Array<infer U> ? Array<Wire<U>> : T extends object ? { [K in keyof T]: Wire<T[K]> } : T
type Json<S extends TSchema> = Wire<Static<S>>

export type ClientConfig = Static<typeof ClientConfigSchema>
export type UiConfig = ClientConfig['ui']
export type SessionInfo = Json<typeof SessionSummarySchema>
export type ChatMessage = Json<typeof MessageSchema>
export type MessageStatus = NonNullable<ChatMessage['metadata']['status']>
export type MessagesPage = Json<typeof HistorySchema>
export type ChatReply = Json<typeof ChatResponseSchema>
export type StreamEnd = Json<typeof StreamEndSchema>
export type UsageSummary = Json<typeof UsageReportSchema>
export type Profile = Json<typeof ProfileSchema>
/** A field of the visitor's profile, by name, as the profile API takes it. */
export type ProfileField = Static<typeof FieldSchema>
/** What an error response may hold: parsed defensively, since a proxy may answer in between. */
export type ApiErrorBody = Partial<Static<typeof ErrorSchema>>
