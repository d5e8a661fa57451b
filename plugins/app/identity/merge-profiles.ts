// The profile side of linking and undoing, as pure functions over what the repository read and locked.
// Linking (SPEC §10): per scalar field the most recently learned value wins, arrays are a case-insensitive union,
// preferences merge per key. Undoing: the customer's profile keeps a value only when another linked session also
// taught it; the undone session gets back what it taught while it was linked.
import type { FieldSource, LinkState, ProfileStep, ProvenanceRow, UndoState } from '../../../db/repositories/identity.ts'
import { profileValues } from '../../../db/repositories/identity.ts'
import type { ProfileChange } from '../../../db/repositories/profiles.ts'
import type { Profile, ProfileValues } from '../../../db/types.ts'
import { ARRAY_FIELDS, SCALAR_FIELDS, type ProfileFact, type ProfileField, type ScalarField } from '../profile/types.ts'
import { deepEqual, mergeProfile, unionContacts, unionStrings } from '../profile/merge.ts'

type Preferences = Record<string, unknown>

const sameScalar = (field: ScalarField, a: string, b: string) => field === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b

/** When a profile's field got its value: its newest provenance row, else the profile's last update. */
function learnedAt (sources: FieldSource[], field: ProfileField, profile: Profile): Date {
  return new Date(sources.find((s) => s.field === field)?.created_at ?? profile.updated_at)
}

function changeFrom (field: ProfileField, oldValue: unknown, newValue: unknown, source: FieldSource | undefined): ProfileChange {
  return { field, oldValue, newValue, confidence: source ? Number(source.confidence) : 1, messageId: source?.message_id ?? null }
}

function mergePreferences (current: Preferences, own: Preferences, ownIsNewer: boolean): Preferences {
  const merged = { ...current }
  for (const [key, value] of Object.entries(own)) {
    if (key === 'other_contacts') merged[key] = unionContacts(merged[key], value)
    else if (!(key in merged) || ownIsNewer) merged[key] = value
  }
  return merged
}

/** The session's own profile merged into the customer's: one change per field that really changes. */
export function planLinkMerge ({ customerProfile, customerSources, sessionProfile, sessionSources }: LinkState): ProfileStep {
  const current = profileValues(customerProfile)
  if (!sessionProfile) return { extractor: 'merge', next: current, changes: [] }
  const own = profileValues(sessionProfile)
  const next: ProfileValues = { ...current }
  const changes: ProfileChange[] = []
  const source = (field: ProfileField) => sessionSources.find((s) => s.field === field)
  const ownIsNewer = (field: ProfileField) => learnedAt(sessionSources, field, sessionProfile) > learnedAt(customerSources, field, customerProfile)
  for (const field of SCALAR_FIELDS) {
    const value = own[field]
    const have = current[field]
    if (value === null || (have !== null && sameScalar(field, have, value))) continue
    if (have !== null && !ownIsNewer(field)) continue
    next[field] = value
    changes.push(changeFrom(field, have, value, source(field)))
  }
  for (const field of ARRAY_FIELDS) {
    next[field] = unionStrings(current[field], own[field])
    if (!deepEqual(next[field], current[field])) changes.push(changeFrom(field, current[field], next[field], source(field)))
  }
  next.preferences = mergePreferences(current.preferences, own.preferences, ownIsNewer('preferences'))
  if (!deepEqual(next.preferences, current.preferences)) changes.push(changeFrom('preferences', current.preferences, next.preferences, source('preferences')))
  return { extractor: 'merge', next, changes }
}

/** Facts applied on top of a profile by one extractor (the host's claims, a verified address), latest wins. */
export function factsStep (current: ProfileValues, facts: ProfileFact[], extractor: string): ProfileStep {
  const { next, changes } = mergeProfile(current, facts, 0)
  return { extractor, next, changes }
}

const lower = (value: unknown) => String(value).trim().toLowerCase()
const asStrings = (value: unknown): string[] => Array.isArray(value) ? value.map(String) : []
const asObject = (value: unknown): Preferences => value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Preferences : {}

/** The array elements a provenance row added (new minus old), lower-cased. */
function addedElements (row: ProvenanceRow): string[] {
  const before = new Set(asStrings(row.old_value).map(lower))
  return asStrings(row.new_value).map(lower).filter((v) => !before.has(v))
}

/** The preference keys a provenance row set or changed, with their new values. */
function changedKeys (row: ProvenanceRow): Preferences {
  const before = asObject(row.old_value)
  return Object.fromEntries(Object.entries(asObject(row.new_value)).filter(([key, value]) => !deepEqual(before[key], value)))
}

function keepScalar (field: ScalarField, value: string | null, evidence: ProvenanceRow[]): string | null {
  if (value === null) return null
  const taught = evidence.filter((row) => typeof row.new_value === 'string').map((row) => row.new_value as string)
  if (taught.some((v) => sameScalar(field, v, value))) return value
  return taught.at(-1) ?? null // the latest value another session taught, else nothing
}

function keepPreferences (current: Preferences, evidence: ProvenanceRow[]): Preferences {
  const taught = evidence.map(changedKeys)
  const kept: Preferences = {}
  for (const [key, value] of Object.entries(current)) {
    const values = taught.filter((t) => key in t).map((t) => t[key])
    if (values.some((v) => deepEqual(v, value))) kept[key] = value
    else if (values.length > 0) kept[key] = values.at(-1)
  }
  return kept
}

/** What the customer's profile keeps once the session is gone from it: only what other linked sessions taught. */
function customerAfterUndo (customerProfile: Profile, evidence: ProvenanceRow[]): ProfileStep {
  const current = profileValues(customerProfile)
  const next: ProfileValues = { ...current }
  const about = (field: ProfileField) => evidence.filter((row) => row.field === field)
  for (const field of SCALAR_FIELDS) next[field] = keepScalar(field, current[field], about(field))
  for (const field of ARRAY_FIELDS) {
    const taught = new Set(about(field).flatMap(addedElements))
    next[field] = current[field].filter((v) => taught.has(lower(v)))
  }
  next.preferences = keepPreferences(current.preferences, about('preferences'))
  const fields: ProfileField[] = [...SCALAR_FIELDS, ...ARRAY_FIELDS, 'preferences']
  const changes = fields.filter((f) => !deepEqual(current[f], next[f]))
    .map((field) => ({ field, oldValue: current[field], newValue: next[field], confidence: 1, messageId: null }))
  return { extractor: 'undo', next, changes }
}

/** What the session taught while linked, as facts for its own profile again. */
function factsLearned (learned: ProvenanceRow[]): ProfileFact[] {
  const facts: ProfileFact[] = []
  for (const row of learned) {
    const confidence = Number(row.confidence)
    if ((SCALAR_FIELDS as readonly string[]).includes(row.field) && typeof row.new_value === 'string') {
      facts.push({ field: row.field as ScalarField, value: row.new_value, confidence })
    } else if (row.field === 'products_of_interest' || row.field === 'services_of_interest') {
      facts.push({ field: row.field, value: asStrings(row.new_value).filter((v) => addedElements(row).includes(lower(v))), confidence })
    } else if (row.field === 'preferences') {
      facts.push({ field: 'preferences', value: changedKeys(row), confidence })
    }
  }
  return facts
}

export function planUndo ({ customerProfile, sessionProfile, evidence, learned }: UndoState): { customer: ProfileStep, session: ProfileStep } {
  return {
    customer: customerAfterUndo(customerProfile, evidence),
    session: factsStep(profileValues(sessionProfile), factsLearned(learned), 'undo')
  }
}
