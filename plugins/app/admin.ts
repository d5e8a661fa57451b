// Owns who is an operator: app.isAdmin(request) is true for `Authorization: Bearer $ADMIN_TOKEN` or a `salient_admin`
// cookie the server issued at login (app.adminLogin). With no token configured nobody is, and the admin API answers
// 404. Changes to the admin API (any method but GET/HEAD under /api/admin/) are refused from another origin, and a
// route marked `config: { admin: true }` answers 404 to anyone else, so the admin surface does not announce itself.
//
// The cookie holds an expiry and an HMAC of it under a key derived from the token: it is never the token itself,
// the server keeps no state for it, and changing ADMIN_TOKEN signs every operator out.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Errors } from '../infrastructure/errors/error-classes.ts'
import { isCrossSite } from '../infrastructure/same-origin.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Only an operator may call this route; anyone else gets 404. */
    admin?: boolean
  }
  interface FastifyInstance {
    isAdmin: (request: FastifyRequest) => boolean
    adminLogin: ReturnType<typeof createAdminLogin>
    /** Counts a login attempt from the request's address; throws 429 past the limit. */
    adminLoginThrottle: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

export const ADMIN_COOKIE = 'salient_admin'
export const ADMIN_COOKIE_MAX_AGE_S = 12 * 60 * 60
/** Wrong tokens tried from one address before it must wait (the window is a minute). */
const LOGIN_ATTEMPTS_PER_MINUTE = 10

// Both sides hashed first: timingSafeEqual needs equal lengths, and the hash hides the token's length.
const digest = (value: string) => createHash('sha256').update(value).digest()

function createAdminLogin (token: string | null, secure: boolean) {
  const expected = token ? digest(token) : null
  // A key for the cookie only, derived from the token, so the cookie's MAC reveals nothing usable as the token.
  const cookieKey = token ? createHmac('sha256', token).update('salient-admin-cookie-v1').digest() : null
  const sign = (payload: string) => createHmac('sha256', cookieKey!).update(payload).digest('base64url')

  return {
    enabled: expected !== null,
    cookieOptions: { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: ADMIN_COOKIE_MAX_AGE_S } as const,
    tokenMatches (candidate: string): boolean {
      return expected !== null && timingSafeEqual(digest(candidate), expected)
    },
    /** A fresh cookie value: `<expiry seconds>.<mac>`. */
    issue (now = Date.now()): string {
      const expires = String(Math.floor(now / 1000) + ADMIN_COOKIE_MAX_AGE_S)
      return `${expires}.${sign(expires)}`
    },
    verify (value: string | undefined, now = Date.now()): boolean {
      if (!cookieKey || !value) return false
      const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value)
      if (!match) return false
      const [, expires, mac] = match
      const good = timingSafeEqual(Buffer.from(sign(expires!)), Buffer.from(mac!))
      return good && Number(expires) * 1000 > now
    }
  }
}

function isAdminChange (request: FastifyRequest): boolean {
  return request.url.startsWith('/api/admin/') && request.method !== 'GET' && request.method !== 'HEAD'
}

export default fp(async (app) => {
  const login = createAdminLogin(app.config.admin.token, app.config.session.cookie_secure)
  app.decorate('adminLogin', login)
  app.decorate('isAdmin', (request: FastifyRequest) => {
    if (!login.enabled) return false
    const header = request.headers.authorization
    if (header?.startsWith('Bearer ')) return login.tokenMatches(header.slice(7).trim())
    return login.verify(request.cookies[ADMIN_COOKIE])
  })

  const perIp = app.createRateLimit({ max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (request) => `admin-login:${request.ip}` })
  app.decorate('adminLoginThrottle', async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await perIp(request)
    if (state.isAllowed || !state.isExceeded) return
    const retryAfter = Math.max(1, state.ttlInSeconds)
    reply.header('retry-after', retryAfter)
    request.log.warn({ event: 'admin.login_rate_limited' }, 'too many admin login attempts')
    throw new Errors.RateLimited('from this address', retryAfter)
  })

  app.addHook('onRequest', async (request) => {
    // Before anything else: a change from another origin is refused whoever sends it (login CSRF included).
    if (isAdminChange(request) && isCrossSite(request)) {
      request.log.warn({ event: 'security.cross_site_refused' }, 'cross-site admin request refused')
      throw new Errors.CrossSite()
    }
    if (request.routeOptions.config.admin && !app.isAdmin(request)) throw new Errors.NotFound('Route')
  })
}, { name: 'admin', dependencies: ['config', 'session', 'rate-limit'] })
