// The profile a session sees (SPEC §10): its own while anonymous, its customer's once linked; facts follow it.
import t from 'tap'
import { sql, type Kysely } from 'kysely'
import { createProfileRepository, effectiveProfileQuery } from '../../../db/repositories/profiles.ts'
import type { DB, ProfileValues } from '../../../db/types.ts'
import { uuidv7 } from '../../../db/uuid7.ts'
import { openDb, testDatabase } from '../../helpers/db.ts'

async function newSession (db: Kysely<DB>): Promise<string> {
  const id = uuidv7()
  await db.insertInto('sessions').values({ id, session_key: `key-${id}` }).execute()
  return id
}

const setName = (value: string) => (current: ProfileValues) => ({
  next: { ...current, customer_name: value },
  changes: [{ field: 'customer_name' as const, oldValue: current.customer_name, newValue: value, confidence: 0.9 }]
})

t.test('an anonymous session sees its own profile; a linked one its customer\'s, and new facts go there', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const profiles = createProfileRepository(db)
  const sessionId = await newSession(db)
  t.equal(await profiles.effective(sessionId), null, 'no profile yet')
  await profiles.update({ sessionId, messageId: null, extractor: 'test' }, setName('Dana Reyes'))
  t.equal((await profiles.effective(sessionId))?.customer_name, 'Dana Reyes')

  const customerId = uuidv7()
  await db.insertInto('customers').values({ id: customerId, email: 'dana@example.com' }).execute()
  await db.updateTable('sessions').set({ customer_id: customerId }).where('id', '=', sessionId).execute()
  t.equal(await profiles.effective(sessionId), null, 'linked: the customer has no profile yet, the own one is not shown')

  await profiles.update({ sessionId, messageId: null, extractor: 'test' }, setName('Dana R. Reyes'))
  const seen = await profiles.effective(sessionId)
  t.equal(seen?.customer_id, customerId, 'the fact went to the customer\'s profile')
  t.equal(seen?.customer_name, 'Dana R. Reyes')
  t.equal((await profiles.findBySession(sessionId))?.customer_name, 'Dana Reyes', 'the session\'s own profile is kept')
  const rows = await db.selectFrom('profile_updates').selectAll().where('profile_id', '=', seen!.id).execute()
  t.same(rows.map((r) => r.session_id), [sessionId], 'provenance names the session the fact was learned in')

  await db.updateTable('sessions').set({ customer_id: null }).where('id', '=', sessionId).execute()
  t.equal((await profiles.effective(sessionId))?.customer_name, 'Dana Reyes', 'unlinked: its own profile again')
})

t.test('the resolver reads by index, not by scanning profiles', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const profiles = createProfileRepository(db)
  const sessionId = await newSession(db)
  // Enough rows that a sequential scan would be a real choice for the planner.
  await sql`insert into sessions (id, session_key) select gen_random_uuid(), 'k' || g from generate_series(1, 5000) g`.execute(db)
  await sql`insert into profiles (id, session_id) select gen_random_uuid(), id from sessions`.execute(db)
  await sql`analyze sessions`.execute(db)
  await sql`analyze profiles`.execute(db)
  const compiled = effectiveProfileQuery(db, sessionId).compile()
  const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}` })
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n')
  t.notMatch(text, /Seq Scan on profiles/, text)
  t.equal((await profiles.effective(sessionId))?.session_id, sessionId)
})
