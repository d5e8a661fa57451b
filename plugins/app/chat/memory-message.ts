// The memory system message of SPEC §11: "Known about this customer:" and one `field: value` line per non-empty
// field named in memory.fields. Values are the visitor's own words: each is kept to one short line.
import type { ProfileField, ProfileValues } from '../../../db/types.ts'
import { MEMORY_HEADER } from '../llm/memory-format.ts'

const MAX_VALUE_CHARS = 300

export interface MemoryMessage { content: string, fields: ProfileField[] }

function oneLine (text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > MAX_VALUE_CHARS ? `${line.slice(0, MAX_VALUE_CHARS - 1)}…` : line
}

/** Preferences as `key=value` pairs; other people's contacts stay out of the prompt. */
function preferencesLine (preferences: Record<string, unknown>): string {
  return Object.entries(preferences)
    .filter(([key, value]) => key !== 'other_contacts' && value !== null && (typeof value !== 'object'))
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ')
}

function valueLine (profile: ProfileValues, field: ProfileField): string {
  switch (field) {
    case 'products_of_interest':
    case 'services_of_interest':
      return profile[field].join(', ')
    case 'preferences':
      return preferencesLine(profile.preferences)
    default:
      return profile[field] ?? ''
  }
}

/** The message, or null when none of the fields has a value (no empty "Known about" message is sent). */
export function memoryMessage (profile: ProfileValues | null, fields: readonly ProfileField[]): MemoryMessage | null {
  if (profile === null) return null
  const lines: string[] = []
  const named: ProfileField[] = []
  for (const field of fields) {
    const value = oneLine(valueLine(profile, field))
    if (value === '' || named.includes(field)) continue
    lines.push(`${field}: ${value}`)
    named.push(field)
  }
  return lines.length === 0 ? null : { content: [MEMORY_HEADER, ...lines].join('\n'), fields: named }
}
