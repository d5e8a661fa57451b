// `npm run migrate`: brings the configured database (DATABASE_URL, app.yaml) to the latest schema, or the embedded one
// when none is set. Compiled with the server, so it runs on a production install (no dev dependencies).
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import type { DB } from '../../db/types.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../db/embedded-postgres.ts'
import { EX_CONFIG, loadConfigOrReport } from '../../plugins/infrastructure/config/load-config.ts'
import { embeddedDataDir } from '../../plugins/infrastructure/db.ts'
import { REDACTED_PATHS } from '../logger.ts'

async function main (): Promise<number> {
  const config = loadConfigOrReport()
  if (!config) return EX_CONFIG
  const log = pino({ level: config.logging.level, redact: REDACTED_PATHS }).child({ cli: 'migrate' })
  const embedded = config.database.url
    ? null
    : await startEmbeddedPostgres({ dataDir: embeddedDataDir(config), port: config.database.embedded.port, log })
  const pool = new pg.Pool({ connectionString: embedded?.url ?? config.database.url ?? undefined, max: 1 })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  try {
    const applied = await migrateToLatest(db)
    log.info({ event: 'db.migrated', applied }, applied.length ? `applied ${applied.join(', ')}` : 'the schema is up to date')
    return 0
  } finally {
    await db.destroy()
    await embedded?.stop()
  }
}

try {
  process.exitCode = await main()
} catch (err) {
  if (!(err instanceof EmbeddedPostgresError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exitCode = 69 // EX_UNAVAILABLE
}
