// What may be stored as message text: Postgres refuses NUL, and JSON refuses lone surrogates.

/** Text from the LLM is cleaned, never dropped. */
export function cleanText (text: string): string {
  return text.replaceAll('\u0000', '').toWellFormed()
}

/** Text from a visitor is refused (not silently changed) when it cannot be stored as typed. */
export function findUnstorableText (text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character'
  if (!text.isWellFormed()) return 'contains an unpaired surrogate (invalid Unicode)'
  return null
}
