// Products and services the visitor wants: catalogue terms (plural, verb and typo variants, and a few safe
// aliases) and, with lower confidence, the noun phrase after "interested in", "looking for", "a quote for".
// Negated mentions ("not interested in batteries", "no need for installation", "our existing panels") never count.
import { isTypoOf } from './fuzzy.ts'
import type { Span } from './text.ts'

export interface InterestHit extends Span { value: string, kind: 'product' | 'service', confidence: number }

interface Token extends Span { word: string }

type Kind = InterestHit['kind']
type Alias = 'exact' | 'typo' | 'without-tail' | 'head' | 'first-word'

const CONFIDENCE: Record<Alias, number> = { exact: 0.9, typo: 0.75, 'without-tail': 0.75, head: 0.7, 'first-word': 0.7 }
const GENERIC_TAIL = new Set(['storage', 'system', 'systems', 'unit', 'units', 'service', 'services', 'program', 'solution', 'solutions'])
// Words that may stand before a bare head noun ("how many panels", "the pump") without naming another thing.
const BEFORE_HEAD = new Set(`
a an the some many more few new those these our your my of any extra additional enough much what which how for
about on get need want with and or to install add replace two three several
`.split(/\s+/).filter(Boolean))
// "look at our roof for solar", "going solar": a modifier used as a noun.
const BEFORE_FIRST_WORD = new Set(['for', 'about', 'on', 'go', 'going', 'went', 'get', 'getting', 'into', 'considering', 'want', 'need', 'in', 'add', 'adding', 'and', 'or', 'plus'])

function wordForms (word: string): string[] {
  const forms = new Set([word])
  if (/[^s]s$/.test(word)) forms.add(word.slice(0, -1))
  if (/ies$/.test(word)) forms.add(word.slice(0, -3) + 'y')
  if (/(?:s|x|z|ch|sh)es$/.test(word)) forms.add(word.slice(0, -2))
  if (!word.endsWith('s')) forms.add(/(?:s|x|z|ch|sh)$/.test(word) ? word + 'es' : word + 's')
  if (/[^aeiou]y$/.test(word)) forms.add(word.slice(0, -1) + 'ies')
  return [...forms]
}

/** "installation" is also "install", "installed", "installer"; "financing" is also "finance". */
function verbForms (word: string): string[] {
  if (/.{4}ation$/.test(word)) return ['', 's', 'ed', 'ing', 'er', 'ers'].map((end) => word.slice(0, -5) + end)
  if (/[^aeiou]ing$/.test(word) && word.length > 6) return [word.slice(0, -3) + 'e']
  return []
}

interface EntryWord { exact: Set<string>, typo: string[] }
interface Entry { term: string, kind: Kind, words: EntryWord[], alias: Alias }

function entryWords (words: string[]): EntryWord[] {
  return words.map((word, k) => {
    const isLast = k === words.length - 1
    const typo = isLast ? wordForms(word) : [word]
    return { exact: new Set(isLast ? [...typo, ...verbForms(word)] : [word]), typo }
  })
}

function entriesFor (term: string, kind: Kind): Entry[] {
  const words = term.toLowerCase().split(/[\s-]+/).filter(Boolean)
  const entry = (w: string[], alias: Alias): Entry => ({ term, kind, words: entryWords(w), alias })
  const entries: Entry[] = [entry(words, 'exact')]
  const last = words[words.length - 1] ?? ''
  if (words.length > 1 && GENERIC_TAIL.has(last)) entries.push(entry(words.slice(0, -1), 'without-tail'))
  if (words.length > 1 && !GENERIC_TAIL.has(last)) entries.push(entry([last], 'head'))
  if (words.length > 1) entries.push(entry([words[0] ?? ''], 'first-word'))
  return entries
}

function tokenize (text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:'\p{L}+)?/gu)].map((m) => ({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }))
}

function wordMatches (typed: string, word: EntryWord): 'exact' | 'typo' | null {
  if (word.exact.has(typed)) return 'exact'
  return word.typo.some((form) => isTypoOf(typed, form)) ? 'typo' : null
}

