import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { buildChatApp, visitor } from '../../helpers/chat-app.ts'
import { eventually } from '../../helpers/eventually.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.ts'

const assistantMessages = (db: Kysely<DB>) => db.selectFrom('messages').selectAll().where('role', '=', 'assistant').execute()

t.test('an error mid-stream: event: error, the text so far kept as status error, never the error text', async (t) => {
  const { app, db, fake } = await buildChatApp(t)
  fake.enqueue({ reply: 'one two three four five', failMidStream: { afterDeltas: 2, code: 502, message: 'Provider returned error: upstream died' } })
  const v = visitor(app)
  const { text, error, end } = await v.stream('hello')
  t.equal(end, null)
  t.match(error, { code: 'llm_error', message: /upstream died/, message_id: String })
  t.equal(text, 'one two ')
  const [reply] = await assistantMessages(db)
  t.equal(reply!.content, 'one two ', 'the words received are kept')
  t.equal(reply!.metadata.status, 'error')
  t.notMatch(reply!.content, /died/, 'the error is not saved as the assistant\'s words')
  const rows = await db.selectFrom('llm_requests').selectAll().execute()
  t.equal(rows.length, 1)
  t.match(rows[0]!.response_body, { status: 'error', error: { code: 'llm_stream_error' } })
  t.equal(reply!.metadata.llm_request_id, rows[0]!.id)
})

t.test('an error before the stream: no assistant message, one llm_requests row, 502 for POST /chat', async (t) => {
  const { app, db, fake } = await buildChatApp(t)
  fake.enqueue({ failBefore: { status: 401, message: 'No auth credentials found' } }, { failBefore: { status: 402, message: 'Insufficient credits' } })
  const v = visitor(app)
  const streamed = await v.stream('first')
  t.match(streamed.error, { code: 'llm_error', upstream_code: 'llm_unauthorized', message_id: null })
  const posted = await v.post('second')
  t.equal(posted.statusCode, 502)
  t.equal(posted.json().error.code, 'llm_error')
  t.equal((await assistantMessages(db)).length, 0)
  const humans = await db.selectFrom('messages').selectAll().where('role', '=', 'human').execute()
  t.equal(humans.length, 2, 'the human messages were saved before the LLM was called')
  const rows = await db.selectFrom('llm_requests').selectAll().orderBy('created_at').execute()
  t.equal(rows.length, 2, 'every call leaves a row, failed ones too')
  t.match(rows.map((r) => (r.response_body.error as { code: string }).code), ['llm_unauthorized', 'llm_payment_required'])
})

t.test('a hung upstream times out with llm_timeout and still leaves its row', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { llm: { timeout_ms: 400, max_retries: 0 } } })
  fake.enqueue({ hang: true })
  const v = visitor(app)
  const started = Date.now()
  const { error } = await v.stream('anyone there?')
  t.ok(Date.now() - started < 3000, 'bounded by llm.timeout_ms')
  t.match(error, { code: 'llm_error', upstream_code: 'llm_timeout' })
  const rows = await db.selectFrom('llm_requests').selectAll().execute()
  t.equal(rows.length, 1)
  t.equal(rows[0]!.response_body.status, 'error')
})

t.test('a retry with the same client_message_id stores the message once and replays the reply', async (t) => {
  const { app, db, fake } = await buildChatApp(t)
  const v = visitor(app)
  const first = await v.post('idempotent please', { client_message_id: 'cmid-0001' })
  const second = await v.post('idempotent please', { client_message_id: 'cmid-0001' })
  t.equal(first.statusCode, 200)
  t.equal(second.statusCode, 200)
  t.equal(second.json().message_id, first.json().message_id)
  t.equal(second.json().reply, first.json().reply)
  t.same(second.json().usage, first.json().usage)
  const streamed = await v.stream('idempotent please', 'cmid-0001')
  t.equal(streamed.text, first.json().reply, 'the stream replays it too')
  t.equal(streamed.end.message_id, first.json().message_id)
  t.equal(fake.completions().length, 1, 'one LLM call')
  t.equal((await db.selectFrom('messages').selectAll().execute()).length, 2, 'one human, one assistant message')
})

t.test('a retry while the turn still runs is 409; after a failure it asks the LLM again', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { llm: { max_retries: 0 } } })
  const v = visitor(app)
  await v.session()
  fake.enqueue({ firstTokenDelayMs: 400 })
  const slow = v.post('slow one', { client_message_id: 'cmid-slow-1' })
  await fake.waitFor(() => fake.completions().length === 1)
  const during = await v.post('slow one', { client_message_id: 'cmid-slow-1' })
  t.equal(during.statusCode, 409)
  t.equal(during.json().error.code, 'turn_in_progress')
  t.equal((await slow).statusCode, 200)

  fake.enqueue({ failBefore: { status: 503, message: 'No provider available' } })
  const failed = await v.post('flaky', { client_message_id: 'cmid-flaky-1' })
  t.equal(failed.statusCode, 502)
  const retried = await v.post('flaky', { client_message_id: 'cmid-flaky-1' })
  t.equal(retried.statusCode, 200)
  t.equal(retried.json().reply, 'Echo: flaky')
  const humans = await db.selectFrom('messages').select('content').where('role', '=', 'human').execute()
  t.same(humans.map((h) => h.content).sort(), ['flaky', 'slow one'], 'each human message stored once')
  t.equal(fake.completions().length, 3)

  fake.enqueue({ reply: 'half of a reply', failMidStream: { afterDeltas: 1, code: 'server_error', message: 'cut' } })
  const cut = await v.stream('interrupted', 'cmid-cut-1')
  t.equal(cut.error.code, 'llm_error')
  const again = await v.stream('interrupted', 'cmid-cut-1')
  t.equal(again.text, 'Echo: interrupted', 'a reply cut by an error is asked for anew, not replayed')
  t.equal(again.end.status, 'complete')
  t.equal(fake.completions().length, 5)
})

