// Contact preferences: channel ("email is better than calling", "please text me"), time ("after 5pm", "weekends")
// and language ("I'd prefer to communicate in German").
import { sentenceEnd, sentenceStart } from './text.ts'
import type { ContactChannel } from './types.ts'

export interface PreferenceHit { key: 'contact_channel' | 'contact_time' | 'language', value: string, confidence: number, start: number }

const CHANNEL_WORDS: Record<ContactChannel, string> = {
  email: 'e-?mails?|e-?mailing|e-?mailed',
  phone: 'calls?|calling|phone(?:\\s+calls?)?|phoning|ring(?:ing)?|a\\s+call|a\\s+phone\\s+call',
  text: 'text\\s+messages?|texts?|texting|sms|whatsapp|mensajes?\\s+de\\s+texto|texto'
}
const CHANNEL_EXACT = (Object.keys(CHANNEL_WORDS) as ContactChannel[]).map((c) => [c, new RegExp(`^(?:${CHANNEL_WORDS[c]})$`, 'i')] as const)

function channelOf (word: string): ContactChannel | null {
  return CHANNEL_EXACT.find(([, pattern]) => pattern.test(word.trim()))?.[0] ?? null
}

const ANY_CHANNEL = `(?:${Object.values(CHANNEL_WORDS).join('|')})`
// "email jo@example.com is better": the address or number may sit between the channel and the verdict.
const GIVEN = String.raw`(?:\s+(?:address|number|addr))?(?:\s+[^\s@]{1,64}@[^\s@]{1,255}|\s+\+?[\d().-][\d ().-]{5,20}\d)?`
const CHANNEL_PATTERNS: Array<{ pattern: RegExp, confidence: number }> = [
  // "Email is better than calling", "Texting is easiest for me", "a call is fine", "email works best"
  { pattern: new RegExp(`\\b(${ANY_CHANNEL})${GIVEN}\\s+(?:is|are|would\\s+be|works?)\\s+(?:much\\s+|way\\s+|a\\s+lot\\s+|probably\\s+|usually\\s+)?(?:better|best|easier|easiest|preferred|preferable|ideal|good|great|fine|quicker|faster)\\b`, 'giu'), confidence: 0.85 },
  // "I prefer text messages", "prefer a call", "preferred contact: text"
  { pattern: new RegExp(`\\b(?:prefer(?:s|red|ably)?|prefiero|prefiere)\\s+(?:to\\s+(?:be\\s+)?)?(?:(?:contact(?:ed)?|method|channel)\\s*)?(?:by\\s+|via\\s+|through\\s+|[:\\-]\\s*)?(${ANY_CHANNEL})\\b`, 'giu'), confidence: 0.85 },
  // "please text me", "email me rather than call", "call me on +61 …"
  // No /i flag: next to \p{Lu} it would also match lower-case letters.
  { pattern: /\b([Ee]-?mail|[Tt]ext|[Cc]all|[Rr]ing|[Pp]hone)\s+me\b(?!\s+\p{Lu})/gu, confidence: 0.7 },
  { pattern: /\bplease\s+(email|e-mail|text|call)\b/giu, confidence: 0.85 },
  // "CALL 323-555-0108", "or text 415 555 0199": an instruction, not "I tried to call 1-800 …"
  { pattern: /(?:^|[.!?]\s{1,3}|\b(?:pls|please|just|you\s+can|feel\s+free\s+to)\s{1,3})(email|e-mail|text|call|ring)\s{1,3}(?:me\s{1,3})?(?:at\s{1,3}|on\s{1,3})?(?=\+?\(?\d|[^\s@]{1,64}@)/giu, confidence: 0.75 },
  // "don't call me, email instead"
  { pattern: new RegExp(`\\b(${ANY_CHANNEL})\\s+(?:me\\s+)?instead\\b`, 'giu'), confidence: 0.8 },
  // "text only pls", "Email only: …"
  { pattern: new RegExp(`\\b(${ANY_CHANNEL})\\s+only\\b`, 'giu'), confidence: 0.85 },
  // "best to reach me by phone", "contact me via email"
  { pattern: new RegExp(`\\b(?:reach|contact|get\\s+(?:hold\\s+of|in\\s+touch\\s+with))\\s+(?:me|us)\\s+(?:by|via|through|over|on)\\s+(?:a\\s+|the\\s+)?(${ANY_CHANNEL})\\b`, 'giu'), confidence: 0.85 }
]
// "Best way to reach me is carla@example.com": the channel is whatever follows.
const BEST_WAY = /\b(?:best|easiest|preferred|quickest)\s+(?:way|method|means)\s+(?:to\s+(?:reach|contact|get\s+(?:hold\s+of|in\s+touch\s+with))\s+(?:me|us)\s+)?(?:is|would\s+be)\s+(?:by\s+|via\s+|at\s+)?/giu

/** The channel named by what follows "is": an address, a number, or a channel word ("text messages", "phone"). */
function channelOfValue (rest: string): ContactChannel | null {
  if (/^[^\s@]{1,64}@/.test(rest)) return 'email'
  if (/^\+?[\d(]/.test(rest)) return 'phone'
  const words = rest.split(/[\s.,;!?]+/)
  return channelOf(words.slice(0, 2).join(' ')) ?? channelOf(words[0] ?? '')
}

function bestWayHits (text: string): PreferenceHit[] {
  const hits: PreferenceHit[] = []
  for (const match of text.matchAll(BEST_WAY)) {
    const from = match.index + match[0].length
    const channel = channelOfValue(text.slice(from, from + 40))
    if (channel !== null) hits.push({ key: 'contact_channel', value: channel, confidence: 0.8, start: match.index })
  }
  return hits
}

const NEGATED_CHANNEL = new RegExp(`\\b(?:than|instead\\s+of|over|not|no|don'?t|do\\s+not|never|without)\\s+(?:by\\s+|via\\s+)?(${ANY_CHANNEL})\\b`, 'giu')

function channelHits (text: string): PreferenceHit[] {
  const negated = new Set([...text.matchAll(NEGATED_CHANNEL)].map((m) => channelOf(m[1] ?? '')))
  const hits: PreferenceHit[] = []
  for (const { pattern, confidence } of CHANNEL_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const channel = channelOf(match[1] ?? '')
      if (channel === null || negated.has(channel)) continue
      // "don't call me" is a refusal, not an invitation.
      if (/\b(?:don'?t|do\s+not|never|not)\s+$/i.test(text.slice(Math.max(0, match.index - 10), match.index))) continue
      hits.push({ key: 'contact_channel', value: channel, confidence, start: match.index })
    }
  }
  return withoutMixedInvitations([...hits, ...bestWayHits(text)])
}

/** "email me at … or call …" offers two channels and prefers neither; stated preferences (≥ 0.8) still count. */
function withoutMixedInvitations (hits: PreferenceHit[]): PreferenceHit[] {
  const invitations = new Set(hits.filter((h) => h.confidence < 0.8).map((h) => h.value))
  return invitations.size > 1 ? hits.filter((h) => h.confidence >= 0.8) : hits
}

const CLOCK = String.raw`\d{1,2}(?::\d{2})?\s{0,2}(?:am|pm|a\.m\.|p\.m\.)?`
const TIME_ATOM = new RegExp([
  String.raw`\b(?:after|before|around|from|until|till|past|by)\s{1,2}(?:${CLOCK}(?![\d:])|noon|midday|lunch(?:time)?|work|dinner)`,
  String.raw`\b(?:at|about)\s{1,2}\d{1,2}(?::\d{2})?\s{0,2}(?:am|pm|a\.m\.|p\.m\.)`,
  String.raw`\bbetween\s{1,2}${CLOCK}\s{0,2}(?:and|-|to)\s{0,2}${CLOCK}`,
  String.raw`\b(?:in\s+the\s+)?(?:early\s+|late\s+)?(?:mornings?|afternoons?|evenings?|nights?|lunchtime)\b`,
  String.raw`\b(?:on\s+)?(?:weekends?|weekdays?|weeknights?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b`,
  String.raw`\b(?:tomorrow|today|tonight|this\s+(?:afternoon|evening|week))\b`
].join('|'), 'giu')
const TIME_CONTEXT = /\b(?:call|calls|calling|reach|reached|contact|text|texts|email|phone|ring|talk|chat|speak|available|availability|free|best\s+time|good\s+time|works?\s+best|(?:is|are)\s+best|get\s+(?:hold\s+of|back\s+to)\s+me)\b/i
const CONNECTOR = /^(?:\s{1,2}|\s{0,2},\s{0,2}|\s{1,2}(?:on|or|and)\s{1,2})$/i

function normalizeTime (raw: string): string {
  return raw.toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/(\d)\s?(?:a\.m\.|am)/g, '$1am')
    .replace(/(\d)\s?(?:p\.m\.|pm)/g, '$1pm')
    .replace(/^in the (?:early |late )?(morning|afternoon|evening|night)s?$/, '$1s')
    .replace(/^in the /, '')
    .trim()
}

/** The comma-separated part of the sentence around [start, end). */
function clauseAround (text: string, start: number, end: number): string {
  const from = sentenceStart(text, start, 200)
  const to = sentenceEnd(text, end, 200)
  const comma = text.slice(end, to).indexOf(',')
  return text.slice(from + text.slice(from, start).lastIndexOf(',') + 1, comma === -1 ? to : end + comma)
}

function timeHits (text: string): PreferenceHit[] {
  const atoms = [...text.matchAll(TIME_ATOM)].filter((m) => !/\bgood\s+$/i.test(text.slice(Math.max(0, m.index - 6), m.index)))
  const hits: PreferenceHit[] = []
  let i = 0
  while (i < atoms.length) {
    const first = atoms[i] as RegExpExecArray
    let end = first.index + first[0].length
    let j = i + 1
    while (j < atoms.length && CONNECTOR.test(text.slice(end, (atoms[j] as RegExpExecArray).index))) {
      end = (atoms[j] as RegExpExecArray).index + (atoms[j] as RegExpExecArray)[0].length
      j++
    }
    const sentence = text.slice(sentenceStart(text, first.index, 300), sentenceEnd(text, end, 300))
    // "Afternoons are best, I nap in the morning": the time in the clause that says "best" wins.
    const confidence = TIME_CONTEXT.test(clauseAround(text, first.index, end)) ? 0.8 : TIME_CONTEXT.test(sentence) ? 0.7 : 0
    if (confidence > 0) {
      hits.push({ key: 'contact_time', value: normalizeTime(text.slice(first.index, end)), confidence, start: first.index })
    }
    i = j
  }
  return hits
}

const LANGUAGES: Record<string, string> = {
  english: 'en',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  german: 'de',
  deutsch: 'de',
  italian: 'it',
  portuguese: 'pt',
  português: 'pt',
  mandarin: 'zh',
  chinese: 'zh',
  cantonese: 'yue',
  vietnamese: 'vi',
  korean: 'ko',
  japanese: 'ja',
  russian: 'ru',
  arabic: 'ar',
  hindi: 'hi',
  tagalog: 'tl',
  polish: 'pl'
}
const LANGUAGE = `(${Object.keys(LANGUAGES).join('|')})`
const LANGUAGE_PATTERNS = [
  new RegExp(`\\b(?:prefer|rather|like|want|wish|can\\s+we|could\\s+we|please|possible)\\b[^.!?\\n]{0,40}?\\b(?:in|en|auf|speak|speaking|use)\\s+${LANGUAGE}(?![\\p{L}])`, 'giu'),
  new RegExp(`\\b(?:I|we)\\s+(?:only\\s+|mainly\\s+|mostly\\s+)?speak\\s+${LANGUAGE}(?![\\p{L}])`, 'giu'),
  new RegExp(`\\b(?:first|native|preferred|main)\\s+language\\s+is\\s+${LANGUAGE}(?![\\p{L}])`, 'giu'),
  new RegExp(`\\b${LANGUAGE}\\s+(?:is|would\\s+be)\\s+(?:better|easier|preferred|best)\\b`, 'giu'),
  new RegExp(`\\b(?:prefiero|hablar|hablo|hablamos|preferimos|parler|sprechen)\\b[^.!?\\n]{0,20}?\\b(?:en|in|auf)?\\s*${LANGUAGE}(?![\\p{L}])`, 'giu')
]

function languageHits (text: string): PreferenceHit[] {
  const hits: PreferenceHit[] = []
  for (const pattern of LANGUAGE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const code = LANGUAGES[(match[1] ?? '').toLowerCase()]
      if (code !== undefined) hits.push({ key: 'language', value: code, confidence: 0.8, start: match.index })
    }
  }
  return hits
}

/** One value per key: the most confident, the last one on a tie (people correct themselves as they go). */
export function extractPreferences (text: string): PreferenceHit[] {
  const byKey = new Map<PreferenceHit['key'], PreferenceHit>()
  for (const hit of [...channelHits(text), ...timeHits(text), ...languageHits(text)]) {
    const current = byKey.get(hit.key)
    if (current === undefined || hit.confidence > current.confidence || (hit.confidence === current.confidence && hit.start > current.start)) {
      byKey.set(hit.key, hit)
    }
  }
  return [...byKey.values()]
}
