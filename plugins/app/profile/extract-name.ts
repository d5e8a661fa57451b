// Reads the customer's name from clear self-introductions and sign-offs, never from "I'm looking / fine / in …".
import { A_STREET, SUFFIX } from './extract-address.ts'
import { readState } from './us-states.ts'
import { COMPANY_WORD, isCapitalized, PHONE_SHAPE, properCaseWord, type Span } from './text.ts'
import { US_CITIES } from './us-cities.ts'

/** `onlyFills`: a guess ("Leila" after a phone) that names an empty field but never replaces a name. */
export interface NameHit extends Span { value: string, confidence: number, onlyFills?: boolean }

// Words that follow "I'm" / "this is" / "call me" without being a name.
const NOT_NAME = new Set(`
a an the and or but so if then than that this these those there here hi hello hey thanks thank you your yours my
mine me we us our ours they them their he she him her his it its i im i'm i'll i've i'd is am are was were be been
being do does did done have has had will would can could should shall may might must not no yes yeah yep ok okay sure
fine good great well just also only still really very quite pretty too currently actually basically literally
definitely probably maybe perhaps already again always never ever now today tonight tomorrow soon later back home
out in on at to from with about for of by into over under after before during since until up down off away around
near as like what who how why when where which whom whose all any some every each both either neither one two three
looking speaking interested interesting wondering hoping trying thinking planning considering curious calling writing
reaching emailing texting asking checking going getting having doing using buying selling moving renovating building
shopping browsing comparing researching contacting following inquiring enquiring keen eager new old retired single
married located based situated living staying working happy glad excited sorry afraid ready available free busy
homeowner owner renter tenant landlord contractor customer client buyer resident manager engineer
confused unsure certain sick tired late early open closed off on-site onsite around away outside inside
everyone everybody someone somebody anyone anybody nobody something anything nothing email phone text call number
address zip name mr mrs ms miss dr sir madam regards best cheers sincerely team support sales office company family
guy guys folks all asap please btw fyi lol ps nb re wrong right mate bye ty tia xx xo totally finally usually honestly seriously
obviously certainly absolutely hopefully unfortunately luckily recently simply merely truly nearly mostly partly
likely unlikely lonely friendly lovely ugly silly holy buddy pal bud dude man heaps lots loads urgent important
long short hard difficult complicated unusual weird tricky spelled common legal first time
solar battery batteries heat pump panels charger installation maintenance financing audit energy quote next door
tesla powerwall enphase solaredge generac daikin trane lennox rheem chargepoint wallbox sunpower
big small huge tiny cold hot warm broken cheap pricey nice cool awesome perfect correct true fine
asphalt metal shingle shingles tile slate wood brick concrete stucco vinyl gas electric oil propane
make get take want need give know think see come put pay save buy send help install replace check ask tell find
use keep let try look run cell mobile office fax landline nope nah hmm hmmm gotcha nevermind lol omg wow sweet
excellent brilliant fantastic wonderful agreed exactly understood noted done skeptical cynical hesitant desperate
broke poor frugal fat fingers finger typo autocorrect house built spray foam crawlspace crawl attic insulation
roof windows siding furnace boiler ductless mini split generator ugh typo oops whoops argh ph tel addr mob num addy telephone pls plz thx tmrw tmr evenings mornings afternoons nights weekdays weekends anytime idk nvm np ty lmk cool works
monday tuesday wednesday thursday friday saturday sunday january february march july
september october november december christmas easter thanksgiving weekend
`.split(/\s+/).filter(Boolean))

