// Owns sessions: the salient_session cookie, request.session, and app.sessions. A route opts in with
// `config: { session: 'create' }` (find or make one) or `'optional'` (find only); other routes never touch sessions.
// Resuming records the activity (last_activity_at) unless the route says its own statements do (`touchesSession`),
// which spares the hot routes a commit before their real work.
import { createHash, randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import fastifyCookie from '@fastify/cookie'
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

  const cookieOptions = {
    path: '/',
    httpOnly: settings.cookie_httponly,
    secure: settings.cookie_secure,
    sameSite: settings.cookie_samesite,
    maxAge: settings.cookie_max_age
  } as const

  function attach (request: FastifyRequest, reply: FastifyReply, session: Session): void {
    request.session = session
    request.log = request.log.child({ session_id: session.id })
    reply.log = request.log // the reply's own lines ("request completed") carry it too
  }

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const { session: mode, touchesSession } = request.routeOptions.config
    if (!mode) return
    const key = request.cookies[settings.cookie_name]
    const resumed = await app.sessions.resumeByKey(key, touchesSession !== true)
    if (resumed) {
      attach(request, reply, resumed)
      // Sliding expiry: the browser keeps the cookie as long as the session stays active.
      if (mode === 'create') reply.setCookie(settings.cookie_name, key!, cookieOptions)
      return
    }
    // HEAD and OPTIONS never create sessions, even on routes that otherwise do.
    if (mode !== 'create' || request.method === 'HEAD' || request.method === 'OPTIONS') return
    const { session, key: newKey } = await app.sessions.start()
    attach(request, reply, session)
    reply.setCookie(settings.cookie_name, newKey, cookieOptions)
    request.log.info({ event: 'session.created' }, 'session created')
  })

  app.decorate('clearSessionCookie', (reply: FastifyReply) => reply.clearCookie(settings.cookie_name, { path: '/' }))
}, { name: 'session', dependencies: ['config', 'db'] })

declare module 'fastify' {
  interface FastifyInstance { clearSessionCookie: (reply: FastifyReply) => FastifyReply }
}
