// Pure, incremental profile merge: what changes when a message's facts meet the stored profile; and log masking.
import { type OtherContact, type ProfileChange, type ProfileFact, type ProfileField, type ProfileValues, type ScalarField } from './types.ts'
import { PROFILE_FIELDS } from '../../infrastructure/config/schema.ts'
import { revisePart } from './part-corrections.ts'

export function emptyProfile (): ProfileValues {
  return {
    customer_name: null,
    email: null,
    phone: null,
    address_street: null,
    address_city: null,
    address_state: null,
    address_zip: null,
    products_of_interest: [],
    services_of_interest: [],
    preferences: {}
  }
}

function sameScalar (field: ScalarField, a: string | null, b: string): boolean {
  if (a === null) return false
  return field === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b
}

/** "Dana" after "Dana Reyes" adds nothing: keep the fuller name. */
function isShorterForm (field: ScalarField, current: string | null, next: string): boolean {
  if (field !== 'customer_name' || current === null) return false
  const have = current.toLowerCase().split(/\s+/)
  const got = next.toLowerCase().split(/\s+/)
  return got.length < have.length && got.every((word, i) => have[i] === word)
}

export function unionStrings (current: string[], added: string[]): string[] {
  const result = [...current]
  const seen = new Set(current.map((v) => v.toLowerCase()))
  for (const value of added) {
    const key = value.trim().toLowerCase()
    if (key === '' || seen.has(key)) continue
    seen.add(key)
    result.push(value.trim())
  }
  return result
}

function isContact (value: unknown): value is OtherContact {
  return typeof value === 'object' && value !== null && typeof (value as { relation?: unknown }).relation === 'string'
}

function samePerson (a: OtherContact, b: OtherContact): boolean {
  if (a.email !== undefined && b.email !== undefined) return a.email.toLowerCase() === b.email.toLowerCase()
  if (a.phone !== undefined && b.phone !== undefined) return a.phone === b.phone
  if (a.name === undefined || b.name === undefined) return false
  const [shorter, longer] = [a.name, b.name].map((n) => n.toLowerCase().split(/\s+/)).sort((x, y) => x.length - y.length)
  return (shorter ?? []).every((word, i) => longer?.[i] === word)
}

function mergeContact (current: OtherContact, added: OtherContact): OtherContact {
  const name = (added.name?.length ?? 0) > (current.name?.length ?? 0) ? added.name : current.name
  return {
    ...added,
    ...current,
    relation: current.relation === 'other' ? added.relation : current.relation,
    ...(name === undefined ? {} : { name })
  }
}

/** Other contacts are one list per profile; the same person (by email, phone or name) is completed, not repeated. */
export function unionContacts (current: unknown, added: unknown): OtherContact[] {
  const result = Array.isArray(current) ? current.filter(isContact) : []
  for (const contact of Array.isArray(added) ? added.filter(isContact) : []) {
    const index = result.findIndex((c) => samePerson(c, contact))
    if (index === -1) result.push(contact)
    else result[index] = mergeContact(result[index] as OtherContact, contact)
  }
  return result
}

function canonical (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'undefined'
}

export function deepEqual (a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

function mergePreferences (current: Record<string, unknown>, added: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current }
  for (const [key, value] of Object.entries(added)) {
    if (value === undefined || value === null) continue
    next[key] = key === 'other_contacts' ? unionContacts(next[key], value) : value
  }
  return next
}

function applyFact (next: ProfileValues, fact: ProfileFact): ProfileValues {
  switch (fact.field) {
    case 'preferences':
      return { ...next, preferences: mergePreferences(next.preferences, fact.value) }
    case 'products_of_interest':
    case 'services_of_interest':
      return { ...next, [fact.field]: unionStrings(next[fact.field], fact.value) }
    default:
      return applyScalar(next, fact)
  }
}

