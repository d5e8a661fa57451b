// Finds phone numbers and normalises them to E.164; rejects the digit runs that only look like phones.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { leftContext, rightContext, type Span } from './text.ts'

export interface PhoneHit extends Span { value: string, confidence: number }

// A bounded character-class run: linear time whatever the input.
const CANDIDATE = /(?:\+|\b00)?\(?\d[\d ().-]{5,24}\d/g
const PHONE_CUE = /\b(?:phone|cell|cellphone|mobile|mob|tel|telephone|number|no|num|call|calls|text|txt|sms|whatsapp|reach|ring|contact|line|landline|office|work|home|ph)\b[^\d]{0,25}$/i
const NOT_PHONE_CUE = /\b(?:order|invoice|inv|ref|reference|confirmation|conf|tracking|account|acct|ticket|case|claim|serial|model|sku|permit|policy|quote|po|id|member|customer|license|vin|meter)\b[^\d]{0,20}$/i
const MONEY_OR_UNIT = /^\s*(?:k\b|usd|dollars|bucks|kwh|kw|w\b|watts|sq|sqft|square|ft|feet|miles|mi\b|panels|units|%)/i
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/
const YEARS = /^(?:(?:19|20)\d{2}[\s-]+)+(?:19|20)\d{2}$/

const COUNTRY_HINTS: Array<[RegExp, CountryCode]> = [
  [/\b(?:uk|u\.k\.|united kingdom|britain|british|england|scotland|wales|london)\b/i, 'GB'],
  [/\b(?:germany|german|deutschland|berlin|munich)\b/i, 'DE'],
  [/\b(?:france|french|paris)\b/i, 'FR'],
  [/\b(?:india|indian|mumbai|delhi|bangalore|bengaluru|pune)\b/i, 'IN'],
  [/\b(?:australia|australian|aussie|sydney|melbourne)\b/i, 'AU'],
  [/\b(?:ireland|irish|dublin)\b/i, 'IE'],
  [/\b(?:spain|spanish|madrid)\b/i, 'ES'],
  [/\b(?:mexico|mexican)\b/i, 'MX']
]

interface Token { text: string, start: number }

function tokens (run: string, offset: number): Token[] {
  return [...run.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: offset + m.index }))
}

function countryHint (text: string): CountryCode | null {
  return COUNTRY_HINTS.find(([pattern]) => pattern.test(text))?.[1] ?? null
}

