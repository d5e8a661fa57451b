// A @fastify/rate-limit store that counts in Redis (one count for every instance) while Redis answers, and in this
// process while it does not: a request is never refused or failed because Redis is away.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { SharedRedis } from './redis.ts'

// One round trip: count, start the window on the first hit, and say how long it has left.
const INCREMENT = `
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if current == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`

type Callback = Parameters<FastifyRateLimitStore['incr']>[1]

const MAX_LOCAL_KEYS = 10_000

function localCounter () {
  const windows = new Map<string, { current: number, endsAt: number }>()
  return (key: string, timeWindow: number): { current: number, ttl: number } => {
    const now = Date.now()
    let window = windows.get(key)
    if (!window || window.endsAt <= now) {
      if (windows.size >= MAX_LOCAL_KEYS) {
        for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k)
      }
      window = { current: 0, endsAt: now + timeWindow }
      windows.set(key, window)
    }
    window.current++
    return { current: window.current, ttl: window.endsAt - now }
  }
}

function isCount (value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number')
}

export function sharedRateLimitStore (redis: SharedRedis): FastifyRateLimitStoreCtor {
  const local = localCounter()
  const fallBack = (key: string, timeWindow: number, callback: Callback) => callback(null, local(key, timeWindow))

  return class SharedStore implements FastifyRateLimitStore {
    incr (key: string, callback: Callback, timeWindow: number): void {
      if (!redis.usable) return fallBack(key, timeWindow, callback)
      redis.client.eval(INCREMENT, 1, redis.key(`ratelimit:${key}`), timeWindow).then((result) => {
        if (!isCount(result)) throw new Error('unexpected reply from the rate-limit script')
        callback(null, { current: result[0], ttl: result[1] })
      }).catch((err: unknown) => {
        redis.failed(err)
        fallBack(key, timeWindow, callback)
      })
    }

    // The limiters' keys carry their own prefixes (ip:, session:): one namespace serves them all.
    child (): FastifyRateLimitStore {
      return this
    }
  }
}
