// Connections killed with pg_terminate_backend (on this test's own database only): mid-statement, between statements
// of a transaction, while streams wait on the LLM, and at random under mixed load. The server never crashes or
// hangs, answers 200 or a 503 JSON error, and every turn it acknowledged is stored.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import pg from 'pg'
import { sql } from 'kysely'
import { buildChatApp, visitor } from '../helpers/chat-app.ts'
import { isDatabaseUnavailable } from '../../plugins/infrastructure/errors/error-classes.ts'
import { uuidv7 } from '../../db/uuid7.ts'

const KILL = 'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'

async function killer (t: { teardown: (fn: () => unknown) => void }, url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  t.teardown(() => client.end())
  return {
    async killAll (): Promise<number> { return (await client.query<{ n: number }>(KILL)).rows[0]!.n },
    async kill (pid: number): Promise<void> { await client.query('select pg_terminate_backend($1)', [pid]) },
    /** The backend running a statement that contains `marker`, once it shows up in pg_stat_activity. */
    async runningPid (marker: string): Promise<number> {
      for (;;) {
        const { rows } = await client.query<{ pid: number }>(
          "select pid from pg_stat_activity where datname = current_database() and state = 'active' and query like $1 and pid <> pg_backend_pid()", [`%${marker}%`])
        if (rows[0]) return rows[0].pid
        await sleep(5)
      }
    }
  }
}

t.test('a read killed mid-statement is run again on a new connection; a write is never repeated blindly', async (t) => {
  const { app, databaseUrl, logs } = await buildChatApp(t)
  const k = await killer(t, databaseUrl)

  const read = app.db.selectNoFrom(sql<number>`(select 42 from pg_sleep(0.4) as read_marker)`.as('answer')).executeTakeFirstOrThrow()
  await k.kill(await k.runningPid('read_marker'))
  t.same(await read, { answer: 42 }, 'the read succeeded after its connection was killed')
  t.ok(logs.some((l) => l.includes('"event":"db.retry"') && l.includes('57P01')), 'the retry is logged')

  const id = uuidv7()
  const write = app.db.insertInto('sessions')
    .values({ id, session_key: sql<string>`(select 'k' || ${id}::text from pg_sleep(0.4) as write_marker)` })
    .execute()
    .then(() => null, (e: unknown) => e) // handled at once: it may fail before the kill below returns
  await k.kill(await k.runningPid('write_marker'))
  const err = await write
  t.ok(err && isDatabaseUnavailable(err), 'the write fails as database_unavailable (a 503 on a route)')
  const count = await app.db.selectFrom('sessions').select(app.db.fn.countAll<number>().as('n')).where('id', '=', id).executeTakeFirstOrThrow()
  t.equal(Number(count.n), 0, 'and was not repeated behind the caller\'s back')
})

t.test('a connection killed between the statements of a transaction does not crash the server', async (t) => {
  const { app, databaseUrl } = await buildChatApp(t)
  const k = await killer(t, databaseUrl)
  const outcome = app.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
    await k.kill(rows[0]!.pid)
    await sleep(200) // the FATAL arrives while the client is checked out and idle: no pool listener is attached
    await sql`select 1`.execute(trx)
  }).then(() => null, (e: unknown) => e)
  const err = await outcome
  t.ok(err && isDatabaseUnavailable(err), 'the transaction fails as database_unavailable')
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 200, 'still up, and the pool recovered')
})

t.test('streams waiting on the LLM hold no connection, and survive every connection being killed', async (t) => {
  const { app, db, fake, databaseUrl } = await buildChatApp(t, { config: { database: { pool_size: 3 } } })
  const k = await killer(t, databaseUrl)
  fake.setDefault({ firstTokenDelayMs: 300, deltas: 4, interChunkDelayMs: 50 })
  const visitors = Array.from({ length: 8 }, () => visitor(app))
  const streams = visitors.map((v, i) => v.stream(`hello ${i}`))
  await fake.waitFor(() => fake.stats.streamsStarted === visitors.length, 5000)
  const pool = app.pg.pool
  t.equal(pool.totalCount - pool.idleCount, 0, 'no connection is checked out while the LLM streams')
  t.ok(await k.killAll() >= 1, 'the idle connections were killed')
  const results = await Promise.all(streams)
  for (const [i, r] of results.entries()) {
    t.equal(r.res.statusCode, 200)
    t.ok(r.end, `stream ${i} ended normally`)
    t.match(r.text, new RegExp(`^Echo: hello ${i}\\b`))
  }
  const stored = await db.selectFrom('messages').select(['role', 'content']).execute()
  t.equal(stored.filter((m) => m.role === 'human').length, visitors.length)
  t.equal(stored.filter((m) => m.role === 'assistant').length, visitors.length, 'every reply was saved on a new connection')
})

