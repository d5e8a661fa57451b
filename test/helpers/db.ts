// A fresh database per test file: a copy of the run's migrated template (CREATE DATABASE … TEMPLATE), dropped after.
import { randomBytes } from 'node:crypto'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from '../../db/migrate.ts'
import type { DB } from '../../db/types.ts'
import { databaseUrl, LOCAL_SERVER_URL, maintenanceUrl, withClient } from './postgres-server.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export function testServerUrl (): string {
  return process.env.TEST_PG_SERVER_URL ?? (process.env.TEST_DATABASE_URL ? maintenanceUrl(process.env.TEST_DATABASE_URL) : LOCAL_SERVER_URL)
}

export async function createDatabase (prefix = process.env.TEST_RUN_ID ? `${process.env.TEST_RUN_ID}_f` : 'salient_t'): Promise<{ name: string, url: string, drop: () => Promise<void> }> {
  const server = testServerUrl()
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  const template = process.env.TEST_TEMPLATE_DB
  await withClient(server, (c) => c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`))
  const url = databaseUrl(server, name)
  if (!template) await migrateDatabase(url)
  const drop = async () => { await withClient(server, (c) => c.query(`drop database if exists "${name}" with (force)`)) }
  return { name, url, drop }
}

export async function migrateDatabase (url: string): Promise<void> {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) })
  try {
    await migrateToLatest(db)
  } finally {
    await db.destroy()
  }
}

/** A migrated database for this test file, dropped when the test ends. */
export async function testDatabase (t: Teardown): Promise<{ name: string, url: string }> {
  const database = await createDatabase()
  t.teardown(database.drop)
  return database
}

/** A Kysely handle for assertions straight against the tables. */
export function openDb (t: Teardown, url: string): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: 3 })
  // pool.end() resolves before its clients' sockets close: the teardown's DROP DATABASE … WITH (FORCE) can still reach
  // one (57P01), and a pool 'error' without a listener is an uncaught exception that fails whichever test is running.
  pool.on('error', () => {})
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  t.teardown(() => db.destroy())
  return db
}
