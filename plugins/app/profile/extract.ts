// Rule-based, pure extraction of customer-profile facts from one visitor message.
import { cityAfterStreet, extractAddress } from './extract-address.ts'
import { findEmails, pickOwnEmail } from './extract-email.ts'
import { extractInterests } from './extract-interests.ts'
import { pickOwnName, restatedName, surnameAlone } from './extract-name.ts'
import { pickOwnPhone } from './extract-phone.ts'
import { extractPreferences } from './extract-preferences.ts'
import { findOtherPeople } from './other-people.ts'
import { findPartCorrections } from './part-corrections.ts'
import { bareZipAfter, findCorrections, findWithdrawals } from './revisions.ts'
import { blankSpans, normalizeText } from './text.ts'
import type { ArrayField, ExtractOptions, ProfileFact, ScalarField } from './types.ts'

const OTHER_CONTACTS_CONFIDENCE = 0.8
// "my landlord is Mr. Ortiz at 55 Pine St", "her address is …", "he lives at …", "my tenant Priya is at 555 Elm St",
// "at her place in Tulsa", "my neighbour Arturo Gomez at 40 Sage Ct"
const OTHERS_ADDRESS = /^[^\d]{0,40}?\s(?:at|on)\s+\d|\b(?:is|are)\s+(?:buying|selling|renting|building)\s+\d|\b(?:lives|stays|is\s+based|is\s+located)\s+(?:in|at|on)\b|\b(?:his|her|their)\s+(?:place|house|home|property|apartment|condo|cabin|farm)\b|\b(?:is|'s)\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?,?\s+(?:at|on)\s+\d|\b(?:his|her|their)\s+(?:home\s+|mailing\s+)?address\b|\b(?:lives|stays)\s+at\b|(?:\b(?:is|are)|'s|'re)\s+(?:at|on)\s+\d/u
const BARE_ZIP_CONFIDENCE = 0.7
const ZIP_WORD = /\b(?:zip|zipcode|postcode|postal\s+code)\b/i
// "It's for my brother-in-law's house", "the panels are for my mom": the relative's address is the job site.
// "I'm helping my mother get a heat pump for her house at …" too.
// "my dad wants solar on his house", "im helping him out": the relative's house is where the work is.
// "asking for my son Eli", "a caregiver for Mr. Tisdale", "for my grandmother's house at …", "on behalf of my dad".
// "a heat pump for my mom", "my moms house needs new windows", "go on her house, not mine", "surprise my parents".
const JOB_FOR_SOMEONE = /\b(?:wants?|needs?)\s+(?:[\w-]+\s+){0,4}?at\s+(?:his|her|their)\s+(?:house|home|place|property)\b|\b(?:my|our)\s+tenants?\b[^.!?]{0,60}\b(?:want|need)s?\b|\b(?:my|our|a)\s+client\s+(?:wants|needs)\b|\bfor\s+(?:a|my|our)\s+client\b|\b(?:heat\s+pump|panels?|solar|battery|windows|roof|insulation|furnace|charger|quote|estimate|audit)\s+for\s+(?:my|our)\s+|\b(?:my|our)\s+[\w-]+?(?:'s|s)\s+(?:house|home|place|roof|cabin)\s+(?:needs|has|is\s+getting)\b|\b(?:go|be)\s+(?:on|at)\s+(?:his|her|their)\s+(?:house|home|place|roof)\b|\bgift\s+for\s+(?:my|our)\s+|\bsurprise\s+(?:my|our)\s+|\b(?:asking|inquiring|enquiring|writing|emailing|messaging|texting|calling|reaching\s+out)\s+for\s+(?:my|our)\s+|\b(?:caregiver|aide|nurse)\s+for\b|\bon\s+behalf\s+of\s+(?:my|our)\s+|\bfor\s+(?:my|our)\s+[\w-]+(?:'s|s')\s+(?:house|home|place|property|cabin|condo|farm)\b|\b(?:go|goes|going|be)\s+on\s+(?:my|our)\s+(?!own\b)[\w-]+(?:'s|s')?\s+(?:house|home|place|roof|property|cabin|farm)\b|\b(?:would|will)\s+be\s+for\s+(?:my|our)\s+|\bhelping\s+(?:my|our)\s+[\w-]+\b|\bgift(?:ing)?\s+(?:him|her|them)\b|\b(?:wants?|needs?|is\s+getting|is\s+looking\s+at|interested\s+in)\s+(?:[\w-]+\s+){0,4}?(?:on|for)\s+(?:his|her|their)\s+(?:house|home|place|roof|property|cabin|farm)\b|\bhelping\s+(?:him|her|them)\b|\b(?:it'?s|it\s+is|is|are|install(?:ation)?|quote|job|work)\s+(?:\w+\s+){0,2}?for\s+(?:my|our)\s+|\b(?:arranging|getting|organi[sz]ing|buying|booking|setting\s+(?:this\s+|it\s+)?up|sorting(?:\s+out)?|planning)\s+(?:[\w-]+\s+){0,4}?for\s+(?:my|our)\s+|\bhelping\s+(?:my|our)\s+[\w-]+\s+(?:get|with|install|buy|choose)\b/i

type ScalarFact = Extract<ProfileFact, { field: ScalarField }>

const isScalar = (fact: ProfileFact): fact is ScalarFact => fact.field !== 'preferences' && fact.field !== 'products_of_interest' && fact.field !== 'services_of_interest'

/**
 * The message with everything before `end` blanked: what the visitor said after a correction or a withdrawal. What
 * the whole message says about other people stays blanked ("should be his, 563-…" is still his after "should be").
 */
const after = (text: string, end: number, region: string): string => blankSpans(text, [{ start: 0, end }, ...findOtherPeople(text, region).spans])

/**
 * Facts in the order they apply: withdrawals first (the field empties), then values. A field named by a withdrawal
 * or restated after a correction takes its value only from the text that follows that phrase. `previous` is the
 * visitor's message before this one, for a withdrawal that points back at it ("please don't use that").
 */
export function extractProfileFacts (text: string, options: ExtractOptions, previous: string | null = null): ProfileFact[] {
  const normalized = normalizeText(text)
  const before = previous === null ? null : normalizeText(previous)
  let facts = factsIn(normalized, options, before)
  const corrections = findCorrections(normalized)
  if (corrections !== null) facts = restated(facts, normalized, corrections, options, before)
  // Applied after the whole values: "773 555 0138 no wait 0183" corrects the number of the same message.
  facts.push(...findPartCorrections(normalized, corrections === null ? null : [normalized.slice(corrections.last), normalized.slice(corrections.first)], before))
  const withdrawn: ProfileFact[] = []
  for (const withdrawal of findWithdrawals(normalized, before)) {
    const later = factsIn(after(normalized, withdrawal.end, options.defaultRegion), options, before).filter(isScalar)
    facts = [
      ...facts.filter((f) => !isScalar(f) || !withdrawal.fields.includes(f.field)),
      ...later.filter((f) => withdrawal.fields.includes(f.field))
    ]
    for (const field of withdrawal.fields) withdrawn.push({ field, value: null, confidence: 0.9 })
  }
  return [...withdrawn, ...facts]
}

/** Per scalar field, a value found after the correction replaces the one found in the whole message. */
function restated (facts: ProfileFact[], text: string, corrections: { first: number, last: number }, options: ExtractOptions, previous: string | null): ProfileFact[] {
  const later = factsIn(after(text, corrections.last, options.defaultRegion), options, previous).filter(isScalar)
  const name = later.some((f) => f.field === 'customer_name') ? null : restatedName(text, corrections.last)
  if (name !== null) later.push({ field: 'customer_name', value: name.value, confidence: name.confidence })
  const fields = new Set(later.map((f) => f.field))
  const result = [...facts.filter((f) => !isScalar(f) || !fields.has(f.field)), ...later]
  if (fields.has('address_zip')) return result
  const stated = result.find((f) => f.field === 'address_zip')
  if (stated === undefined) {
    // Bare, it can only replace the ZIP given before; after "my zip isn't …" it is the ZIP.
    const zip = bareZipAfter(text, corrections.first)
    const named = ZIP_WORD.test(text.slice(0, corrections.first))
    if (zip !== null) result.push({ field: 'address_zip', value: zip, confidence: BARE_ZIP_CONFIDENCE, onlyReplaces: !named })
    return result
  }
  // "my zip isn't 33301, it's 33304": a bare ZIP after the last correction replaces the one stated before it.
  const restatedZip = bareZipAfter(text, corrections.last)
  const replaced: ProfileFact = { field: 'address_zip', value: restatedZip ?? '', confidence: stated.confidence }
  return restatedZip === null ? result : [...result.filter((f) => f !== stated), replaced]
}

// "Here's what the other company sent: \"Summit Ridge Home Energy - 55 Depot St, …\"": a long quotation is someone
// else's words.
const QUOTED = /"[^"\n]{40,}"|“[^”]{40,}”/gu

