// At most N turns in flight per session. With Redis (redis.url) the count is shared by every instance; a slot whose
// release never comes (a crashed instance) expires after `holdMs`. Without Redis, or while it is away, each instance
// counts in this process. A slot is released where it was taken.
import type { SharedRedis } from '../../infrastructure/redis.ts'

type Release = () => void

export interface StreamSlots {
  tryAcquire: (sessionId: string) => Promise<Release | null>
}

// Take a slot if fewer than ARGV[1] are held; refresh the key's life to ARGV[2] ms.
const ACQUIRE = `
local held = redis.call('INCR', KEYS[1])
if held > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`
const RELEASE = `
if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
return 1`

function localSlots (limit: number) {
  const open = new Map<string, number>()
  return {
    tryAcquire (sessionId: string): Release | null {
      const count = open.get(sessionId) ?? 0
      if (count >= limit) return null
      open.set(sessionId, count + 1)
      return once(() => {
        const left = (open.get(sessionId) ?? 1) - 1
        if (left <= 0) open.delete(sessionId)
        else open.set(sessionId, left)
      })
    }
  }
}

function once (fn: () => void): Release {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}

export function createStreamSlots (limit: number, shared?: { redis: SharedRedis, holdMs: number }): StreamSlots {
  const local = localSlots(limit)
  if (!shared) return { tryAcquire: async (sessionId) => local.tryAcquire(sessionId) }
  const { redis, holdMs } = shared
  return {
    async tryAcquire (sessionId) {
      if (!redis.usable) return local.tryAcquire(sessionId)
      const key = redis.key(`streams:${sessionId}`)
      let taken: unknown
      try {
        taken = await redis.client.eval(ACQUIRE, 1, key, limit, holdMs)
      } catch (err) {
        redis.failed(err)
        return local.tryAcquire(sessionId)
      }
      if (taken !== 1) return null
      // A release that fails leaves the slot to expire with the key.
      return once(() => { redis.client.eval(RELEASE, 1, key).catch((err: unknown) => redis.failed(err)) })
    }
  }
}
