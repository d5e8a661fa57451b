// Owns what arrives before any route runs: JSON bodies must be valid UTF-8 (a decoder would otherwise swap bad bytes
// for U+FFFD and store text the visitor never typed), query strings must percent-decode to valid UTF-8, URLs stay
// under 16 KiB.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { Errors } from './errors/error-classes.ts'

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

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const url = request.raw.url ?? ''
    if (url.length > MAX_URL_LENGTH) throw new Errors.UriTooLong(`The URL is longer than ${MAX_URL_LENGTH} characters: send long messages with POST /chat`)
    if (!isWellEncodedQuery(url)) throw new Errors.InvalidRequest('query: not valid UTF-8 percent-encoding')
  })
}, { name: 'input-guard', dependencies: ['errors'] })
