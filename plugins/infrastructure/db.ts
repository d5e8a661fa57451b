// Owns the database: one pg pool through @fastify/postgres, Kysely over that same pool (app.db) with transient-error
// retries (db/retrying-dialect.ts) and named prepared statements (db/prepared-statements.ts),
// migrations on start, and the embedded Postgres when no URL is configured.
import path from 'node:path'
import fp from 'fastify-plugin'
import fastifyPostgres from '@fastify/postgres'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import type { DB } from '../../db/types.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { startEmbeddedPostgres } from '../../db/embedded-postgres.ts'
import { RetryingPostgresDialect } from '../../db/retrying-dialect.ts'
import { usePreparedStatements } from '../../db/prepared-statements.ts'
import type { Config } from './config/schema.ts'
import { PROJECT_ROOT } from './project-root.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>
    databaseHealth: () => Promise<{ ok: boolean, latency_ms: number }>
  }
}

const HEALTH_TIMEOUT_MS = 2000

// pg parses int8 (counts, sums of integers) as strings; counts here stay far below 2^53. numeric stays a string.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number.parseInt(value, 10) : pg.types.getTypeParser(oid, format)
}

/** The embedded cluster's data folder: database.embedded.data_dir, relative to the repository's root. */
export function embeddedDataDir (config: Config): string {
  return path.resolve(PROJECT_ROOT, config.database.embedded.data_dir)
}

export default fp(async (app) => {
  const { database } = app.config
  let url = database.url
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir(app.config), port: database.embedded.port, log: app.log })
    url = embedded.url
    // Registered before the pool, so it runs after the pool has ended (onClose hooks run last-in, first-out).
    app.addHook('onClose', embedded.stop)
  }

  await app.register(fastifyPostgres, {
    connectionString: url,
    max: database.pool_size,
    connectionTimeoutMillis: database.pool_timeout_ms,
    statement_timeout: database.statement_timeout_ms,
    application_name: app.config.app.name,
    types
  })
  const log = app.log.child({ plugin: 'db' })
  // An idle client whose server went away emits 'error' on the pool: log it, never crash.
  app.pg.pool.on('error', (err) => log.warn({ event: 'db.idle_client_error', err: describe(err) }, 'idle database connection failed'))
  // A checked-out client (inside a transaction, or between a query and its release) has no pool listener: without
  // one, a connection killed at that moment (pg_terminate_backend, a restart) would be an uncaught 'error' event.
  app.metrics.watchPool(app.pg.pool)
  const statementNames = new Map<string, string>()
  app.pg.pool.on('connect', (client) => {
    client.on('error', (err) => log.warn({ event: 'db.client_error', err: describe(err) }, 'database connection failed'))
    // Off behind a transaction-pooling PgBouncer: a named statement would outlive the server connection it lives on.
    if (database.prepared_statements) usePreparedStatements(client, statementNames)
  })

  const dialect = new RetryingPostgresDialect({ pool: app.pg.pool }, {
    onRetry: (info) => {
      app.metrics.databaseRetried()
      log.warn({ event: 'db.retry', ...info }, 'transient database error: retrying')
    }
  })
  const db = new Kysely<DB>({ dialect })
  app.decorate('db', db)
  app.decorate('databaseHealth', () => checkHealth(db))

  const migrate = database.migrate_on_start === 'auto' ? database.url === null : database.migrate_on_start
  if (migrate) {
    const applied = await migrateToLatest(db)
    app.log.info({ event: 'db.migrated', applied }, `database migrated (${applied.length} new)`)
  }
}, { name: 'db', dependencies: ['config', 'metrics'] })

function describe (err: Error & { code?: string }) {
  return { code: err.code, message: err.message }
}

async function checkHealth (db: Kysely<DB>): Promise<{ ok: boolean, latency_ms: number }> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS) })
  const ping = sql`select 1`.execute(db).then(() => true, () => false)
  const ok = await Promise.race([ping, timeout])
  clearTimeout(timer)
  return { ok, latency_ms: Math.round((performance.now() - started) * 100) / 100 }
}
