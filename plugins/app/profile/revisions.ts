// Where a message takes back or corrects what the visitor said: "— no, ignore that address", "please don't keep my
// name" (withdrawals), and "sorry, …", "scratch that, …", "I meant …" (corrections). The extractor reads the fields
// named here from the text after the phrase only, so the value given before it never wins.
import { PHONE_SHAPE } from './text.ts'
import type { ScalarField } from './types.ts'

export interface Withdrawal { fields: ScalarField[], end: number }

const ADDRESS_FIELDS: ScalarField[] = ['address_street', 'address_city', 'address_state', 'address_zip']

const TARGETS: Array<[RegExp, ScalarField[]]> = [
  [/^(?:(?:home|street|mailing|postal)\s+)?address/i, ADDRESS_FIELDS],
  [/^(?:zip|zip\s*code|postcode|postal\s+code)/i, ['address_zip']],
  [/^(?:e-?mail(?:\s+address)?)/i, ['email']],
  [/^(?:(?:phone|cell|mobile|telephone)(?:\s+number)?|number)/i, ['phone']],
  [/^(?:(?:full\s+|last\s+|first\s+)?name|surname)/i, ['customer_name']]
]

// "don't forget my address" keeps it; "ignore that address", "never mind the address", "please don't store my name",
// "forget the phone number", "disregard my email", "delete my number" withdraw it.
// The words between a withdrawing verb and the field it names ("that old", "my").
const WHICH = String.raw`(?:that|the|my|this|our)\s+(?:old\s+|last\s+|previous\s+)?`
const WITHDRAW = new RegExp(String.raw`(?<!\b(?:don'?t|do\s+not|not)\s+)\b(?:ignore|disregard|forget(?:\s+about)?|delete|remove|erase|wipe|clear|scrub|purge|drop|scrap|scratch|skip|never\s?mind|(?:please\s+)?(?:don'?t|do\s+not|(?:could|can|would)\s+you\s+not)\s+(?:store|keep|save|record|use|put|share|hold\s+on\s+to)|(?:don'?t|do\s+not)\s+want\s+to\s+(?:give|share|hand)\s+(?:out\s+)?)\s+${WHICH}`, 'giu')
// "I'd rather you didn't have my phone number", "prefer you not keep my email".
const WITHDRAW_WISH = new RegExp(String.raw`\b(?:rather|prefer)\s+(?:you\s+)?(?:didn'?t|did\s+not|not|don'?t)\s+(?:have|keep|store|use|hold|give|share|leave)\s+${WHICH}`, 'giu')
// "take my number off your system", "leave the phone out": the field sits between the verb and off / out.
// "I don't want my email stored" likewise.
const WITHDRAW_AROUND = new RegExp(String.raw`\b(?:take|leave|keep)\s+${WHICH}(?=[\p{L} -]{1,24}?\s(?:off|out)\b)|\b(?:don'?t|do\s+not)\s+want\s+${WHICH}(?=[\p{L} -]{1,24}?\s(?:stored|kept|saved|recorded|on\s+file)\b)`, 'giu')

// "lark@example.com - actually no, don't save that": the field is the one named or given just before.
// "can you ignore that for now" too.
const WITHDRAW_IT = /\b(?:(?:don'?t|do\s+not)\s+(?:store|keep|save|record|use)|remove|delete|erase|wipe|drop|scratch|forget|ignore|disregard)\s+(?:that|it|this)(?:\s+one)?\b(?!\s+(?!for\s+now\b|please\b|thanks\b|pls\b|from\s+(?:your|the)\s+(?:list|system|records?|file)\b)\p{L})/giu
const GIVEN_BEFORE: Array<[RegExp, ScalarField[]]> = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\be-?mail\b/giu, ['email']],
  [new RegExp(String.raw`${PHONE_SHAPE.source}|\b(?:phone|number|cell|mobile)\b`, 'giu'), ['phone']],
  [/\baddress\b|\b\d{5}\b/giu, ADDRESS_FIELDS]
]

function givenBefore (text: string, at: number): ScalarField[] | null {
  const window = text.slice(Math.max(0, at - 120), at)
  let best: { index: number, fields: ScalarField[] } | null = null
  for (const [pattern, fields] of GIVEN_BEFORE) {
    for (const m of window.matchAll(pattern)) if (best === null || m.index > best.index) best = { index: m.index, fields }
  }
  return best?.fields ?? null
}

