// Finds what the visitor says about other people (spouse, colleague, assistant, cc) so it stays out of their own fields.
import { findEmails } from './extract-email.ts'
import { findPhones } from './extract-phone.ts'
import { isPlausibleName, readName } from './extract-name.ts'
import { sentenceEnd, type Span } from './text.ts'
import type { OtherContact } from './types.ts'

const RELATIONS = [
  'business partner', 'office manager', 'property manager', 'project manager', 'brother-in-law', 'sister-in-law',
  'mother-in-law', 'father-in-law', 'son-in-law', 'daughter-in-law', 'grandmother', 'grandfather', 'grandma',
  'grandpa', 'girlfriend', 'boyfriend', 'fiancée', 'fiancee', 'fiancé', 'fiance', 'husband', 'wife', 'spouse',
  'partner', 'son', 'daughter', 'kid', 'mom', 'mum', 'mother', 'dad', 'father', 'parents', 'brother', 'sister',
  'aunt', 'uncle', 'cousin', 'niece', 'nephew', 'friend', 'neighbor', 'neighbour', 'colleague', 'coworker',
  'co-worker', 'assistant', 'secretary', 'manager', 'boss', 'supervisor', 'employee', 'tenant', 'landlord',
  'landlady', 'roommate', 'flatmate', 'accountant', 'bookkeeper', 'lawyer', 'attorney', 'contractor', 'electrician',
  'architect', 'realtor', 'agent', 'ceo', 'cfo', 'admin', 'lead', 'coordinator', 'director', 'representative', 'rep',
  'guy', 'gal', 'person', 'owner', 'principal', 'teacher', 'pastor',
  'client', 'buyer', 'seller', 'gc', 'builder', 'installer', 'plumber', 'roofer', 'inspector', 'designer', 'handyman'
]