async function listen (app: Awaited<ReturnType<typeof buildChatApp>>['app']) {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

/** Opens a stream, waits for the first delta, then drops the connection like a closed tab. */
function openAndLeave (port: number, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ port, host: '127.0.0.1', path: `/events/stream?message=${encodeURIComponent(message)}` }, (res) => {
      res.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('data: ')) {
          req.destroy()
          resolve()
        }
      })
    })
    req.on('error', (err) => { if (!req.destroyed) reject(err) })
  })
}

t.test('a visitor who leaves mid-stream: with finish, the reply is read to the end and saved complete', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { llm: { on_client_disconnect: 'finish' } } })
  fake.setDefault({ reply: 'a b c d e f g h i j', interChunkDelayMs: 30 })
  const port = await listen(app)
  await openAndLeave(port, 'leaving early')
  const [reply] = await eventually(async () => { const rows = await assistantMessages(db); return rows.length ? rows : null })
  t.equal(reply!.content, 'a b c d e f g h i j')
  t.equal(reply!.metadata.status, 'complete')
  t.equal(fake.stats.streamsAborted, 0, 'the upstream call was not cut')
})

t.test('a visitor who leaves mid-stream: with abort, the upstream is closed and the partial reply saved', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { llm: { on_client_disconnect: 'abort' } } })
  fake.setDefault({ reply: 'a b c d e f g h i j k l m n o p', interChunkDelayMs: 40, generationNotFound: 1 })
  const port = await listen(app)
  await openAndLeave(port, 'leaving early')
  const [reply] = await eventually(async () => { const rows = await assistantMessages(db); return rows.length ? rows : null })
  t.equal(reply!.metadata.status, 'partial')
  t.ok(reply!.content.length > 0 && reply!.content.length < 'a b c d e f g h i j k l m n o p'.length, 'a prefix of the reply')
  await fake.waitFor(() => fake.stats.streamsAborted === 1)
  t.pass('the fake saw its stream aborted')
  const row = await eventually(async () => {
    const r = await db.selectFrom('llm_requests').selectAll().executeTakeFirst()
    return r?.response_body.cost_source === 'reconciled' ? r : null
  })
  t.equal(row.response_body.usage_estimated, false, 'tokens were estimated, then reconciled from the generation record')
  t.ok(Number(row.computed_cost) > 0)
  t.ok(fake.requests.some((r) => r.path.endsWith('/generation')), 'asked GET /generation')
})

t.test('the usage endpoint: own session or admin token, 404 for anyone else', async (t) => {
  const adminToken = 'admin-token-0123456789abcdef'
  const { app } = await buildChatApp(t, { config: { admin: { token: adminToken } } })
  const owner = visitor(app)
  const { session_id: sessionId } = await owner.session()
  await owner.post('hi')
  const own = await owner.request({ url: `/api/session/${sessionId}/usage` })
  t.equal(own.statusCode, 200)
  t.equal(own.json().requests, 1)
  t.equal(own.json().by_model.length, 1)

  const stranger = visitor(app)
  await stranger.session()
  for (const [label, res] of [
    ['another session', await stranger.request({ url: `/api/session/${sessionId}/usage` })],
    ['no cookie', await app.inject({ url: `/api/session/${sessionId}/usage` })],
    ['wrong token', await app.inject({ url: `/api/session/${sessionId}/usage`, headers: { authorization: 'Bearer nope' } })],
    ['not a uuid', await owner.request({ url: '/api/session/../usage' })],
    ['unknown id', await owner.request({ url: '/api/session/01234567-89ab-7def-8123-456789abcdef/usage' })]
  ] as const) {
    t.equal(res.statusCode, 404, label)
  }
  const admin = await app.inject({ url: `/api/session/${sessionId}/usage`, headers: { authorization: `Bearer ${adminToken}` } })
  t.equal(admin.statusCode, 200)
  t.equal(admin.json().session_id, sessionId)

  const exported = await owner.request({ url: `/api/session/${sessionId}/usage?export=1` })
  t.equal(exported.statusCode, 200)
  t.match(exported.headers['content-disposition'], /attachment; filename="usage-/)
  const body = exported.json()
  t.equal(body.llm_requests.length, 1)
  t.match(body.llm_requests[0], { provider: 'openrouter', model: 'openai/gpt-oss-20b', prompt_tokens: Number, computed_cost: String, request_body: Object, response_body: Object, latency_ms: Number })
})

t.test('the offline model works end to end, labelled as such', async (t) => {
  const { app, db } = await buildChatApp(t, { config: { llm: { provider: 'offline' } } })
  const v = visitor(app)
  const streamed = await v.stream('hello offline')
  t.match(streamed.text, /offline/i)
  t.equal(streamed.end.status, 'complete')
  t.equal(streamed.end.usage.cost, '0')
  const posted = await v.post('and again')
  t.equal(posted.json().model, 'offline')
  const rows = await db.selectFrom('llm_requests').selectAll().execute()
  t.equal(rows.length, 2)
  t.ok(rows.every((r) => r.provider === 'offline' && r.computed_cost === '0'))
  const history = await v.history()
  t.equal(history.messages.length, 4)
  t.equal(history.messages[1].metadata.provider, 'offline')
})
