// Rule-based, pure extraction of customer-profile facts from one visitor message.
import { extractAddress } from './extract-address.ts'
import { findEmails, pickOwnEmail } from './extract-email.ts'
import { extractInterests } from './extract-interests.ts'
import { pickOwnName } from './extract-name.ts'
import { pickOwnPhone } from './extract-phone.ts'
import { extractPreferences } from './extract-preferences.ts'
import { findOtherPeople } from './other-people.ts'
import { blankSpans, normalizeText } from './text.ts'
import type { ArrayField, ExtractOptions, ProfileFact } from './types.ts'

const OTHER_CONTACTS_CONFIDENCE = 0.8

export function extractProfileFacts (text: string, options: ExtractOptions): ProfileFact[] {
  const normalized = normalizeText(text)
  const others = findOtherPeople(normalized, options.defaultRegion)
  // The visitor's own fields are read from the message with everything said about other people blanked out.
  const own = blankSpans(normalized, others.spans)
  const facts: ProfileFact[] = []

  const name = pickOwnName(own)
  if (name !== null) facts.push({ field: 'customer_name', value: name.value, confidence: name.confidence })
  const email = pickOwnEmail(own)
  if (email !== null) facts.push({ field: 'email', value: email.value, confidence: email.confidence })
  const phone = pickOwnPhone(blankSpans(own, findEmails(own)), options.defaultRegion)
  if (phone !== null) facts.push({ field: 'phone', value: phone.value, confidence: phone.confidence })
  facts.push(...extractAddress(blankSpans(normalized, findEmails(normalized))))
  facts.push(...interestFacts(normalized, options))
  for (const hit of extractPreferences(own)) {
    facts.push({ field: 'preferences', value: { [hit.key]: hit.value }, confidence: hit.confidence })
  }
  if (others.contacts.length > 0) {
    facts.push({ field: 'preferences', value: { other_contacts: others.contacts }, confidence: OTHER_CONTACTS_CONFIDENCE })
  }
  return facts
}

/** One fact per term, in the order the visitor wrote them, so a threshold can drop a guess and keep the rest. */
function interestFacts (text: string, options: ExtractOptions): ProfileFact[] {
  const hits = extractInterests(blankSpans(text, findEmails(text)), options.products, options.services)
  const best = new Map<string, { field: ArrayField, value: string, confidence: number }>()
  for (const hit of hits) {
    const key = hit.value.toLowerCase()
    const field: ArrayField = hit.kind === 'product' ? 'products_of_interest' : 'services_of_interest'
    const current = best.get(key)
    if (current === undefined) best.set(key, { field, value: hit.value, confidence: hit.confidence })
    else current.confidence = Math.max(current.confidence, hit.confidence)
  }
  return [...best.values()].map(({ field, value, confidence }) => ({ field, value: [value], confidence }))
}
