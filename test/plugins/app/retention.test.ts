// retention.idle_days: the server purges idle sessions itself, one instance at a time (a Postgres advisory lock).
import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp } from '../../helpers/app.ts'
import { visitor } from '../../helpers/chat-app.ts'

const PURGE_LOCK_KEY = 0x5a1e_0001

t.test('purgeNow erases the sessions idle longer than retention.idle_days, and logs counts only', async (t) => {
  const { app, db, logs } = await buildTestApp(t, { config: { retention: { idle_days: 30 } } })
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const v = visitor(app)
    ids.push((await v.session()).session_id)
    await v.post(`message ${i}`)
  }
  await db.updateTable('sessions').set({ last_activity_at: sql<Date>`now() - interval '31 days'` }).where('id', 'in', ids.slice(0, 2)).execute()
  t.equal(await app.retention.purgeNow(), 2)
  const left = await db.selectFrom('sessions').select('id').execute()
  t.same(left.map((r) => r.id), [ids[2]])
  t.equal((await db.selectFrom('messages').select('id').where('session_id', 'in', ids.slice(0, 2)).execute()).length, 0, 'their messages went with them')
  t.ok(logs.some((line) => line.includes('"event":"sessions.purged"') && line.includes('"sessions":2')))
  t.notOk(logs.some((line) => line.includes('sessions.purged') && ids.some((id) => line.includes(id))), 'no session id in the log')
})

t.test('two instances: while one holds the purge lock, the other skips; then it purges', async (t) => {
  const first = await buildTestApp(t, { config: { retention: { idle_days: 30 } } })
  const second = await buildTestApp(t, { databaseUrl: first.databaseUrl, config: { retention: { idle_days: 30 } } })
  const v = visitor(first.app)
  const { session_id: id } = await v.session()
  await first.db.updateTable('sessions').set({ last_activity_at: sql<Date>`now() - interval '40 days'` }).where('id', '=', id).execute()

  // Another instance's purge in progress: the lock held on a connection of its own.
  await first.db.connection().execute(async (holder) => {
    await sql`select pg_advisory_lock(${PURGE_LOCK_KEY})`.execute(holder)
    t.equal(await second.app.retention.purgeNow(), null, 'skipped: one instance purges at a time')
    t.ok(await first.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst(), 'nothing erased')
    await sql`select pg_advisory_unlock(${PURGE_LOCK_KEY})`.execute(holder)
  })
  const [a, b] = await Promise.all([first.app.retention.purgeNow(), second.app.retention.purgeNow()])
  t.same([a, b].filter((n) => n !== null).reduce((sum, n) => sum! + n!, 0), 1, 'the session is erased once')
})

t.test('retention.idle_days: null (the default) purges nothing', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { session_id: id } = await visitor(app).session()
  await db.updateTable('sessions').set({ last_activity_at: sql<Date>`now() - interval '400 days'` }).where('id', '=', id).execute()
  t.equal(await app.retention.purgeNow(), null)
  t.ok(await db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst())
})
