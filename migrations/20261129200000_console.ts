// The operator console (SPEC §12): indices its lists need at scale, and the daily books of LLM spend.
// Closed days are summarised once into llm_usage_daily / llm_latency_daily (a 90-day chart then reads ~100 rows
// instead of a million); the current day is always aggregated live from llm_requests.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // Leads newest first: one backward index scan, stopped after a page.
  await db.schema.createIndex('idx_sessions_last_activity').on('sessions').columns(['last_activity_at', 'id']).execute()
  // Date ranges over every request (the current day live, closed days once when summarised).
  await db.schema.createIndex('idx_llm_requests_created').on('llm_requests').column('created_at').execute()
  // The sessions that left a way to reach them (an email or a phone): the denominator of cost per lead.
  await sql`create index idx_profiles_reachable on profiles (session_id)
    where email is not null or phone is not null`.execute(db)

  await db.schema.createTable('llm_usage_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('model', 'varchar(200)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(64)', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('prompt_tokens', 'bigint', (c) => c.notNull())
    .addColumn('completion_tokens', 'bigint', (c) => c.notNull())
    .addColumn('total_tokens', 'bigint', (c) => c.notNull())
    .addColumn('cost', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('llm_usage_daily_pkey', ['day', 'model', 'purpose'])
    .execute()
  // One row per summarised day (requests 0 included): its presence says the day is in the books.
  await db.schema.createTable('llm_latency_daily')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('latency_p50_ms', 'double precision')
    .addColumn('latency_p95_ms', 'double precision')
    .addColumn('ttft_p50_ms', 'double precision')
    .addColumn('ttft_p95_ms', 'double precision')
    .addColumn('summarised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('llm_latency_daily').execute()
  await db.schema.dropTable('llm_usage_daily').execute()
  await db.schema.dropIndex('idx_profiles_reachable').execute()
  await db.schema.dropIndex('idx_llm_requests_created').execute()
  await db.schema.dropIndex('idx_sessions_last_activity').execute()
}
