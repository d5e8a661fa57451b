// Finds a US postal address in its usual shapes: one line, several lines, "I live at … in City, State", "we're in
// Denver, CO", "my zip is 94107". City and state always come from the same candidate, never from two addresses.
import { isCapsWord, isWordLikeCode, readState } from './us-states.ts'
import { COMPANY_WORD, isCapitalized, leftContext, properCase, properCaseWord } from './text.ts'
import { US_CITIES } from './us-cities.ts'

export interface AddressParts {
  street?: string
  city?: string
  state?: string
  zip?: string
}

interface Candidate { parts: AddressParts, confidence: number, start: number }

/** Street suffixes, as one regular-expression alternation. */
export const SUFFIX = 'spur|crest|chase|mews|rise|trce|street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|terr|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|loop|row|alley|crescent|cres|plaza|plz|pike|path|point|pt|ridge|cove|crossing|xing|commons|walk|bend|glen|heights|hts|hollow|manor|meadows|park|pass|landing|bluff|run|grove|knoll|trace|vista|expressway|expy|freeway|fwy|turnpike|tpke|close'
// A street name's words are never a bare number or a lone dash ("phone 0186 address - 14 Magnolia Bluff").
const STREET = new RegExp(`\\b(\\d{1,6}[A-Za-z]?)\\s{1,3}((?:(?!\\d+\\s)(?![-–—.]+\\s)[\\p{L}\\p{N}'.-]{1,30}\\s{1,3}){1,4}?)(${SUFFIX})\\b\\.?`, 'giu')
/** Something shaped like a street ("57 Thistledown Ct"), for the modules that only need to know one is there. */
export const A_STREET = new RegExp(`\\b\\d{1,6}[A-Za-z]?\\s+(?:[\\p{L}\\p{N}'.-]+\\s+){1,4}?(?:${SUFFIX})\\b`, 'iu')
const SUFFIX_WORD = new RegExp(`^(?:${SUFFIX})$`, 'iu')
const SECOND_SUFFIX = new RegExp(`^ {1,2}(${SUFFIX})\\b\\.?`, 'iu')
// Not "Can you put a charger in at …", which asks for work there.
const WORKPLACE = /\bat\s+work\b[^.\d]{0,25}$|\b(?:i|we)\s+work\b[^.\d]{0,25}\b(?:at|on)\s+$|\b(?:my|our)\s+(?:office|work|job)\s+(?:is\s+)?(?:at|on)\s+$/i
const MOVING_FROM = /\b(?:moving|moved|relocating|used\s+to\s+live)\b[^.!?\d]{0,40}\b(?:from|at)\s+$|\bsold\s+(?:our|my)\s+(?:house|home|place|condo)\s+(?:at|on)\s+$|\b(?:old|previous|former)\s+(?:house|home|place|address|apartment|condo)\b[^.!?\d]{0,40}$/i
// A question about an address: "is 1400 Wainwright St in Sioux Falls in your service area?", unless the visitor says
// it is theirs.
const SERVICE_QUESTION = /\b(?:your\s+(?:service\s+)?(?:area|range|territory|zone)|do\s+you\s+(?:serve|cover|service|go\s+to|work\s+in))\b[^.!?]*\?/i

function askedAbout (text: string, at: number): boolean {
  const start = Math.max(text.lastIndexOf('.', at), text.lastIndexOf('?', at), text.lastIndexOf('!', at), text.lastIndexOf('\n', at)) + 1
  const end = text.indexOf('?', at)
  if (end === -1 || /[.!\n]/.test(text.slice(at, end))) return false
  // "… in your service area? that's my house"
  if (/^\s*(?:that'?s|thats|it'?s|its)\s+(?:my|our)\s+(?:house|home|place)\b/i.test(text.slice(end + 1, end + 40))) return false
  return SERVICE_QUESTION.test(text.slice(start, end + 1)) && !/\b(?:my|our)\s+(?:house|home|place|address)\b|\b(?:i|we)\s+live\b|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:at|on)\b/i.test(text.slice(start, end + 1))
}

