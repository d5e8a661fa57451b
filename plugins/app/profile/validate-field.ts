// A value the visitor sets by hand (PATCH /api/session/profile) or the LLM extractor reports, checked and normalised
// as the rule extractor would have stored it: e-mail lower-cased domain, phone in E.164, state as its USPS code.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { normalizeEmail } from './extract-email.ts'
import { readState } from './us-states.ts'
import { properCase } from './text.ts'
import type { ScalarField } from './types.ts'

export type Checked<T> = { ok: true, value: T } | { ok: false, reason: string }

const ok = <T>(value: T): Checked<T> => ({ ok: true, value })
const bad = (reason: string): Checked<never> => ({ ok: false, reason })

// Postgres text cannot hold NUL; the other control characters are never part of a name, an address or a phone.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\p{Cs}/u
const EMAIL_SHAPE = /^[A-Za-z0-9._%+!#$&*~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}$/
const ZIP = /^\d{5}(?:-\d{4})?$/

const MAX_LENGTH: Record<ScalarField, number> = {
  customer_name: 100, email: 254, phone: 40, address_street: 120, address_city: 80, address_state: 40, address_zip: 10
}

function text (value: string, field: ScalarField): Checked<string> {
  if (UNSTORABLE.test(value)) return bad('contains characters that cannot be stored')
  const trimmed = value.trim().replace(/\s+/g, ' ')
  if (trimmed === '') return bad('is empty')
  if (trimmed.length > MAX_LENGTH[field]) return bad(`is longer than ${MAX_LENGTH[field]} characters`)
  return ok(trimmed)
}

function scalar (field: ScalarField, value: string, region: string): Checked<string> {
  const checked = text(value, field)
  if (!checked.ok) return checked
  const v = checked.value
  switch (field) {
    case 'email': {
      const email = EMAIL_SHAPE.test(v) ? normalizeEmail(v) : null
      return email === null ? bad('is not a valid e-mail address') : ok(email)
    }
    case 'phone': {
      const phone = /^[+\d\s().-]+$/.test(v) ? parsePhoneNumberFromString(v, region.toUpperCase() as CountryCode) : undefined
      return phone?.isPossible() === true ? ok(phone.number) : bad('is not a valid phone number')
    }
    case 'address_state': {
      const state = readState(v, 'all')
      return state !== null && state.length === v.length ? ok(state.code) : bad('is not a US state')
    }
    case 'address_zip':
      return ZIP.test(v) ? ok(v) : bad('is not a ZIP code (5 digits)')
    case 'customer_name':
      return /\p{L}/u.test(v) ? ok(v) : bad('is not a name')
    case 'address_city':
      return /\p{L}/u.test(v) ? ok(properCase(v)) : bad('is not a city')
    default:
      return ok(v)
  }
}

function terms (value: string[]): Checked<string[]> {
  if (value.length > 20) return bad('has more than 20 entries')
  const result: string[] = []
  for (const term of value) {
    if (UNSTORABLE.test(term)) return bad('contains characters that cannot be stored')
    const trimmed = term.trim()
    if (trimmed === '' || trimmed.length > 100) return bad('has an empty entry or one longer than 100 characters')
    if (!result.some((t) => t.toLowerCase() === trimmed.toLowerCase())) result.push(trimmed)
  }
  return ok(result)
}

function preferences (value: Record<string, unknown>): Checked<Record<string, unknown>> {
  const json = JSON.stringify(value)
  if (json.length > 4000) return bad('is larger than 4000 characters')
  if (UNSTORABLE.test(json.replace(/\\u00[01][0-9a-f]/gi, '\u0000'))) return bad('contains characters that cannot be stored')
  return ok(value)
}

/** Checks one field's value; the caller has already checked its JSON type (string, array of strings, object). */
export function checkScalar (field: ScalarField, value: string, region: string): Checked<string> {
  return scalar(field, value, region)
}

export function checkTerms (value: string[]): Checked<string[]> {
  return terms(value)
}

export function checkPreferences (value: Record<string, unknown>): Checked<Record<string, unknown>> {
  return preferences(value)
}
