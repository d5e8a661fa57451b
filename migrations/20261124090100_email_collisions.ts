// The same email seen in two sessions, recorded for a later (manual or automated) merge. Nothing is merged here.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('email_collisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('other_session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'merged', 'dismissed')`))
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addCheckConstraint('email_collisions_distinct_sessions', sql`session_id <> other_session_id`)
    .execute()
  await db.schema.createIndex('idx_email_collisions_unique').unique().on('email_collisions')
    .columns(['email', 'session_id', 'other_session_id']).execute()
  // One row per unordered pair: re-mentioning the email from either side adds nothing.
  await sql`create unique index idx_email_collisions_pair on email_collisions
    (email, least(session_id, other_session_id), greatest(session_id, other_session_id))`.execute(db)
  await db.schema.createIndex('idx_email_collisions_other_session').on('email_collisions').column('other_session_id').execute()
  await db.schema.createIndex('idx_email_collisions_detected').on('email_collisions').column('detected_at').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_collisions').execute()
}
