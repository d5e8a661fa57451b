// Opaque page cursors: the position as JSON, base64url, with an HMAC so a cursor the server did not write (edited,
// truncated, made up) is refused with 400 instead of being trusted.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Errors } from '../../infrastructure/errors/error-classes.ts'

export interface CursorCodec<T> {
  encode: (position: T) => string
  decode: (cursor: string) => T
}

export function createCursorCodec<T> (key: Buffer, isPosition: (value: unknown) => value is T): CursorCodec<T> {
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url')
  return {
    encode (position) {
      const payload = Buffer.from(JSON.stringify(position)).toString('base64url')
      return `${payload}.${mac(payload)}`
    },
    decode (cursor) {
      const [payload, signature, extra] = cursor.split('.')
      if (!payload || !signature || extra !== undefined) throw new Errors.InvalidListCursor()
      const expected = Buffer.from(mac(payload))
      const given = Buffer.from(signature)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Errors.InvalidListCursor()
      let value: unknown
      try { value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) } catch { throw new Errors.InvalidListCursor() }
      if (!isPosition(value)) throw new Errors.InvalidListCursor()
      return value
    }
  }
}
