// Verification codes: six digits from the CSPRNG, stored only as a hash bound to their row, compared in constant time.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'

export const CODE_LENGTH = 6
export const MASKED_CODE = '•'.repeat(CODE_LENGTH)

export function newCode (): string {
  return randomInt(0, 10 ** CODE_LENGTH).toString().padStart(CODE_LENGTH, '0')
}

/** SHA-256 of the row's id and the code: the same code in two rows never hashes the same. */
export function hashCode (verificationId: string, code: string): string {
  return createHash('sha256').update(`${verificationId}:${code}`).digest('hex')
}

export function codeMatches (verificationId: string, code: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex')
  const actual = Buffer.from(hashCode(verificationId, code), 'hex')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** The email that carries a code; with MASKED_CODE it is the text the outbox keeps. */
export function verificationEmail (appName: string, code: string, ttlSeconds: number): { subject: string, text: string } {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60))
  return {
    subject: `${appName}: your verification code`,
    text: [
      `Your ${appName} verification code is ${code}.`,
      '',
      `Enter it in the chat to continue your earlier conversation. It expires in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      'If you did not ask for it, you can ignore this email.'
    ].join('\n')
  }
}