const LIVE_AT = /\bmine\s+is\s+$|\b(?:house|home)\s+(?:we'?re|i'?m)\s+building\s+is\s+$|\b(?:(?:we|i)\s+live|(?:we'?re|i'?m|we\s+are|i\s+am)\s+(?:located\s+)?|(?:our|my)\s+(?:home|house)\s+is)\s+(?:at|on)\s+$/i
// "I'm the agent listing 1402 Oak Hollow Dr": a property for sale, not the visitor's home.
const LISTING = /\b(?:listing|showing|selling)\s+$/i
// "is your office at 400 commerce pkwy?": the company's place, asked about.
const YOUR_PLACE = /\b(?:your|ur)\s+(?:[\w-]+\s+)?(?:office|shop|showroom|store|warehouse|location|branch|address|place|hq|headquarters|building)\s+(?:still\s+)?(?:is\s+|on\s+|at\s+|located\s+|the\s+one\s+)*$/i
const PAST_WORK = /\bdid\s+you\s+(?:do|install|put|guys\s+do)\b[^.!?]{0,40}$|(?<!\b(?:can|could|would|will|to|please)\s)\b(?:you|your\s+(?:crew|team|guys|company|installers?|techs?))\s+(?:put|installed|did|fitted|built|wired|fixed)\b/i
const FUNCTION_WORD = new Set(['best', 'way', 'of', 'and', 'or', 'the', 'a', 'an', 'to', 'in', 'on', 'for', 'with', 'my', 'our', 'your', 'is', 'are', 'was', 'it', 'at', 'from', 'by', 'about'])
const NOT_STREET_WORD = new Set(`
minute minutes min mins mile miles hour hours hr hrs year years yr yrs day days week weeks month months best way of and or
the a an to in on for with my our your is are was it at from by about kw kwh sq ft feet foot inch inches percent panels
panel solar bedroom bedrooms bed beds bath baths bathroom bathrooms story stories storey acre acres car cars unit units
room rooms people person times time dollars bucks k x
`.split(/\s+/).filter(Boolean))
// A cue before a lower-case street; "its 2207 s wabash ave …" opens with the address itself.
const ADDRESS_CUE = /\b(?:apt|apartment|unit|suite|ste)\s*#?\s*\w{1,6}\s*,?\s*$|\b(?:live|lives|living|located|address|adress|addr|addy|ship|deliver|install|house|home|place|property|farm|cabin|condo|apartment|at|on)\b[^\d]{0,20}$|^\s*(?:it'?s|it\s+is)?\s*$/i
const DIRECTION = /^(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?$/i
// A whole keyword: ", Stevens Point" starts with "Ste" and is no suite.
const UNIT = /^\s*,?\s*(?:\n\s*)?((?:apt|apartment|unit|suite|ste|floor|bldg|building|rm|room)\b|#)\.?\s*#?\s*([A-Za-z0-9-]{1,6})\b/i
const CITY_STOP = new Set(`
the a an my our your this that his her their its some any touch person general total fact case time order addition
advance mind love need charge sales business town city area house home and or but so with for to of from by on at in
about me us you it there here summer winter spring fall morning afternoon evening night hi hello hey thanks
thank cheers regards best dear ok okay yes no please sorry we we're were i'm im it's they're i am is are was
live lives living located based staying moved reside work works not zip zipcode postal code fat fingers typo
`.split(/\s+/).filter(Boolean))

function formatStreetWord (word: string): string {
  if (DIRECTION.test(word) && word.length <= 3) return word.replace('.', '').toUpperCase()
  if (/^\d+(?:st|nd|rd|th)$/i.test(word)) return word.toLowerCase()
  return /^\d/.test(word) ? word.toUpperCase() : properCaseWord(word)
}

function readStreets (text: string): Array<{ street: string, start: number, end: number, confidence: number, cued: boolean }> {
  const found = []
  for (const match of text.matchAll(STREET)) {
    const words = (match[2] ?? '').trim().split(/\s+/)
    const capitalized = words.every((w) => isCapitalized(w) || /^\d/.test(w))
    // "2 acres", "10 min walk" are quantities; "33 Sunny Acres Dr" is a street.
    if (words.some((w) => NOT_STREET_WORD.has(w.toLowerCase()) && (!capitalized || FUNCTION_WORD.has(w.toLowerCase())))) continue
    // "Your crew put a battery in at 61 Thistle Ln for our neighbour": work we did elsewhere.
    // "…you installed at 48 Tidewater Ln keeps tripping the breaker": a problem at their own house.
    const theirProblem = /^[^.!?]{0,40}?\b(?:keeps|kept|stopped|isn'?t|won'?t|doesn'?t|is\s+(?:not|broken|leaking)|broke)\b/i.test(text.slice(match.index + match[0].length))
    if ((PAST_WORK.test(leftContext(text, match.index, 80)) && !theirProblem) || LISTING.test(leftContext(text, match.index, 40)) || YOUR_PLACE.test(leftContext(text, match.index, 50))) continue
    const cued = capitalized || ADDRESS_CUE.test(leftContext(text, match.index, 40))
    // "112 Bayou Bend Rd": a suffix word ("Bend") can be part of the name when another suffix follows it.
    const second = SECOND_SUFFIX.exec(text.slice(match.index + match[0].length, match.index + match[0].length + 16))
    const suffixes = second === null ? [match[3] ?? ''] : [match[3] ?? '', second[1] ?? '']
    const street = [match[1] ?? '', ...words, ...suffixes].map(formatStreetWord).join(' ')
    const end = match.index + match[0].length + (second?.[0].length ?? 0)
    // "I work at 100 Commerce Dr … our house at …": a workplace yields to a home.
    // "moving next month from 12 Pine Knoll Dr to …", "is 1400 Wainwright St … in your service area?"
    const elsewhere = MOVING_FROM.test(leftContext(text, match.index, 60)) || askedAbout(text, match.index)
    if (elsewhere) continue
    const workplace = WORKPLACE.test(leftContext(text, match.index, 40))
    // "our HOA office is at 1 Clubhouse Dr … we live at 18 Fairway Ridge": the home wins.
    const home = LIVE_AT.test(leftContext(text, match.index, 30))
    found.push({ street, start: match.index, end, confidence: workplace ? 0.7 : home ? 0.95 : capitalized ? 0.9 : 0.75, cued })
  }
  for (const match of text.matchAll(ROUTE)) {
    const street = [match[1] ?? '', ...(match[2] ?? '').split(/\s+/)].map(formatStreetWord).join(' ')
    found.push({ street, start: match.index, end: match.index + match[0].length, confidence: 0.85, cued: true })
  }
  return found
}

// "4780 Route 11", "12 State Route 9": a house on a numbered route, which has no suffix.
const ROUTE = /\b(\d{1,6})\s{1,2}((?:State\s+|County\s+|US\s+)?(?:Route|Rte)\s+\d{1,4}[A-Z]?)\b(?![-–.]?\d)/giu

// "3150 County Road 12", "Highway 50": a numbered road keeps its number.
const NUMBERED_ROAD = /(?:\b(?:County|State|Farm|Ranch|Forest)\s+(?:Road|Rd)|\b(?:Highway|Hwy))$/i
// "County Rd H", "County Road KK": Wisconsin's lettered roads.
const ROAD_NUMBER = /^ {1,2}(\d{1,4}[A-Z]?|[A-Z]{1,2})\b(?![-–.]?\d)/

/** Direction and unit that follow the street name: "Ave NW", "St, Apt 4B". */
function readStreetTail (text: string, street: string, end: number): { street: string, end: number } {
  let result = street
  let pos = end
  const road = NUMBERED_ROAD.test(street) ? ROAD_NUMBER.exec(text.slice(pos, pos + 8)) : null
  if (road !== null) {
    result += ` ${road[1] ?? ''}`
    pos += road[0].length
  }
  // "4410 22nd ave s fargo": in an all-lower-case message a direction may be lower case too.
  const direction = (text === text.toLowerCase() ? /^ {1,2}(n|s|e|w|ne|nw|se|sw)\b\.?(?= \p{L}{3,})/u : /^ {1,2}(N|S|E|W|NE|NW|SE|SW)\b\.?/).exec(text.slice(pos, pos + 8))
  if (direction !== null) {
    result += ` ${(direction[1] ?? '').toUpperCase()}`
    pos += direction[0].length
  }
  const unit = UNIT.exec(text.slice(pos, pos + 40))
  if (unit !== null) {
    const keyword = unitKeyword(unit[1] ?? '')
    const id = (unit[2] ?? '').toUpperCase()
    result += keyword === '#' ? ` #${id}` : ` ${keyword} ${id}`
    pos += unit[0].length
  }
  return { street: result, end: pos }
}

/** `stateNamed`: the state was written out ("louisiana"), which no common word is. */
interface Locality { city?: string, state?: string, zip?: string, end: number, stateNamed?: boolean }

// "rural Vermont", "upstate New York": words for a region of a state, never part of a city's name.
const REGIONS = 'rural|upstate|downstate|northern|southern|eastern|western|central|coastal|suburban'
const REGION_WORD = new RegExp(`^(?:${REGIONS})$`)
const CITY_WORD = /^[\p{L}][\p{L}.'-]{0,30}/u
// "Ogden, Utah (84403)" too.
const ZIP_AFTER = /^\s{0,3},?\s{0,3}\(?(\d{5}(?:-\d{4})?)(?![\d-])\)?/

/** "Springfield, IL 62704", "austin tx", "Portland OR 97202", "Hillsboro, Oregon". */
/** `home`: after a street or "we live in", a lower-case state code that is also a word ("la", "ma") is a state. */
type Setting = 'plain' | 'after_street' | 'home'

function readLocality (text: string, from: number, capitalizedCity: boolean, zipWithoutState = false, setting: Setting = 'plain'): Locality | null {
  const words: string[] = []
  let pos = from
  for (let n = 0; n < 3; n++) {
    const raw = CITY_WORD.exec(text.slice(pos, pos + 32))?.[0]
    const word = raw?.replace(/[.]+$/, '')
    // "Salt Lake City", "Jersey City": a capitalized City or Town ends a name that started elsewhere.
    const cityWord = n > 0 && /^(?:City|Town)$/.test(properCaseWord(word ?? '')) && (isCapitalized(word ?? '') || text === text.toLowerCase())
    if (raw === undefined || word === undefined || (CITY_STOP.has(word.toLowerCase()) && !cityWord)) return null
    if (capitalizedCity && !isCapitalized(word)) return null
    // "in rural Vermont", "upstate New York": a region of a state, not a city.
    if (REGION_WORD.test(word)) return null
    // "St. Louis", "Ft. Myers" keep their period; a sentence's full stop does not.
    words.push(/^(?:st|ft|mt)\.$/i.test(raw) ? raw : word)
    // "I live in Maine. Efficiency Maine …": a full stop ends the place.
    if (raw.endsWith('.') && !/^(?:st|ft|mt)\.$/i.test(raw)) return null
    pos += raw.length
    const sep = /^(?:\s{0,2},\s{0,2}(?:\n\s{0,4})?|\s{1,2})/.exec(text.slice(pos, pos + 8))
    if (sep === null) return null
    const locality = readStateAndZip(text, pos + sep[0].length, sep[0].includes(','), words.every(isCapitalized), setting)
    // "Port Washington, WI": a state's name that another state follows is part of the city.
    const partOfCity = locality !== null && locality.zip === undefined && readState(text.slice(locality.end).replace(/^\s{0,2},?\s{0,2}/, ''), 'none') !== null
    if (locality !== null && !partOfCity) return { city: words.map(properCaseWord).join(' '), ...locality }
    // Right after a street, "Phoenix 85018" is a city and a ZIP even without the state.
    // "we are in Fargo 58102": where the visitor lives, a ZIP right after the town.
    const zip = zipWithoutState || setting === 'home' ? ZIP_AFTER.exec(text.slice(pos, pos + 16)) : null
    // Someone who types all in lower case ("2207 s wabash ave chicago 60616") gets the city in proper case.
    const cased = words.every(isCapitalized) || text === text.toLowerCase()
    if (zip?.[1] !== undefined && cased) return { city: words.map(properCaseWord).join(' '), zip: zip[1], end: pos + zip[0].length }
    if (sep[0].includes(',') || sep[0].includes('\n')) return null
    pos += sep[0].length
  }
  return null
}

function readStateAndZip (text: string, at: number, comma: boolean, cityCapitalized: boolean, setting: Setting): Omit<Locality, 'city'> | null {
  const rest = text.slice(at, at + 40)
  const state = readState(rest, 'all')
  if (state === null) return null
  const zip = ZIP_AFTER.exec(rest.slice(state.length))
  if (state.byCode && zip === null) {
    const typed = rest.slice(0, 2)
    const lower = typed !== typed.toUpperCase()
    // "austin tx" is fine in an all-lower-case message; "in sales ok" and "Springfield or" are not.
    const wordLike = setting === 'plain' ? isWordLikeCode(state.code) : isCapsWord(state.code)
    if (lower && (cityCapitalized || wordLike)) return null
    // Right after a street and a town, "ME" is Maine.
    if (!lower && isCapsWord(state.code) && !comma && setting !== 'after_street') return null
  }
  return { state: state.code, ...(zip?.[1] === undefined ? {} : { zip: zip[1] }), end: at + state.length + (zip?.[0].length ?? 0), ...(state.byCode ? {} : { stateNamed: true }) }
}

// "apt 2 at 318 college ave": the unit said before the street.
// "Unit 3, 409 Harrow St", "apartment 4B at 61 Orchard Terrace"
// "Unit is 4C at 220 Marlowe Street"; not "Willowbend Apartments, 900 Sorrel Dr".
const UNIT_BEFORE = /\b(apt|apartment|unit|suite|ste)\b\.?(?:\s+is)?(?:\s*#\s*|\s+)([A-Za-z0-9-]{1,6})(?:\s*,\s*|\s+(?:at|of|in)\s+)$/i

function withUnitBefore (text: string, start: number, street: string): string {
  const unit = UNIT_BEFORE.exec(text.slice(Math.max(0, start - 24), start))
  if (unit === null || /\b(?:apt|apartment|unit|suite|ste)\b|#/i.test(street)) return street
  return `${street} ${unitKeyword(unit[1] ?? '')} ${(unit[2] ?? '').toUpperCase()}`
}

/** "apartment 4B" is written "Apt 4B", as an address line has it; "Suite", "Unit" and "Ste" stay as typed. */
export function unitKeyword (word: string): string {
  return /^apartment$/i.test(word) ? 'Apt' : properCaseWord(word)
}

/**
 * "1010 orchard st in wenatchee, …": a city with no state, right after a street and "in"; "… cascade ave colorado
 * springs" when the words end the message. "1902 cedar swale ln 53711": a ZIP right after the street.
 */
function cityAlone (text: string, at: number, sep: string): { end: number, city?: string, state?: string, zip?: string } {
  const zip = /^\s{0,2},?\s{0,2}(\d{5}(?:-\d{4})?)(?![\d-])/.exec(text.slice(at, at + 16))?.[1]
  if (zip !== undefined) return { end: 0, zip }
  const rest = text.slice(at + sep.length, at + sep.length + 64)
  const city = /\bin\b/.test(sep)
    ? /^([\p{L}][\p{L}'-]{1,30}(?: [\p{L}][\p{L}'-]{1,30})?)(?=\s*(?:[,.!?]|$))/u.exec(rest)?.[1]
    : /^([\p{L}][\p{L}'-]{1,30}(?: [\p{L}][\p{L}'-]{1,30}){0,2})(?=\s*[.!]?\s*$)/u.exec(rest)?.[1]
  if (city === undefined || city.split(' ').some((w) => CITY_STOP.has(w.toLowerCase()) || LOWER_NOT_PLACE.has(w.toLowerCase()) || SUFFIX_WORD.test(w))) return { end: 0 }
  // "… sagebrush ln, twin falls id": the last word of the place, a state's code, is the state.
  const words = city.split(' ')
  const last = words[words.length - 1] ?? ''
  const state = words.length > 1 ? readState(last, 'all') : null
  if (state !== null && state.length === last.length) return { end: 0, city: words.slice(0, -1).map(properCaseWord).join(' '), state: state.code }
  return { end: 0, city: words.map(properCaseWord).join(' ') }
}

/** Streets with the place that follows them; a lower-case street without a cue counts only when one does. */
function streetCandidates (text: string): Candidate[] {
  return readStreets(text).flatMap(({ street, start, end, confidence, cued }) => {
    const tail = readStreetTail(text, street, end)
    const sep = /^(?:\s{0,2},\s{0,2}(?:\n\s{0,4})?|\s{0,2}\n\s{0,4}|\s{1,2}in\s{1,2}|\s{1,2})/.exec(text.slice(tail.end, tail.end + 12))
    // Right after a street, "plymouth ma" is a city and a state even in lower case.
    const locality = sep === null ? null : readLocality(text, tail.end + sep[0].length, false, true, 'after_street')
    if (!cued && locality?.state === undefined) return []
    const { end: _end, ...place } = locality ?? cityAlone(text, tail.end, sep?.[0] ?? '')
    return [{ parts: { street: withUnitBefore(text, start, tail.street), ...place }, confidence, start }]
  })
}

// "we live in shreveport la": where the visitor lives, not a place they mention.
const HOME_CUE = /\b(?:live|living|lives|based|located|we'?re|i'?m|we\s+are|i\s+am)\s{1,3}(?:out\s+|up\s+|down\s+)?in\s{1,3}$/i
// "I meant Nampa, ID": a corrected place.
const PLACE_CUE = /\b(?:in|at|near|from|to|outside|around|en|meant|mean)\s{1,3}/giu
// "it's Frisco, TX now": a place restated after a correction (no /i: \p{Lu} must stay a capital).
const RESTATED_PLACE_CUE = /\b(?:[Ii]t'?s|[Ii]t\s+is|[Tt]hat'?s|[Tt]hat\s+is)\s{1,3}(?=\p{Lu}[\p{L}'-]+(?:\s\p{Lu}[\p{L}'-]+)?,\s{0,2}[A-Z]{2}\b)/gu
// Without a preposition ("I'm Ana, Brooklyn, NY 11215", a line of its own) the city must be capitalized and a
// state code plus ZIP must follow. "City: St. Louis, MO" is a labelled line; the period of "St. Louis" ends no sentence.
// "in Cheyenne" and "wyoming 82009" as replies of their own.
// "Boulder, zip 80301" opening a message.
const CITY_ZIP = /^\s*(\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+)?),?\s+(?:zip\s*(?:code)?\s*(?:is\s*)?:?\s*)?(\d{5}(?:-\d{4})?)(?![\d-])\s*[.!]?\s*$/u
const AFTER_DETAILS = /(?:\d{3}[\s.-]?\d{4}|@[\w-]+(?:\.[\w-]+)+),?\s+(?=\p{L}[^\d@]{3,60}$)/u
const STATE_REPLY = /^\s*(\p{L}+(?:\s\p{L}+){0,2})\s*[.!]?\s*$/u
const CITY_REPLY = /^\s*(?:in|near|from)\s+(\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+){0,2})\s*[.!]?\s*$/u
const STATE_ZIP_REPLY = /^\s*(\p{L}[\p{L}]+(?:\s\p{L}+)?)\s*,?\s*(\d{5}(?:-\d{4})?)\s*[.!]?\s*$/u
const PLACE_REPLY = /^\s*(?:(?:in|at|near|from|it'?s|its)\s{1,3})?(?=\p{L})/iu
const ZIP_FIRST = /\b(?:in|at|near|from)\s{1,3}(\d{5})\s{1,2}(?=\p{L})/giu
const BARE_PLACE_CUE = /(?:^|\n|[,;:(|/]\s{0,3}|\s[-–—]\s{1,3}|(?<!\b(?:St|Ft|Mt))[.!?]\s{1,3})[ \t•*–—-]{0,12}/gu

/** "Rockford IL. Office …", "Fayetteville AR, thinking …": a state in capitals or in words, then a clause's end. */
function endsClause (text: string, locality: Locality): boolean {
  const typed = text.slice(Math.max(0, locality.end - 3), locality.end)
  const after = text.slice(locality.end, locality.end + 3)
  if (/[A-Z]{2}\.$/.test(typed)) return /^\s/.test(after)
  return (locality.stateNamed === true || /[A-Z]{2}$/.test(typed)) && /^[ \t]*[.!,]\s/.test(after)
}

function localityCandidates (text: string): Candidate[] {
  const found: Candidate[] = []
  for (const match of [...text.matchAll(PLACE_CUE), ...text.matchAll(RESTATED_PLACE_CUE)]) {
    const from = match.index + match[0].length
    // "Are you in Springfield, IL?" asks where the company is.
    if (/\b(?:are|is)\s+you(?:r\s+\w+)?\s+(?:located\s+|based\s+)?$/i.test(text.slice(Math.max(0, match.index - 30), match.index))) continue
    const home = HOME_CUE.test(text.slice(Math.max(0, match.index - 24), match.index + match[0].length))
    const locality = readLocality(text, from, false, false, home ? 'home' : 'plain')
    if (locality === null) continue
    const { end: _end, ...parts } = locality
    const lowerCity = !isCapitalized(text.slice(from, from + 1))
    found.push({ parts, confidence: parts.zip !== undefined ? 0.9 : lowerCity ? 0.75 : 0.85, start: from })
  }
  // Someone who types all in lower case ("santa fe nm 87501") gets a lower-case city when a ZIP follows.
  const lowerCaseWriter = text === text.toLowerCase()
  // "we're in 19380 west chester pa": the ZIP first, then the city and state.
  for (const match of text.matchAll(ZIP_FIRST)) {
    const locality = readLocality(text, match.index + match[0].length, !lowerCaseWriter, false, 'home')
    // "im in 80525 fort collins": a known town without its state.
    const town = /^(\p{L}[\p{L}'-]+(?:\s\p{L}[\p{L}'-]+){0,2}?)(?=\s*(?:[,.!?]|$))/u.exec(text.slice(match.index + match[0].length))?.[1]
    if (locality === null && town !== undefined && US_CITIES.has(town.toLowerCase())) {
      found.push({ parts: { city: properCase(town), zip: match[1] ?? '' }, confidence: 0.8, start: match.index })
      continue
    }
    if (locality?.state === undefined || locality.zip !== undefined) continue
    const { end: _end, ...parts } = locality
    found.push({ parts: { ...parts, zip: match[1] ?? '' }, confidence: 0.85, start: match.index })
  }
  // "bowling green ky", "in frederick md", "Cedar Rapids, Iowa": a place that is the whole message, in any case.
  const reply = PLACE_REPLY.exec(text)
  const replied = reply === null ? null : readLocality(text, reply[0].length, false, true, 'home')
  if (replied?.state !== undefined && /^\s*[.!]?\s*(?:if\s+that\s+(?:matters|helps)|fwiw|btw)?\s*[.!]?\s*$/i.test(text.slice(replied.end))) {
    const { end: _end, ...parts } = replied
    found.push({ parts, confidence: 0.8, start: reply?.[0].length ?? 0 })
  }
  // "Utah", "oregon": a state's whole name as a reply.
  const stateReply = STATE_REPLY.exec(text)
  const named = stateReply === null ? null : readState(stateReply[1] ?? '', 'none')
  const codeReply = /^\s*([A-Z]{2})\s*[.!]?\s*$/.exec(text)?.[1]
  const code = codeReply === undefined ? null : readState(codeReply, 'all')
  if (code !== null) found.push({ parts: { state: code.code }, confidence: 0.7, start: 0 })
  if (named !== null && !named.byCode && named.length === (stateReply?.[1] ?? '').length) found.push({ parts: { state: named.code }, confidence: 0.7, start: 0 })
  const zipsTown = zipTown(text)
  if (zipsTown !== null && readState(zipsTown, 'none') === null) found.push({ parts: { city: zipsTown }, confidence: 0.75, start: 0 })
  const cityZip = CITY_ZIP.exec(text)
  // "Caspian, 29464" is a name as likely as a town: a known town only.
  if (cityZip !== null && US_CITIES.has((cityZip[1] ?? '').toLowerCase()) && !CITY_STOP.has((cityZip[1] ?? '').toLowerCase())) {
    found.push({ parts: { city: cityZip[1] ?? '', zip: cityZip[2] ?? '' }, confidence: 0.75, start: 0 })
  }
  const cityReply = CITY_REPLY.exec(text)
  if (cityReply !== null && readState(cityReply[1] ?? '', 'none') === null && !CITY_STOP.has((cityReply[1] ?? '').toLowerCase())) {
    found.push({ parts: { city: cityReply[1] ?? '' }, confidence: 0.65, start: cityReply.index })
  }
  const stateZip = STATE_ZIP_REPLY.exec(text)
  const state = stateZip === null ? null : readState(stateZip[1] ?? '', 'all')
  if (stateZip !== null && state !== null && state.length === (stateZip[1] ?? '').length) {
    found.push({ parts: { state: state.code, zip: stateZip[2] ?? '' }, confidence: 0.8, start: stateZip.index })
  }
  // "… 6055550111 sioux falls sd", "my num is 2565550108 huntsville al": the place closing a run of details.
  const afterDetails = AFTER_DETAILS.exec(text)
  const from = afterDetails === null ? -1 : afterDetails.index + afterDetails[0].length
  const closing = from === -1 ? null : readLocality(text, from, false, false, 'home')
  if (closing?.state !== undefined && (/^\s*(?:[.!,]|$)/.test(text.slice(closing.end)) || text[closing.end - 1] === '.')) {
    const { end: _end, stateNamed: _named, ...parts } = closing
    found.push({ parts, confidence: 0.75, start: from })
  }
  // "kelsey 515 555 0139 des moines": a known town alone.
  const town = from === -1 || closing !== null ? undefined : /^(\p{L}[\p{L}'-]+(?:\s\p{L}[\p{L}'-]+){0,2})\s*[.!]?\s*$/u.exec(text.slice(from))?.[1]
  if (town !== undefined && text === text.toLowerCase() && US_CITIES.has(town.toLowerCase())) found.push({ parts: { city: properCase(town) }, confidence: 0.7, start: from })
  for (const match of text.matchAll(BARE_PLACE_CUE)) {
    const from = match.index + match[0].length
    const capitalized = readLocality(text, from, true)
    const lower = capitalized === null && lowerCaseWriter ? readLocality(text, from, false) : null
    // "yo its deshawn, baton rouge louisiana": a state written out is as good as a ZIP.
    // "zip is 29401, charleston sc": a ZIP elsewhere in the message vouches for it too.
    const locality = capitalized ?? (lower?.zip !== undefined || lower?.stateNamed === true || (lower?.state !== undefined && zipCandidates(text).length > 0) ? lower : null)
    // Without a ZIP, the place ends its line, or is a correction ("Hudson, Ohio, not New York").
    // "Fiona Lindqvist, Rockford IL. Office …": a capital city and a state in capitals or in words may end a sentence.
    if (locality === null) continue
    const sentence = capitalized !== null && endsClause(text, locality)
    if (locality.zip === undefined && !sentence && !/^[ \t]*(?:\n|$|,?\s*not\b|\s[-–—]\s)/.test(text.slice(locality.end))) continue
    const { end: _end, stateNamed: _named, ...parts } = locality
    found.push({ parts, confidence: 0.85, start: from })
  }
  return found
}

const DWELLING = 'house|home|condo|apartment|townhouse|townhome|place|property|duplex|cabin|farm|ranch|bungalow|cottage'
// "I own a cafe in Savannah": where the visitor's business, the job site, is.
const BUSINESS = 'cafe|shop|store|restaurant|business|office|bakery|salon|clinic|practice|building|warehouse|church|garage|studio|dairy|orchard|winery'
const LONE_PLACE = new RegExp(`\\b(?:(?:live|living|lives|located|based|reside|residing|homeowner|${DWELLING}|moved)\\s{1,3}(?:is\\s+|are\\s+|out\\s+|up\\s+|down\\s+)?(?:in|to)(?:\\s{1,3}the(?=\\s{1,3}\\p{Lu}))?|moved\\s{1,3}from\\s{1,3}\\p{Lu}[\\p{L}'-]+(?:\\s\\p{Lu}[\\p{L}'-]+)?\\s{1,3}to|(?:hello|hi|greetings|howdy)\\s{1,3}from|(?:out|up|down|over)?\\s*here\\s{1,3}in|(?:live|living|lives|own|bought|have|run)\\s{1,3}(?:in\\s{1,3})?(?:an?|the|my|our)\\s{1,3}(?:[\\p{L}-]{1,20}\\s{1,3}){0,2}?(?:${DWELLING}|${BUSINESS})\\s{1,3}in)\\s{1,3}(?:(?:${REGIONS})\\s{1,3})?`, 'giu')
// "I'm in Tucson." counts; "I'm currently in London but …" and "I'm in Pune this month" are a visit, not a home.
// "we live on the Oregon coast": a state's region.
// "we live out in the country in wisconsin": a state's whole name, in any case, later in the sentence.
// "the one in south carolina not missouri": which state, of two with the town.
const STATE_NOT = /\bin\s+(\p{L}+(?:\s\p{L}+)?)\s*,?\s+not\s+\p{L}|\bthe\s+one\s+in\s+(\p{L}+(?:\s\p{L}+)?)/iu
const LIVE_IN_STATE = /\b(?:live|living|lives|located|based|reside)\b[^.!?\d]{0,40}/giu
// "house is on Maple Ave in Oshkosh, …": a street without its number, then the town.
const ON_A_STREET_IN = new RegExp(`\\bon\\s{1,3}\\p{Lu}[\\p{L}'-]+(?:\\s{1,3}\\p{Lu}[\\p{L}'-]+)?\\s{1,3}(?:${SUFFIX})\\.?\\s{1,3}in\\s{1,3}`, 'giu')
const ON_THE_COAST = /\b(?:live|living|lives|based|located)\s{1,3}(?:on|along)\s{1,3}the\s{1,3}(?=[\p{L} ]{2,20}?\s(?:coast|shore|peninsula|panhandle)\b)/giu
// "We're a family of five in Provo", "I'm a retired teacher in Boise": what the visitor is, and where; not "I'm a big
// believer in Tesla".
const A_KIND_OF = String.raw`an?\s{1,3}(?:(?!(?:fan|believer|interested|expert|beginner|newbie|investor|specialist|agent|realtor)\b)[\p{L}-]{1,20}\s{1,3}){1,5}?`
const BEEN_IN = new RegExp(String.raw`(?:\b(?:i'?m|i\s+am|we'?re|we\s+are)\s{1,3}(?:actually\s+|located\s+|(?:way\s+)?(?:out|up|down|over)\s+|${A_KIND_OF})?|,\s{0,2}(?:out|up|down|over)\s{1,3})in\s{1,3}(?:(?:${REGIONS})\s{1,3})?`, 'giu')
const VISITING = /\b(?:currently|right\s+now|visiting|travel+ing|on\s+(?:vacation|holiday|business)|for\s+work|temporarily|at\s+the\s+moment)\b/i
const CITY = /^\p{Lu}[\p{L}'-]{1,30}(?: \p{Lu}[\p{L}'-]{1,30}){0,2}/u

// "Seattle area", "the Austin area"; "Bay Area" and "Greater Boston area" name regions, not cities.
const AREA = /(?<![\p{L}-])(\p{Lu}[\p{L}'-]{1,30}(?: \p{Lu}[\p{L}'-]{1,30}){0,2})\s{1,2}area\b/gu
const NOT_AREA_CITY = /^(?:Bay|Metro|Tri|Greater|Service|Coverage|Local|Surrounding|Downtown|Rural|Whole|Entire|North|South|East|West|Central)\b/

