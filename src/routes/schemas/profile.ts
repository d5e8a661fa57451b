import { Type } from '@sinclair/typebox'
import { OneOf, Text, Timestamp, Uuid } from './common.ts'
import { COLLISION_STATUSES } from '../../../db/types.ts'
import { PROFILE_FIELDS } from '../../../plugins/infrastructure/config/schema.ts'

export const FieldSchema = Type.Union(PROFILE_FIELDS.map((name) => Type.Literal(name)))

const FactSchema = Type.Object({
  value: Type.Unknown(),
  source_message_id: Type.Union([Uuid, Type.Null()]),
  updated_at: Timestamp,
  extractor: Type.String(),
  confidence: Type.Number()
})

/** Who the customer is and where: the profile's text fields, as the visitor's API and the console's show them. */
export const ProfileTextProperties = {
  customer_name: Text,
  email: Text,
  phone: Text,
  address_street: Text,
  address_city: Text,
  address_state: Text,
  address_zip: Text
}

const ProfileValuesSchema = Type.Object({
  ...ProfileTextProperties,
  products_of_interest: Type.Array(Type.String()),
  services_of_interest: Type.Array(Type.String()),
  preferences: Type.Record(Type.String(), Type.Unknown()),
  updated_at: Type.Union([Timestamp, Type.Null()])
})

/** SPEC §11: the profile with `facts`, per non-empty field where its value came from. */
export const ProfileSchema = Type.Composite([ProfileValuesSchema, Type.Object({
  facts: Type.Partial(Type.Object(Object.fromEntries(PROFILE_FIELDS.map((name) => [name, FactSchema]))))
})])

export const HistoryQuerySchema = Type.Object({ field: FieldSchema })
export const FieldParamsSchema = Type.Object({ field: FieldSchema })

export const FieldHistorySchema = Type.Object({
  field: Type.String(),
  values: Type.Array(Type.Object({
    value: Type.Unknown(),
    valid_from: Timestamp,
    valid_to: Type.Union([Timestamp, Type.Null()]),
    source_message_id: Type.Union([Uuid, Type.Null()]),
    extractor: Type.String(),
    confidence: Type.Number()
  }))
})

/** Checked field by field in the handler (no coercion: a number is not a phone), so any object passes here. */
export const ProfilePatchSchema = Type.Record(Type.String(), Type.Unknown(), { minProperties: 1, maxProperties: 12 })

export const EmailCollisionSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  status: OneOf(COLLISION_STATUSES),
  detected_at: Timestamp,
  session_id: Uuid,
  session_created_at: Timestamp,
  session_message_count: Type.Integer(),
  other_session_id: Uuid,
  other_session_created_at: Timestamp,
  other_session_message_count: Type.Integer()
})

export const EmailCollisionListSchema = Type.Object({ collisions: Type.Array(EmailCollisionSchema) })
export const CollisionQuerySchema = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) })
