// At most N turns in flight per session, counted in this process (each instance enforces its own share).
export function createStreamSlots (limit: number) {
  const open = new Map<string, number>()
  return {
    tryAcquire (sessionId: string): (() => void) | null {
      const count = open.get(sessionId) ?? 0
      if (count >= limit) return null
      open.set(sessionId, count + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        const left = (open.get(sessionId) ?? 1) - 1
        if (left <= 0) open.delete(sessionId)
        else open.set(sessionId, left)
      }
    },
    get size () { return open.size }
  }
}