// "delete all that", "please erase my details", "forget everything I told you": every field the visitor gave.
const ALL_FIELDS: ScalarField[] = ['customer_name', 'email', 'phone', ...ADDRESS_FIELDS]
const WITHDRAW_ALL = /(?<!\b(?:don'?t|do\s+not|not)\s+)\b(?:delete|erase|remove|forget|wipe|clear|scrub|purge)\s+(?:all\s+(?:of\s+)?(?:that|this|it)\b|everything\b|(?:all\s+)?my\s+(?:details|info|information|data|personal\s+(?:details|info|information|data)|contact\s+(?:details|info|information))\b)/giu

// "forget it" alone may drop the whole enquiry; "don't use that" or "forget that number" points at a value.
const POINTS_AT_VALUE = /\b(?:that|this)$|^(?:don'?t|do\s+not)\b/i

/**
 * `previous`: the visitor's message before this one, which "please don't use that" at the start of a message
 * refers to when this message gives nothing before the phrase.
 */
/** The field named at `at`, and those joined to it: "my name and number", "the email, phone and address". */
function targetsAt (text: string, at: number): Withdrawal | null {
  const fields: ScalarField[] = []
  let pos = at
  for (;;) {
    const rest = text.slice(pos, pos + 24)
    const hit = TARGETS.map(([pattern, named]) => ({ target: pattern.exec(rest), named }))
      .find(({ target }) => target !== null && !/^\p{L}/u.test(rest.slice(target[0].length)))
    if (hit === undefined || hit.target === null) break
    // "remove the phone number, email only": the field kept, not another one withdrawn.
    const kept = fields.length > 0 && /^\s*(?:only|is\s+(?:fine|ok|okay|good|better)|works|instead)\b/i.test(rest.slice(hit.target[0].length))
    if (kept) break
    fields.push(...hit.named)
    pos += hit.target[0].length
    const joined = /^\s*(?:,|and|&|\+|or)\s*(?:(?:my|the|your|our)\s+)?/i.exec(text.slice(pos, pos + 16))
    if (joined === null) break
    pos += joined[0].length
  }
  return fields.length === 0 ? null : { fields, end: pos }
}

// "wait wrong number thats my old one": the number given is no longer theirs.
const OLD_NUMBER = /\bwrong\s+number\b[^.!?]{0,30}\b(?:old|previous|former)\s+(?:one|number)\b/giu

// "you know what, don't email me, I get too much spam": the email given is not to be used.
const NO_EMAIL = /\b(?:don'?t|do\s+not|please\s+don'?t)\s+(?:e-?mail|write\s+to)\s+me\b/giu

export function findWithdrawals (text: string, previous: string | null = null): Withdrawal[] {
  const found: Withdrawal[] = []
  for (const match of text.matchAll(OLD_NUMBER)) found.push({ fields: ['phone'], end: match.index + match[0].length })
  for (const match of text.matchAll(NO_EMAIL)) found.push({ fields: ['email'], end: match.index + match[0].length })
  for (const match of text.matchAll(WITHDRAW_ALL)) found.push({ fields: [...ALL_FIELDS], end: match.index + match[0].length })
  for (const match of text.matchAll(WITHDRAW_IT)) {
    const earlier = previous !== null && POINTS_AT_VALUE.test(match[0]) ? givenBefore(previous, previous.length) : null
    const fields = givenBefore(text, match.index) ?? earlier
    if (fields !== null) found.push({ fields, end: match.index + match[0].length })
  }
  for (const match of [...text.matchAll(WITHDRAW), ...text.matchAll(WITHDRAW_AROUND), ...text.matchAll(WITHDRAW_WISH)]) {
    const named = targetsAt(text, match.index + match[0].length)
    if (named !== null) found.push(named)
  }
  return found
}

// A phrase after which the visitor restates a value: what follows replaces what came before in the same message.
// "isn't 33301, it's 33304": the value after the "it's" is the one meant.
const CORRECTION = /\b(?:sorry|sry|srry|actually|scratch\s+that|i\s+mean(?:t)?|correction|oops|my\s+bad|typo|mistyped|wrong\s+(?:one|number|email|address|zip)|should\s+(?:be|have\s+said)|rather|instead|no\s+wait|wait,?\s+no|oh\s+wait|hang\s+on|hold\s+on|autocorrect|autofill)\b|^\s*no[,!.]\s|^\s*wait\b|\b(?:isn'?t|is\s+not)\s[^.!?\n]{1,40}?,\s*(?=it'?s\b|it\s+is\b)/giu

/** Offsets just after the first and the last correction phrase of the message, or null when it has none. */
export function findCorrections (text: string): { first: number, last: number } | null {
  const ends = [...text.matchAll(CORRECTION)].map((m) => m.index + m[0].length)
  const first = ends[0]
  const last = ends[ends.length - 1]
  return first === undefined || last === undefined ? null : { first, last }
}

// "actually it's 30308": a bare ZIP after a correction can only mean the ZIP the visitor gave before.
const BARE_ZIP = /^[^\d]{0,64}?(?<![\d-])(\d{5})(?![\d-])/u

export function bareZipAfter (text: string, from: number): string | null {
  return BARE_ZIP.exec(text.slice(from))?.[1] ?? null
}
