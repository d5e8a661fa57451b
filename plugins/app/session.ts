// Owns sessions: the salient_session cookie, request.session, and app.sessions. A route opts in with
// `config: { session: 'create' }` (find or make one) or `'optional'` (find only); other routes never touch sessions.
// Resuming records the activity (last_activity_at) unless the route says its own statements do (`touchesSession`),
// which spares the hot routes a commit before their real work.
// Two cookies: the first-party one (attributes from config), and, for the chat framed on another site (/embed), an
// embed cookie `<cookie_name>_embed` that is `SameSite=None; Secure; Partitioned` (CHIPS): browsers that block
// third-party cookies still keep a partitioned one, per top-level site, so a reload of the host page resumes the
// conversation. The first-party cookie wins when both resume; a session is started with the embed cookie only by a
// route that says so (`startsEmbedSession`: the /embed page), so the normal client's cookie never changes.
import { createHash, randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Session } from '../../db/types.ts'
import { createSessionRepository } from '../../db/repositories/sessions.ts'
import { withRetry } from '../../db/retry.ts'

export type SessionMode = 'create' | 'optional'

declare module 'fastify' {
  interface FastifyContextConfig {
    session?: SessionMode
    /** The handler's own statements record the session's activity (a turn, a history load): resume only reads. */
    touchesSession?: boolean
    /**
     * A session this route starts is the framed chat's: it gets the embed cookie. With `?fresh=1` it starts a new one
     * even when a cookie resumes one: the host site says another person is now logged in (client/src/embed/main.ts).
     */
    startsEmbedSession?: boolean
  }
  interface FastifyRequest { session: Session | null }
  interface FastifyInstance { sessions: ReturnType<typeof createSessionService> }
}

const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/ // 32 random bytes, base64url

export function hashSessionKey (key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

function createSessionService (repository: ReturnType<typeof createSessionRepository>, maxIdleSeconds: number) {
  return {
    ...repository,
    async start (): Promise<{ session: Session, key: string }> {
      const key = randomBytes(32).toString('base64url')
      const hash = hashSessionKey(key)
      // After a failure whose outcome is unknown, the key (unique) tells whether the session was made.
      const session = await withRetry(() => repository.insert(hash), { verify: async () => await repository.resume(hash, maxIdleSeconds, false) ?? undefined })
      return { session, key }
    },
    /** A key the server did not issue, a malformed one, or an idle one never resumes anything. */
    async resumeByKey (key: string | undefined, touch = true): Promise<Session | null> {
      if (!key || !KEY_PATTERN.test(key)) return null
      // Only last_activity_at changes: running it twice is harmless.
      return await withRetry(() => repository.resume(hashSessionKey(key), maxIdleSeconds, touch), { idempotent: true })
    }
  }
}

export default fp(async (app) => {
  const settings = app.config.session
  await app.register(fastifyCookie)
  app.decorate('sessions', createSessionService(createSessionRepository(app.db), settings.cookie_max_age))
  app.decorateRequest('session', null)

  const firstParty: SessionCookie = {
    name: settings.cookie_name,
    options: {
      path: '/',
      httpOnly: settings.cookie_httponly,
      secure: settings.cookie_secure,
      sameSite: settings.cookie_samesite,
      maxAge: settings.cookie_max_age
    }
  }
  // Chromium and Firefox accept Secure cookies from http://localhost and http://127.0.0.1 too (secure contexts).
  const embed: SessionCookie = {
    name: embedCookieName(settings.cookie_name),
    options: { path: '/', httpOnly: true, secure: true, sameSite: 'none', partitioned: true, maxAge: settings.cookie_max_age }
  }

  function attach (request: FastifyRequest, reply: FastifyReply, session: Session): void {
    request.session = session
    request.log = request.log.child({ session_id: session.id })
    reply.log = request.log // the reply's own lines ("request completed") carry it too
  }

  /** The session of the first cookie (first-party, then embed) that resumes one, with that cookie. */
  async function resume (request: FastifyRequest, touch: boolean) {
    for (const cookie of [firstParty, embed]) {
      const key = request.cookies[cookie.name]
      const session = await app.sessions.resumeByKey(key, touch)
      if (session) return { session, key: key!, cookie }
    }
    return null
  }

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const { session: mode, touchesSession, startsEmbedSession } = request.routeOptions.config
    if (!mode) return
    const resumed = startsEmbedSession === true && wantsFreshSession(request) ? null : await resume(request, touchesSession !== true)
    if (resumed) {
      attach(request, reply, resumed.session)
      // Sliding expiry: the browser keeps the cookie as long as the session stays active.
      if (mode === 'create') reply.setCookie(resumed.cookie.name, resumed.key, resumed.cookie.options)
      return
    }
    // HEAD and OPTIONS never create sessions, even on routes that otherwise do.
    if (mode !== 'create' || request.method === 'HEAD' || request.method === 'OPTIONS') return
    const { session, key: newKey } = await app.sessions.start()
    attach(request, reply, session)
    const cookie = startsEmbedSession === true ? embed : firstParty
    reply.setCookie(cookie.name, newKey, cookie.options)
    request.log.info({ event: 'session.created', embed: cookie === embed }, 'session created')
  })

  app.decorate('clearSessionCookie', (reply: FastifyReply) => {
    reply.clearCookie(firstParty.name, { path: '/' })
    // A partitioned cookie is only cleared by a Set-Cookie that is itself partitioned (and Secure, SameSite=None).
    if (reply.request.cookies[embed.name] !== undefined) reply.clearCookie(embed.name, embed.options)
    return reply
  })
}, { name: 'session', dependencies: ['config', 'db'] })

interface SessionCookie { name: string, options: CookieSerializeOptions }

function wantsFreshSession (request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined
  return query?.fresh === '1'
}

/** The framed chat's cookie name: beside the first-party one, never the same cookie. */
function embedCookieName (cookieName: string): string {
  return `${cookieName}_embed`
}

declare module 'fastify' {
  interface FastifyInstance { clearSessionCookie: (reply: FastifyReply) => FastifyReply }
}
