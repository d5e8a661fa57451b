// Small string helpers shared by the extractors; every helper keeps character offsets stable.
export interface Span { start: number, end: number }

/** A North American number as people type it ("402 555 0126", "(402) 555-0126", "402.555.0126"), found anywhere. */
export const PHONE_SHAPE = /\d{3}[\s.)-]{0,2}\d{3}[\s.-]\d{4}/

const MAX_TEXT = 20_000

/** Same length as the input, so offsets found in the result point into the original message. */
export function normalizeText (text: string): string {
  return text
    .slice(0, MAX_TEXT)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u00a0\u2007\u202f\u200b-\u200d\ufeff\t]/g, ' ')
}

export function blankSpans (text: string, spans: Span[]): string {
  if (spans.length === 0) return text
  const chars = text.split('')
  for (const { start, end } of spans) {
    for (let i = start; i < end && i < chars.length; i++) {
      if (chars[i] !== '\n') chars[i] = ' '
    }
  }
  return chars.join('')
}

// "Mr. Ortiz", "Rev. Dwight Amos" do not end a sentence.
const BOUNDARY = /(?<!\b(?:Mr|Mrs|Ms|Dr|Rev|Fr|Prof|Sr|Jr|St))[.!?]+(?=\s|$)|\n|;/g

/** Offset of the end of the sentence that contains `from`, looking at most `limit` characters ahead. */
export function sentenceEnd (text: string, from: number, limit = 2000): number {
  const window = text.slice(from, from + limit)
  BOUNDARY.lastIndex = 0
  const match = BOUNDARY.exec(window)
  return match === null ? Math.min(text.length, from + limit) : from + match.index
}

/** Offset where the sentence containing `at` starts, looking at most `limit` characters back. */
export function sentenceStart (text: string, at: number, limit = 2000): number {
  const stop = Math.max(0, at - limit)
  for (let i = at - 1; i >= stop; i--) {
    const ch = text[i]
    if (ch === '\n' || ch === ';') return i + 1
    if ((ch === '.' || ch === '!' || ch === '?') && /\s/.test(text[i + 1] ?? ' ')) return i + 1
  }
  return stop
}

/** Text of the current sentence before `at`, at most `max` characters. */
export function leftContext (text: string, at: number, max = 40): string {
  return text.slice(sentenceStart(text, at, max), at)
}

export function rightContext (text: string, at: number, max = 40): string {
  return text.slice(at, sentenceEnd(text, at, max))
}

/** "o'neil" → "O'Neil", "JEAN-LUC" → "Jean-Luc", mixed case ("McKay") is kept as typed. */
export function properCaseWord (word: string): string {
  const isUniform = word === word.toLowerCase() || word === word.toUpperCase()
  if (!isUniform) return word
  return word.toLowerCase().replace(/(^|['-])(\p{Ll})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
}

export function properCase (phrase: string): string {
  return phrase.split(/\s+/).filter(Boolean).map(properCaseWord).join(' ')
}

export function isCapitalized (word: string): boolean {
  return /^\p{Lu}/u.test(word)
}

// "This is Bright Path Property Management", "Hi from Brightwater Dental": a company's word, whatever the words
// before it look like (a name, a town).
export const COMPANY_WORD = /^(?:management|properties|property|realty|llc|inc|corp|corporation|company|group|services|solutions|construction|builders|contracting|roofing|electric|electrical|plumbing|partners|associates|enterprises|holdings|ventures|industries|dental|clinic|church|farms?|ranch|school|academy|foundation|ministries|hoa|association|apartments|homes|auto|repair|machining|manufacturing|pediatrics|medical|veterinary|pharmacy|creamery|dairy|bakery|cafe|restaurant|salon|studio|motors|landscaping|hvac|heating|mechanical|supply|logistics|trucking|design|architects|insurance|orchards?|vineyards?|winery|brewery|parish|chapel|baptist|methodist|lutheran|catholic|presbyterian|fellowship|motel|hotel|storage|ltd|co-op|llp|pllc|pc)\b\.?/i
