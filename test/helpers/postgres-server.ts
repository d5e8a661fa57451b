// Finds a Postgres server for the tests: TEST_DATABASE_URL, else the local one at 127.0.0.1:5432, else an embedded one.
import pg from 'pg'
import pino from 'pino'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded-postgres.ts'

export const LOCAL_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

async function reachable (url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/** A URL pointing at the server's maintenance database, from which test databases are created and dropped. */
export function maintenanceUrl (url: string): string {
  const u = new URL(url)
  u.pathname = '/postgres'
  return u.toString()
}

export async function findPostgresServer (): Promise<{ url: string, embedded: EmbeddedDatabase | null }> {
  const configured = process.env.TEST_DATABASE_URL
  if (configured) return { url: maintenanceUrl(configured), embedded: null }
  if (await reachable(LOCAL_SERVER_URL)) return { url: LOCAL_SERVER_URL, embedded: null }
  const embedded = await startEmbeddedPostgres({
    dataDir: '.data/test-postgres', port: 54330, database: 'postgres', log: pino({ level: 'warn' })
  })
  return { url: maintenanceUrl(embedded.url), embedded }
}

export function databaseUrl (serverUrl: string, database: string): string {
  const u = new URL(serverUrl)
  u.pathname = `/${database}`
  return u.toString()
}

export async function withClient<T> (url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
