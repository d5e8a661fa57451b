// SPEC §10's routes: proof by email code, proof from the host site, erasing a customer, and the operators' actions.
import { Type, type Static } from '@sinclair/typebox'
import { Timestamp, Uuid } from './common.ts'

const NullableTimestamp = Type.Union([Timestamp, Type.Null()])

/** Checked strictly (one address, lower-cased) by the identity service: a malformed one is 400 invalid_email. */
export const VerifyEmailBodySchema = Type.Object({
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 320 }))
}, { additionalProperties: false })

export const VerifyEmailSentSchema = Type.Object({ sent: Type.Literal(true), email_hint: Type.String() })

export const ConfirmCodeBodySchema = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}$', description: 'the six digits of the emailed code' })
}, { additionalProperties: false })

export const IdentifyBodySchema = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 8192 })
}, { additionalProperties: false })

export const VerifiedSchema = Type.Object({ customer_id: Uuid, identity: Type.Literal('verified') })

export const VerificationSchema = Type.Union([Type.Object({ email_hint: Type.String() }), Type.Null()])
export const IdentityStateSchema = Type.Union([Type.Literal('anonymous'), Type.Literal('verified')])

export const IdParamsSchema = Type.Object({ id: Uuid })

export const CollisionRecordSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  session_id: Uuid,
  other_session_id: Uuid,
  status: Type.Union([Type.Literal('open'), Type.Literal('merged'), Type.Literal('dismissed')]),
  detected_at: Timestamp,
  resolved_at: NullableTimestamp,
  customer_id: Type.Union([Uuid, Type.Null()])
})

const LinkMethod = Type.Union([Type.Literal('email_code'), Type.Literal('host_token'), Type.Literal('operator')])

export const IdentityLinkSchema = Type.Object({
  id: Uuid,
  customer_id: Uuid,
  session_id: Uuid,
  method: LinkMethod,
  created_at: Timestamp,
  undone_at: NullableTimestamp
})

export const IdentityLinkListItemSchema = Type.Composite([IdentityLinkSchema, Type.Object({
  customer_email: Type.Union([Type.String(), Type.Null()]),
  customer_external_id: Type.Union([Type.String(), Type.Null()])
})])

export const PageQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  before: Type.Optional(Uuid)
})

export const IdentityLinkListSchema = Type.Object({ links: Type.Array(IdentityLinkListItemSchema), has_more: Type.Boolean() })
export type IdentityLinkList = Static<typeof IdentityLinkListSchema>

export const OutboxEmailSchema = Type.Object({
  id: Uuid,
  session_id: Type.Union([Uuid, Type.Null()]),
  recipient: Type.String(),
  subject: Type.String(),
  /** As sent, with a verification code masked. */
  body: Type.String(),
  kind: Type.String(),
  transport: Type.String(),
  status: Type.Union([Type.Literal('stored'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')]),
  error: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  sent_at: NullableTimestamp
})

export const OutboxListSchema = Type.Object({ emails: Type.Array(OutboxEmailSchema), has_more: Type.Boolean() })
export type OutboxList = Static<typeof OutboxListSchema>