const PARTICLES = new Set(['de', 'da', 'del', 'della', 'di', 'du', 'la', 'le', 'van', 'von', 'der', 'den', 'bin', 'ibn', 'al', 'st'])
const WORD = /^([\p{L}][\p{L}'-]*)/u
const HONORIFIC = /^\s{0,2}(?:Dr|Mr|Mrs|Ms|Mx|Prof|Miss|Sr|Sra|Pastor|Rev|Reverend|Fr|Father|Rabbi|Imam|Deacon|Bishop|Elder)\.?\s{1,2}(?=\p{Lu})/u

type Mode = 'strong' | 'capitalized'

/** Reads up to three name words from `from`; strong intros ("my name is") accept lower-case names. */
export function readName (text: string, from: number, mode: Mode): { value: string, end: number } | null {
  const words: string[] = []
  let pos = from + (HONORIFIC.exec(text.slice(from, from + 12))?.[0].length ?? 0)
  // Up to three name words; particles ("van der") come on top.
  const nameWords = () => words.filter((w) => !PARTICLES.has(w.toLowerCase())).length
  while (nameWords() < 3 && words.length < 6) {
    const gap = words.length === 0 ? /^[ :,-]*/.exec(text.slice(pos, pos + 8)) : /^ {1,2}/.exec(text.slice(pos, pos + 3))
    if (gap === null) break
    const match = WORD.exec(text.slice(pos + gap[0].length, pos + gap[0].length + 40))
    const raw = match?.[1]
    if (raw === undefined) break
    const possessive = /'s$/i.test(raw)
    const word = raw.replace(/'s$/i, '').replace(/['-]+$/, '')
    if (!acceptWord(word, words.length, mode, text.slice(pos + gap[0].length + raw.length))) break
    // "I'm Harriet's daughter": Harriet is someone else.
    if (possessive && words.length === 0) return null
    words.push(word)
    pos += gap[0].length + raw.length
    if (possessive) break
  }
  while (words.length > 0 && PARTICLES.has((words[words.length - 1] ?? '').toLowerCase())) words.pop()
  if (words.length === 0) return null
  // "Bright Path Property Management": a company's name reads like a person's until its last word.
  if (companyFollows(text.slice(pos, pos + 60))) return null
  return { value: words.map((w, i) => formatWord(w, i)).join(' '), end: pos }
}

/** A word that could be a given name: not a common word that follows "I'm" or precedes "'s number". */
export function isPlausibleName (word: string): boolean {
  return word.length >= 2 && !NOT_NAME.has(word.toLowerCase())
}

/** The capitalized words right after a name end in a company word: "… Path Property Management". */
function companyFollows (after: string): boolean {
  for (const word of (/^(?: {1,2}\p{Lu}[\p{L}'&-]*){1,3}/u.exec(after)?.[0] ?? '').trim().split(/ +/)) {
    if (COMPANY_WORD.test(word)) return true
  }
  return false
}

function acceptWord (word: string, index: number, mode: Mode, rest: string): boolean {
  const lower = word.toLowerCase()
  if (word.length < 2) return false
  // "otis grimsby otisg@example.com": a word that starts an email is not part of the name.
  if (COMPANY_WORD.test(word) || /^[@._+]\w/.test(rest)) return false
  if (index > 0 && PARTICLES.has(lower)) return /^ {1,2}\p{L}/u.test(rest)
  if (NOT_NAME.has(lower) || /^\p{Lu}{2}$/u.test(word)) return false
  if (mode === 'capitalized' && !isCapitalized(word)) return false
  return true
}

function formatWord (word: string, index: number): string {
  const lower = word.toLowerCase()
  if (index > 0 && PARTICLES.has(lower)) return lower
  const proper = properCaseWord(word)
  return /^Mc\p{Ll}/u.test(proper) ? 'Mc' + (proper[2] ?? '').toUpperCase() + proper.slice(3) : proper
}

// Fragments several patterns share: a title, the start of an email or a phone, "City ST", a lower-case greeting.
const TITLE = String.raw`(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?`
// An email, or a phone's first digits: "+1 …", "(555) …", "555-…", "555.…", "5555550123" (not "2901 Hickorynut Dr").
const CONTACT = String.raw`(?:[\w.+-]+@|\+\d|\(\d{3}\)|\d{3}[\s.-]\d{3}|\d{10}\b|1[\s.-]\d{3})`
const CITY_STATE = String.raw`\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?,?\s+[A-Z]{2}\b`
const LOWER_HELLO = String.raw`(?:hi|hello|hey|hiya|yo)[,!]?\s+`

interface Intro { pattern: RegExp, mode: Mode, confidence: number }

// No /i flag next to \p{Lu}: with /iu it would match lower-case letters too.
const INTROS: Intro[] = [
  { pattern: /(?:\bmy\s+(?:full\s+)?(?:name|nmae|naem|nam|nme)\s+(?:now\s+)?is|\b(?:full\s+)?name\s+(?:for|on)\s+(?:the\s+)?[\p{L}-]+\s+is|\bmy\s+name'?s|\bname\s*[:\-–—]|(?<![\p{L}-])(?:applicant|customer|client|homeowner|owner(?:\s+here)?|account\s+holder)\s*:|\bname\s+is|\bme\s+llamo|\bmi\s+nombre\s+es|\bje\s+m'appelle|\bich\s+hei(?:ß|ss)e)\s*/giu, mode: 'strong', confidence: 0.95 },
  { pattern: /(?:^|[^\p{L}'])name's\s+/giu, mode: 'strong', confidence: 0.9 },
  // "Name Ottilie Brennan, email …", "name Lazlo": a form's label without its colon, at the start of a line.
  { pattern: /(?:^|\n|,\s*)[ \t]*[Nn]ame[ \t]+(?=\p{Lu})/gu, mode: 'capitalized', confidence: 0.9 },
  // "I can be reached at 218-555-0172, ask for Brenda", "(808) 555-0140 - ask for Leilani"
  { pattern: /(?:\d[^\n\d]{0,12}\b|^\s*(?:just\s+)?)[Aa]sk\s+for\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*[.!]?\s*$)/gu, mode: 'capitalized', confidence: 0.8 },
  // "Ask for Dominic, 575-555-0149"
  { pattern: new RegExp(String.raw`\b[Aa]sk\s+for\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*,\s*${CONTACT})`, 'gu'), mode: 'capitalized', confidence: 0.8 },
  // "mine is drew.kinsella@example.com, Drew Kinsella", "my cell is 901-555-0116, Keisha": details, then the name
  // that closes the message.
  { pattern: /(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d{4})\s*[,.-]\s*(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*[.!]?\s*$)/gu, mode: 'capitalized', confidence: 0.75 },
  // "Cleon 601 555 0145", "Mira Castellanos 201-555-0186": a message that is a name and a number.
  // "pls call me back - Jorge 480-555-0135", "…\n\nRosco Vell 6055550157" too.
  { pattern: new RegExp(String.raw`(?:^|\s[-–—]\s|\n[ \t]*\n|[.!?]\s+|\()\s*(?=\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+){0,2}(?:\s*[,:-]\s*|\s+)${CONTACT}[^\n]{0,20}$)`, 'gu'), mode: 'capitalized', confidence: 0.75 },
  // "oh and its Marisol btw"
  { pattern: /\b[Ii]t'?s\s+(?=\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?\s+(?:btw|by\s+the\s+way)\b)/gu, mode: 'capitalized', confidence: 0.75 },
  // "I went back to my maiden name, Celeste Varga."
  { pattern: /\bmaiden\s+name,?\s*(?:is\s+)?(?=\p{Lu})/gu, mode: 'capitalized', confidence: 0.85 },
  // "Name Zhang Wei." after a sentence.
  { pattern: /[.!?]\s+[Nn]ame\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*[.,!])/gu, mode: 'capitalized', confidence: 0.85 },
  // "I'm the one to call: Arlen Voss 308-…"
  { pattern: /\bthe\s+one\s+to\s+(?:call|contact|talk\s+to|reach|ask\s+for)\s*[:,-]?\s*(?=\p{Lu})/gu, mode: 'capitalized', confidence: 0.85 },
  // "contact: Dr. Imelda Prosser", "Contact person: …"
  { pattern: /(?:^|\n|[.!?]\s+)[ \t]*(?:(?:[Pp]rimary|[Mm]ain)\s+)?[Cc]ontact(?:\s+(?:name|person))?\s*:\s*(?=(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?\p{Lu})/gu, mode: 'capitalized', confidence: 0.85 },
  { pattern: /(?:^|[.!?,]\s{0,3})names\s+/giu, mode: 'strong', confidence: 0.75 },
  { pattern: /\b(?:[Ii]'?m|[Ii]\s+am)\s+/gu, mode: 'capitalized', confidence: 0.85 },
  { pattern: /\b[Tt]his\s+is\s+/gu, mode: 'capitalized', confidence: 0.85 },
  { pattern: /\b[Cc]all\s+me\s+/gu, mode: 'capitalized', confidence: 0.8 },
  // "people call me Gus", "everyone calls me Bubba", "I go by Peggy", "I prefer to be called Liz"
  { pattern: /\b(?:[Cc]alls\s+me|[Gg]o(?:es)?\s+by|[Kk]nown\s+as|[Kk]nows?\s+me\s+as|to\s+be\s+called|I\s+answer\s+to)\s+/gu, mode: 'capitalized', confidence: 0.96 },
  // "I would be the contact, Dwayne Hutchens", "under the name Linnea Fosberg"
  { pattern: /\b(?:be|am|I'm|I\s+am)\s+the\s+(?:contact|one\s+to\s+(?:call|contact))\s*[,:-]\s*(?=\p{Lu})|\bunder\s+the\s+name\s+(?=\p{Lu})/gu, mode: 'capitalized', confidence: 0.85 },
  // "Caius Mbeki-Laurent is my full name"
  { pattern: /(?:^|[.!?]\s+)(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,2}\s+is\s+my\s+(?:full\s+|legal\s+)?name\b)/gu, mode: 'capitalized', confidence: 0.9 },
  // "put the quote under Bartholomew Nygaard", "Put me down as Ines Halvorsen", "Mine is Noreen Abara", "full name
  // Margaret Toller-Ruiz", "… and name kofi adjei"
  { pattern: /\b[Pp]ut\s+(?:it|me|the\s+\w+)\s+(?:down\s+)?(?:under|as)\s+(?=\p{Lu})|\b[Mm]ine\s+is\s+(?=\p{Lu}[\p{Ll}'-]+\s+\p{Lu})/gu, mode: 'capitalized', confidence: 0.9 },
  { pattern: /\bfull\s+name\s*(?:is\s+|:\s*|-\s*)?(?=\p{L})|\band\s+(?:my\s+)?name\s+(?:is\s+)?(?=\p{L})/giu, mode: 'strong', confidence: 0.9 },
  // "My account is under Noor Haddad"
  { pattern: /\b(?:(?:account|order|quote|booking|reservation|request)\s+is|it\s+was|it'?s)\s+under\s+(?:the\s+name\s+)?(?=\p{Lu})/gu, mode: 'capitalized', confidence: 0.85 },
  // "put the contract in my name, Walter Ebbesen"
  { pattern: /\b(?:in|under)\s+my\s+name[,:]?\s+(?=\p{Lu})/gu, mode: 'capitalized', confidence: 0.85 },
  // "ask for Wendell - that is me"
  { pattern: /\b[Aa]sk\s+for\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*[-–—,(]\s*(?:that'?s|that\s+is|it'?s|it\s+is)\s+me\b)/gu, mode: 'capitalized', confidence: 0.85 },
  // "you are speaking with Imani Brooks", "you've reached Tom"
  { pattern: /\b(?:[Ss]peaking|[Tt]alking)\s+(?:with|to)\s+|\b[Yy]ou'?ve\s+reached\s+/gu, mode: 'capitalized', confidence: 0.8 },
  { pattern: /\b[Ss]oy\s+/gu, mode: 'capitalized', confidence: 0.8 },
  // "Hi, it's Dana" only at the start, where "It's Sunday" would still be refused by NOT_NAME.
  // "… call, 505-555-0147. it's Lorna": the message's last sentence too.
  { pattern: /^(?:(?:[Hh]i|[Hh]ello|[Hh]ey|[Ss]ure|[Oo]k(?:ay)?|[Yy]es|[Yy]eah)(?:\s+again)?[,!]?\s+)?[Ii]t(?:'?s|\s+is)\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*(?:[,.!]|$|\s(?:from|here|again)\b))|[.!?]\s+[Ii]t'?s\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*[.!]?\s*$)/gu, mode: 'capitalized', confidence: 0.75 },
  // "You can reach me, Priscilla, at …"
  { pattern: /\b(?:[Rr]each|[Cc]all|[Cc]ontact|[Ee]mail|[Tt]ext|to|is|ask\s+for)\s+me,\s+(?=(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?(?:,|\s*[.!]?\s*$))/gu, mode: 'capitalized', confidence: 0.8 }
]

function introHits (text: string): NameHit[] {
  const hits: NameHit[] = []
  for (const { pattern, mode, confidence } of INTROS) {
    for (const match of text.matchAll(pattern)) {
      const from = match.index + match[0].length
      if (mode === 'strong' && isSomeoneElsesName(text, match.index)) continue
      const name = readName(text, from, mode)
      if (name !== null) hits.push({ value: name.value, start: from, end: name.end, confidence })
    }
  }
  return hits
}

/** "his name is", "the company name is", "Anna's name is": a name, but not the visitor's. */
function isSomeoneElsesName (text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 25), at + 12).toLowerCase()
  return /\b(?:his|her|their|its|company|business|street|account|user|file|domain|brand|product|model|dog|cat|pet)\s+name/.test(before) ||
    /\p{L}'s\s+name/u.test(before)
}

// "Thanks,\nDana Reyes" / "Cheers, Dana" / "— Dana" at the end of the message, or a name on its own line after
// "Best regards," followed by a short signature block (title, e-mail, phone). Longer phrases come first, so
// "Best wishes," is read whole rather than as "Best" and a name "Wishes".
// One list of sign-off phrases for every form below (the longer first).
const SIGN_OFF_WORDS = String.raw`(?:thanks(?:\s+(?:so\s+much|again|a\s+lot|in\s+advance))?|thank\s+you(?:\s+(?:so\s+much|again|in\s+advance))?|many\s+thanks|(?:with\s+)?(?:best|kind|warm|warmest)\s+(?:regards|wishes)|all\s+the\s+best|yours(?:\s+(?:faithfully|sincerely|truly))?|take\s+care|speak\s+soon|talk\s+soon|warmly|cordially|respectfully|blessings|sincerely|cheers|regards|(?:kind\s+)?greetings|salutations|xoxo|xo|hugs|best|thx|ta)(?!\p{L})`
const SIGN_OFF = new RegExp(String.raw`(?:\b${SIGN_OFF_WORDS}\s*[,!.]?\s*\n?\s*(?:[-–—~]\s*)?|(?:^|\n|\s)(?:—|–|--|-|~)\s*)`, 'giu')
const SIGN_OFF_LINE = new RegExp(String.raw`(?:^|\n)[ ]*${SIGN_OFF_WORDS}[ ]*[,!.]?[ ]*\n(?:[ ]*\n)?[ ]*`, 'giu')
// Up to nine short lines (title, company, street, town, phone, fax, email), and one long notice.
const SIGNATURE_TAIL = /^[ ]*(?:[|,–—-][^\n]{0,80})?(?:\n[^\n]{0,80}){0,9}(?:\n[^\n]{0,400})?\s*$/
// "Raymond Kurtz speaking." at the start of a sentence.
const SPEAKING = /(?:^|[.!?]\s+|\n|\b(?:[Mm]orning|[Aa]fternoon|[Ee]vening|[Hh]i|[Hh]ello|[Hh]ey)\s?[,–—-]\s+)(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2},?\s+speaking\b)/gu
// "Hugo Brandt, hugo@…, 414-…": a full name opening a message, right before the visitor's contact details.
// "Fergus Lindahl. 812-…", "Yusuf Abernathy 19 Pickering Way …": a full stop, or a house number, may follow too.
const NAME_THEN_CONTACT = /(?:^(?:[Aa]nyway|[Oo]k(?:ay)?|[Ss]ure|[Ss]o|[Yy]es|[Rr]ight|[Hh]ello|[Hh]iya|[Hh]i|[Hh]ey)?,?|[.!?:]\s+|\n|\bme\s+[-–—]\s+)[ \t]*(?=\p{Lu}[\p{L}'-]+[ \t]+\p{Lu}[\p{L}'-]+[ \t]*(?:[,|;(</.]|\s[-–—]\s|\n|\s+from\s|\s+\d{1,6}\s+\p{Lu}|\s+\+?\(?\d{3}[\s.)-]))/gu
// What may follow that name: an email, a phone, or "Kalispell MT".
const CONTACT_AFTER_NAME = new RegExp(String.raw`^[ \t]*(?:(?:[,|;(</.]|[-–—]\s|\n)\s*(?:${CONTACT}|${CITY_STATE}|\d{1,6}\s+(?:[NSEW]\.?\s+)?\p{Lu}[\p{L}'-]+\s+\p{Lu})|\s+from\s+${CITY_STATE}|\s+\d{1,6}\s+\p{Lu}[\p{L}'-]+\s+\p{Lu}|\s+${CONTACT}|,\s*(?:interested|looking|ready|wanting|here|need|needing|want|owner|manager|president|director|homeowner)\b|\.\s*(?:[Ll]andline|[Cc]ell|[Pp]hone|[Mm]obile|[Ee]mail|[Tt]el|[Cc]all|[Tt]ext)\b)`, 'u')
// "\n\nQuentin Abara\nProject Manager, Abara Builders\nquentin@…": a signature block without a sign-off word.
// "--\nLionel Ferrante\nFerrante Woodworks\n…": the line under a signature separator.
const SEPARATOR_LINE = /(?:^|\n)[ \t]*(?:--|—|–)[ \t]*\n[ \t]*/gu
// "Dr. Sunita Ravel\nRavel Pediatrics\nOffice: 505-…", "Thaddeus Kroll, CPA\n701-…": a title before the name, a
// credential after it, lines of title and company before the contact lines, and labels on them.
const SIGNATURE_NAME = /\n[ \t]*\n[ \t]*(?=(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Pastor)\.?[ \t]+)?\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){1,2}(?:,[ \t]*[A-Z][A-Za-z.]{1,5})?[ \t]*\n)/gu
const SIGNATURE_CONTACT = /^(?:,[ \t]*[A-Z][A-Za-z.]{1,5})?[ \t]*(?:\n[^\n]{0,60}){0,3}\n[ \t]*(?:[A-Za-z]{1,8}[ \t]*[:.][ \t]*)?(?:[\w.+-]+@[\w.-]+|\+?\(?\d[\d ().-]{6,})[^\n]{0,40}(?:\n[^\n]{0,80}){0,3}\s*$/
// "— Ngozi Adeyemi\n(470) 555-0189": a dash sign-off above a signature's last lines.
const DASH_LINE = /(?:^|\n)[ ]*(?:—|–|--|-|~)[ ]*/gu
// "Annika Berg\n17 Fjord Ln": a name on its own line right above the street of an address block.
// "1. Fitzgerald Oyelaran\n2. 4 Hawthorn Rise": a numbered or bulleted list too.
const LIST_MARK = String.raw`(?:\d{1,2}[.)][ \t]*|[-*•][ \t]*)?`
const STREET_LINE_NEXT = new RegExp(String.raw`^[ \t]*\n[ \t]*${LIST_MARK}\d`)
const NAME_ABOVE_STREET = new RegExp(String.raw`(?:^|\n)[ \t]*${LIST_MARK}(?=(?:${TITLE}[ \t]+)?\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){1,2}[ \t]*\n[ \t]*${LIST_MARK}\d{1,6}[ \t]+\p{Lu})`, 'gu')
// "I'm her son, Gary.", "I'm only the intern, Zoe.": the visitor describes themselves, then names themselves.
// "- me (Ilse Marwick): ilse@…"
const ME_PARENS = /\b(?:me|I)\s*\(\s*(?=\p{Lu})/gu
// "Mrs. Beverly Tanaka - wondering …": a message that opens with a title and a full name.
const HONORIFIC_OPENING = new RegExp(String.raw`^\s*(?=${TITLE}\s+\p{Lu}[\p{L}'-]+\s+\p{Lu})`, 'gu')
// "- Mirela Dragan, 402-555-0175": contact details closing a signature line.
const DESCRIBED_END = new RegExp(String.raw`^\s*(?:[.!]|$|[,:]\s*(?:${CONTACT}|(?:call|text|email|reach|and|my|I'?(?:ll|m|d))\b)|[-–—]\s*${CONTACT})`, 'u')
const CONTACT_TAIL = /^\s*,\s*(?:\+?\(?\d[\d ().-]{6,}\d|[\w.+-]+@\S+)\s*$/
// "im his mom Siobhan": a relation, then the name that ends the message.
const DESCRIBED = new RegExp(String.raw`\b(?:[Ii]'?m|[Ii]\s+am)\s+(?:(?:just|only|actually)\s+)?(?:the|her|his|their|your|a|an|\p{Lu}[\p{Ll}'-]+'s)\s+(?:[\p{Ll}-]+\s+){0,2}?[\p{Ll}-]+(?:,\s+|\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*(?:[.!,:]|$|\s[-–—])))(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s*(?:[.!]|$|[,:]\s*(?:${CONTACT}|(?:call|text|email|reach|and|my|I'?(?:ll|m|d))\b)|\s[-–—]\s*${CONTACT}))`, 'gu')
// "Kwame Asante, by the way, 443-…"
const BY_THE_WAY = /(?:^|[.!?]\s+)(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?,?\s+(?:by\s+the\s+way|btw)\b)/gu
const HERE = /(?:^|[.!?,]\s+|\(|\b(?:[Hh]i|[Hh]ello|[Hh]ey|[Bb]onjour|[Hh]ola|(?:[Gg]ood\s+)?(?:[Mm]orning|[Aa]fternoon|[Ee]vening))[,!]?\s+)(?=(?:(?:Dr|Mr|Mrs|Ms|Pastor|Rev|Fr|Father)\.?\s+)?\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?\s+(?:here|again)\b)/gu

// "Hi, Dorothea Winslow-Pike. Interested in attic fans.", "hey there! Anneliese from up in Duluth": a greeting, the
// name, then what they want or where they are from (a company greeted by name is followed by neither).
const GREETING_NAME = /^\s*(?:[Hh]i|[Hh]ello|[Hh]ey)(?:\s+there)?\s*[,!]\s*(?=\p{Lu})/gu
const GREETING_NAME_END = /^(?:\.\s+(?:[Ii]nterested|[Ll]ooking|[Ww]ondering|[Cc]urious|I|[Ww]e|[Nn]eed|[Ww]ant|(?:[Qq]uick\s+)?[Qq]uestion|[Jj]ust)\b|\s+from\s+(?:up\s+in\s+|down\s+in\s+|in\s+)?\p{Lu})/u

/** Names read after each match of `pattern`, kept when what follows the name passes `fits`. */
function hitsAfter (text: string, pattern: RegExp, fits: (rest: string) => boolean, confidence: number): NameHit[] {
  const hits: NameHit[] = []
  for (const match of text.matchAll(pattern)) {
    const from = match.index + match[0].length
    const name = readName(text, from, 'capitalized')
    if (name !== null && fits(text.slice(name.end))) hits.push({ value: name.value, start: from, end: name.end, confidence })
  }
  return hits
}

function signOffHits (text: string): NameHit[] {
  return [
    // "thx\nLupe 915-555-0114": a number may close the signature.
    ...hitsAfter(text, SIGN_OFF, (rest) => /^\s*[.!]?\s*(?:,?\s*\+?\(?\d[\d ().-]{6,}\d\s*)?$/.test(rest), 0.8),
    ...hitsAfter(text, SIGN_OFF_LINE, (rest) => SIGNATURE_TAIL.test(rest), 0.8),
    ...hitsAfter(text, HERE, (rest) => /^\s+(?:here|again)\b/.test(rest), 0.8),
    ...hitsAfter(text, GREETING_NAME, (rest) => GREETING_NAME_END.test(rest), 0.75),
    ...hitsAfter(text, DESCRIBED, (rest) => DESCRIBED_END.test(rest), 0.8),
    ...hitsAfter(text, ME_PARENS, (rest) => /^\s*\)/.test(rest), 0.85),
    ...hitsAfter(text, HONORIFIC_OPENING, (rest) => /^\s*(?:[-–—,.!:]|$)/.test(rest), 0.8).filter((hit) => hit.value.includes(' ')),
    ...hitsAfter(text, BY_THE_WAY, (rest) => /^,?\s+(?:by\s+the\s+way|btw)\b/.test(rest), 0.8),
    ...hitsAfter(text, NAME_ABOVE_STREET, (rest) => STREET_LINE_NEXT.test(rest), 0.8),
    ...hitsAfter(text, SPEAKING, (rest) => /^,?\s+speaking\b/.test(rest), 0.8),
    ...hitsAfter(text, NAME_THEN_CONTACT, (rest) => CONTACT_AFTER_NAME.test(rest), 0.75).filter((hit) => hit.value.includes(' ')),
    ...hitsAfter(text, SIGNATURE_NAME, (rest) => SIGNATURE_CONTACT.test(rest), 0.75),
    ...hitsAfter(text, SEPARATOR_LINE, (rest) => SIGNATURE_TAIL.test(rest), 0.8),
    ...hitsAfter(text, DASH_LINE, (rest) => SIGNATURE_TAIL.test(rest) || CONTACT_TAIL.test(rest), 0.75).filter((hit) => hit.value.includes(' '))
  ]
}

// "i'm exhausted", "i'm hopeful": shapes of words that describe rather than name ("ahmed" and "ted" are names).
// "-ly" is not among them: Wally, Kelly, Emily; the adverbs that follow "i'm" are in NOT_NAME.
function looksLikeAdjective (value: string): boolean {
  // A hyphenated word is a double-barrelled name ("morrow-king"), not a mood.
  return value.split(' ').some((word) => !word.includes('-') && (/(?:ing|ful|ous|ive|able|ible|less)$/i.test(word) || (word.length > 5 && /ed$/i.test(word))))
}

/** Lower-case "i'm dana, ..." only when the word is followed by a break and is not a common word. */
// What may follow "im jake": a break, "from", "here", "i want", "my …", an address or a phone.
const AFTER_LOWER_INTRO = new RegExp(String.raw`^\s*(?:[,.!]|$|\s+(?:from|here|and\s+i|i|with|btw|by\s+the\s+way|my)\b|\s+at\s+\d|\s+${CONTACT})`, 'i')
const LOWER_INTRO = /\b(?:i'?m|i\s+am)\s+(?=\p{Ll})/gu
// "tony here btw", "hi, this is mei lin from the dental office": a lower-case name only where the message opens.
const LOWER_OPENING = new RegExp(String.raw`^\s*(?:(?:yes|ok|okay)[,!]?\s+)?(?:${LOWER_HELLO})?(?:this\s+is\s+|it'?s\s+)?(?:(?:mrs?|ms|mx|dr)\.?\s+)?(?=\p{Ll})`, 'gu')
// "hey it's marco, …": a greeting, then "it's" / "this is" and one word that ends the clause.
const LOWER_GREETING = new RegExp(String.raw`^\s*${LOWER_HELLO}(?:this\s+is|it'?s|it\s+is)\s+(?=\p{Ll})`, 'gu')
// "regards, tomasz", "thanks,\nmarie", "talk soon\n- mike": a sign-off, a comma, line break or dash, then the last
// words of the message.
const LOWER_SIGN_OFF = new RegExp(String.raw`(?:\b${SIGN_OFF_WORDS}\s*(?:,\s*\n?|\n|\.\s+(?=\p{Ll}+\s+\p{Ll}+\s*[.!]?\s*$))|\n[ \t]*(?:--|[-–—~])[ \t]*|[ \t][-–—][ \t]*(?=\p{Ll}+\s*$))\s*(?=\p{Ll})`, 'gu')
// "this is ana ferreira, …": the message opens with a lower-case full name (two words: "this is great," is not one).
const LOWER_THIS_IS = new RegExp(String.raw`^\s*(?:(?:ya|yeah|yes|ok|so)\s+){0,2}(?:${LOWER_HELLO})?(?:this\s+is|it'?s|its)\s+(?:(?:mrs?|ms|mx|dr)\.?\s+)?(?=[\p{Ll}'-]+\s+[\p{Ll}'-]+\s*(?:,|\s+(?:in|from|here)\b|\s+${CONTACT}|\s+at\s+\d|[.!]?\s*$))`, 'gu')
// "deepak nair, deepak.nair@…, 408 …": a lower-case full name opening a message, right before contact details.
// "this is naveen, naveen.kapur@…": one lower-case word, when contact details follow it.
// "ok its kip 801 555 0120": or a space before the number.
const LOWER_THIS_IS_CONTACT = new RegExp(String.raw`^\s*(?:(?:ok|ya|yeah|so)\s+){0,2}(?:${LOWER_HELLO})?(?:this\s+is|it'?s|its)\s+(?=\p{Ll}+\s*(?:,\s*(?:${CONTACT}|(?:text|call|email|reach)\s+me\b)|\s${CONTACT}))`, 'gu')
// "nell tamsworth 5124 saddle horn trl …": without the comma when a number follows.
// "marie-claire dubois, interested in windows", "ok lets do it - otis grimsby otisg@…": what follows may be why
// they write, and the name may come after a dash.
const LOWER_STREET_START = String.raw`\d{1,6}\s+(?:\p{Ll}+\s+){1,3}(?:${SUFFIX})\b`
const LOWER_NAME_THEN_CONTACT = new RegExp(String.raw`(?:^|\s[-–—:]\s|[.!?,:]\s+)\s*(?:(?:mrs?|ms|mx|dr)\.?\s+)?(?=[\p{Ll}-]+\s+[\p{Ll}-]+\s*(?:[,|]\s*(?:${CONTACT}|${LOWER_STREET_START})|\s(?:${CONTACT}|${LOWER_STREET_START})|\s+[\w.+-]+@|,\s*(?:interested|looking|wanting|want|need|needing|ready|here)\b))`, 'gu')
// "need quote mini split 2 rooms. kelsey 515 555 0139 des moines": one lower-case word, then a phone.
const LOWER_WORD_THEN_PHONE = /(?:^|[.!?]\s+)(?=\p{Ll}{2,}\s+(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b)/gu
// "oops, gary is my dad, this is elise.": one lower-case word after "this is" that ends a clause.
const LOWER_THIS_IS_ONE = /(?:^|[,.!?;]|\s{2})\s{0,3}this\s+is\s+(?=\p{Ll}+\s*(?:[,!]|\.(?!\S)|$|\s+(?:btw|here)\b))/gu
// "name corwin tate\nemial …": a form's label without its colon, the name filling the line.
// "name bo ridgeway ph 4065550161 addr …": or the next label on the same line.
const NEXT_LABEL = String.raw`(?:ph|phone|tel|cell|mobile|email|e-mail|addr|address|zip)\b`
const AFTER_NAME_LABEL = new RegExp(String.raw`^[ \t]*(?:\n|${NEXT_LABEL}|$)`)
const PHONE_NEXT = new RegExp(String.raw`^\s+${CONTACT}`)
const AFTER_LOWER_THIS_IS = new RegExp(String.raw`^\s*(?:,|\s+(?:in|from|here)\b|\s+${CONTACT}|\s+at\s+\d|[.!]?\s*$)`)
const LOWER_NAME_LABEL = new RegExp(String.raw`(?:^|\n)[ \t]*name[ \t]+(?=\p{Ll}+(?:[ \t]+[\p{Ll}-]+)?[ \t]*(?:\n|${NEXT_LABEL}|$))`, 'gu')

function lowercaseHits (text: string): NameHit[] {
  const hits: NameHit[] = []
  for (const match of text.matchAll(LOWER_INTRO)) {
    const from = match.index + match[0].length
    const name = readName(text, from, 'strong')
    if (name === null || looksLikeAdjective(name.value)) continue
    // "hi im marisa kwon my email is …": a run-on's next clause starts with "my".
    // "im jake 608 555 0152 if …": or the number follows.
    if (!AFTER_LOWER_INTRO.test(text.slice(name.end))) continue
    hits.push({ value: name.value, start: from, end: name.end, confidence: 0.6 })
  }
  for (const match of text.matchAll(LOWER_OPENING)) {
    const from = match.index + match[0].length
    const name = readName(text, from, 'strong')
    if (name === null || looksLikeAdjective(name.value) || endsInState(name.value)) continue
    if (!/^\s*,?\s+(?:here|from|speaking|btw|by\s+the\s+way)\b/i.test(text.slice(name.end))) continue
    hits.push({ value: name.value, start: from, end: name.end, confidence: 0.7 })
  }
  hits.push(...lowerHitsAfter(text, LOWER_GREETING, /^\s*(?:[,.!]|$)/, 1))
  // A phone may close the signature: "-- gus fairley 270-555-0115".
  hits.push(...lowerHitsAfter(text, LOWER_SIGN_OFF, /^\s*[.!]?\s*(?:\+?\(?\d[\d ().-]{6,}\d)?\s*$/, 2))
  hits.push(...lowerHitsAfter(text, LOWER_THIS_IS, AFTER_LOWER_THIS_IS, 2).filter((hit) => hit.value.includes(' ')))
  hits.push(...lastLineHits(text))
  hits.push(...lowerHitsAfter(text, LOWER_NAME_THEN_CONTACT, /^\s*(?:[,|]|\d{3,}|[\w.+-]+@)/, 2).filter((hit) => hit.value.includes(' ')))
  hits.push(...lowerHitsAfter(text, LOWER_NAME_LABEL, AFTER_NAME_LABEL, 2, true))
  hits.push(...lowerHitsAfter(text, LOWER_THIS_IS_CONTACT, /^\s*(?:,|\s\d)/, 1))
  hits.push(...lowerHitsAfter(text, LOWER_WORD_THEN_PHONE, PHONE_NEXT, 1))
  hits.push(...lowerHitsAfter(text, LOWER_THIS_IS_ONE, /^\s*(?:[,!]|\.(?!\S)|$|\s+(?:btw|here)\b)/, 1).map((hit) => ({ ...hit, confidence: 0.6 })))
  return hits
}

// "…\n\nMr. Clifford Ansel", "…@example.com\nJules", "…slot\nbrody": a name alone on the last line of a message of
// several lines. In lower case only from someone who writes all in lower case, and one word.
const LAST_LINE = new RegExp(String.raw`\n[ \t]*(\n[ \t]*)?(?=(?:${TITLE}[ \t]+)?[\p{L}'-]+(?:[ \t]+[\p{L}'-]+){0,2}[ \t]*$)`, 'gu')

function lastLineHits (text: string): NameHit[] {
  const match = [...text.matchAll(LAST_LINE)].pop()
  if (match === undefined) return []
  const from = match.index + match[0].length
  const lower = !isCapitalized(text.slice(from, from + 1))
  if (lower && text !== text.toLowerCase()) return []
  const name = readName(text, from, lower ? 'strong' : 'capitalized')
  if (name === null || !/^[ \t]*$/.test(text.slice(name.end)) || looksLikeAdjective(name.value)) return []
  if ((lower && name.value.includes(' ')) || PLACE_PREFIX.test(name.value.split(' ')[0] ?? '')) return []
  return [{ value: name.value, start: from, end: name.end, confidence: match[1] === undefined ? 0.6 : 0.75 }]
}

/** "portsmouth nh", "fresno ca": a place typed in lower case, not a name. */
function endsInState (value: string): boolean {
  const words = value.split(' ')
  if (words.length < 2) return false
  return [words.slice(-1).join(' '), words.slice(-2).join(' ')].some((tail) => readState(tail, 'all')?.length === tail.length)
}

/** A lower-case name of at most `maxWords` words after each match of `pattern`, kept when what follows fits `rest`. */
function lowerHitsAfter (text: string, pattern: RegExp, rest: RegExp, maxWords: number, labelled = false): NameHit[] {
  const hits: NameHit[] = []
  for (const match of text.matchAll(pattern)) {
    const from = match.index + match[0].length
    const name = readName(text, from, 'strong')
    // After a label ("name ambrose kettering") a word ending in -ing is a surname, not a mood.
    if (name === null || name.value.split(' ').length > maxWords || (!labelled && looksLikeAdjective(name.value)) || endsInState(name.value)) continue
    if (rest.test(text.slice(name.end))) hits.push({ value: name.value, start: from, end: name.end, confidence: 0.65 })
  }
  return hits
}

// "First name: Lupita\nSurname: Marquez", "first name's Amadou, last name Diallo": the two parts make one name.
// "First: Otis\nLast: Greenleaf" on a form's lines.
const FIRST_NAME_LINE = /\b(?:first|given)\s+name(?:'s|\s+is|\s*:)?[ \t]*|(?:^|\n)[ \t]*(?:first|given)[ \t]*:[ \t]*/iu
const LAST_NAME_LINE = /\b(?:surname|last\s+name|family\s+name)(?:'s|\s+is|\s*:)?[ \t]*|(?:^|\n)[ \t]*(?:last|family)[ \t]*:[ \t]*/iu

function formHits (text: string): NameHit[] {
  const first = FIRST_NAME_LINE.exec(text)
  const last = LAST_NAME_LINE.exec(text)
  const given = first === null ? null : readName(text, first.index + first[0].length, 'strong')
  if (first === null || given === null) return []
  const family = last === null ? null : readName(text, last.index + last[0].length, 'strong')
  // "First name Leontine" alone: the given name, which a later "Last name Harrowgate" completes.
  if (family === null) return given.value.includes(' ') ? [] : [{ value: given.value, start: first.index, end: given.end, confidence: 0.9 }]
  return [{ value: `${given.value} ${family.value}`, start: first.index, end: family.end, confidence: 0.96 }]
}

/** "Last name Harrowgate", "my surname is Okafor" with no given name in the message: one word to complete a name. */
export function surnameAlone (text: string): NameHit | null {
  const last = LAST_NAME_LINE.exec(text)
  if (last === null || FIRST_NAME_LINE.test(text)) return null
  const family = readName(text, last.index + last[0].length, 'strong')
  if (family === null || family.value.includes(' ') || !/^\s*(?:[,.!;]|$|\n|\s+(?:and|but|btw|with|too|also|as\s+well|lol|if)\b)/i.test(text.slice(family.end))) return null
  return { ...family, start: last.index, confidence: 0.8 }
}

// A message that is only a full name ("Valentina Cruz"): the answer to "may I have your name?". Not a place
// ("San Diego", "New Braunfels"), which is the answer to another question.
// "sure, Thaddeus Imbery", "benedikt sorensen" (all in lower case, as a reply is often typed).
const REPLY_FILLER = String.raw`(?:(?:sure|ok(?:ay)?|yes|yeah|yep|yup|ya|so|and|oh|k|of\s+course|hi|hey|hello|it'?s|its|it\s+is|name'?s|names|name\s+is)[,!.:]?\s+){0,3}`
// "Coralie Banfield sorry": a word of apology may close it.
// "Lorna Pettigrew if you need the last name", "Leopold Saarinen, sorry, for the form".
const REPLY_END = String.raw`\s*[.!,]?\s*(?:(?:sorry|lol|thanks|thx|pls|please|owner|manager|if\s+you\s+need[^.!\n]{0,40}|for\s+the\s+\w+)\s*[.!,]?\s*){0,2}$`
const REPLY_ENDS = new RegExp(`^${REPLY_END}`, 'iu')
const WHOLE_NAME = new RegExp(String.raw`^\s*${REPLY_FILLER}(?=\p{L}[\p{Ll}'-]+(?:[ ]+\p{L}[\p{Ll}'-]+){1,2}${REPLY_END})`, 'iu')
const PLACE_PREFIX = /^(?:san|santa|los|las|new|north|south|east|west|fort|mount|port|lake|el|la|saint|st)$/i
// "its wes", "this is ophelia, can i get a callback", "name? oh its ximena": one word, the message's only clause
// or its first; "its fine" and "this is urgent" are refused by NOT_NAME.
const SHORT_REPLY_NAME = /^\s*(?:(?:name\s*\??\s*)?(?:oh\s+|ok\s+|sure\s+|hi\s+|hey\s+)?(?:it'?s|its|this\s+is)\s+)(?=[\p{L}'-]+\s*(?:[,!]|\.(?!\S)|$))/iu

function wholeMessageHits (text: string): NameHit[] {
  return [...fullNameReply(text), ...oneWordReply(text)]
}

function fullNameReply (text: string): NameHit[] {
  const match = WHOLE_NAME.exec(text)
  if (match === null) return []
  const lower = !isCapitalized(text.slice(match[0].length, match[0].length + 1))
  // A lower-case reply counts only from someone who writes in lower case ("sounds good" is refused by NOT_NAME).
  if (lower && text !== text.toLowerCase()) return []
  const name = readName(text, match[0].length, lower ? 'strong' : 'capitalized')
  if (name === null || !name.value.includes(' ') || PLACE_PREFIX.test(name.value.split(' ')[0] ?? '') || (lower && looksLikeAdjective(name.value)) || endsInState(name.value)) return []
  // "cedar rapids", "Ann Arbor": a town's name; "spray foam crawlspace": three lower-case words are rarely a name.
  if (US_CITIES.has(name.value.toLowerCase()) || (lower && name.value.split(' ').length > 2)) return []
  if (!REPLY_ENDS.test(text.slice(name.end)) || STREET_WORD.test(name.value.split(' ').pop() ?? '')) return []
  return [{ value: name.value, start: match[0].length, end: name.end, confidence: 0.6 }]
}

function oneWordReply (text: string): NameHit[] {
  const match = SHORT_REPLY_NAME.exec(text)
  if (match === null) return []
  const name = readName(text, match[0].length, 'strong')
  if (name === null || name.value.includes(' ') || looksLikeAdjective(name.value)) return []
  return [{ value: name.value, start: match[0].length, end: name.end, confidence: 0.6 }]
}

// After a correction: "sorry, that should be Jonathan Ashford - …", or a message ending "… with a D. Katrina Doyle".
const STREET_WORD = new RegExp(`^(?:${SUFFIX})$`, 'i')
// "sorry, autofill got it wrong - it's Christopher Dahl": an "it's" a few words on counts too.
const RESTATED_OPENING = /^\s*[,:!–—-]?\s*(?:(?:it|that)(?:'?s|\s+is)\s+|be\s+)?(?=\p{Lu})|^[^.!?\n]{0,40}?[-–—,:!]\s*(?:it|that)(?:'s|\s+is)\s+(?=\p{Lu})|^\s*[\p{Ll}]+\s*,\s*(?=\p{Lu})/u
const RESTATED_CLOSING = /[.!?]\s+(?=\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,2}\s*[.!]?\s*$)/gu

/** A full name (two or three words) restated right after a correction phrase, or closing the message. */
export function restatedName (text: string, from: number): NameHit | null {
  const opening = RESTATED_OPENING.exec(text.slice(from))
  const starts = [
    ...(opening === null ? [] : [from + opening[0].length]),
    ...[...text.slice(from).matchAll(RESTATED_CLOSING)].map((m) => from + m.index + m[0].length)
  ]
  for (const start of starts) {
    const name = readName(text, start, 'capitalized')
    if (name === null || !name.value.includes(' ') || PLACE_PREFIX.test(name.value.split(' ')[0] ?? '')) continue
    // "it's Whitfield Rd, not Ave" restates a street.
    if (STREET_WORD.test(name.value.split(' ').pop() ?? '')) continue
    // "that's Miramar Beach, FL 32550" and "I mean Portsmouth Rhode Island" restate a place.
    if (/^\s*,?\s*[A-Z]{2}\b/.test(text.slice(name.end)) || endsInState(name.value)) continue
    // "just married, it's Ellen Druckman now"
    if (/^\s*(?:[-–—,.!;]|$|now\b|with\s+(?:a|an|one|two)\b)/.test(text.slice(name.end))) return { value: name.value, start, end: name.end, confidence: 0.75 }
  }
  return null
}

/** The most confident self-introduction; ties go to the first one in the message. */
// A mail client's own last line is not the writer's signature.
const SENT_FROM = /\n[ \t]*Sent from my [^\n]*\s*$/i

/** `previous`: the visitor's message before, after which a lone "sarah" answers "and your name?". */
export function pickOwnName (message: string, previous: string | null = null): NameHit | null {
  // "HI THIS IS GORDON PELLETIER, …": read a shouted message as lower case, where every word is not a capital.
  const unshouted = /\p{Lu}{3}/u.test(message) && message === message.toUpperCase() ? message.toLowerCase() : message
  const text = unshouted.replace(SENT_FROM, (line) => ' '.repeat(line.length))
  const hits = [...introHits(text), ...signOffHits(text), ...lowercaseHits(text), ...formHits(text), ...wholeMessageHits(text), ...givenNameReply(text, previous), ...lowerNameReply(text, previous), ...lowerAskFor(text, previous), ...closingNameHits(text)]
  hits.sort((a, b) => b.confidence - a.confidence || a.start - b.start)
  const best = hits[0]
  return best === undefined ? null : withSurnameLater(text, best)
}

// "im buck by the way. buck hollender": the given name, then the whole name later in the message.
function withSurnameLater (text: string, hit: NameHit): NameHit {
  if (hit.value.includes(' ')) return hit
  // "… buck hollender" (given name first) or "I'm Okonkwo, Chidi Okonkwo" (the word was the surname), after the hit;
  // "Marcus and Delphine Arkwright here. … I am Delphine": the given name first, anywhere in the message.
  const after = new RegExp(String.raw`\b(?:${hit.value}\s+[\p{L}'-]{2,}|[\p{L}'-]{2,}\s+${hit.value})(?=\s*(?:[.,!]|$|\s+here\b))`, 'giu')
  after.lastIndex = hit.end
  const anywhere = new RegExp(String.raw`\b${hit.value}\s+(?=[\p{L}'-]{2,}(?:\s*[.,!(\n]|$|\s+here\b))`, 'gu')
  const match = after.exec(text) ?? anywhere.exec(text)
  const full = match === null ? null : readName(text, match.index, 'strong')
  return full === null || full.value.split(' ').length !== 2 || looksLikeAdjective(full.value) ? hit : { ...hit, value: full.value, end: full.end }
}

// "Leila", "Wilfred": a capitalized word as the whole message answers "and your name?"; a town ("Wichita") is
// extract-address's. A guess, so it only fills an empty name.
const ONE_WORD = /^\s*(?=\p{Lu}[\p{Ll}'-]+\s*[.!]?\s*$)/u

// "sarah" after a message that gave an email: lower case, only when the message before gave a phone or an email.
const LOWER_ONE_WORD = /^\s*(?=\p{Ll}[\p{Ll}'-]+\s*[.!]?\s*$)/u
const GAVE_CONTACT = new RegExp(String.raw`[\w.+-]+@[\w-]+\.|${PHONE_SHAPE.source}`)

// "ok call me. 360.555.0115 ask for maeve", "ask for dez" after the number.
const LOWER_ASK_FOR = /\bask\s+for\s+(?=\p{Ll}{2,}\s*[.!]?\s*$)/gu

function lowerAskFor (text: string, previous: string | null): NameHit[] {
  // The message's own shape first: the message before is read only when this one could be a reply.
  const hits = lowerHitsAfter(text, LOWER_ASK_FOR, /^\s*[.!]?\s*$/, 1)
  return hits.length === 0 || GAVE_CONTACT.test(text) || (previous !== null && GAVE_CONTACT.test(previous)) ? hits : []
}

function lowerNameReply (text: string, previous: string | null): NameHit[] {
  const match = LOWER_ONE_WORD.exec(text)
  if (match === null || previous === null || !GAVE_CONTACT.test(previous)) return []
  const name = match === null ? null : readName(text, match[0].length, 'strong')
  if (name === null || readState(name.value, 'none') !== null || US_CITIES.has(name.value.toLowerCase()) || looksLikeAdjective(name.value)) return []
  return [{ value: name.value, start: 0, end: name.end, confidence: 0.6, onlyFills: true }]
}

// "4 Kittiwake Way", then "Kennebunk": a town after a street, not a name.
function givenNameReply (text: string, previous: string | null): NameHit[] {
  const match = ONE_WORD.exec(text)
  if (match === null || (previous !== null && A_STREET.test(previous))) return []
  const name = match === null ? null : readName(text, match[0].length, 'capitalized')
  if (name === null || readState(name.value, 'none') !== null || US_CITIES.has(name.value.toLowerCase())) return []
  return [{ value: name.value, start: 0, end: name.end, confidence: 0.6, onlyFills: true }]
}

// "… but I'm the one on the lease. Kenji Moravec", "Reach me at 269-555-0170. Augustin Pelletier": a full name that
// is the message's last sentence, as a signature is.
// "ok book me, Thaddeus Moorcroft": after a go-ahead and a comma too.
const CLOSING_NAME = /(?:[.!?]|^(?=[^\n]{0,48}$)[^,\n]{0,16}\b(?:ok|okay|sure|yes|book(?:\s+me|\s+it)?|sign\s+me\s+up|go\s+ahead|do\s+it|sounds\s+good|thanks|thank\s+you)\b[^,\n]{0,12},)\s+(?=\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+){1,2}\s*[.!]?\s*$)/gu

// "…\n\nInga Tollefsrud, owner": a closing name with the writer's role.
const NAME_PIPES = /(?:^|\n)[ \t]*(?=\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){1,2}[ \t]*\|)/gu
const NAME_WITH_ROLE = /\n[ \t]*\n[ \t]*(?=\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){1,2},[ \t]*[\p{L} &]{2,40}\s*$)/gu
// "Go ahead and book it.\nMagnus\n586.555.0192": a name on its own line above the last line, a phone or an email.
const NAME_ABOVE_CONTACT = new RegExp(String.raw`\n[ \t]*(?=\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){0,2}[ \t]*\n[ \t]*${CONTACT}[^\n]{0,40}\s*$)`, 'gu')
// "…\n\nIngram Solis\nSolis Auto Repair": a signature of a name and the company's line.
const NAME_ABOVE_COMPANY = /\n[ \t]*\n[ \t]*(?=\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){1,2}[ \t]*\n[^\n]{2,60}\s*$)/gu

// "call me 606-555-0118. nelda parrish" (a shouted message, read in lower case): a closing name after the details.
const LOWER_CLOSING_NAME = /(?:\d{3}[\s.-]?\d{4}|@[\w-]+(?:\.[\w-]+)+)\s*[.,]\s+(?=\p{Ll}+\s+[\p{Ll}'-]+\s*[.!]?\s*$)/gu

// "Call me on +1 505 555 0139 please, re: solar quote. Esteban.": one word closing a message that gave a number.
const CLOSING_WORD = /[.!?]\s+(?=\p{Lu}[\p{Ll}'-]+\s*[.!]?\s*$)/gu

function closingWordHits (text: string): NameHit[] {
  return hitsAfter(text, CLOSING_WORD, (rest) => /^\s*[.!]?\s*$/.test(rest), 0.7).filter((hit) => {
    return !US_CITIES.has(hit.value.toLowerCase()) && readState(hit.value, 'none') === null && GAVE_CONTACT.test(text.slice(0, hit.start))
  })
}

function closingNameHits (text: string): NameHit[] {
  const aboveCompany = hitsAfter(text, NAME_ABOVE_COMPANY, (rest) => {
    const line = /^[ \t]*\n([^\n]*)/.exec(rest)?.[1] ?? ''
    return line.split(/\s+/).some((word) => COMPANY_WORD.test(word))
  }, 0.8)
  const aboveContact = [
    ...hitsAfter(text, NAME_ABOVE_CONTACT, (rest) => /^[ \t]*\n/.test(rest), 0.75),
    ...hitsAfter(text, NAME_WITH_ROLE, (rest) => /^,/.test(rest), 0.75),
    // "…\n\nOtto Brandvold | Brandvold Farms | 701-555-0111 | otto@…": one line of pipes.
    ...hitsAfter(text, NAME_PIPES, (rest) => /^[ \t]*\|[^\n]*(?:\n[^\n]*){0,2}?(?:@|\d{3}[\s.-]\d{3})/.test(rest), 0.8)
  ]
  const closing = hitsAfter(text, CLOSING_NAME, (rest) => /^\s*[.!]?\s*$/.test(rest), 0.7)
    .filter((hit) => hit.value.includes(' ') && !PLACE_PREFIX.test(hit.value.split(' ')[0] ?? '') && !endsInState(hit.value) && !STREET_WORD.test(hit.value.split(' ').pop() ?? ''))
  const lowerClosing = text === text.toLowerCase() ? lowerHitsAfter(text, LOWER_CLOSING_NAME, /^\s*[.!]?\s*$/, 2).filter((hit) => hit.value.includes(' ')) : []
  return [...aboveCompany, ...aboveContact, ...closing, ...lowerClosing, ...closingWordHits(text)]
}