// Role words kept in the relation ("our business manager"); others are dropped ("my older brother" → brother).
const ROLE_MODIFIERS = ['business', 'office', 'property', 'project', 'facilities', 'site', 'building', 'general', 'account', 'operations', 'finance', 'it']
// Any one word may stand before the relation ("our practice manager"); only role words are kept in it.
const RELATION = new RegExp(`\\b(?:my|our|the)\\s+(?:([\\p{L}-]{2,20})\\s+)?(${RELATIONS.join('|')})(?:'s|s'|s)?(?![\\p{L}-])|(?:^|(?<=[.!?;]\\s{1,3}))()(${RELATIONS.join('|')})(?=(?:'s|\\s+(?:is|was))\\s)`, 'giu')
// "the house next door at 211 Poplar Ridge Rd": the neighbours, unnamed.
// "the Hendersons at 14 Crabapple Ln": another family.
const FAMILY = /\b[Tt]he\s+\p{Lu}[\p{Ll}'-]+s\b(?=\s+(?:at|on|in|down|next|across)\b)/gu
const NEXT_DOOR = /\b(?:the\s+)?(?:house|place|home|people|folks|family)\s+(?:next\s+door|across\s+the\s+(?:street|road)|down\s+the\s+(?:street|road)|behind\s+us)\b/giu
// "He's Martin Goff, 541-…": no /i flag, which would let \p{Lu} match any letter.
const HE_IS_NAMED = /\b(?:[Hh]e|[Ss]he)(?:'s|\s+is)\s+(?=\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?(?:,|\s+at\s))/gu
const PRONOUN = /\b(?:(?:he|she|they)\s+(?:prefers?|wants?|likes?|uses?|will\s+(?:email|text|call|write)|'ll\s+(?:email|text|call|write))\b|to\s+(?:him|her|them)\s+(?:\w+\s+){0,2}?(?:at|on)\b|(?:he|she)(?:'s|\s+is)\s+the\s+(?:homeowner|owner|one|account\s+holder|decision\s+maker)\b|(?:he|she|they)(?:'d|\s+would)\s+like\s+(?:a\s+)?(?:call|text|quote)\b|(?:his|hers|her's|theirs)\s+(?:is|:)\s|is\s+(?:his|hers|theirs)\b|(?:send|forward|give|copy)\s+(?:him|her|them)(?:\s+[\w-]+){0,3}?\s+(?:at|on|to)\b|(?:his|her|their)\s+(?:\w+\s+){0,2}(?:e-?mail|address|number|phone|cell|mobile|line|contact|name|info|details|information)\b|(?:he|she|they)\s+can\s+be\s+reached|(?:he|she)(?:'s|\s+is)\s+(?:at|on)\b|(?:he|she)(?:'s|\s+is)\s+(?=[\w.+-]+@)|\bbe\s+(?:his|hers|theirs)\b|(?:reach|call|email|text|contact|cc)\s+(?:him|her|them)\s+(?:at|on)\b|(?:call|text|ring|reach|contact)\s+(?:him|her|them)\s+(?:to|about|for|directly|first)\b)/giu
// "Sal can be reached at 973-…" too.
const NAMED = /\b(\p{Lu}[\p{Ll}'-]+)(?:'s\s+(?:\w+\s+)?(?:e-?mail|number|phone|cell|mobile|line|contact info)\b|\s+can\s+be\s+reached\b)/gu
// "cc hank@…", "cc our facilities guy Hank on the quote, hank@…"
// "From: Baxter Renwick <baxter@…>": the header of a forwarded note, someone else's name and address.
// At the very start of a message it is the visitor's own header, pasted with the rest.
const FORWARDED = /\n[ \t]*(?:From|Sent\s+by|Reply-To|Forwarded\s+from)[ \t]*:[ \t]*(?=[^\n]{0,80}@)/gu
const CC = /\b(?:cc|cc'd|copy|loop\s+in)\s+(?!me\b|my\b)(?=[^.\n@]{0,60}?[\w.+-]+@)/giu
// The visitor talking about themselves again ends the other person's part of the sentence.
const SELF = new RegExp(`\\b(?:[Tt]his\\s+is\\s+(?!(?:his|her|their|the|a|an|my|our|him|them|it)\\b)|[Cc]alls?\\s+me|[Ii]|[Ii]'m|[Ii]m|[Ii]'ve|[Ii]'ll|[Mm]e|[Mm]ine|[Mm]yself|[Ww]e'?re|[Ww]e\\s+(?:are|live|own|have))\\b|\\b[Mm]y\\s+(?!(?:${RELATIONS.join('|')}|behalf)\\b)`, 'gu')
// "My husband's cell is … but he's hard to reach - the house line, …, is the best way to get me": a spaced dash ends
// the clause about the other person, unless their details follow it ("signs off - angela@…").
// "talk to him - Boyd Lasko 417 555 0161": a name with details after the dash is still theirs.
// "she's the homeowner - Annika Grundy": a name alone after the dash names the person just described.
const CLAUSE_DASH = /\s[-–—]\s(?![\w.+-]+@|\+?\(?\d|(?:\p{Lu}[\p{L}'-]+\s+){1,3}(?:[\w.+-]+@|\+?\(?\d)|\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2}\s*[.!]?\s*$)/u

interface Marker extends Span { relation: string, name?: string }

export interface OtherPeople { spans: Span[], contacts: OtherContact[] }

function markers (text: string): Marker[] {
  const found: Marker[] = []
  let lastRelation = 'other'
  const all = [
    ...[...text.matchAll(RELATION)].map((m) => ({ kind: 'relation' as const, m })),
    ...[...text.matchAll(PRONOUN)].map((m) => ({ kind: 'pronoun' as const, m })),
    ...[...text.matchAll(HE_IS_NAMED)].map((m) => ({ kind: 'pronoun' as const, m })),
    ...[...text.matchAll(NEXT_DOOR)].map((m) => ({ kind: 'next_door' as const, m })),
    ...[...text.matchAll(FAMILY)].map((m) => ({ kind: 'named' as const, m })),
    ...[...text.matchAll(NAMED)].filter((m) => isPlausibleName(m[1] ?? '')).map((m) => ({ kind: 'named' as const, m })),
    ...[...text.matchAll(CC)].map((m) => ({ kind: 'cc' as const, m })),
    ...[...text.matchAll(FORWARDED)].map((m) => ({ kind: 'named' as const, m }))
  ].sort((a, b) => a.m.index - b.m.index)
  for (const { kind, m } of all) {
    const start = m.index
    if (found.some((f) => f.start === start)) continue
    // "reach me, the assistant, at …" is the visitor describing themselves.
    if (kind === 'relation' && /\bme\s*[,(]\s*$/i.test(text.slice(Math.max(0, start - 6), start))) continue
    // "I'm the owner", "as the owner": the visitor's own role.
    // "I'm Pilar, the tenant at …" too.
    if (kind === 'relation' && /\b(?:i'?m|i\s+am|as)\s+(?:just\s+|only\s+|actually\s+|\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?,\s*)?$/iu.test(text.slice(Math.max(0, start - 40), start))) continue
    if (kind === 'relation') lastRelation = normalizeRelation(m[1] ?? m[3], m[2] ?? m[4] ?? 'other')
    // A pronoun ("His direct line is …") refers to the last person named in the message.
    if (kind === 'next_door') lastRelation = 'neighbor'
    const relation = kind === 'cc' ? 'cc' : kind === 'named' ? 'other' : lastRelation
    const name = kind === 'named' ? m[1] : undefined
    found.push({ start, end: start + m[0].length, relation, ...(name === undefined ? {} : { name }) })
  }
  return found
}

function normalizeRelation (modifier: string | undefined, raw: string): string {
  const role = modifier !== undefined && ROLE_MODIFIERS.includes(modifier.toLowerCase()) ? `${modifier.toLowerCase()} ` : ''
  const lower = role + raw.toLowerCase().replace(/\s+/g, ' ')
  if (lower === 'coworker' || lower === 'co-worker') return 'coworker'
  if (lower === 'neighbour') return 'neighbor'
  return lower.replace(/^fianc[ée]{1,2}$/, 'fiance')
}

function spanEnd (text: string, marker: Marker, next: number): number {
  const dash = CLAUSE_DASH.exec(text.slice(marker.end, marker.end + 300))
  const limit = Math.min(sentenceEnd(text, marker.end, 300), next, dash === null ? Infinity : marker.end + dash.index)
  SELF.lastIndex = 0
  const self = SELF.exec(text.slice(marker.end, limit))
  return self !== null ? marker.end + self.index : limit
}

function nameAfterMarker (text: string, marker: Marker, end: number): string | undefined {
  if (marker.name !== undefined) return marker.name
  const segment = text.slice(marker.end, end)
  // "my wife Anna", "my manager, John Smith" — but not "my wife's Honda"
  const possessive = /'s?$/.test(text.slice(marker.start, marker.end))
  const named = /^\s*(?:,\s*|:\s*|\s+(?:named|called)\s+)?/.exec(segment)
  const direct = possessive ? null : readName(text, marker.end + (named?.[0].length ?? 0), 'capitalized')
  if (direct !== null) return direct.value
  // "his name is Bob", "The tenant in unit A is Mike Ross"
  const is = /^[^.,;:!?]{0,30}?\s(?:is|was|are)\s+/.exec(segment)
  const afterIs = is === null ? null : readName(text, marker.end + is[0].length, 'capitalized')
  if (afterIs !== null) return afterIs.value
  const explicit = /\bname\s+is\s+/i.exec(segment)
  return explicit === null ? undefined : readName(text, marker.end + explicit.index + explicit[0].length, 'strong')?.value
}

interface Found { emails: Array<Span & { value: string }>, phones: Array<Span & { value: string }> }

function contactFor (text: string, marker: Marker, end: number, found: Found): OtherContact | null {
  const within = (hit: Span): boolean => hit.start >= marker.start && hit.end <= end
  const email = found.emails.find(within)?.value
  const phone = found.phones.find(within)?.value
  const name = nameAfterMarker(text, marker, end)
  if (email === undefined && phone === undefined && name === undefined) return null
  return {
    relation: marker.relation,
    ...(name === undefined ? {} : { name }),
    ...(email === undefined ? {} : { email }),
    ...(phone === undefined ? {} : { phone })
  }
}

export function findOtherPeople (text: string, defaultRegion: string): OtherPeople {
  const found = markers(text)
  const spans: Span[] = []
  const contacts: OtherContact[] = []
  if (found.length === 0) return { spans, contacts }
  const hits = { emails: findEmails(text), phones: findPhones(text, defaultRegion) }
  found.forEach((marker, i) => {
    const end = spanEnd(text, marker, found[i + 1]?.start ?? text.length)
    spans.push({ start: marker.start, end })
    const contact = contactFor(text, marker, end, hits)
    if (contact !== null) contacts.push(contact)
  })
  return { spans, contacts: mergeSamePerson(contacts) }
}

/** "My manager, John Smith … His direct line is …" is one person. */
function mergeSamePerson (contacts: OtherContact[]): OtherContact[] {
  const merged: OtherContact[] = []
  for (const contact of contacts) {
    const previous = merged[merged.length - 1]
    const clash = previous !== undefined && (['name', 'email', 'phone'] as const).some((k) => previous[k] !== undefined && contact[k] !== undefined)
    if (previous !== undefined && previous.relation === contact.relation && contact.relation !== 'other' && !clash) {
      merged[merged.length - 1] = { ...previous, ...contact }
    } else {
      merged.push(contact)
    }
  }
  return merged
}
