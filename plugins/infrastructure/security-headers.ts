// Owns the security headers (helmet) on every response, the chat client's Content-Security-Policy among them:
// the client is built with no inline script or style, so 'self' is enough, and the page may not be framed.
// HSTS only when the cookie is Secure (served over HTTPS): on plain HTTP it would lock a browser out of the site.
// helmet itself rather than @fastify/helmet: the plugin rebuilds every middleware and re-parses the policy on each
// request (bench/FINDINGS.md, "Notes from the code") for per-reply nonces this app never uses.
import fp from 'fastify-plugin'
import helmet from 'helmet'

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"]
}

export default fp(async (app) => {
  const setHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: app.config.session.cookie_secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The same-origin API and client need nothing looser; the referrer of a chat page is nobody's business.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false
  })
  // helmet checks its options when built (above); applying them only sets headers and cannot fail.
  app.addHook('onRequest', (request, reply, done) => { setHeaders(request.raw, reply.raw, () => { done() }) })
}, { name: 'security-headers', dependencies: ['config'] })
