// Postgres stopped and restarted under load. This file runs its OWN Postgres (embedded, in a temp folder, on a random
// port) and stops that one: the shared server on 5432 serves every other test and is never touched.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { migrateDatabase } from '../helpers/db.ts'
import { buildChatApp, visitor } from '../helpers/chat-app.ts'
import { startOwnPostgres } from '../helpers/own-postgres.ts'

const postgres = await startOwnPostgres(t, 'outage')
const url = postgres.url
await migrateDatabase(url)
const stopPostgres = () => postgres.stop()
const startPostgres = () => postgres.start()

const POOL_TIMEOUT_MS = 1000
const config = { database: { pool_size: 4, pool_timeout_ms: POOL_TIMEOUT_MS, statement_timeout_ms: 2000 } }

async function until<T> (fn: () => Promise<T | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value !== false) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(100)
  }
}

t.test('Postgres stops mid-stream: quick 503s and a degraded /health during the outage, then every acknowledged reply is saved', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { databaseUrl: url, config })
  fake.setDefault({ firstTokenDelayMs: 100, deltas: 6, interChunkDelayMs: 100 })
  const visitors = Array.from({ length: 5 }, () => visitor(app))
  for (const v of visitors) t.equal((await v.request({ url: '/api/session' })).statusCode, 200)
  const streams = visitors.map((v, i) => v.stream(`before the outage ${i}`))
  await fake.waitFor(() => fake.stats.streamsStarted === visitors.length, 5000) // every human message is committed

  await stopPostgres()
  const probes = [
    () => visitors[0]!.request({ url: '/api/session' }),
    () => visitor(app).request({ url: '/api/session' }),
    () => visitors[1]!.post('during the outage'),
    () => visitors[2]!.request({ url: '/api/session/messages' }),
    () => visitors[3]!.request({ url: `/events/stream?message=${encodeURIComponent('during the outage')}` })
  ]
  for (const probe of probes) {
    const started = Date.now()
    const res = await probe()
    const took = Date.now() - started
    t.equal(res.statusCode, 503, `${res.statusCode} during the outage`)
    t.equal(res.json().error.code, 'database_unavailable')
    t.ok(res.headers['retry-after'], 'with Retry-After')
    t.ok(took < POOL_TIMEOUT_MS + 2000, `answered in ${took} ms`)
  }
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 503)
  t.match(health.json(), { status: 'degraded', database: { ok: false } })

  await fake.waitFor(() => fake.stats.streamsCompleted === visitors.length, 5000)
  await sleep(500) // the replies are complete and waiting for the database
  await startPostgres()

  const results = await Promise.all(streams)
  for (const [i, r] of results.entries()) {
    t.equal(r.res.statusCode, 200)
    t.match(r.end, { status: 'complete', message_id: String }, `stream ${i} ended after its reply was saved`)
  }
  const replies = await db.selectFrom('messages').select(['id', 'content']).where('role', '=', 'assistant').execute()
  t.same(new Set(replies.map((r) => r.id)), new Set(results.map((r) => r.end.message_id)), 'every reply is in the database')
  const humans = await db.selectFrom('messages').select('content').where('role', '=', 'human').execute()
  t.equal(humans.filter((h) => h.content.startsWith('before the outage')).length, visitors.length)
  t.notOk(humans.some((h) => h.content === 'during the outage'), 'nothing was half-saved during the outage')

  const recovered = await until(async () => (await app.inject({ url: '/health' })).statusCode === 200, 10_000)
  t.ok(recovered, '/health is ok again without a restart of the server')
  const after = await visitors[0]!.post('after the outage')
  t.equal(after.statusCode, 200, 'and chat works again')
})

t.test('Postgres restarted under continuous load: only 200 or 503 JSON, nothing hangs, every acknowledged turn is stored', async (t) => {
  const { app, db, fake, logs } = await buildChatApp(t, { databaseUrl: url, config })
  fake.setDefault({ deltas: 4, interChunkDelayMs: 40 })
  const acknowledged: string[] = []
  const statuses: Record<number, number> = {}
  const bad: string[] = []
  let slowest = 0
  const stopLoad = new AbortController()
  const load = Array.from({ length: 6 }, async (_, i) => {
    const v = visitor(app)
    for (let n = 0; !stopLoad.signal.aborted; n++) {
      const started = Date.now()
      let res, id: string | undefined
      if (n % 2 === 0) {
        res = await v.post(`load ${i}.${n}`, { client_message_id: randomUUID() })
        if (res.statusCode === 200) id = res.json().message_id
      } else {
        const streamed = await v.stream(`load ${i}.${n}`)
        res = streamed.res
        id = streamed.end?.message_id
      }
      slowest = Math.max(slowest, Date.now() - started)
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
      if (res.statusCode === 200) {
        if (id) acknowledged.push(id)
        else bad.push(`acknowledged without a saved reply: ${res.body.slice(-200)}`)
      } else if (res.statusCode !== 503 || res.json().error.code !== 'database_unavailable') {
        bad.push(`${res.statusCode} ${res.body.slice(0, 200)}`)
      } else {
        await sleep(100)
      }
    }
  })
  await sleep(800)
  await stopPostgres()
  await sleep(1500)
  await startPostgres()
  await sleep(1500)
  stopLoad.abort()
  await Promise.all(load)

  const saveRetries = logs.filter((l) => l.includes('chat.turn_save_retry')).length
  t.comment(`responses ${JSON.stringify(statuses)}, slowest ${slowest} ms, ${acknowledged.length} turns acknowledged, ${saveRetries} reply-save retries`)
  t.same(bad, [], 'every answer was a saved turn or a 503 database_unavailable')
  // Turns caught mid-flight wait for the database to save their replies; requests arriving meanwhile get 503.
  t.ok((statuses[503] ?? 0) + saveRetries > 0, 'the outage was seen')
  t.ok(slowest < 10_000, 'nothing hung')
  const stored = await db.selectFrom('messages').select('id').where('id', 'in', acknowledged).execute()
  t.equal(stored.length, acknowledged.length, `all ${acknowledged.length} acknowledged turns are stored`)
})
