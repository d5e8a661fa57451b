import { Type } from '@sinclair/typebox'
import { Timestamp, Uuid } from './common.ts'
import { IdentityStateSchema, VerificationSchema } from './identity.ts'

export const SessionSummarySchema = Type.Object({
  session_id: Uuid,
  created_at: Timestamp,
  last_activity_at: Timestamp,
  is_anonymous: Type.Boolean(),
  email: Type.Union([Type.String(), Type.Null()]),
  message_count: Type.Integer(),
  // SPEC §10: the customer the session is linked to, whether its visitor proved who they are, and the email hint.
  customer_id: Type.Union([Uuid, Type.Null()]),
  identity: IdentityStateSchema,
  verification: VerificationSchema
})

export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Object({ ok: Type.Boolean(), latency_ms: Type.Number() })
})
