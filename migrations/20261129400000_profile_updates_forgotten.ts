// SPEC §11: a forgotten field keeps its profile_updates rows, values scrubbed; forgotten_at says when and why.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('profile_updates').addColumn('forgotten_at', 'timestamptz').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('profile_updates').dropColumn('forgotten_at').execute()
}