function looksLikeNonPhone (text: string, raw: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 2), start)
  // "#123" is an order or a unit; "ph# 575-…" is a phone.
  const hashLabel = /\b(?:ph|tel|phone|cell|mobile|no|num)\s*#\s*$/i.test(text.slice(Math.max(0, start - 10), start))
  if (/[$€£]\s*$/.test(before) || (/#\s*$/.test(before) && !hashLabel) || /[\p{L}\p{N}]$/u.test(before)) return true
  if (/^[\p{L}\p{N}@/]/u.test(text.slice(end, end + 1))) return true
  if (DATE.test(raw) || YEARS.test(raw) || MONEY_OR_UNIT.test(text.slice(end, end + 10))) return true
  const context = leftContext(text, start, 40)
  return NOT_PHONE_CUE.test(context) && !/\b(?:phone|cell|mobile|call|text|reach)\b/i.test(context)
}

function parse (raw: string, region: CountryCode, hint: CountryCode | null, cued: boolean): { value: string, confidence: number } | null {
  const input = raw.replace(/^00/, '+')
  const digits = input.replace(/\D/g, '')
  if (digits.length < 7 || digits.length > 15) return null
  const parsed = parsePhoneNumberFromString(input, region)
  // Toll-free lines belong to businesses (usually us), not to a visitor.
  if (parsed?.getType() === 'TOLL_FREE') return null
  if (parsed?.isValid() === true) return { value: parsed.number, confidence: cued || /[\s().-]/.test(raw) ? 0.9 : 0.7 }
  if (!input.startsWith('+') && hint !== null && input.startsWith('0')) {
    const local = parsePhoneNumberFromString(input, hint)
    if (local?.isPossible() === true) return { value: local.number, confidence: 0.75 }
  }
  // Reserved fiction ranges (UK 07700 900xxx) fail isValid but are well-formed numbers people do type.
  if (parsed?.isPossible() === true && (input.startsWith('+') || cued)) return { value: parsed.number, confidence: 0.75 }
  return null
}

/**
 * Written phone numbers have at most six groups and rarely more than two one-digit groups ("+33 6 12 …"). Two
 * five-digit groups are two ZIP codes ("46240 - 46220") unless a country says otherwise ("+91 98765 43210").
 */
function plausibleShape (tokens: Token[], hint: CountryCode | null): boolean {
  if (tokens.length > 6) return false
  const international = hint !== null || tokens[0]?.text.startsWith('+') === true
  if (!international && tokens.filter((t) => /^\d{5}$/.test(t.text)).length >= 2) return false
  return tokens.filter((t) => /^\(?\d\)?$/.test(t.text)).length <= 2
}

// libphonenumber parses are the expensive step: a message never gets more than this many.
const PARSE_BUDGET = 120

/** Longest valid token ranges first, so "62704 415-555-0134" yields the phone and not the ZIP. */
function phonesInRun (text: string, run: Token[], region: CountryCode, hint: CountryCode | null, budget: { left: number }): PhoneHit[] {
  const hits: PhoneHit[] = []
  let i = 0
  while (i < run.length) {
    let found = false
    for (let j = Math.min(run.length, i + 6); j > i && !found && budget.left > 0; j--) {
      const first = run[i] as Token
      const last = run[j - 1] as Token
      const start = first.start
      const end = last.start + last.text.length
      const raw = text.slice(start, end).replace(/^\((?=[^)]*$)/, '').replace(/[(.-]+$/, '')
      const digits = raw.replace(/\D/g, '').length
      if (digits < 7 || digits > 15 || !plausibleShape(run.slice(i, j), hint)) continue
      if (looksLikeNonPhone(text, raw, start, end)) continue
      budget.left--
      const cued = PHONE_CUE.test(leftContext(text, start, 40)) || /^\s*\(?(?:cell|mobile|home|work|office)\b/i.test(rightContext(text, end, 12))
      const parsed = parse(raw, region, hint, cued)
      if (parsed !== null) {
        hits.push({ ...parsed, start, end })
        i = j
        found = true
      }
    }
    if (!found) i++
  }
  return hits
}

export function findPhones (text: string, defaultRegion: string): PhoneHit[] {
  const region = defaultRegion.toUpperCase() as CountryCode
  const hint = countryHint(text)
  const hits: PhoneHit[] = []
  const budget = { left: PARSE_BUDGET }
  for (const match of text.matchAll(CANDIDATE)) {
    hits.push(...phonesInRun(text, tokens(match[0], match.index), region, hint, budget))
  }
  return hits
}

const STALE = /\b(?:not|old|no longer|used to be(?:\s+(?:on|at))?|was)\b[:\s]{0,3}$/i
// "… but the new number is 806-…": the number the visitor moved to.
const NEWER = /\b(?:new|now|instead|updated|correct|actually|use)\b[^\d]{0,30}$/i
// "Mine is 316-555-0138" after someone else's: the visitor's own, said as such.
const MINE = /\b(?:mine|my\s+own(?:\s+\w+)?)\s+(?:is|'s)\s*:?\s*$/i
// "the 618-555-0121 number on my account is disconnected": a dead line.
const DEAD_AFTER = /^[^.!?\d]{0,30}\b(?:is|was|got)\s+(?:disconnected|dead|out\s+of\s+service|not\s+in\s+service|no\s+longer\s+(?:in\s+service|working|active))/i
// "I called 800-…" is ours; "I'd rather be called at home: 505-…" is theirs.
const NOT_THEIRS = /\b(?:your(?!\s+(?:main\s+)?(?:contact|point))|you at|tried\s+(?:to\s+)?(?:call|reach|text|ring)(?:ing)?|(?<!\bbe\s)called|dialed|dialled|rang)\b[^\d]{0,15}$/i

// Which line a number is: "cell 651-…", "Mobile: 505-…", "651-… (cell)". A fax is never the visitor's phone.
const LINES = { cell: 'cell|cellphone|cell\\s+phone|mobile|mob', home: 'home|house|landline', work: 'work|office|desk|direct|business', fax: 'fax' }
type Line = keyof typeof LINES
const LINE_BEFORE = Object.entries(LINES).map(([line, words]) => [line, new RegExp(`\\b(?:${words})\\b(?:\\s+(?:phone|number|line|no\\.?))?(?:\\s+is\\s+(?:better|best|preferred|easier))?\\s*(?:is|#|:|-)?\\s*$`, 'i')] as const)
const LINE_AFTER = Object.entries(LINES).map(([line, words]) => [line, new RegExp(`^\\s*\\(?(?:${words})\\b`, 'i')] as const)
// "cell is best", "mobile preferred", "use my cell", "best number is my mobile", "prefer the home line".
const PREFERRED = (words: string): RegExp => new RegExp(String.raw`\b(?:(?:${words})(?:\s+(?:phone|number|line))?\s+(?:is|'s|would\s+be)\s+(?:the\s+)?(?:best|better|preferred|easiest|quickest)|(?:${words})\s+preferred|prefer\s+(?:my\s+|the\s+)?(?:${words})|(?:use|try|call|text)\s+(?:my\s+|the\s+)?(?:${words})|best\s+(?:number|way|bet)?\s*(?:is|would\s+be|to\s+use)\s+(?:my\s+|the\s+)?(?:${words}))\b`, 'i')
const PREFERENCES = Object.entries(LINES).map(([line, words]) => [line, PREFERRED(words)] as const)

function lineOf (text: string, hit: Span): Line | null {
  const before = leftContext(text, hit.start, 24)
  const after = rightContext(text, hit.end, 12)
  const found = LINE_BEFORE.find(([, pattern]) => pattern.test(before)) ?? LINE_AFTER.find(([, pattern]) => pattern.test(after))
  return found === undefined ? null : found[0] as Line
}

/** Several numbers of the visitor's own: the one they say is best ("home …, cell … - cell is best"). */
function preferredLine (text: string, hits: PhoneHit[]): PhoneHit | undefined {
  if (hits.length < 2) return undefined
  // "cell 608-555-0175 is better": said right after the number.
  const praised = hits.find((hit) => /^\s*(?:is|'s)\s+(?:better|best|preferred|easier)\b/i.test(rightContext(text, hit.end, 20)))
  if (praised !== undefined) return praised
  const wanted = PREFERENCES.find(([, pattern]) => pattern.test(text))?.[0]
  return wanted === undefined ? undefined : hits.find((hit) => lineOf(text, hit) === wanted)
}

export function pickOwnPhone (text: string, defaultRegion: string): PhoneHit | null {
  const hits = findPhones(text, defaultRegion).filter((hit) => {
    const before = leftContext(text, hit.start, 30)
    return !STALE.test(before) && !NOT_THEIRS.test(before) && lineOf(text, hit) !== 'fax' && !DEAD_AFTER.test(rightContext(text, hit.end, 60))
  })
  return hits.find((hit) => MINE.test(leftContext(text, hit.start, 30))) ?? hits.find((hit) => NEWER.test(leftContext(text, hit.start, 40))) ?? preferredLine(text, hits) ?? hits[0] ?? null
}