/** Matches entry words against consecutive tokens separated only by spaces or hyphens. */
function matchAt (text: string, tokens: Token[], i: number, entry: Entry): Alias | null {
  let typo = false
  for (let k = 0; k < entry.words.length; k++) {
    const token = tokens[i + k]
    const word = entry.words[k]
    if (token === undefined || word === undefined) return null
    const match = wordMatches(token.word, word)
    if (match === null) return null
    if (k > 0 && !/^[\s-]{1,3}$/.test(text.slice((tokens[i + k - 1] as Token).end, token.start))) return null
    typo ||= match === 'typo'
  }
  if (!aliasFits(text, tokens, i, entry)) return null
  return typo && entry.alias === 'exact' ? 'typo' : typo ? null : entry.alias
}

function aliasFits (text: string, tokens: Token[], i: number, entry: Entry): boolean {
  const before = tokens[i - 1]
  const sameClause = before !== undefined && !/[.!?;,\n]/.test(text.slice(before.end, (tokens[i] as Token).start))
  if (entry.alias === 'head') return !sameClause || BEFORE_HEAD.has(before.word) || /^\d/.test(before.word)
  if (entry.alias !== 'first-word') return true
  const after = text.slice((tokens[i] as Token).end, (tokens[i] as Token).end + 6)
  return sameClause && BEFORE_FIRST_WORD.has(before.word) && /^(?:\s*[.,!?;]|\s*$|\s+(?:and|or)\b)/.test(after)
}

// Compiled entries are reused across messages: the catalogue comes from configuration and rarely changes.
const compiled = new Map<string, Entry[]>()

function catalogue (products: string[], services: string[]): Entry[] {
  const key = JSON.stringify([products, services])
  let entries = compiled.get(key)
  if (entries === undefined) {
    entries = [...services.flatMap((t) => entriesFor(t, 'service')), ...products.flatMap((t) => entriesFor(t, 'product'))]
    if (compiled.size > 50) compiled.clear()
    compiled.set(key, entries)
  }
  return entries
}

