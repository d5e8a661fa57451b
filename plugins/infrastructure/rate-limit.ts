// Owns request rates (@fastify/rate-limit): per client IP on every /api, /chat and /events route, and per session on the
// chat routes (chat.rate_limit). Over the limit: 429 rate_limited with Retry-After. With redis.url the counts are kept in
// Redis, shared by every instance (falling back to this process's while Redis is away); without it, per process.
import fp from 'fastify-plugin'
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { Errors } from './errors/error-classes.ts'
import { sharedRateLimitStore } from './rate-limit-store.ts'

type Limiter = ReturnType<FastifyInstance['createRateLimit']>

const WINDOW_MS = 60_000
const LIMITED_PREFIXES = ['/api/', '/chat', '/events/']
const CHAT_ROUTES = new Set(['/chat', '/events/stream'])

function isLimited (url: string): boolean {
  return url === '/api' || LIMITED_PREFIXES.some((prefix) => url.startsWith(prefix))
}

function appendHook (route: RouteOptions, name: 'onRequest' | 'preHandler', hook: (request: FastifyRequest, reply: FastifyReply) => Promise<void>) {
  const existing = route[name]
  route[name] = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), hook] as never
}

function enforce (limiter: Limiter, what: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const state = await limiter(request)
    if (state.isAllowed) return
    reply.header('x-ratelimit-limit', state.max)
    reply.header('x-ratelimit-remaining', state.remaining)
    reply.header('x-ratelimit-reset', state.ttlInSeconds)
    if (!state.isExceeded) return
    const retryAfter = Math.max(1, state.ttlInSeconds)
    reply.header('retry-after', retryAfter)
    request.log.warn({ event: 'security.rate_limited', limit: what }, 'rate limit exceeded')
    throw new Errors.RateLimited(what, retryAfter)
  }
}

export default fp(async (app) => {
  const limits = app.config.chat.rate_limit
  await app.register(fastifyRateLimit, { global: false, ...(app.redis ? { store: sharedRateLimitStore(app.redis) } : {}) })
  // The limiters share one store: each one's keys have their own prefix.
  const perIp = app.createRateLimit({ max: limits.per_ip_per_minute, timeWindow: WINDOW_MS, keyGenerator: (request) => `ip:${request.ip}` })
  const perSession = app.createRateLimit({
    max: limits.per_session_per_minute,
    timeWindow: WINDOW_MS,
    // Runs after the session preHandler; a request with no session yet is counted by its IP.
    keyGenerator: (request) => request.session ? `session:${request.session.id}` : `session-ip:${request.ip}`
  })
  const ipHook = enforce(perIp, 'from this address')
  const sessionHook = enforce(perSession, 'in this session')

  app.addHook('onRoute', (route) => {
    if (!isLimited(route.url ?? route.path)) return
    appendHook(route, 'onRequest', ipHook)
    // Route-level hooks run after the application's, so request.session is set by then.
    if (CHAT_ROUTES.has(route.url ?? route.path)) appendHook(route, 'preHandler', sessionHook)
  })
}, { name: 'rate-limit', dependencies: ['config', 'errors', 'redis'] })