function factsIn (text: string, options: ExtractOptions, previous: string | null): ProfileFact[] {
  const normalized = blankSpans(text, [...text.matchAll(QUOTED)].map((m) => ({ start: m.index, end: m.index + m[0].length })))
  const others = findOtherPeople(normalized, options.defaultRegion)
  // The visitor's own fields are read from the message with everything said about other people blanked out.
  const own = blankSpans(normalized, others.spans)
  const facts: ProfileFact[] = []

  const surname = surnameAlone(own)
  const name = pickOwnName(own, previous)
  if (surname !== null) facts.push({ field: 'customer_name', value: surname.value, confidence: surname.confidence, part: 'surname' })
  else if (name !== null) facts.push({ field: 'customer_name', value: name.value, confidence: name.confidence, ...(name.onlyFills === true ? { onlyFills: true } : {}) })
  const email = pickOwnEmail(own)
  if (email !== null) facts.push({ field: 'email', value: email.value, confidence: email.confidence })
  const phone = pickOwnPhone(blankSpans(own, findEmails(own)), options.defaultRegion)
  if (phone !== null) facts.push({ field: 'phone', value: phone.value, confidence: phone.confidence })
  // Addresses stay in other people's sentences ("my parents' place in Edison") unless the address is theirs.
  const theirSpans = others.spans.filter((span) => OTHERS_ADDRESS.test(normalized.slice(span.start, span.end)))
  // Only read when someone else's address is in the message: most messages have none.
  const jobSite = theirSpans.length > 0 && (JOB_FOR_SOMEONE.test(normalized) || (previous !== null && JOB_FOR_SOMEONE.test(previous)))
  const theirAddresses = jobSite ? [] : theirSpans
  const address = extractAddress(blankSpans(normalized, [...findEmails(normalized), ...theirAddresses]))
  facts.push(...address)
  const reply = address.length === 0 ? cityAfterStreet(normalized, previous) : null
  if (reply !== null) facts.push(reply)
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
