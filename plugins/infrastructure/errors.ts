// Owns the error contract: every 4xx/5xx is {"error":{"code","message"}}, written here only (routes and hooks throw
// the classes in errors/error-classes.ts); validation errors name the field; 5xx details stay in the log, never in the
// response. The errors Node and Fastify answer on their own (bad URL, oversized headers, garbled requests) keep the
// same shape through the two framework hooks below.
import fp from 'fastify-plugin'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyServerOptions } from 'fastify'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import type { TSchema } from '@sinclair/typebox'
import { Errors, isDatabaseUnavailable } from './errors/error-classes.ts'

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_BAD_URL: 'invalid_request',
  FST_ERR_ASYNC_CONSTRAINT: 'invalid_request',
  RATE_LIMITED: 'rate_limited'
}

const OUR_CODES = new Set(Object.values(Errors).map((E) => new E('').code))

function sendError (reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } })
}

/** Fastify's own answers to a URL it cannot route (bad percent-encoding in the path, a too long parameter). */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error: FastifyError, _request, reply) => {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  return sendError(reply, tooLong ? 414 : 400, tooLong ? 'uri_too_long' : 'invalid_request',
    tooLong ? 'A path parameter is too long' : 'The URL is not valid (bad percent-encoding)')
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers (URL or cookies) are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'The request took too long to arrive']
}

/** Node's answer to a request it cannot parse (Fastify never sees it): the same JSON error shape, then close. */
export function clientErrorHandler (err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, reason, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'invalid_request', 'The request is malformed']
  const body = JSON.stringify({ error: { code, message } })
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}

function fieldName (part: string, path: string): string {
  const field = path.replace(/^\//, '').replaceAll('/', '.')
  return field ? `${part === 'querystring' ? 'query' : part}.${field}` : part === 'querystring' ? 'query' : part
}

/**
 * TypeBox converts '1e9', '1.5' or ' 7' to some number; a query value counts as a number only when it is one written
 * plainly, so anything else stays a string and fails the check (a 400 naming the field), never a silent other value.
 */
function keepInexactNumbers (input: unknown, converted: unknown): unknown {
  if (!input || typeof input !== 'object' || !converted || typeof converted !== 'object') return converted
  const out = { ...converted } as Record<string, unknown>
  for (const [key, raw] of Object.entries(input)) {
    if (typeof raw === 'string' && typeof out[key] === 'number' && !(/^-?\d+(\.\d+)?$/.test(raw) && Number(raw) === out[key])) out[key] = raw
  }
  return out
}

/** Body, query and params are checked with TypeBox's compiler; query and params convert strings first. */
function typeboxValidator ({ schema, httpPart }: { schema: unknown, httpPart?: string }) {
  const typeSchema = schema as TSchema
  const check = TypeCompiler.Compile(typeSchema)
  const part = httpPart ?? 'body'
  return (input: unknown) => {
    // Convert works in place: compare against a copy of what arrived.
    const value = part === 'body' ? input : Value.Default(typeSchema, keepInexactNumbers({ ...input as object }, Value.Convert(typeSchema, input)))
    if (check.Check(value)) return { value }
    const first = check.Errors(value).First()
    const field = fieldName(part, first?.path ?? '')
    return { error: new Errors.InvalidRequest(`${field}: ${first?.message ?? 'invalid'}`) }
  }
}

export default fp(async (app) => {
  app.setValidatorCompiler(typeboxValidator)

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`))

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ event: 'db.unavailable', err: { code: error.code, message: error.message } }, 'database unavailable')
      reply.header('retry-after', '2')
      return sendError(reply, 503, 'database_unavailable', new Errors.DatabaseUnavailable().message)
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      if (OUR_CODES.has(error.code)) return sendError(reply, status, publicCode(error.code), error.message)
      return sendError(reply, status, 'internal_error', 'Something went wrong on our side')
    }
    // Every 429 says when to come back (SPEC §5); the rate limiter sets its own, too_many_streams gets this one.
    if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '2')
    return sendError(reply, status, publicCode(error.code), error.message)
  })
}, { name: 'errors' })

/** Our errors (plugins/infrastructure/errors/error-classes.ts) carry their code upper-cased by @fastify/error; the wire form is snake_case. */
export function publicCode (code: string | undefined): string {
  if (!code) return 'invalid_request'
  const known = FASTIFY_CODES[code]
  if (known) return known
  if (code.startsWith('FST_') || !/^[A-Za-z][A-Za-z0-9_]*$/.test(code)) return 'invalid_request'
  return code.toLowerCase()
}
