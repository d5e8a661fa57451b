// The profile repository's update: one transaction that creates and row-locks the profile, so updates queue.
import t from 'tap'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { createProfileRepository, type ProfileChange } from '../../../db/repositories/profiles.ts'
import type { DB, ProfileValues } from '../../../db/types.ts'
import { uuidv7 } from '../../../db/uuid7.ts'
import { openDb, testDatabase } from '../../helpers/db.ts'
import { eventually } from '../../helpers/eventually.ts'

async function newSession (db: Kysely<DB>): Promise<string> {
  const id = uuidv7()
  await db.insertInto('sessions').values({ id, session_key: `key-${id}`, email: null }).execute()
  return id
}

const context = (sessionId: string) => ({ sessionId, messageId: null, extractor: 'test' })

/** A merge that sets one scalar, recording the values it was given. */
function setScalar (field: 'customer_name' | 'phone' | 'address_zip', value: string, seen: ProfileValues[] = []) {
  return (current: ProfileValues) => {
    seen.push(current)
    const change: ProfileChange = { field, oldValue: current[field], newValue: value, confidence: 0.9 }
    return { next: { ...current, [field]: value }, changes: [change] }
  }
}

t.test('concurrent first updates of a session create one profile and lose no value', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const profiles = createProfileRepository(db)
  const sessionId = await newSession(db)
  const products = Array.from({ length: 20 }, (_, i) => `product ${i}`)
  await Promise.all(products.map((product) => profiles.update(context(sessionId), (current) => ({
    next: { ...current, products_of_interest: [...current.products_of_interest, product] },
    changes: [{ field: 'products_of_interest', oldValue: current.products_of_interest, newValue: [product], confidence: 0.9 }]
  }))))
  const rows = await db.selectFrom('profiles').selectAll().where('session_id', '=', sessionId).execute()
  t.equal(rows.length, 1)
  t.same([...rows[0]!.products_of_interest].sort(), [...products].sort())
  t.equal((await profiles.provenance(sessionId)).length, products.length, 'one provenance row per update')
})

t.test('an update waits for the row lock and merges onto the values committed meanwhile', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const profiles = createProfileRepository(db)
  const sessionId = await newSession(db)
  await profiles.update(context(sessionId), setScalar('customer_name', 'Dana Reyes'))

  let release = () => {}
  const released = new Promise<void>((resolve) => { release = resolve })
  let holding = () => {}
  const held = new Promise<void>((resolve) => { holding = resolve })
  // A bare lock first (an insert's unique check would wait for a row being updated, not for one merely locked),
  // then a write the waiting update must see.
  const holder = db.transaction().execute(async (trx) => {
    await trx.selectFrom('profiles').select('id').where('session_id', '=', sessionId).forUpdate().execute()
    holding()
    await released
    await trx.updateTable('profiles').set({ address_zip: '62704' }).where('session_id', '=', sessionId).execute()
  })
  await held

  const seen: ProfileValues[] = []
  const update = profiles.update(context(sessionId), setScalar('phone', '+14155550134', seen))
  try {
    await eventually(async () => {
      const { rows } = await sql<{ waiting: number }>`select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "profiles"%'`.execute(db)
      return rows[0]!.waiting === 1
    }, 2000)
    t.equal(seen.length, 0, 'merge has not run while the lock is held')
  } finally {
    release()
    await holder
  }
  const { profile } = await update
  t.equal(seen.length, 1)
  t.equal(seen[0]!.address_zip, '62704', 'merge saw the value committed while it waited')
  t.match(profile, { customer_name: 'Dana Reyes', address_zip: '62704', phone: '+14155550134' })
})

t.test('an update that changes nothing writes no value, no updated_at and no provenance', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const profiles = createProfileRepository(db)
  const sessionId = await newSession(db)
  const first = await profiles.update(context(sessionId), setScalar('customer_name', 'Dana Reyes'))
  const again = await profiles.update(context(sessionId), (current) => ({ next: current, changes: [] }))
  t.equal(again.profile.id, first.profile.id, 'the same profile')
  t.same(again.profile.updated_at, first.profile.updated_at)
  t.equal(again.profile.customer_name, 'Dana Reyes')
  t.equal((await profiles.provenance(sessionId)).length, 1)
})

t.test('update runs under forced generic plans, as named prepared statements will (no bound index predicate: 42P10)', async (t) => {
  const { url } = await testDatabase(t)
  // Forced generic plans apply to every extended-protocol statement, so a bound value in an ON CONFLICT index
  // predicate fails here on the first run instead of on a prepared statement's sixth.
  const pool = new pg.Pool({ connectionString: url, max: 2, options: '-c plan_cache_mode=force_generic_plan' })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  t.teardown(() => db.destroy())
  const profiles = createProfileRepository(db)
  const [first, second] = [await newSession(db), await newSession(db)]
  const email = (current: ProfileValues) => ({
    next: { ...current, email: 'dana@example.com' },
    changes: [{ field: 'email' as const, oldValue: current.email, newValue: 'dana@example.com', confidence: 0.9 }]
  })
  await profiles.update(context(first), email)
  const { collisions } = await profiles.update(context(second), email)
  await profiles.update(context(second), setScalar('customer_name', 'Dana Reyes'))
  t.equal(collisions.length, 1, 'the email collision was recorded')
  t.equal((await profiles.findBySession(second))?.customer_name, 'Dana Reyes')
})