function areaCandidates (text: string): Candidate[] {
  return [...text.matchAll(AREA)].flatMap((m) => {
    const city = m[1] ?? ''
    if (NOT_AREA_CITY.test(city) || CITY_STOP.has(city.toLowerCase())) return []
    // "do you service the Lake Havasu area?", "or only the Sacramento area?": where we work, asked about.
    const question = /^[^.!\n]*\?/.test(text.slice(m.index)) && ASKING_US.test(leftContext(text, m.index, 80))
    if (question || /\bor\s+(?:only\s+|just\s+)?(?:the\s+)?$/i.test(leftContext(text, m.index, 20))) return []
    const state = readState(city, 'none')
    const parts = state !== null && state.length === city.length ? { state: state.code } : { city }
    return [{ parts, confidence: 0.65, start: m.index }]
  })
}

/** "we live in Springfield", "based in Texas", "I'm in Tucson.": a city or a state with nothing after it. */
// "Do you service Missoula? That's where we are."
const WHERE_WE_ARE = /(?<![\p{L}-])(\p{Lu}[\p{L}'-]{1,30}(?: \p{Lu}[\p{L}'-]{1,30}){0,2}?)(?:,?\s([A-Z]{2}))?[?.!,]\s{0,3}(?:[Tt]hat'?s|[Ii]t'?s|[Tt]hat\s+is)\s+where\s+(?:we|I)\s+(?:are|live|am)\b/gu

