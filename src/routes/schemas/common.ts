import { Type } from '@sinclair/typebox'

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() })
}, { $id: 'Error' })

export const Timestamp = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' })
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
export const Uuid = Type.String({ pattern: UUID_PATTERN })

/** A schema for one of a fixed set of strings (a literal union). */
export const OneOf = <T extends string> (values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)))
/** A text column that may be empty. */
export const Text = Type.Union([Type.String(), Type.Null()])
/** Money travels as a decimal string, never a float. */
export const Money = Type.Union([Type.String(), Type.Null()])

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorSchema]))
