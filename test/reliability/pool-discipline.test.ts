// Pool discipline: with two database connections, fifty slow streams run at once and all persist. If a turn held its
// connection while the LLM streams, at most two could be streaming at any moment.
import t from 'tap'
import { buildChatApp, visitor } from '../helpers/chat-app.ts'

const STREAMS = 50
const STREAM_MS = 3000
const FIRST_TOKEN_MS = 1500 // long enough for all fifty to start before the first finishes, even on a slow machine

t.test(`pool_size 2: ${STREAMS} concurrent slow streams all stream at once, complete and persist`, async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { database: { pool_size: 2, pool_timeout_ms: 20_000 } } })
  fake.setDefault({ firstTokenDelayMs: FIRST_TOKEN_MS, deltas: 6, interChunkDelayMs: (STREAM_MS - FIRST_TOKEN_MS) / 5 })
  const pool = app.pg.pool
  let mostCheckedOut = 0
  let checkedOutWhileAllStream = -1
  const sampler = setInterval(() => {
    const checkedOut = pool.totalCount - pool.idleCount
    mostCheckedOut = Math.max(mostCheckedOut, checkedOut)
    if (fake.stats.streamsStarted === STREAMS && fake.stats.streamsCompleted === 0 && checkedOutWhileAllStream === -1) checkedOutWhileAllStream = checkedOut
  }, 5)
  t.teardown(() => clearInterval(sampler))

  const started = Date.now()
  const results = await Promise.all(Array.from({ length: STREAMS }, (_, i) => visitor(app).stream(`question ${i}`)))
  const took = Date.now() - started
  clearInterval(sampler)

  t.comment(`${STREAMS} streams of ~${STREAM_MS} ms each over 2 connections in ${took} ms; most connections checked out at once: ${mostCheckedOut}`)
  t.ok(fake.stats.streamsStarted === STREAMS, 'every LLM call was made')
  t.equal(checkedOutWhileAllStream, 0, `all ${STREAMS} LLM streams were open at the same moment, with no connection checked out`)
  t.ok(took < STREAM_MS * 4, `they ran side by side (${took} ms; holding a connection each would take over ${STREAM_MS * STREAMS / 2} ms)`)
  for (const [i, r] of results.entries()) {
    if (!r.end) t.fail(`stream ${i}: ${r.res.statusCode} ${r.res.body.slice(0, 200)}`)
  }
  t.equal(results.filter((r) => r.end?.status === 'complete').length, STREAMS, 'every stream ended complete')
  const assistant = await db.selectFrom('messages').select('id').where('role', '=', 'assistant').execute()
  const requests = await db.selectFrom('llm_requests').select('id').execute()
  t.equal(assistant.length, STREAMS, 'every reply is stored')
  t.equal(requests.length, STREAMS, 'with one llm_requests row each')
})
