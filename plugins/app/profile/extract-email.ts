// Finds e-mail addresses, including the "name at example dot com" spelling people use to dodge scrapers.
import { leftContext, type Span } from './text.ts'

export interface EmailHit extends Span { value: string, confidence: number }

// The lookbehinds start a match only at the beginning of a run, which keeps long runs linear.
const EMAIL = /(?<![A-Za-z0-9._%+!#$&*~-])[A-Za-z0-9._%+!#$&*~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g
const SPELLED = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})\s{0,3}(?:\(at\)|\[at\]|\sat\s)\s{0,3}([A-Za-z0-9-]{1,63})\s{0,3}(?:\(dot\)|\[dot\]|\sdot\s)\s{0,3}(com|net|org|edu|gov|io|co|us|info|biz|me)\b/gi
// Addresses the visitor writes *to* (ours), not their own: "I sent it to …", "I'll send it to …"; but "send it to x@…"
// asks us to write to them.
const NOT_THEIRS = /\b(?:sent|emailed|forwarded|wrote|mailed|sending|(?:i|we)(?:'ll|\s+will)?\s+send)\s+(?:it\s+|this\s+|that\s+|them\s+|an?\s+\w+\s+)?(?:over\s+)?to\s*$|\b(?:your|you at|you guys at)\b\s*(?:\w+\s*){0,2}:?\s*$/i

export function normalizeEmail (raw: string): string | null {
  const at = raw.lastIndexOf('@')
  const local = raw.slice(0, at).replace(/^[.]+/, '')
  const domain = raw.slice(at + 1).replace(/[.-]+$/, '').toLowerCase()
  if (local.length === 0 || local.endsWith('.') || local.includes('..')) return null
  const labels = domain.split('.')
  const tld = labels[labels.length - 1] ?? ''
  if (labels.length < 2 || !/^[a-z]{2,24}$/.test(tld)) return null
  if (labels.some((label) => label.length === 0 || label.startsWith('-') || label.endsWith('-'))) return null
  return `${local}@${domain}`
}

export function findEmails (text: string): EmailHit[] {
  const hits: EmailHit[] = []
  if (!text.includes('@') && !/\bdot\b/i.test(text)) return hits
  for (const match of text.matchAll(EMAIL)) {
    const value = normalizeEmail(match[0])
    const start = match.index
    if (value !== null) hits.push({ value, start, end: start + match[0].length, confidence: 0.95 })
  }
  for (const match of text.matchAll(SPELLED)) {
    const value = normalizeEmail(`${match[1] ?? ''}@${match[2] ?? ''}.${match[3] ?? ''}`)
    const start = match.index
    if (value !== null) hits.push({ value, start, end: start + match[0].length, confidence: 0.75 })
  }
  return hits.sort((a, b) => a.start - b.start)
}

const CORRECTION = /\b(?:new|instead|actually|now|updated|correct|changed|use|better)\b[^@]{0,30}$/i
// "not my work one (cwhitlow@…)", "I used to use pkessler@…": an address the visitor no longer wants used.
const STALE = /\b(?:not|old|no longer|used to be|was)\b[:\s]{0,3}$|\bnot\s+(?:my\s+|the\s+)?(?:work|office|old|other|personal)\s+(?:one|email|address)\s*[(:]?\s*$|\bused\s+to\s+(?:use|have|be)\s+$/i

/** The customer's own address among those found (other people's are already blanked out). */
export function pickOwnEmail (text: string): EmailHit | null {
  const hits = findEmails(text).filter((hit) => {
    const before = leftContext(text, hit.start, 40)
    return !NOT_THEIRS.test(before) && !STALE.test(before)
  })
  return hits.find((hit) => CORRECTION.test(leftContext(text, hit.start, 40))) ?? hits[0] ?? null
}
