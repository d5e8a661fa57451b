// Owns the daily purge (retention.idle_days; null: off): sessions idle that many days are erased in-process, first a
// minute after start and then every 24 hours, by one instance at a time (a Postgres advisory lock: db/retention.ts).
// app.retention.purgeNow() runs one round at once (tests, and an operator's console).
import fp from 'fastify-plugin'
import { purgeIdleSessionsOnce } from '../../db/retention.ts'

declare module 'fastify' {
  interface FastifyInstance {
    retention: {
      /** Sessions erased, or null when retention is off or another instance is purging right now. */
      purgeNow: () => Promise<number | null>
    }
  }
}

const FIRST_AFTER_MS = 60_000
const EVERY_MS = 24 * 60 * 60 * 1000

export default fp(async (app) => {
  const idleDays = app.config.retention.idle_days
  const log = app.log.child({ plugin: 'retention' })
  let running: Promise<number | null> | null = null

  async function purgeNow (): Promise<number | null> {
    if (idleDays === null) return null
    running ??= purgeIdleSessionsOnce(app.db, idleDays, log).finally(() => { running = null })
    return await running
  }
  app.decorate('retention', { purgeNow })
  if (idleDays === null) return

  let timer: NodeJS.Timeout | undefined
  let closing = false
  const schedule = (delayMs: number) => {
    if (closing) return
    timer = setTimeout(() => {
      purgeNow()
        .then((erased) => { if (erased === null) log.info({ event: 'sessions.purge_skipped' }, 'another instance is purging') })
        .catch((err: unknown) => log.error({ event: 'sessions.purge_failed', err }, 'the daily purge failed; it runs again tomorrow'))
        .finally(() => schedule(EVERY_MS))
    }, delayMs)
    timer.unref()
  }
  schedule(FIRST_AFTER_MS)
  app.addHook('preClose', async () => {
    closing = true
    clearTimeout(timer)
    await running?.catch(() => {})
  })
}, { name: 'retention', dependencies: ['db', 'config'] })
