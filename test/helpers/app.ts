// Builds the real app on a fresh database for a test, with config overrides and captured log lines.
import { Writable } from 'node:stream'
import { buildApp, type BuildAppOptions } from '../../src/app.ts'
import type { PlainObject } from '../../plugins/infrastructure/config/deep-merge.ts'
import { deepMerge } from '../../plugins/infrastructure/config/deep-merge.ts'
import { loggerOptions } from '../../src/logger.ts'
import { openDb, testDatabase } from './db.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface TestAppOptions {
  config?: PlainObject
  /** An existing database URL (to share one between two app instances); default a fresh one. */
  databaseUrl?: string
  logLevel?: string
  onRoute?: BuildAppOptions['onRoute']
}

export async function buildTestApp (t: Teardown, options: TestAppOptions = {}) {
  const databaseUrl = options.databaseUrl ?? (await testDatabase(t)).url
  const logs: string[] = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean))
      done()
    }
  })
  const overrides = deepMerge({
    database: { url: databaseUrl, migrate_on_start: false, pool_size: 5 },
    llm: { provider: 'offline', api_key: null },
    logging: { level: options.logLevel ?? 'info' }
  }, options.config ?? {})
  const app = await buildApp({
    configOptions: { env: {}, overrides },
    logger: { ...(loggerOptions(options.logLevel ?? 'info', { pretty: false }) as object), stream },
    onRoute: options.onRoute
  })
  t.teardown(() => app.close())
  const db = openDb(t, databaseUrl)
  return { app, db, logs, databaseUrl }
}

/** The `name=value` of a Set-Cookie header, ready to send back. */
export function cookieFrom (setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie
  if (!first) throw new Error('no Set-Cookie header')
  return first.split(';')[0]!
}