const NEGATION = /\bnot\s+(?:really\s+|currently\s+|yet\s+|at\s+all\s+)?(?:interested|looking|after|considering|thinking|keen|into|needed|necessary|required|the|a|an|any|doing|getting|buying)\b(?:\s+(?:in|for|on|about|at))?|\b(?:do|does|did|will|would|wo|is|are)\s*(?:n't|not)\s+(?:really\s+)?(?:need|want|require|care|plan|interested|looking|considering)\b(?:\s+(?:about|on|to\s+get|in|for|at))?|\bdont\s+(?:need|want)\b|\bno\s+(?:need|interest)\s+(?:for|in)\b|\bno\b(?!\s*[,.!?])(?!\s+(?:problem|worries|rush|pressure|idea|way|doubt|clue|matter|longer|later|more\s+than)\b)|\b(?:without|nor|never|skip(?:ping)?|instead\s+of|rather\s+than|other\s+than|except(?:\s+for)?)\b|\balready\s+(?:have|has|got|own|installed|did|bought)\b|\b(?:existing|current|present)\s+/giu
const SCOPE_END = /[.!?;\n]|\b(?:but|however|though|although|just|only|instead|yet|except)\b|\b(?:want|wants|need|needs|interested|looking|like|love|considering)\b/giu
// "Batteries are out of budget", "the heat pump is overkill": the verdict comes after the term.
const NEGATIVE_VERDICT = /^\s{0,3}(?:(?:is|are|would\s+be|seems?|sounds?)\s{1,3})?(?:(?:probably|definitely|just|way)\s{1,3})?(?:out\s+of\s+(?:our\s+|the\s+|my\s+)?budget|too\s+(?:expensive|pricey|much)|not\s+(?:needed|necessary|an\s+option|for\s+us|happening)|off\s+the\s+table|overkill|a\s+no-?go)/i

function negatedSpans (text: string): Span[] {
  const spans: Span[] = []
  for (const match of text.matchAll(NEGATION)) {
    const from = match.index + match[0].length
    SCOPE_END.lastIndex = 0
    const scope = SCOPE_END.exec(text.slice(from, from + 200))
    spans.push({ start: match.index, end: from + (scope?.index ?? 200) })
  }
  return spans
}

function inside (spans: Span[], at: number): boolean {
  return spans.some((s) => at >= s.start && at < s.end)
}

function catalogueHits (text: string, entries: Entry[], negated: Span[]): InterestHit[] {
  const tokens = tokenize(text)
  const hits: InterestHit[] = []
  for (let i = 0; i < tokens.length; i++) {
    for (const entry of entries) {
      const alias = matchAt(text, tokens, i, entry)
      if (alias === null) continue
      const start = (tokens[i] as Token).start
      const end = (tokens[i + entry.words.length - 1] as Token).end
      if (inside(negated, start) || NEGATIVE_VERDICT.test(text.slice(end, end + 40))) continue
      hits.push({ value: entry.term, kind: entry.kind, start, end, confidence: CONFIDENCE[alias] })
    }
  }
  return hits
}

const INTENT = /\b(?:interested\s+in|interest\s+in|looking\s+(?:for|into)|quotes?\s+(?:for|on)|estimates?\s+(?:for|on)|pricing\s+(?:for|on)|prices?\s+(?:for|on))\s*:?\s*/giu
const PHRASE_STOP = new Set(`
for on in at to with from of that which who if once when because so since as by before after like about is are was
were be do does will would can could should than then please thanks asap too also right now today soon later
this next you your we our my me i it
`.split(/\s+/).filter(Boolean))
const LEAD = /^(?:(?:a|an|the|some|any|more|possibly|maybe|perhaps|probably|also|new|good|cheap|affordable|quality|your|our|my|info\s+on|information\s+on|details\s+on)\s+)+/i
const GENERIC = new Set(`
quote quotes estimate estimates price prices pricing cost costs info information details detail options option
something anything everything someone somebody anyone anybody it this that them these those more help advice way
ways deal deals discount discounts rebate rebates company companies contractor contractors installer installers
solution solutions answer answers call chat time house home place property one ones stuff things thing products
product services service work job project upgrade upgrades savings money ideas idea brands brand availability
appointment visit consultation else
`.split(/\s+/).filter(Boolean))

/** The noun phrases after an intent cue: up to three words each, no leading articles. */
function phrasesAfter (text: string, from: number): Array<{ phrase: string, start: number }> {
  const clause = /^[^.,;:!?()\n]{0,80}/.exec(text.slice(from))?.[0] ?? ''
  const phrases: Array<{ phrase: string, start: number }> = []
  let offset = from
  for (const part of clause.split(/(\s+(?:and|or|&|\+)\s+)/)) {
    if (/^\s+(?:and|or|&|\+)\s+$/.test(part)) {
      offset += part.length
      continue
    }
    const trimmed = part.replace(LEAD, '')
    const all = trimmed.split(/\s+/).filter(Boolean)
    const words: string[] = []
    for (const word of all) {
      if (PHRASE_STOP.has(word.toLowerCase()) || words.length === 3) break
      words.push(word)
    }
    phrases.push({ phrase: words.join(' '), start: offset + part.length - trimmed.length })
    offset += part.length
    if (words.length < all.length) break
  }
  return phrases
}

function acceptablePhrase (phrase: string): boolean {
  const words = phrase.toLowerCase().split(/\s+/).filter(Boolean)
  const head = words[words.length - 1]
  if (head === undefined || GENERIC.has(head) || words.some((w) => /\d|@|ing$/.test(w) || PHRASE_STOP.has(w))) return false
  return words.every((w) => /^[\p{L}'-]{2,}$/u.test(w))
}

function phraseHits (text: string, hits: InterestHit[], negated: Span[]): InterestHit[] {
  const found: InterestHit[] = []
  for (const match of text.matchAll(INTENT)) {
    if (inside(negated, match.index)) continue
    for (const { phrase, start } of phrasesAfter(text, match.index + match[0].length)) {
      const end = start + phrase.length
      if (phrase === '' || hits.some((h) => h.start < end && h.end > start) || !acceptablePhrase(phrase)) continue
      found.push({ value: phrase, kind: 'product', start, end, confidence: 0.65 })
    }
  }
  return found
}

export function extractInterests (text: string, products: string[], services: string[]): InterestHit[] {
  const negated = negatedSpans(text)
  const hits = catalogueHits(text, catalogue(products, services), negated)
  return [...hits, ...phraseHits(text, hits, negated)].sort((a, b) => a.start - b.start)
}
