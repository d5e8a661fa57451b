// SPEC §10: customers (one person across sessions), the links that join sessions to them, email codes, the outbox.
// A customer's profile is a profiles row too (customer_id instead of session_id), so provenance stays one table.
// Frozen in time: never edit, add a migration.
import { sql, type Kysely } from 'kysely'

const now = sql`clock_timestamp()`
const emptyJson = sql`'{}'::jsonb`

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('customers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('email', 'varchar(320)', (c) => c.check(sql`email = lower(email)`))
    .addColumn('external_id', 'varchar(255)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .execute()
  await db.schema.createIndex('idx_customers_email').unique().on('customers').column('email').execute()
  await db.schema.createIndex('idx_customers_external_id').unique().on('customers').column('external_id').execute()

  // Erasing a customer deletes its sessions explicitly; set null only guards against a customer row removed alone.
  await db.schema.alterTable('sessions')
    .addColumn('customer_id', 'uuid', (c) => c.references('customers.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('idx_sessions_customer_id').on('sessions').column('customer_id')
    .where(sql.ref('customer_id'), 'is not', null).execute()

  await db.schema.alterTable('profiles')
    .addColumn('customer_id', 'uuid', (c) => c.references('customers.id').onDelete('cascade'))
    .execute()
  await db.schema.alterTable('profiles').alterColumn('session_id', (c) => c.dropNotNull()).execute()
  await db.schema.alterTable('profiles')
    .addCheckConstraint('profiles_one_owner', sql`num_nonnulls(session_id, customer_id) = 1`).execute()
  await db.schema.createIndex('idx_profiles_customer_id').unique().on('profiles').column('customer_id').execute()

  await db.schema.createTable('identity_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('method', 'varchar(16)', (c) => c.notNull().check(sql`method in ('email_code', 'host_token', 'operator')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('undone_at', 'timestamptz')
    // What the link changed (the session's email and anonymity before, the merge's profile changes): undo reads it.
    .addColumn('changes', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(emptyJson))
    .execute()
  // At most one live link per session; undone links stay as history.
  await db.schema.createIndex('idx_identity_links_live_session').unique().on('identity_links').column('session_id')
    .where(sql.ref('undone_at'), 'is', null).execute()
  await db.schema.createIndex('idx_identity_links_customer').on('identity_links').columns(['customer_id', 'created_at']).execute()
  await db.schema.createIndex('idx_identity_links_created').on('identity_links').columns(['created_at', 'id']).execute()

  await db.schema.createTable('email_verifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('pending')
      .check(sql`status in ('pending', 'consumed', 'void', 'superseded')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('consumed_at', 'timestamptz')
    .execute()
  // The session's newest code, and the hourly limits per session and per address.
  await db.schema.createIndex('idx_email_verifications_session').on('email_verifications').columns(['session_id', 'created_at']).execute()
  await db.schema.createIndex('idx_email_verifications_email').on('email_verifications').columns(['email', 'created_at']).execute()

  await db.schema.createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.references('sessions.id').onDelete('cascade'))
    .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(300)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('transport', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().check(sql`status in ('stored', 'sending', 'sent', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('idx_outbox_created').on('outbox').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('idx_outbox_recipient').on('outbox').column('recipient').execute()
  await db.schema.createIndex('idx_outbox_session').on('outbox').column('session_id').execute()

  // Collisions get an outcome: merged (into which customer) or dismissed, and when.
  await db.schema.alterTable('email_collisions')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('customer_id', 'uuid', (c) => c.references('customers.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('idx_email_collisions_status').on('email_collisions').columns(['status', 'detected_at']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('idx_email_collisions_status').execute()
  await db.schema.alterTable('email_collisions').dropColumn('customer_id').dropColumn('resolved_at').execute()
  await db.schema.dropTable('outbox').execute()
  await db.schema.dropTable('email_verifications').execute()
  await db.schema.dropTable('identity_links').execute()
  // Customers' profiles have no session to go back to.
  await db.deleteFrom('profiles').where('session_id', 'is', null).execute()
  await db.schema.dropIndex('idx_profiles_customer_id').execute()
  await db.schema.alterTable('profiles').dropConstraint('profiles_one_owner').execute()
  await db.schema.alterTable('profiles').dropColumn('customer_id').execute()
  await db.schema.alterTable('profiles').alterColumn('session_id', (c) => c.setNotNull()).execute()
  await db.schema.alterTable('sessions').dropColumn('customer_id').execute()
  await db.schema.dropTable('customers').execute()
}
