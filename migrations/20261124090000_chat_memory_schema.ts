// The epic's four tables: sessions, messages, llm_requests, profiles (SPEC §3). Frozen in time: never edit, add a migration.
import { sql, type Kysely } from 'kysely'

const now = sql`clock_timestamp()`
const emptyJson = sql`'{}'::jsonb`
const emptyArray = sql`'{}'::text[]`

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('is_anonymous', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .execute()
  // The epic's index, made unique: it is also the constraint that session keys never repeat.
  await db.schema.createIndex('idx_sessions_session_key').unique().on('sessions').column('session_key').execute()
  await db.schema.createIndex('idx_sessions_email').on('sessions').column('email').where(sql.ref('email'), 'is not', null).execute()

  await db.schema.createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('role', 'varchar(16)', (c) => c.notNull().check(sql`role in ('human', 'assistant', 'system')`))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  // id completes the history order (created_at, id), so "newest N" is one backward index scan with no sort.
  await db.schema.createIndex('idx_messages_session_created').on('messages').columns(['session_id', 'created_at', 'id']).execute()
  // Idempotent retries: one human message per client_message_id in a session.
  await sql`create unique index idx_messages_client_message_id on messages (session_id, (metadata->>'client_message_id'))
    where role = 'human' and metadata ? 'client_message_id'`.execute(db)

  await db.schema.createTable('llm_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(32)', (c) => c.notNull())
    .addColumn('model', 'varchar(200)', (c) => c.notNull())
    .addColumn('request_body', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .addColumn('response_body', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unit_cost_prompt', 'numeric')
    .addColumn('unit_cost_completion', 'numeric')
    .addColumn('computed_cost', 'numeric')
    .addColumn('latency_ms', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await db.schema.createIndex('idx_llm_requests_session_created').on('llm_requests').columns(['session_id', 'created_at']).execute()

  await db.schema.createTable('profiles')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('customer_name', 'varchar(200)')
    .addColumn('phone', 'varchar(32)')
    .addColumn('email', 'varchar(320)')
    .addColumn('address_street', 'varchar(300)')
    .addColumn('address_city', 'varchar(120)')
    .addColumn('address_state', 'varchar(64)')
    .addColumn('address_zip', 'varchar(16)')
    .addColumn('products_of_interest', sql`text[]`, (c) => c.notNull().defaultTo(emptyArray))
    .addColumn('services_of_interest', sql`text[]`, (c) => c.notNull().defaultTo(emptyArray))
    .addColumn('preferences', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  // Unique for now: one profile per session (the epic plans many sessions to one profile later).
  await db.schema.createIndex('idx_profiles_session_id').unique().on('profiles').column('session_id').execute()
  await db.schema.createIndex('idx_profiles_email').on('profiles').column('email').where(sql.ref('email'), 'is not', null).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const table of ['profiles', 'llm_requests', 'messages', 'sessions']) {
    await db.schema.dropTable(table).execute()
  }
}
