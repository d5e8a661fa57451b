// Reads a PATCH /api/session/profile body: known fields only, each of the right JSON type and checked as extraction
// would check it; the first problem is a 400 naming the field.
import { Value } from '@sinclair/typebox/value'
import { Type } from '@sinclair/typebox'
import { Errors } from '../../infrastructure/errors/error-classes.ts'
import { checkPreferences, checkScalar, checkTerms, type Checked } from './validate-field.ts'
import { SCALAR_FIELDS, type ProfileValues, type ScalarField } from './types.ts'

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' })
const Terms = Type.Array(Type.String())
const Preferences = Type.Record(Type.String(), Type.Unknown())

export interface ProfilePatch { values: Partial<ProfileValues>, sourceMessageId: string | null }

const isScalarField = (name: string): name is ScalarField => (SCALAR_FIELDS as readonly string[]).includes(name)

function checked<T> (field: string, result: Checked<T>): T {
  if (!result.ok) throw new Errors.InvalidField(field, result.reason)
  return result.value
}

function readField (field: string, value: unknown, region: string): Partial<ProfileValues> {
  if (isScalarField(field)) {
    if (typeof value !== 'string') throw new Errors.InvalidField(field, 'must be a string (use DELETE to forget it)')
    return { [field]: checked(field, checkScalar(field, value, region)) }
  }
  if (field === 'products_of_interest' || field === 'services_of_interest') {
    if (!Value.Check(Terms, value)) throw new Errors.InvalidField(field, 'must be an array of strings')
    return { [field]: checked(field, checkTerms(value)) }
  }
  if (field === 'preferences') {
    if (!Value.Check(Preferences, value) || Array.isArray(value)) throw new Errors.InvalidField(field, 'must be an object')
    return { preferences: checked(field, checkPreferences(value)) }
  }
  throw new Errors.UnknownField(field.slice(0, 64))
}

export function parsePatch (body: Record<string, unknown>, region: string): ProfilePatch {
  let values: Partial<ProfileValues> = {}
  let sourceMessageId: string | null = null
  for (const [field, value] of Object.entries(body)) {
    if (field === 'source_message_id') {
      if (!Value.Check(Uuid, value)) throw new Errors.InvalidField(field, 'must be a message id')
      sourceMessageId = value.toLowerCase()
      continue
    }
    values = { ...values, ...readField(field, value, region) }
  }
  if (Object.keys(values).length === 0) throw new Errors.InvalidRequest('Name at least one profile field to set')
  return { values, sourceMessageId }
}
