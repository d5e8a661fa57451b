// The console's cost per lead (SPEC §12) reads a closed day's spend per session from these books instead of probing
// every lead's requests (22,000 index probes, 5 s at bench scale). Rows go with their session: erasing a session
// erases its line in the books too.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('llm_session_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('cost', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('llm_session_daily_pkey', ['day', 'session_id'])
    .execute()
  // The cascade from sessions looks rows up by session.
  await db.schema.createIndex('idx_llm_session_daily_session').on('llm_session_daily').column('session_id').execute()
  // Days summarised before this table existed are summarised again (the next costs request does it).
  await sql`delete from llm_usage_daily`.execute(db)
  await sql`delete from llm_latency_daily`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('llm_session_daily').execute()
}
