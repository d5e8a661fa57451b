// Runs the migrations in migrations/ with Kysely's Migrator: the same files kysely-ctl runs for `npm run migrate`.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { FileMigrationProvider, Migrator, type Kysely, type MigrationResultSet } from 'kysely'

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../migrations')

export function createMigrator (db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) })
}

function assertSucceeded ({ error, results }: MigrationResultSet): void {
  if (!error) return
  const failed = results?.find((r) => r.status === 'Error')
  throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`, { cause: error })
}

export async function migrateToLatest (db: Kysely<any>): Promise<string[]> {
  const outcome = await createMigrator(db).migrateToLatest()
  assertSucceeded(outcome)
  return (outcome.results ?? []).map((r) => r.migrationName)
}

export async function migrateDownAll (db: Kysely<any>): Promise<void> {
  const migrator = createMigrator(db)
  for (;;) {
    const outcome = await migrator.migrateDown()
    assertSucceeded(outcome)
    if (!outcome.results?.length) return
  }
}
