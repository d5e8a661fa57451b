// Corrections of part of a value the visitor gave before: "no wait 0183" (the last four digits), "house number is
// 2214 not 2241", "Larch Ave not Larch St", "example.net at the end, not .com". The message alone cannot say what
// the whole value becomes, so each is a fact naming the part; the merge applies it to the value it finds.
import { A_STREET, SUFFIX, unitKeyword } from './extract-address.ts'
import { isPlausibleName } from './extract-name.ts'
import { editDistance } from './fuzzy.ts'
import { PHONE_SHAPE, properCaseWord } from './text.ts'
import type { RevisedPart, ScalarField } from './types.ts'

export type PartFact = { field: ScalarField, value: string, confidence: number, part: RevisedPart } | { field: ScalarField, value: string, confidence: number, replacing: string }

// "sorry, Lenexa, not Lawrence": a town for the one given before, when that is the one named after "not".
const PLACE_NOT = /(?<![\p{L}'-])(\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+)?)(?:\s+\d{5})?,?\s+not\s+(\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+)?)(?![\p{L}'-])/u

const CONFIDENCE = 0.75
// "Larch Ave not Larch St": the same name, another suffix.
const STREET_NAME = new RegExp(`\\b(\\p{Lu}[\\p{L}'-]+)\\s+(${SUFFIX})\\b\\.?,?\\s+not\\s+(?:the\\s+)?(?:\\1\\s+)?(?:${SUFFIX})\\b`, 'iu')
// "house number is 2214 not 2241", "it's 2214, not 2241"
const HOUSE_NUMBER = /\b(?:house|street|building)\s+(?:number|no\.?|#)\s*(?:is|should\s+be|:)?\s*(\d{1,6}[A-Za-z]?)\b|(?<![\d-])(\d{1,6}[A-Za-z]?),?\s+not\s+\d{1,6}[A-Za-z]?\b(?!\s*[-\d])/iu
// "75 Thistledown, not 57": the street's name between the numbers (a capital: "2 cats, not 3" is no street).
const HOUSE_NUMBER_NAMED = /(?<![\d-])(\d{1,6}[A-Za-z]?)\s+\p{Lu}[\p{L}'-]+,?\s+not\s+\d{1,6}[A-Za-z]?\b(?!\s*[-\d])/u
// "forgot to add, it's Apt 4": a unit for the street given before, in a message that gives no street.
// "unit 2" as the whole message too.
const UNIT_ADDED = /(?:\b(?:forgot|add|also|it'?s|its|we'?re|i'?m|and)\b[^.\n\d]{0,20}?|^\s*)\b(apt|apartment|unit|suite|ste)\.?\s*#?\s*([A-Za-z0-9-]{1,6})\b/iu
// "no wait 0183": four digits standing alone, right after the correction phrase.
const LAST_DIGITS = /^[^\d]{0,32}?(?<![\d-])(\d{4})(?![\d-])/u
const PHONE_CONTEXT = new RegExp(String.raw`(?<!\b(?:house|street|building|unit|apt)\s)\b(?:number|phone|cell|mobile|digits|last\s+(?:four|4))\b|${PHONE_SHAPE.source}`, 'i')
// "last 4 is 0116"
const LAST_FOUR = /\blast\s+(?:4|four)(?:\s+digits)?\s+(?:is|are|should\s+be|=)\s*(\d{4})\b/iu
// "example.net at the end, not .com": a domain that is not inside an email address.
// ".net, not .org": the top-level domain alone.
const DOMAIN = /(?<![\w.@-])((?:[a-z0-9-]+)?(?:\.[a-z0-9-]+)*\.(?:com|net|org|edu|gov|io|co|us|info|biz))\b(?![@\w.-])/iu
const EMAIL_CONTEXT = /\b(?:e-?mail|domain|at\s+the\s+end)\b|\bnot\s+\.(?:com|net|org|edu|gov|io|co|us)\b/i

// "my phone number ends in 0173 not 0137": the last four digits.
const ENDS_IN = /\b(?:number|phone|cell|mobile|it)\s+ends\s+(?:in|with)\s+(\d{4})\b/iu
// "area code is 970 not 907"
const AREA_CODE = /\barea\s+code\s+(?:is\s+|should\s+be\s+|'s\s+)?(\d{3})\b/iu
// "Grandstaff, two fs at the end sorry": a word, then how it is spelled.
const SPELLED_OUT = /^\s*(\p{L}[\p{L}'-]+)\s*,\s*(?:two|double|with\s+an?|one|spelled)\b/iu
// "pettigrew*": a chat's way of correcting a typo, one starred word that is the whole message.
const STARRED_WORD = /^\s*(?:(?:sorry|oops|sry)[,!]?\s+)?(?:\*([\p{L}][\p{L}'-]+)|([\p{L}][\p{L}'-]+)\*)\s*(?:sorry|oops|lol)?\s*[.!]?\s*$/iu
// "sorry its Katrin, autocorrect": one word after the correction phrase, which may replace a word of the name.
const NAME_WORD = /^\s*[,.:–—-]?\s*(?:(?:it|that)(?:'?s|\s+is)\s+|its\s+|should\s+be\s+)?(?:spelled\s+|spelt\s+)?([\p{L}][\p{L}'-]+)\s*(?:[,!]|\.(?!\S)|$|\s+with\s+(?:a|an|one|two)\b|\s+(?:lol|sorry|oops)\b)/u

/**
 * Parts corrected in `text`; `afterCorrections` holds the text after the message's last and after its first
 * correction phrase ("sorry autocorrect, it's Katryn": the word after the last one), or null when it has none.
 */
export function findPartCorrections (text: string, afterCorrections: [string, string] | null, previous: string | null = null): PartFact[] {
  const facts: PartFact[] = []
  const street = STREET_NAME.exec(text)
  if (street !== null) facts.push({ field: 'address_street', value: `${street[1] ?? ''} ${street[2] ?? ''}`, confidence: CONFIDENCE, part: 'street_name' })
  const house = HOUSE_NUMBER.exec(text)
  const endsIn = ENDS_IN.exec(text)?.[1]
  if (endsIn !== undefined) facts.push({ field: 'phone', value: endsIn, confidence: CONFIDENCE, part: 'last_digits' })
  const candidate = endsIn !== undefined ? undefined : house?.[1] ?? house?.[2] ?? HOUSE_NUMBER_NAMED.exec(text)?.[1]
  // "oops zip is 28804 not 28806": a ZIP, not a house number.
  const number = candidate !== undefined && /^\d{5}$/.test(candidate) && /\bzip\b/i.test(text) ? undefined : candidate
  if (number !== undefined && street === null) facts.push({ field: 'address_street', value: number, confidence: CONFIDENCE, part: 'house_number' })
  const unit = A_STREET.test(text) ? null : UNIT_ADDED.exec(text)
  if (unit !== null) facts.push({ field: 'address_street', value: `${unit[1] ?? ''} ${unit[2] ?? ''}`, confidence: CONFIDENCE, part: 'unit' })
  const lastFour = LAST_FOUR.exec(text)?.[1]
  if (lastFour !== undefined) facts.push({ field: 'phone', value: lastFour, confidence: CONFIDENCE, part: 'last_digits' })
  const area = AREA_CODE.exec(text)?.[1]
  if (area !== undefined) facts.push({ field: 'phone', value: area, confidence: CONFIDENCE, part: 'area_code' })
  const place = PLACE_NOT.exec(text)
  if (place !== null) facts.push({ field: 'address_city', value: place[1] ?? '', confidence: CONFIDENCE, replacing: place[2] ?? '' })
  const spelledOut = SPELLED_OUT.exec(text)?.[1]
  if (spelledOut !== undefined && isPlausibleName(spelledOut)) facts.push({ field: 'customer_name', value: spelledOut, confidence: CONFIDENCE, part: 'name_word' })
  const starMatch = STARRED_WORD.exec(text)
  const starred = starMatch?.[1] ?? starMatch?.[2]
  if (starred !== undefined && isPlausibleName(starred)) facts.push({ field: 'customer_name', value: starred, confidence: CONFIDENCE, part: 'name_word' })
  // "Chattanooga* lol": a town's word too; only the value it is close to changes.
  if (starred !== undefined) facts.push({ field: 'address_city', value: starred, confidence: CONFIDENCE, part: 'name_word' })
  if (afterCorrections === null) return facts
  const [afterLast, afterCorrection] = afterCorrections
  const word = NAME_WORD.exec(afterLast)?.[1] ?? NAME_WORD.exec(afterCorrection)?.[1]
  if (word !== undefined && starred === undefined && isPlausibleName(word)) facts.push({ field: 'customer_name', value: word, confidence: CONFIDENCE, part: 'name_word' })
  // A whole value restated after the correction is read as a whole value, not as a part.
  const digits = PHONE_SHAPE.test(afterCorrection) ? undefined : LAST_DIGITS.exec(afterCorrection)?.[1]
  // "my number is 865-555-0183", then "sorry 0138 not 0183": the number may be in the message before.
  const digitsFirst = /^\W{0,4}\d{4}\b/.test(afterCorrection)
  if (digits !== undefined && (PHONE_CONTEXT.test(text) || (digitsFirst && previous !== null && PHONE_CONTEXT.test(previous)))) facts.push({ field: 'phone', value: digits, confidence: CONFIDENCE, part: 'last_digits' })
  const domain = afterCorrection.includes('@') ? undefined : DOMAIN.exec(afterCorrection)?.[1]
  if (domain !== undefined && EMAIL_CONTEXT.test(text)) facts.push({ field: 'email', value: domain.toLowerCase(), confidence: CONFIDENCE, part: 'email_domain' })
  return facts
}

/** A spelling's sound, so "Kaitlyn" corrects "Caitlin" and "Philippa" corrects "Filippa". */
function soundKey (word: string): string {
  return word.toLowerCase().replace(/ph/g, 'f').replace(/c(?=[aou])/g, 'k').replace(/y/g, 'i').replace(/(\p{L})\1/gu, '$1')
}

/** The whole value once `part` of `current` is replaced by `fragment`, or null when the part does not fit it. */
export function revisePart (current: string, part: RevisedPart, fragment: string): string | null {
  switch (part) {
    case 'area_code':
      return /^\+1\d{10}$/.test(current) ? `+1${fragment}${current.slice(5)}` : null
    case 'last_digits':
      return /^\+\d{8,15}$/.test(current) ? current.slice(0, -4) + fragment : null
    case 'house_number':
      return /^\d/.test(current) ? current.replace(/^\d+[A-Za-z]?/, fragment.toUpperCase()) : null
    case 'email_domain': {
      const at = current.lastIndexOf('@')
      if (at === -1) return null
      if (!fragment.startsWith('.')) return `${current.slice(0, at + 1)}${fragment}`
      const dot = current.lastIndexOf('.')
      return dot < at ? null : current.slice(0, dot) + fragment
    }
    case 'unit': {
      if (/\b(?:apt|apartment|unit|suite|ste)\b|#/i.test(current)) return null
      const [keyword = '', id = ''] = fragment.split(' ')
      // Written as extract-address writes a unit that follows a street.
      return `${current} ${unitKeyword(keyword)} ${id.toUpperCase()}`
    }
    case 'surname': {
      // "Leontine" becomes "Leontine Harrowgate"; "Leontine Smith" becomes "Leontine Harrowgate".
      const words = current.split(' ')
      if (words.length > 3 || words[words.length - 1]?.toLowerCase() === fragment.toLowerCase()) return null
      return `${words.length === 1 ? current : words.slice(0, -1).join(' ')} ${fragment}`
    }
    case 'name_word': {
      // The word of the name the fragment is a misspelling of: "Kathryn Oyelaran" with "Katrin".
      const words = current.split(' ')
      const lower = fragment.toLowerCase()
      // "sorry, Tarrant-Bligh": the whole of a double-barrelled surname.
      const longer = words.findIndex((w) => lower.startsWith(`${w.toLowerCase()}-`))
      if (longer !== -1) return words.map((w, i) => i === longer ? properCaseWord(fragment) : w).join(' ')
      const key = soundKey(lower)
      const at = words.findIndex((w) => w.toLowerCase() !== lower && soundKey(w)[0] === key[0] && editDistance(soundKey(w), key, 2) <= 2)
      if (at === -1) return null
      words[at] = properCaseWord(fragment)
      return words.join(' ')
    }
    case 'street_name': {
      const words = current.split(' ')
      const [name = '', suffix = ''] = fragment.split(' ')
      const at = words.findIndex((w) => w.toLowerCase() === name.toLowerCase())
      if (at === -1 || at + 1 >= words.length) return null
      words[at + 1] = suffix.charAt(0).toUpperCase() + suffix.slice(1).toLowerCase()
      return words.join(' ')
    }
  }
}
