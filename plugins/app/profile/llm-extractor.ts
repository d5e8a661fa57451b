// The optional LLM extractor (profile.extractor: llm | both): asks the configured model for the customer's facts as
// JSON, validated with TypeBox. Its call is an llm_requests row like any other (purpose: profile_extraction).
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { LlmClient, LlmOutcome } from '../llm/types.ts'
import type { SentMessage } from '../ledger/llm-request-row.ts'
import type { ProfileFact, ScalarField } from './types.ts'
import { SCALAR_FIELDS } from './types.ts'
import { checkScalar } from './validate-field.ts'

const Nullable = Type.Union([Type.String({ maxLength: 300 }), Type.Null()])

export const ExtractionSchema = Type.Object({
  customer_name: Type.Optional(Nullable),
  email: Type.Optional(Nullable),
  phone: Type.Optional(Nullable),
  address_street: Type.Optional(Nullable),
  address_city: Type.Optional(Nullable),
  address_state: Type.Optional(Nullable),
  address_zip: Type.Optional(Nullable),
  products_of_interest: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  services_of_interest: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  preferences: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** Fields the customer takes back in this message ("ignore that address"): they become empty. */
  withdrawn: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }))
})
export type Extraction = Static<typeof ExtractionSchema>

/** How sure we are of a fact the model reports: below the rules' explicit matches, above the default threshold. */
const LLM_CONFIDENCE = 0.75

const PROMPT = [
  'Extract facts the customer states about THEMSELVES from the message.',
  'Reply with one JSON object only, using these keys when present: customer_name, email, phone, address_street,',
  'address_city, address_state (US two-letter code), address_zip, products_of_interest (array), services_of_interest',
  '(array), preferences (object, e.g. contact_channel, contact_time). Omit anything not stated. Never include facts',
  'about other people (colleagues, family). Do not guess. When the customer corrects a value ("sorry, my full name is',
  '…", "scratch that, the number is …"), give only the corrected value. When the customer withdraws a value ("ignore',
  'that address", "don\'t keep my number"), list its field names in "withdrawn" (an address withdraws address_street,',
  'address_city, address_state and address_zip) and do not give a value for them.',
  'When two customer messages are given, extract from the LAST one only; the earlier one is context: "please don\'t',
  'use that" withdraws what it gave, and a last message that is only a name, a town or a ZIP answers a question.'
].join(' ')

/** `previous`: the customer's message before this one, sent first as context. */
export function extractionMessages (text: string, catalogue: { products: string[], services: string[] }, previous: string | null = null) {
  const known = `Known products: ${catalogue.products.join(', ') || '(none)'}. Known services: ${catalogue.services.join(', ') || '(none)'}.`
  return [
    { role: 'system' as const, content: `${PROMPT} ${known}` },
    ...(previous === null ? [] : [{ role: 'user' as const, content: previous }]),
    { role: 'user' as const, content: text }
  ]
}

export function parseExtraction (reply: string): Extraction | null {
  const start = reply.indexOf('{')
  const end = reply.lastIndexOf('}')
  if (start === -1 || end <= start) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(reply.slice(start, end + 1))
  } catch {
    return null
  }
  const cleaned = Value.Clean(ExtractionSchema, parsed)
  return Value.Check(ExtractionSchema, cleaned) ? cleaned : null
}

const isScalarField = (name: string): name is ScalarField => (SCALAR_FIELDS as readonly string[]).includes(name)

/** Withdrawals first, then values: a field the model both withdraws and restates ends with the restated value. */
export function extractionFacts (extraction: Extraction, defaultRegion = 'US'): ProfileFact[] {
  const facts: ProfileFact[] = []
  for (const field of new Set(extraction.withdrawn ?? [])) {
    if (isScalarField(field)) facts.push({ field, value: null, confidence: LLM_CONFIDENCE })
  }
  for (const field of SCALAR_FIELDS) {
    const raw = extraction[field]
    // Normalised as the rules would store it; a value that does not check out (a bad phone) is dropped.
    const checked = raw === undefined || raw === null || raw.trim() === '' ? null : checkScalar(field, raw, defaultRegion)
    if (checked?.ok === true) facts.push({ field, value: checked.value, confidence: LLM_CONFIDENCE })
  }
  if (extraction.products_of_interest?.length) facts.push({ field: 'products_of_interest', value: extraction.products_of_interest, confidence: LLM_CONFIDENCE })
  if (extraction.services_of_interest?.length) facts.push({ field: 'services_of_interest', value: extraction.services_of_interest, confidence: LLM_CONFIDENCE })
  if (extraction.preferences && Object.keys(extraction.preferences).length) facts.push({ field: 'preferences', value: extraction.preferences, confidence: LLM_CONFIDENCE })
  return facts
}

export async function askLlm (llm: LlmClient, text: string, catalogue: { products: string[], services: string[] }, previous: string | null = null): Promise<{ outcome: LlmOutcome, sent: SentMessage[] }> {
  const sent = extractionMessages(text, catalogue, previous)
  const stream = llm.stream({ messages: sent, temperature: 0, responseFormat: { type: 'json_object' } })
  for await (const _delta of stream) { /* the answer is read whole */ }
  return { outcome: await stream.outcome, sent }
}
