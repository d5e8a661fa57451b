// The errors the API answers with: each has a snake_case code and a status; the error handler keeps both.
import createError from '@fastify/error'
import { sqlState, transientKind } from '../../../db/retry.ts'

export const Errors = {
  InvalidRequest: createError<[string]>('invalid_request', '%s', 400),
  EmptyMessage: createError('empty_message', 'The message is empty', 400),
  MessageTooLong: createError<[number]>('message_too_long', 'The message is longer than %d characters', 413),
  InvalidCursor: createError('invalid_cursor', 'The cursor is not a message of this session', 400),
  NotFound: createError<[string]>('not_found', '%s was not found', 404),
  CrossSite: createError('cross_site_request', 'Cross-site requests are not allowed', 403),
  EmbedNotAllowed: createError('embed_not_allowed', 'This site is not allowed to embed the chat', 403),
  TurnInProgress: createError('turn_in_progress', 'This message is still being answered; retry shortly', 409),
  TooManyStreams: createError<[number]>('too_many_streams', 'At most %d replies can stream at once in a session', 429),
  RateLimited: createError<[string, number]>('rate_limited', 'Too many requests %s; retry in %d seconds', 429),
  LlmFailed: createError<[string]>('llm_error', 'The assistant could not answer: %s', 502),
  DatabaseUnavailable: createError('database_unavailable', 'The database is unavailable; try again shortly', 503),
  // SPEC §11: the visitor's edits of their profile.
  InvalidField: createError<[string, string]>('invalid_field', '%s %s', 400),
  UnknownField: createError<[string]>('unknown_field', '%s is not a profile field', 400),
  InvalidSourceMessage: createError('invalid_source_message', 'source_message_id is not a message of this conversation', 400),
  EmailIsIdentity: createError('email_is_identity', 'The email of a verified customer is their identity; erase the customer with DELETE /api/customer', 409),
  UnsupportedMediaType: createError('unsupported_media_type', 'Send JSON (Content-Type: application/json)', 415)
}

/**
 * SQLSTATEs and socket errors that mean the database is unreachable or shedding load, not that the query is wrong:
 * the transient ones (db/retry.ts), plus those not worth repeating at once (a statement timeout, a pool
 * with no free connection, an outcome unknown).
 */
export function isDatabaseUnavailable (err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  if (transientKind(err) !== null) return true
  const code = sqlState(err)
  return code === '57014' || code.startsWith('08')
}
