// The visitor's profile as the chat shows it, in "What we know about you" and in the dev diagnostics alike: one label
// a field, and one way to turn a value into text (set with textContent by the callers: never parsed as HTML).
import type { ProfileField } from './types.ts'

/** The fields in the order they are shown, with their labels. */
export const PROFILE_FIELDS: ReadonlyArray<readonly [ProfileField, string]> = [
  ['customer_name', 'Name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['address_street', 'Street'],
  ['address_city', 'City'],
  ['address_state', 'State'],
  ['address_zip', 'ZIP code'],
  ['products_of_interest', 'Products you asked about'],
  ['services_of_interest', 'Services you asked about'],
  ['preferences', 'Preferences']
]

/** Who else the visitor mentioned (kept in preferences): facts about other people, not about the visitor. */
const NOT_SHOWN = new Set(['other_contacts'])

/** A value as one line: a list joined with commas, an object as "key: value" pairs; '' for nothing. */
export function describeProfileValue (value: unknown): string {
  if (value == null) return ''
  if (Array.isArray(value)) return value.map(describeProfileValue).filter((v) => v !== '').join(', ')
  if (typeof value === 'object') {
    return Object.entries(value).filter(([key]) => !NOT_SHOWN.has(key))
      .map(([key, v]) => `${key.replace(/_/g, ' ')}: ${describeProfileValue(v)}`).join('; ')
  }
  return String(value)
}
