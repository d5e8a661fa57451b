// The errors the API answers with: each has a snake_case code and a status; the error handler keeps both.
import createError from '@fastify/error'

export const Errors = {
  InvalidRequest: createError<[string]>('invalid_request', '%s', 400),
  EmptyMessage: createError('empty_message', 'The message is empty', 400),
  MessageTooLong: createError<[number]>('message_too_long', 'The message is longer than %d characters', 413),
  InvalidCursor: createError('invalid_cursor', 'The cursor is not a message of this session', 400),
  NotFound: createError<[string]>('not_found', '%s was not found', 404),
  CrossSite: createError('cross_site_request', 'Cross-site requests are not allowed', 403),
  TurnInProgress: createError('turn_in_progress', 'This message is still being answered; retry shortly', 409),
  TooManyStreams: createError<[number]>('too_many_streams', 'At most %d replies can stream at once in a session', 429),
  LlmFailed: createError<[string]>('llm_error', 'The assistant could not answer: %s', 502),
  DatabaseUnavailable: createError('database_unavailable', 'The database is unavailable; try again shortly', 503),
  UnsupportedMediaType: createError('unsupported_media_type', 'Send JSON (Content-Type: application/json)', 415)
}

/** SQLSTATEs and socket errors that mean the database is unreachable or shedding load, not that the query is wrong. */
export function isDatabaseUnavailable (err: unknown): boolean {
  const e = err as { code?: string, message?: string } | null
  if (!e) return false
  const code = e.code ?? ''
  if (code.startsWith('08') && code !== '08007') return true
  if (['57P01', '57P02', '57P03', '53300', '57014', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true
  const message = e.message ?? ''
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
}