t.test('mixed load while connections are killed at random: only 200 or 503 JSON, no hang, every acknowledged turn stored', async (t) => {
  const { app, db, fake, databaseUrl, logs } = await buildChatApp(t, { config: { database: { pool_size: 4, pool_timeout_ms: 3000 } } })
  const k = await killer(t, databaseUrl)
  fake.setDefault({ deltas: 3, interChunkDelayMs: 5 })
  const stopKilling = new AbortController()
  let kills = 0
  const killing = (async () => {
    while (!stopKilling.signal.aborted) {
      kills += await k.killAll()
      await sleep(5 + Math.random() * 25)
    }
  })()

  const statuses = new Map<number, number>()
  const acknowledged: Array<{ human?: string, reply: string }> = []
  const slowest = { ms: 0 }
  const timed = async <T>(fn: () => Promise<T>) => {
    const started = Date.now()
    const value = await fn()
    slowest.ms = Math.max(slowest.ms, Date.now() - started)
    return value
  }
  const record = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)
  const bad: string[] = []
  const check503 = (res: { statusCode: number, body: string }) => {
    if (res.statusCode === 200) return
    if (res.statusCode !== 503 || JSON.parse(res.body).error?.code !== 'database_unavailable') bad.push(`${res.statusCode} ${res.body.slice(0, 200)}`)
  }
  // At least 3 s of load and 25 acknowledged turns, however busy the machine (at most 30 s).
  const started = Date.now()
  const keepGoing = () => Date.now() - started < 30_000 && (Date.now() - started < 3000 || acknowledged.length < 25)
  await Promise.all(Array.from({ length: 12 }, async (_, i) => {
    const v = visitor(app)
    for (let n = 0; keepGoing(); n++) {
      const session = await timed(() => v.request({ url: '/api/session' }))
      record(session.statusCode)
      check503(session)
      const posted = await timed(() => v.post(`turn ${i}.${n}`, { client_message_id: randomUUID() }))
      record(posted.statusCode)
      check503(posted)
      if (posted.statusCode === 200) acknowledged.push({ human: posted.json().human_message_id, reply: posted.json().message_id })
      const streamed = await timed(() => v.stream(`stream ${i}.${n}`))
      record(streamed.res.statusCode)
      check503(streamed.res)
      if (streamed.res.statusCode === 200) {
        if (!streamed.end) bad.push(`acknowledged stream without end: ${streamed.res.body.slice(-200)}`)
        else acknowledged.push({ reply: streamed.end.message_id })
      }
      const history = await timed(() => v.request({ url: '/api/session/messages' }))
      record(history.statusCode)
      check503(history)
    }
  }))
  stopKilling.abort()
  await killing

  t.comment(`killed ${kills} connections; responses ${JSON.stringify(Object.fromEntries(statuses))}; slowest ${slowest.ms} ms; ` +
    `${logs.filter((l) => l.includes('"db.retry"')).length} statement retries, ${logs.filter((l) => l.includes('chat.turn_save_retry')).length} reply-save retries`)
  const causes = new Map<string, number>()
  for (const line of logs.filter((l) => l.includes('"db.unavailable"'))) {
    const { err } = JSON.parse(line) as { err: { code?: string, message: string } }
    const cause = `${err.code ?? ''} ${err.message.slice(0, 60)}`
    causes.set(cause, (causes.get(cause) ?? 0) + 1)
  }
  t.comment(`503 causes: ${JSON.stringify(Object.fromEntries(causes))}`)
  t.ok(kills > 20, 'connections were killed throughout')
  t.same(bad, [], 'every answer was 200 or a 503 database_unavailable, every acknowledged stream ended')
  // A hang, not a slow answer: a request outliving every bound the server sets (statement 5 s, pool wait, retries).
  t.ok(slowest.ms < 25_000, 'nothing hung')
  t.ok(acknowledged.length > 20, `${acknowledged.length} turns acknowledged`)
  const ids = acknowledged.flatMap((a) => [a.reply, ...(a.human ? [a.human] : [])])
  const found = await db.selectFrom('messages').select('id').where('id', 'in', ids).execute()
  t.equal(found.length, ids.length, 'every acknowledged turn is stored')
  const twice = await sql<{ reply_to: string }>`select metadata->>'reply_to' as reply_to from messages where role = 'assistant'
    group by 1 having count(*) > 1`.execute(db)
  t.same(twice.rows, [], 'no reply was written twice by a retry')
  const rowsTwice = await sql<{ human: string }>`select request_body->'metadata'->>'human_message_id' as human from llm_requests
    group by 1 having count(*) > 1`.execute(db)
  t.same(rowsTwice.rows, [], 'no llm_requests row was written twice by a retry')
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 200, 'healthy again once the killing stops')
})
