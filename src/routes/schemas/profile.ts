import { Type } from '@sinclair/typebox'
import { OneOf, Timestamp, Uuid } from './common.ts'
import { COLLISION_STATUSES } from '../../../db/types.ts'

const Text = Type.Union([Type.String(), Type.Null()])

export const ProfileSchema = Type.Object({
  customer_name: Text,
  email: Text,
  phone: Text,
  address_street: Text,
  address_city: Text,
  address_state: Text,
  address_zip: Text,
  products_of_interest: Type.Array(Type.String()),
  services_of_interest: Type.Array(Type.String()),
  preferences: Type.Record(Type.String(), Type.Unknown()),
  updated_at: Type.Union([Timestamp, Type.Null()])
})

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