function applyScalar (next: ProfileValues, fact: Extract<ProfileFact, { field: ScalarField }>): ProfileValues {
  const current = next[fact.field]
  if (fact.value === null) return current === null ? next : { ...next, [fact.field]: null }
  if ('replacing' in fact) {
    return current !== null && current.toLowerCase() === fact.replacing.toLowerCase() ? { ...next, [fact.field]: fact.value } : next
  }
  if ('part' in fact) {
    const revised = current === null ? null : revisePart(current, fact.part, fact.value)
    return revised === null || revised === current ? next : { ...next, [fact.field]: revised }
  }
  if ((fact.onlyReplaces === true && current === null) || (fact.onlyFills === true && current !== null)) return next
  const value = fact.value.trim()
  if (value === '' || sameScalar(fact.field, next[fact.field], value) || isShorterForm(fact.field, next[fact.field], value)) return next
  return { ...next, [fact.field]: value }
}

function isUsable (fact: ProfileFact, minConfidence: number): boolean {
  return Number.isFinite(fact.confidence) && fact.confidence >= minConfidence
}

/**
 * Applies facts in order: a scalar takes the latest different value, arrays grow as a case-insensitive union,
 * preferences merge key by key. One change per field that really changed; facts below minConfidence are ignored.
 */
export function mergeProfile (current: ProfileValues, facts: ProfileFact[], minConfidence: number): { next: ProfileValues, changes: ProfileChange[] } {
  let next = current
  const confidence = new Map<ProfileField, number>()
  for (const fact of facts) {
    if (!isUsable(fact, minConfidence)) continue
    const before = next
    next = applyFact(next, fact)
    if (before !== next && !deepEqual(before[fact.field], next[fact.field])) confidence.set(fact.field, fact.confidence)
  }
  const changes: ProfileChange[] = []
  for (const field of PROFILE_FIELDS) {
    const used = confidence.get(field)
    if (used === undefined || deepEqual(current[field], next[field])) continue
    changes.push({ field, oldValue: current[field], newValue: next[field], confidence: used })
  }
  return { next, changes }
}

/** The visitor's own edits (PATCH): each named field takes exactly the given value; one change per real change. */
export function setValues (current: ProfileValues, values: Partial<ProfileValues>): { next: ProfileValues, changes: ProfileChange[] } {
  const next = { ...current, ...values }
  const changes: ProfileChange[] = []
  for (const field of PROFILE_FIELDS) {
    if (!(field in values) || deepEqual(current[field], next[field])) continue
    changes.push({ field, oldValue: current[field], newValue: next[field], confidence: 1 })
  }
  return { next, changes }
}

function maskEmail (value: string): string {
  const [local = '', domain = ''] = value.split('@')
  const labels = domain.split('.')
  const tld = labels.length > 1 ? labels[labels.length - 1] : ''
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld === '' ? '' : '.' + tld}`
}

function maskPhone (value: string): string {
  const keep = value.startsWith('+') ? 2 : 0
  if (value.length <= keep + 4) return '*'.repeat(value.length)
  return value.slice(0, keep) + '*'.repeat(value.length - keep - 4) + value.slice(-4)
}

function maskName (value: string): string {
  return value.split(/\s+/).filter(Boolean).map((w) => `${w.slice(0, 1).toUpperCase()}.`).join('')
}

function maskPreferences (value: unknown): string {
  if (typeof value !== 'object' || value === null) return '***'
  return Object.entries(value).map(([key, v]) => {
    if (key === 'other_contacts') return `${key}(${Array.isArray(v) ? v.length : 0})`
    return key === 'contact_channel' || key === 'language' ? `${key}=${String(v)}` : key
  }).join(',')
}

const MASKERS: Record<ScalarField, (value: string) => string> = {
  customer_name: maskName,
  email: maskEmail,
  phone: maskPhone,
  address_street: () => '***',
  address_city: (v) => `${v.slice(0, 1)}***`,
  address_state: (v) => v,
  address_zip: (v) => `${v.slice(0, 3)}**`
}

/** A log-safe rendering of a profile value: never the value itself when it identifies someone. */
export function maskValue (field: ProfileField, value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (field === 'preferences') return maskPreferences(value)
  if (field === 'products_of_interest' || field === 'services_of_interest') {
    return Array.isArray(value) ? value.map(String).join(', ') : '***'
  }
  return typeof value === 'string' ? MASKERS[field](value) : '***'
}
