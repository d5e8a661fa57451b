// An address typed into a form (not found in chat text): the whole input must be one address.
import { normalizeEmail } from '../profile/extract-email.ts'

const ADDRESS = /^[A-Za-z0-9._%+!#$&*~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}$/

/** The address lower-cased (the form customers.email keeps), or null when it is not one. */
export function parseEmailAddress (raw: string): string | null {
  const trimmed = raw.trim()
  if (!ADDRESS.test(trimmed)) return null
  return normalizeEmail(trimmed)?.toLowerCase() ?? null
}

/** SPEC §10: the first character of the local part, `***`, and the domain in clear ("d***@example.com"). */
export function emailHint (email: string): string {
  const at = email.lastIndexOf('@')
  return `${email.slice(0, 1)}***@${email.slice(at + 1)}`
}
