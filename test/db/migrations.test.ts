import { readdirSync } from 'node:fs'
import t from 'tap'
import { sql } from 'kysely'
import { MIGRATIONS_DIR, migrateDownAll, migrateToLatest } from '../../db/migrate.ts'
import { createDatabase, openDb } from '../helpers/db.ts'
import { withClient } from '../helpers/postgres-server.ts'

const TABLES = ['sessions', 'messages', 'llm_requests', 'profiles', 'email_collisions', 'profile_updates',
  'customers', 'identity_links', 'email_verifications', 'outbox', 'llm_usage_daily', 'llm_latency_daily', 'llm_session_daily']
/** The console's daily books: keyed by day (and model, purpose), not by a UUID. */
const BOOKS = ['llm_usage_daily', 'llm_latency_daily', 'llm_session_daily']
const MIGRATION_COUNT = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).length

t.test('migrations go up, down to nothing, and up again on an empty database', async (t) => {
  const database = await createDatabase('salient_empty')
  t.teardown(database.drop)
  // createDatabase copies the migrated template; start from an empty schema instead
  await withClient(database.url, (c) => c.query('drop schema public cascade; create schema public'))
  const db = openDb(t, database.url)
  const tables = async () => (await sql<{ table_name: string }>`select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(db)).rows.map((r) => r.table_name)

  t.same(await tables(), [])
  const applied = await migrateToLatest(db)
  t.equal(applied.length, MIGRATION_COUNT)
  t.same(await tables(), [...TABLES].sort())
  // A customer's profile has no session: down must still restore profiles.session_id NOT NULL.
  const customer = await db.insertInto('customers').values({ id: crypto.randomUUID(), email: 'dana@example.com' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('profiles').values({ id: crypto.randomUUID(), customer_id: customer.id }).execute()
  await migrateDownAll(db)
  t.same(await tables(), [])
  await migrateToLatest(db)
  t.same(await tables(), [...TABLES].sort())
})

t.test('every column has the type, nullability and default the SPEC gives', async (t) => {
  const database = await createDatabase()
  t.teardown(database.drop)
  const db = openDb(t, database.url)
  const { rows } = await sql<{ table_name: string, column_name: string, data_type: string, is_nullable: string, column_default: string | null }>`
    select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
    where table_schema = 'public' and table_name = any(${TABLES}) order by table_name, ordinal_position`.execute(db)
  const columns = Object.fromEntries(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]))
  const expect = (key: string, type: string, nullable: boolean, defaultPattern?: RegExp) => {
    const column = columns[key]
    t.ok(column, `${key} exists`)
    if (!column) return
    t.equal(column.data_type, type, `${key} is ${type}`)
    t.equal(column.is_nullable, nullable ? 'YES' : 'NO', `${key} ${nullable ? 'nullable' : 'not null'}`)
    if (defaultPattern) t.match(column.column_default ?? '', defaultPattern, `${key} default`)
  }
  const uuid = 'uuid'
  const tz = 'timestamp with time zone'
  const clock = /clock_timestamp\(\)/
  const emptyJson = /'\{\}'::jsonb/
  for (const table of TABLES.filter((name) => !BOOKS.includes(name))) expect(`${table}.id`, uuid, false)
  expect('llm_usage_daily.day', 'date', false)
  expect('llm_usage_daily.cost', 'numeric', false)
  expect('llm_latency_daily.day', 'date', false)
  expect('sessions.session_key', 'character varying', false)
  expect('sessions.email', 'character varying', true)
  expect('sessions.is_anonymous', 'boolean', false, /true/)
  expect('sessions.created_at', tz, false, clock)
  expect('sessions.last_activity_at', tz, false, clock)
  expect('sessions.metadata', 'jsonb', false, emptyJson)
  expect('messages.session_id', uuid, false)
  expect('messages.role', 'character varying', false)
  expect('messages.content', 'text', false)
  expect('messages.metadata', 'jsonb', false, emptyJson)
  expect('messages.created_at', tz, false, clock)
  expect('llm_requests.session_id', uuid, false)
  expect('llm_requests.provider', 'character varying', false)
  expect('llm_requests.model', 'character varying', false)
  expect('llm_requests.request_body', 'jsonb', false, emptyJson)
  expect('llm_requests.response_body', 'jsonb', false, emptyJson)
  for (const c of ['prompt_tokens', 'completion_tokens', 'total_tokens']) expect(`llm_requests.${c}`, 'integer', false)
  for (const c of ['unit_cost_prompt', 'unit_cost_completion', 'computed_cost']) expect(`llm_requests.${c}`, 'numeric', true)
  expect('llm_requests.latency_ms', 'integer', true)
  expect('llm_requests.created_at', tz, false, clock)
  expect('profiles.session_id', uuid, true) // a customer's profile has customer_id instead (SPEC §10)
  expect('profiles.customer_id', uuid, true)
  expect('sessions.customer_id', uuid, true)
  expect('customers.email', 'character varying', true)
  expect('customers.external_id', 'character varying', true)
  expect('identity_links.undone_at', tz, true)
  expect('identity_links.changes', 'jsonb', false, emptyJson)
  expect('email_verifications.code_hash', 'character varying', false)
  expect('email_verifications.expires_at', tz, false)
  expect('email_verifications.attempts', 'integer', false, /0/)
  expect('outbox.body', 'text', false)
  expect('outbox.status', 'character varying', false)
  for (const c of ['customer_name', 'phone', 'email', 'address_street', 'address_city', 'address_state', 'address_zip']) {
    expect(`profiles.${c}`, 'character varying', true)
  }
  expect('profiles.products_of_interest', 'ARRAY', false, /'\{\}'::text\[\]/)
  expect('profiles.services_of_interest', 'ARRAY', false, /'\{\}'::text\[\]/)
  expect('profiles.preferences', 'jsonb', false, emptyJson)
  expect('profiles.updated_at', tz, false, clock)
  expect('email_collisions.email', 'character varying', false)
  expect('email_collisions.session_id', uuid, false)
  expect('email_collisions.other_session_id', uuid, false)
  expect('email_collisions.status', 'character varying', false, /open/)
  expect('email_collisions.detected_at', tz, false, clock)
  expect('email_collisions.metadata', 'jsonb', false, emptyJson)
  for (const c of ['profile_id', 'session_id']) expect(`profile_updates.${c}`, uuid, false)
  expect('profile_updates.message_id', uuid, true)
  expect('profile_updates.field', 'character varying', false)
  expect('profile_updates.old_value', 'jsonb', true)
  expect('profile_updates.new_value', 'jsonb', true)
  expect('profile_updates.extractor', 'character varying', false)
  expect('profile_updates.confidence', 'numeric', false)
  expect('profile_updates.created_at', tz, false, clock)
})

t.test('the indices, constraints and cascades exist', async (t) => {
  const database = await createDatabase()
  t.teardown(database.drop)
  const db = openDb(t, database.url)
  const { rows } = await sql<{ indexname: string, indexdef: string }>`select indexname, indexdef from pg_indexes where schemaname = 'public'`.execute(db)
  const index = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]))
  t.match(index.idx_sessions_session_key, /UNIQUE INDEX .* ON public\.sessions USING btree \(session_key\)/)
  t.match(index.idx_sessions_email, /ON public\.sessions USING btree \(email\) WHERE \(email IS NOT NULL\)/)
  t.match(index.idx_messages_session_created, /ON public\.messages USING btree \(session_id, created_at, id\)/)
  t.match(index.idx_llm_requests_session_created, /ON public\.llm_requests USING btree \(session_id, created_at\)/)
  t.match(index.idx_profiles_session_id, /UNIQUE INDEX .* ON public\.profiles USING btree \(session_id\)/)
  t.match(index.idx_profiles_email, /ON public\.profiles USING btree \(email\) WHERE \(email IS NOT NULL\)/)
  t.match(index.idx_messages_client_message_id, /UNIQUE INDEX .*\(session_id, \(\(metadata ->> 'client_message_id'::text\)\)\) WHERE/)
  t.match(index.idx_email_collisions_unique, /UNIQUE INDEX .*\(email, session_id, other_session_id\)/)

  const { rows: fks } = await sql<{ conname: string, confdeltype: string }>`select conname, confdeltype from pg_constraint where contype = 'f'`.execute(db)
  // Kept when their target goes: a message's provenance rows, and a session or collision whose customer is erased
  // (erasing a customer deletes its sessions explicitly).
  const setNull = ['profile_updates_message_id_fkey', 'sessions_customer_id_fkey', 'email_collisions_customer_id_fkey']
  for (const name of setNull) t.equal(fks.find((f) => f.conname === name)?.confdeltype, 'n', `${name} sets null`)
  const cascades = fks.filter((f) => !setNull.includes(f.conname))
  t.ok(cascades.length >= 7)
  for (const fk of cascades) t.equal(fk.confdeltype, 'c', `${fk.conname} cascades`)

  const session = await db.insertInto('sessions').values({ id: crypto.randomUUID(), session_key: 'k' }).returning('id').executeTakeFirstOrThrow()
  await t.rejects(db.insertInto('messages').values({ id: crypto.randomUUID(), session_id: session.id, role: 'robot' as 'human', content: 'x' }).execute(),
    /messages_role_check/, 'role is checked')
  await t.rejects(db.insertInto('sessions').values({ id: crypto.randomUUID(), session_key: 'k' }).execute(), /idx_sessions_session_key/, 'session_key unique')
  const other = await db.insertInto('sessions').values({ id: crypto.randomUUID(), session_key: 'k2' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('email_collisions').values({ id: crypto.randomUUID(), email: 'a@b.c', session_id: session.id, other_session_id: other.id }).execute()
  await t.rejects(db.insertInto('email_collisions').values({ id: crypto.randomUUID(), email: 'a@b.c', session_id: other.id, other_session_id: session.id }).execute(),
    /idx_email_collisions_pair/, 'one collision row per unordered pair')
  await t.rejects(db.insertInto('email_collisions').values({ id: crypto.randomUUID(), email: 'a@b.c', session_id: session.id, other_session_id: session.id, status: 'open' }).execute(),
    /distinct_sessions/)

  const customer = await db.insertInto('customers').values({ id: crypto.randomUUID(), email: 'dana@example.com' }).returning('id').executeTakeFirstOrThrow()
  await t.rejects(db.insertInto('customers').values({ id: crypto.randomUUID(), email: 'Dana@example.com' }).execute(), /customers_email_check/, 'customer emails are lower-cased')
  await t.rejects(db.insertInto('profiles').values({ id: crypto.randomUUID(), session_id: session.id, customer_id: customer.id }).execute(),
    /profiles_one_owner/, 'a profile belongs to a session or a customer, not both')
  await t.rejects(db.insertInto('profiles').values({ id: crypto.randomUUID() }).execute(), /profiles_one_owner/, 'nor to nobody')
  const link = { customer_id: customer.id, session_id: session.id, method: 'email_code' as const }
  await db.insertInto('identity_links').values({ id: crypto.randomUUID(), ...link }).execute()
  await t.rejects(db.insertInto('identity_links').values({ id: crypto.randomUUID(), ...link }).execute(),
    /idx_identity_links_live_session/, 'one live link per session')
})
