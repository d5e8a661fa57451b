// Provenance of every profile change: which message, which extractor, how sure, what it was before.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('profile_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('profile_id', 'uuid', (c) => c.notNull().references('profiles.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('field', 'varchar(64)', (c) => c.notNull())
    .addColumn('old_value', 'jsonb')
    .addColumn('new_value', 'jsonb')
    .addColumn('extractor', 'varchar(16)', (c) => c.notNull())
    .addColumn('confidence', 'numeric(4, 3)', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute()
  await db.schema.createIndex('idx_profile_updates_profile_created').on('profile_updates').columns(['profile_id', 'created_at']).execute()
  await db.schema.createIndex('idx_profile_updates_session').on('profile_updates').column('session_id').execute()
  await db.schema.createIndex('idx_profile_updates_message').on('profile_updates').column('message_id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('profile_updates').execute()
}
