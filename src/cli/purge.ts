// `npm run purge -- --idle-days N`: erases every session idle for longer than N days, with its messages, LLM requests,
// profile and provenance (ON DELETE CASCADE), in short batches (db/retention.ts). Logs counts only: no id, email or text.
// Uses the configured database (DATABASE_URL, app.yaml), or the embedded one when none is set.
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import type { DB } from '../../db/types.ts'
import { purgeIdleSessions } from '../../db/retention.ts'
import { EX_CONFIG, loadConfigOrReport } from '../../plugins/infrastructure/config/load-config.ts'
import { startEmbeddedPostgres } from '../../db/embedded-postgres.ts'
import { embeddedDataDir } from '../../plugins/infrastructure/db.ts'
import { REDACTED_PATHS } from '../logger.ts'

const USAGE = 'usage: npm run purge -- --idle-days N   (N: whole days, at least 1)'

export function parseIdleDays (argv: string[]): number | null {
  try {
    const { values } = parseArgs({ args: argv, options: { 'idle-days': { type: 'string' } }, strict: true })
    const raw = values['idle-days']
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1) return null
    return Number(raw)
  } catch {
    return null
  }
}

async function main (): Promise<number> {
  const idleDays = parseIdleDays(process.argv.slice(2))
  if (idleDays === null) {
    process.stderr.write(`${USAGE}\n`)
    return 64 // EX_USAGE
  }
  const config = loadConfigOrReport()
  if (!config) return EX_CONFIG
  const log = pino({ level: config.logging.level, redact: REDACTED_PATHS }).child({ cli: 'purge' })
  const embedded = config.database.url
    ? null
    : await startEmbeddedPostgres({ dataDir: embeddedDataDir(config), port: config.database.embedded.port, log })
  const pool = new pg.Pool({ connectionString: config.database.url ?? embedded!.url, max: 1, statement_timeout: config.database.statement_timeout_ms * 10 })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  try {
    await purgeIdleSessions(db, idleDays, log)
    return 0
  } finally {
    await db.destroy()
    await embedded?.stop()
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main()
}
