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
  /** The argument is the upstream detail, with its leading ': ' (or empty). */
  LlmFailed: createError<[string]>('llm_error', 'The assistant could not answer%s', 502),
  DatabaseUnavailable: createError('database_unavailable', 'The database is unavailable; try again shortly', 503),
  // SPEC §11: the visitor's edits of their profile.
  InvalidField: createError<[string, string]>('invalid_field', '%s %s', 400),
  UnknownField: createError<[string]>('unknown_field', '%s is not a profile field', 400),
  InvalidSourceMessage: createError('invalid_source_message', 'source_message_id is not a message of this conversation', 400),
  EmailIsIdentity: createError('email_is_identity', 'The email of a verified customer is their identity; erase the customer with DELETE /api/customer', 409),
  // SPEC §10: customers and proof of identity.
  InvalidEmail: createError('invalid_email', 'The email address is not valid', 400),
  NoEmail: createError('no_email', 'No email address was given and this session has none', 400),
  NoPendingCode: createError('no_pending_code', 'No code is waiting for this session; request one first', 400),
  InvalidCode: createError('invalid_code', 'The code is not right', 400),
  CodeExpired: createError('code_expired', 'The code has expired; request a new one', 400),
  CodeAlreadyUsed: createError('code_already_used', 'This code has already been used', 409),
  TooManyAttempts: createError('too_many_attempts', 'Too many wrong codes; request a new one', 429),
  TooManyCodes: createError<[string]>('too_many_codes', 'Too many codes requested for this %s in the last hour; try later', 429),
  InvalidIdentityToken: createError('invalid_identity_token', 'The identity token is not valid', 401),
  AlreadyLinked: createError('already_linked', 'This session is already linked to another customer', 409),
  AlreadyResolved: createError<[string]>('already_resolved', '%s', 409),
  MailFailed: createError('mail_failed', 'The email could not be sent; try again shortly', 502),
  // The operator console (SPEC §12).
  InvalidAdminToken: createError('invalid_admin_token', 'The admin token is not valid', 401),
  InvalidListCursor: createError('invalid_cursor', 'The cursor is not valid for this list and order', 400),
  InvalidRange: createError<[string]>('invalid_range', '%s', 400),
  UnsupportedMediaType: createError('unsupported_media_type', 'Send JSON (Content-Type: application/json)', 415),
  UriTooLong: createError<[string]>('uri_too_long', '%s', 414),
  ClientNotBuilt: createError<[string]>('client_not_built', 'The %s has not been built (npm run build:client)', 503)
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
