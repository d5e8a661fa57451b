import { Type } from '@sinclair/typebox'

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() })
}, { $id: 'Error' })

export const Timestamp = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' })
export const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' })
/** Money travels as a decimal string, never a float. */
export const Money = Type.Union([Type.String(), Type.Null()])

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorSchema]))
