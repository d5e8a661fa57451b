// US state names and USPS codes; lower-case two-letter codes that are also English words need more context.
const STATES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'puerto rico': 'PR',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY'
}

const CODES = new Set(Object.values(STATES))
const WORD_LIKE_CODES = new Set(['AL', 'DE', 'HI', 'ID', 'IN', 'LA', 'MA', 'ME', 'MO', 'OH', 'OK', 'OR', 'PA'])

// Longest names first so "west virginia" wins over "virginia".
const NAMES = Object.keys(STATES).sort((a, b) => b.length - a.length)

export interface StateMatch { code: string, length: number, byCode: boolean }

/** Which lower-case codes to accept: none, those that are not also English words ("tx" but not "or"), or all. */
export type LowerCodes = 'none' | 'safe' | 'all'

/** Reads a state name or USPS code at the start of `text`. */
export function readState (text: string, lowerCodes: LowerCodes): StateMatch | null {
  const lower = text.toLowerCase()
  for (const name of NAMES) {
    if (lower.startsWith(name) && !/[\p{L}]/u.test(text[name.length] ?? '')) {
      return { code: STATES[name] as string, length: name.length, byCode: false }
    }
  }
  const code = /^([A-Za-z]{2})\.?(?![\p{L}\p{N}])/u.exec(text)
  const letters = code?.[1]
  if (code === null || letters === undefined) return null
  const upper = letters.toUpperCase()
  if (!CODES.has(upper)) return null
  if (letters !== upper && (lowerCodes === 'none' || (lowerCodes === 'safe' && WORD_LIKE_CODES.has(upper)))) return null
  return { code: upper, length: code[0].length, byCode: true }
}

// Codes that are English words even in capitals ("OK", "ME", "IN"); "PA" or "MA" after a city is a state.
const CAPS_WORDS = new Set(['HI', 'ID', 'IN', 'ME', 'OH', 'OK', 'OR'])

export function isCapsWord (code: string): boolean {
  return CAPS_WORDS.has(code)
}

export function isWordLikeCode (code: string): boolean {
  return WORD_LIKE_CODES.has(code)
}
