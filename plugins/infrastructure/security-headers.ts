// Owns the security headers (helmet) on every response, the chat client's Content-Security-Policy among them:
// the client is built with no inline script or style, so 'self' is enough, and the page may not be framed.
// HSTS only when the cookie is Secure (served over HTTPS): on plain HTTP it would lock a browser out of the site.
// helmet itself rather than @fastify/helmet: the plugin rebuilds every middleware and re-parses the policy on each
// request (bench/FINDINGS.md, "Notes from the code") for per-reply nonces this app never uses.
// Two more helmets for the chat on other sites (SPEC §13), each built once: the /embed page (`embedFrame`) may be framed
// by embed.allowed_origins only (frame-ancestors; 'none' when the list is empty, and no X-Frame-Options, which could
// only say SAMEORIGIN), and /widget.js (`embedScript`) may be loaded by any page (Cross-Origin-Resource-Policy).
import fp from 'fastify-plugin'
import helmet from 'helmet'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The page that allowed sites frame: /embed. */
    embedFrame?: boolean
    /** A script other sites' pages load: /widget.js. */
    embedScript?: boolean
  }
}

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

/** /embed's policy: the client's, framed only by the allowed sites. */
function embedContentSecurityPolicy (allowedOrigins: readonly string[]) {
  return { ...CONTENT_SECURITY_POLICY, 'frame-ancestors': allowedOrigins.length > 0 ? [...allowedOrigins] : ["'none'"] }
}

export default fp(async (app) => {
  const common = {
    strictTransportSecurity: app.config.session.cookie_secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The same-origin API and client need nothing looser; the referrer of a chat page is nobody's business.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false
  } as const
  const setHeaders = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } })
  const setEmbedFrameHeaders = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: embedContentSecurityPolicy(app.config.embed.allowed_origins) },
    xFrameOptions: false
  })
  const setEmbedScriptHeaders = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    crossOriginResourcePolicy: { policy: 'cross-origin' }
  })
  // helmet checks its options when built (above); applying them only sets headers and cannot fail.
  app.addHook('onRequest', (request, reply, done) => {
    const { embedFrame, embedScript } = request.routeOptions.config
    const set = embedFrame === true ? setEmbedFrameHeaders : embedScript === true ? setEmbedScriptHeaders : setHeaders
    set(request.raw, reply.raw, () => { done() })
  })
}, { name: 'security-headers', dependencies: ['config'] })
