// Owns app.redis: the Redis connection that makes rate limits and stream caps shared by every instance (redis.url /
// REDIS_URL), or null without one. Redis is a help, never a dependency: while it is unreachable, commands fail at once
// (no offline queue), callers fall back to their per-process counts, and the outage is logged once, not per request.
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'

declare module 'fastify' {
  interface FastifyInstance { redis: SharedRedis | null }
}

export interface SharedRedis {
  client: Redis
  /** Prefix for every key (redis.key_prefix). */
  key: (name: string) => string
  /** Connected: worth trying. */
  readonly usable: boolean
  /** A command failed: the caller falls back; the first failure of an outage is logged. */
  failed: (err: unknown) => void
}

const RECONNECT_MAX_MS = 5000

export default fp(async (app) => {
  const { url, key_prefix: prefix } = app.config.redis
  if (!url) {
    app.decorate('redis', null)
    return
  }
  const log = app.log.child({ plugin: 'redis' })
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, RECONNECT_MAX_MS)
  })
  let degraded = false
  const degrade = (err: unknown) => {
    if (degraded) return
    degraded = true
    log.warn({ event: 'redis.unavailable', err: { message: (err as Error)?.message } }, 'Redis is unreachable: rate limits and stream caps are per process until it is back')
  }
  let closing = false
  client.on('error', degrade)
  // A connection lost without an error (a restart, a cut): the same outage.
  client.on('close', () => { if (!closing) degrade(new Error('connection closed')) })
  client.on('ready', () => {
    if (!degraded) return
    degraded = false
    log.info({ event: 'redis.back' }, 'Redis is back: limits are shared again')
  })
  app.decorate('redis', {
    client,
    key: (name: string) => `${prefix}${name}`,
    get usable () { return client.status === 'ready' },
    failed: degrade
  })
  app.addHook('onClose', async () => {
    closing = true
    client.disconnect()
  })
  // A short wait for the first connection, so the first requests already share their counts; no wait past it.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000)
    const done = () => { clearTimeout(timer); resolve() }
    client.once('ready', done)
    client.once('error', done)
  })
}, { name: 'redis', dependencies: ['config'] })
