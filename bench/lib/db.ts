// A fresh, migrated database per benchmark run (salient_bench_*), on the machine's Postgres, dropped afterwards.
import { randomBytes } from 'node:crypto'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from '../../db/migrate.ts'
import type { DB } from '../../db/types.ts'

export const PG_SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export function databaseUrl (name: string): string {
  const url = new URL(PG_SERVER_URL)
  url.pathname = `/${name}`
  return url.toString()
}

export async function adminQuery (text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_SERVER_URL })
  await client.connect()
  try {
    return await client.query(text, params)
  } finally {
    await client.end()
  }
}

export interface BenchDatabase {
  name: string
  url: string
  /** A Kysely handle for seeding and checks (its own small pool). */
  db: Kysely<DB>
  pool: pg.Pool
  drop: () => Promise<void>
}

export async function createBenchDatabase (label: string, opts: { migrate?: boolean } = {}): Promise<BenchDatabase> {
  const name = `salient_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`
  await adminQuery(`create database "${name}"`)
  const url = databaseUrl(name)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  pool.on('error', () => {}) // a connection ended by the drop at the end
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  if (opts.migrate !== false) await migrateToLatest(db)
  let dropped = false
  return {
    name,
    url,
    db,
    pool,
    async drop () {
      if (dropped) return
      dropped = true
      await db.destroy().catch(() => {})
      await adminQuery(`drop database if exists "${name}" with (force)`)
    }
  }
}

/** Drops databases left by an interrupted earlier run of this benchmark (never another process's live one). */
export async function dropStaleBenchDatabases (): Promise<void> {
  const { rows } = await adminQuery("select datname from pg_database where datname like 'salient\\_bench\\_%'")
  for (const { datname } of rows as Array<{ datname: string }>) {
    const pid = Number(/^salient_bench_[a-z0-9]+_(\d+)_/.exec(datname)?.[1])
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      await adminQuery(`drop database if exists "${datname}" with (force)`)
    }
  }
}

function processAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export async function postgresVersion (): Promise<string> {
  const { rows } = await adminQuery('select version() as v')
  return String((rows[0] as { v: string }).v)
}