// "City: Evergreen\nState: CO": a form's labelled lines.
// "town is Bozeman", "correction: city is Taylors, zip 29687" too.
const CITY_LABEL = /(?:^|\n|:\s*|[.!]\s+)[ \t]*(?:city|town)[ \t]*(?::|\s+is|\s+-)[ \t]*(\p{L}[\p{L}'. -]{1,40}?)[ \t]*(?=\n|$|,|\.\s)/iu
const STATE_LABEL = /(?:^|\n)[ \t]*state[ \t]*[:-][ \t]*(\p{L}[\p{L} ]{1,20}?)[ \t]*(?=\n|$)/iu

// "Street: 2100 Calle Luna Apt 12": a form's street line, whatever the street's words.
const STREET_LABEL = /(?:^|\n)[ \t]*(?:street(?:\s+address)?|address(?:\s+line\s*1)?)[ \t]*[:-][ \t]*(\d{1,6}[A-Za-z]?[ \t]+\p{L}[\p{L}\p{N}'. #-]{2,50}?)[ \t]*(?=\n|$)/iu

export function labelledStreet (text: string): string | null {
  const line = STREET_LABEL.exec(text)?.[1]
  if (line === undefined || /,/.test(line)) return null
  return line.split(/[ \t]+/).map(formatStreetWord).join(' ').replace(/\b(Apt|Unit|Ste|Suite)\.? #?(\w+)$/i, (_m, k: string, id: string) => `${unitKeyword(k)} ${id.toUpperCase()}`)
}

function labelledCandidates (text: string): Candidate[] {
  const city = CITY_LABEL.exec(text)
  const state = STATE_LABEL.exec(text)
  const code = state === null ? null : readState(state[1] ?? '', 'all')
  if (city === null && code === null) return []
  const parts = {
    ...(city === null ? {} : { city: properCase(city[1] ?? '') }),
    ...(code === null ? {} : { state: code.code })
  }
  return [{ parts, confidence: 0.9, start: city?.index ?? state?.index ?? 0 }]
}

function whereWeAreCandidates (text: string): Candidate[] {
  return [...text.matchAll(WHERE_WE_ARE)].flatMap((m): Candidate[] => {
    const place = m[1] ?? ''
    const state = readState(place, 'none')
    if (state !== null && state.length === place.length) return [{ parts: { state: state.code }, confidence: 0.7, start: m.index }]
    const code = m[2] === undefined ? null : readState(m[2], 'all')
    return CITY_STOP.has(place.toLowerCase()) ? [] : [{ parts: { city: place, ...(code === null ? {} : { state: code.code }) }, confidence: 0.7, start: m.index }]
  })
}

// "2 story colonial in Worcester, gas heat", "3 bed 1600 sq ft in duluth": a known town after "in", ending a clause.
const IN_TOWN = /(?:\bin|\b(?:i'?m|im|i\s+am)\s+\p{L}+\s+from|\b(?:side|part|outskirts|edge|end)\s+of)\s{1,3}(\p{L}[\p{L}'-]{1,30}(?:\s\p{L}[\p{L}'-]{1,30}){0,2}?)(?=\s*(?:[,.!;]|$))/gu

function knownTownCandidates (text: string): Candidate[] {
  return [...text.matchAll(IN_TOWN)].flatMap((m): Candidate[] => {
    const town = m[1] ?? ''
    const lower = town.toLowerCase()
    if (!US_CITIES.has(lower) || (!isCapitalized(town) && text !== text.toLowerCase())) return []
    if (lower.split(' ').some((w) => CITY_STOP.has(w) || LOWER_NOT_PLACE.has(w))) return []
    // "do you install in Denver?" asks where we work; "the agent listing 1402 Oak Hollow Dr in Round Rock" is no home.
    if (ASKING_US.test(leftContext(text, m.index, 80)) || /\b(?:listing|showing|selling|old|previous|former)\b[^.!?]{0,40}$|\b(?:show|expo|fair|conference|convention|event|game|trip|vacation)\s*$/i.test(leftContext(text, m.index, 60))) return []
    return [{ parts: { city: properCase(town) }, confidence: 0.65, start: m.index }]
  })
}

function lonePlaceCandidates (text: string): Candidate[] {
  const cues = [
    ...[...text.matchAll(LONE_PLACE)].map((m) => ({ m, beenIn: false })),
    ...[...text.matchAll(BEEN_IN)].map((m) => ({ m, beenIn: true })),
    ...[...text.matchAll(ON_THE_COAST)].map((m) => ({ m, beenIn: false })),
    ...[...text.matchAll(ON_A_STREET_IN)].map((m) => ({ m, beenIn: true }))
  ]
  const which = STATE_NOT.exec(text)
  const meant = which === null ? null : readState(which[1] ?? which[2] ?? '', 'none')
  if (meant !== null && !meant.byCode) return [{ parts: { state: meant.code }, confidence: 0.7, start: which?.index ?? 0 }]
  for (const m of text.matchAll(LIVE_IN_STATE)) {
    for (const inWord of m[0].matchAll(/\bin\s+/giu)) {
      const at = m.index + inWord.index + inWord[0].length
      const state = readState(text.slice(at, at + 30), 'none')
      if (state !== null && !state.byCode) return [{ parts: { state: state.code }, confidence: 0.7, start: at }]
    }
  }
  // Once per message, not per cue: a message of many "im in …" stays linear.
  const withZip = cues.length > 0 && text === text.toLowerCase() && zipCandidates(text).length > 0
  return cues.flatMap(({ m, beenIn }): Candidate[] => {
    const from = m.index + m[0].length
    // "is your office on Grand Ave in Des Moines?": the company's place.
    if (ASKING_US.test(leftContext(text, m.index, 80))) return []
    const state = readState(text.slice(from, from + 30), 'none')
    if (state !== null && !state.byCode) return [{ parts: { state: state.code }, confidence: 0.7, start: from }]
    const city = CITY.exec(text.slice(from, from + 64))?.[0] ?? lowerCaseCity(text, from, withZip)
    // "way up in Aroostook County": a county is no town.
    if (city === undefined || CITY_STOP.has(city.toLowerCase()) || city.split(' ').some((w) => COMPANY_WORD.test(w)) || /\b(?:County|Parish|Borough)$/i.test(city)) return []
    if (beenIn && !isHomeStatement(text.slice(m.index, from), text.slice(from + city.length))) return []
    return [{ parts: { city }, confidence: beenIn ? 0.6 : 0.65, start: from }]
  })
}

// After "I'm in" a lower-case word that ends the clause is a place unless it is one of these ("im in a rush, …").
const LOWER_NOT_PLACE = new Set(`
trouble luck school college class hospital bed pain shock doubt debt limbo tears hurry rush process middle between
favor favour agreement contact line place charge love need town talks discussions tech retail finance healthcare
construction insurance marketing education sales escrow contract negotiations progress stock budget shape good bad
it this that these those here there today tomorrow now no yes all too also sure so well ok okay
january february march april may june july august september october november december winter summer spring fall autumn
`.split(/\s+/).filter(Boolean))

// "we're in cedar rapids if that matters": a known town, then the clause goes on.
const LOWER_TOWN_GOING_ON = /^(\p{Ll}[\p{L}'-]{1,30}(?: \p{Ll}[\p{L}'-]{1,30}){0,2}?)(?=\s+(?:if|and|but|so|area|too)\b)/u

function knownLowerTown (text: string): string | undefined {
  const town = LOWER_TOWN_GOING_ON.exec(text)?.[1]
  return town !== undefined && US_CITIES.has(town) ? properCase(town) : undefined
}

/**
 * "we're in tucson, zip 85710", "im in spokane, do you …": in an all-lower-case message, one or two words that end
 * the clause, or any place when a ZIP is given with it.
 */
function lowerCaseCity (text: string, from: number, withZip: boolean): string | undefined {
  if (text !== text.toLowerCase()) return undefined
  const words = /^\p{Ll}[\p{L}'-]{1,30}(?: \p{Ll}[\p{L}'-]{1,30})?(?=\s*[,.])/u.exec(text.slice(from, from + 64))?.[0] ??
    (withZip ? undefined : /^\p{Ll}[\p{L}'-]{1,30}(?: \p{Ll}[\p{L}'-]{1,30})?(?=\s*(?:[!?]|$))/u.exec(text.slice(from, from + 64))?.[0])
  if (words === undefined) return knownLowerTown(text.slice(from, from + 64))
  if (!withZip && words.split(' ').some((w) => LOWER_NOT_PLACE.has(w) || CITY_STOP.has(w) || readState(w, 'none') !== null)) return undefined
  return properCase(words)
}

function isHomeStatement (cue: string, after: string): boolean {
  return !VISITING.test(cue) && /^\s*(?:[.!?,;]|$|\s(?:if|and|area|too|also|as\s+well)\b)/i.test(after)
}

// "zip is 94107", "94107 area", "we're in 97222": a ZIP named as one, or where the visitor is.
const ZIP_CUE = /\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode)\b\s{0,3}(?:code\s{0,3})?(?:is\s{1,3}|'s\s{1,3}|:\s{0,3}|=\s{0,3}|#\s{0,3}|-\s{0,3})?(?:actually\s{1,3}|now\s{1,3})?(\d{5}(?:-\d{4})?)(?![\d-])|\b(\d{5}(?:-\d{4})?)\s{1,3}(?:area|zip|zip\s+code)\b|\b(?:i'?m|i\s+am|we'?re|we\s+are|live|living|based|located|install|installing|installed|here)\s{1,3}(?:in|near)\s{1,3}(\d{5})(?![\d-])|(?<![\d-])(\d{5})(?![\d-])[^\d.!?]{0,12}[.!?]?\s{0,3}(?:that'?s|it'?s|that\s+is)\s+(?:(?:our|my)\s+zip|where\s+(?:we|i)\s+(?:live|are|am))\b/giu

// "97701", "zip 97701.": a ZIP that is the whole message, the reply to "what's your ZIP?".
const ZIP_REPLY = /^\s*(?:(?:zip|zipcode|zip\s+code|postal\s+code)\s*(?:is|:|#)?\s*)?(\d{5}(?:-\d{4})?)\s*[.!]?\s*$/iu

// "Do you serve the 55401 area?" asks about us, unless the visitor then says it is theirs.
const ASKING_US = /\b(?:do|does|can|could|will|would|are|is)\s+(?:you|your)\b[^.!?]*$/i
const THEIRS_AFTER = /^[^.!?]{0,40}[.!?]?\s{0,3}(?:that'?s|it'?s|that\s+is)\s+(?:our|my|where)\b/i

// "my zip is 80027 which is Louisville", "Our zip is 93063 (Simi Valley)": the town the ZIP is.
const ZIP_TOWN = /\b\d{5}\s*(?:\(\s*|,?\s*which\s+is\s+)(\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+){0,2})\s*(?:\)|[.!,]|$)/u

export function zipTown (text: string): string | null {
  return ZIP_TOWN.exec(text)?.[1] ?? null
}

function zipCandidates (text: string): Candidate[] {
  const reply = ZIP_REPLY.exec(text)
  if (reply !== null) return [{ parts: { zip: reply[1] ?? '' }, confidence: 0.75, start: reply.index }]
  return [...text.matchAll(ZIP_CUE)].flatMap((m) => {
    const asked = (m[2] !== undefined || m[3] !== undefined) && ASKING_US.test(leftContext(text, m.index, 80)) && !THEIRS_AFTER.test(text.slice(m.index + m[0].length))
    return asked ? [] : [{ parts: { zip: m[1] ?? m[2] ?? m[3] ?? m[4] ?? '' }, confidence: 0.9, start: m.index }]
  })
}

function best (candidates: Candidate[], has: (parts: AddressParts) => boolean): Candidate | undefined {
  return candidates.filter((c) => has(c.parts)).sort((a, b) => b.confidence - a.confidence || a.start - b.start)[0]
}

export interface AddressFact { field: 'address_street' | 'address_city' | 'address_state' | 'address_zip', value: string, confidence: number, onlyFills?: boolean }

// "im at 615 Gallowglass Street", then "Ogden": a place's name as the next reply fills an empty city.
// "santa fe": a lower-case reply, which must be a known town.
const LOWER_TOWN = /^\s*(\p{Ll}[\p{Ll}'-]+(?:\s\p{Ll}[\p{Ll}'-]+){0,2})\s*[.!]?\s*$/u
const WHOLE_PLACE = /^\s*(?:(?:[Tt]hat'?s|[Tt]hats|[Ii]t'?s|[Ii]ts)\s+in\s+|[Ii]n\s+)?(\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+){0,2})\s*[.!]?\s*$/u

/** After a street, any place's name; otherwise one of the US towns with several ZIP codes ("Tucson"). */
export function cityAfterStreet (text: string, previous: string | null): AddressFact | null {
  const capital = WHOLE_PLACE.exec(text)?.[1]
  // One lower-case word ("jasper") is as likely a name, unless the message before was about the address.
  const lower = LOWER_TOWN.exec(text)?.[1]
  if (capital === undefined && lower === undefined) return null
  const streetBefore = previous !== null && readStreets(previous).length > 0
  const addressBefore = previous !== null && (streetBefore || /\b\d{5}\b|\bzip\b|\d{3}[\s.-]?\d{4}|@/i.test(previous))
  const place = capital ?? (lower !== undefined && (lower.includes(' ') || addressBefore) ? lower : undefined)
  const afterStreet = capital !== undefined && streetBefore
  if (place === undefined || (!afterStreet && !US_CITIES.has(place.toLowerCase()))) return null
  if (readState(place, 'none') !== null || place.split(' ').some((w) => CITY_STOP.has(w.toLowerCase()))) return null
  return { field: 'address_city', value: properCase(place), confidence: 0.65, onlyFills: true }
}

export function extractAddress (text: string): AddressFact[] {
  const streets = streetCandidates(text)
  const places = [...streets, ...localityCandidates(text), ...labelledCandidates(text)]
  const facts: AddressFact[] = []
  const street = best(streets, (p) => p.street !== undefined)
  const labelled = street === undefined ? labelledStreet(text) : null
  if (street?.parts.street !== undefined) facts.push({ field: 'address_street', value: street.parts.street, confidence: street.confidence })
  else if (labelled !== null) facts.push({ field: 'address_street', value: labelled, confidence: 0.85 })
  // City and state come from one candidate, so a city never pairs with another address's state.
  const place = best(places, (p) => p.state !== undefined && p.city !== undefined) ??
    best(places, (p) => p.city !== undefined) ??
    best(places, (p) => p.state !== undefined) ??
    best([...lonePlaceCandidates(text), ...areaCandidates(text), ...whereWeAreCandidates(text), ...knownTownCandidates(text)], () => true)
  if (place?.parts.city !== undefined) facts.push({ field: 'address_city', value: place.parts.city, confidence: place.confidence })
  if (place?.parts.state !== undefined) facts.push({ field: 'address_state', value: place.parts.state, confidence: place.confidence })
  const zip = best(zipCandidates(text), () => true) ?? (place?.parts.zip === undefined ? best(places, (p) => p.zip !== undefined) : place)
  if (zip?.parts.zip !== undefined) facts.push({ field: 'address_zip', value: zip.parts.zip, confidence: zip.confidence })
  return facts
}
