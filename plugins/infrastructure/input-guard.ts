// Owns what arrives before any route runs: JSON bodies must be valid UTF-8 (a decoder would otherwise swap bad bytes
// for U+FFFD and store text the visitor never typed), query strings must percent-decode to valid UTF-8, and the errors
// Node and Fastify answer on their own (bad URL, oversized headers, garbled requests) keep the API's error shape.
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { Errors } from './errors/error-classes.ts'
import { sendError } from './errors.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

// Node's own limit on a request's head (request line and headers) is 16 KiB; the same bound holds for injected requests
// and behind proxies that allow more. The client streams only messages whose URL stays under 8000 characters.
const MAX_URL_LENGTH = 16 * 1024

/** `charset=` other than UTF-8 on a JSON body: the API reads UTF-8 only (RFC 8259). */
function foreignCharset (contentType: string | undefined): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]
  return charset !== undefined && !/^utf-?8$/i.test(charset)
}

/** Every %XX sequence of the query string decodes, and what it decodes to is well-formed UTF-8. */
export function isWellEncodedQuery (url: string): boolean {
  const start = url.indexOf('?')
  if (start === -1) return true
  try {
    decodeURIComponent(url.slice(start + 1))
    return true
  } catch {
    return false
  }
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

export default fp(async (app) => {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    if (foreignCharset(request.headers['content-type'])) return done(new Errors.UnsupportedMediaType(), undefined)
    let text: string
    try {
      text = utf8.decode(body)
    } catch {
      return done(new Errors.InvalidRequest('body is not valid UTF-8'), undefined)
    }
    parseJson(request, text, done)
  })

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.raw.url ?? ''
    if (url.length > MAX_URL_LENGTH) return sendError(reply, 414, 'uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} characters: send long messages with POST /chat`)
    if (!isWellEncodedQuery(url)) throw new Errors.InvalidRequest('query: not valid UTF-8 percent-encoding')
  })
}, { name: 'input-guard', dependencies: ['errors'] })
