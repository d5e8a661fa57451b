import t from 'tap'
import { sql } from 'kysely'
import { buildChatApp, TEST_API_KEY, visitor } from '../../helpers/chat-app.ts'

t.test('a scripted visit: three streamed turns, one POST /chat, a refresh', async (t) => {
  const { app, db, fake } = await buildChatApp(t)
  const v = visitor(app)
  const session = await v.session()

  const turns = ['Hello, who are you?', 'What do you sell?', 'Line one\nline two']
  for (const message of turns) {
    const { res, text, end } = await v.stream(message)
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/event-stream/)
    t.equal(text, `Echo: ${message}`, 'deltas arrive and join, multi-line ones too')
    t.match(end, { status: 'complete', message_id: String, usage: { prompt_tokens: Number, completion_tokens: Number, total_tokens: Number, cost: String } })
  }
  const posted = await v.post('And the price?')
  t.equal(posted.statusCode, 200)
  t.match(posted.json(), { reply: 'Echo: And the price?', session_id: session.session_id, model: 'openai/gpt-oss-20b', status: 'complete' })

  const history = await v.history()
  t.equal(history.messages.length, 8)
  t.same(history.messages.map((m: { role: string }) => m.role), ['human', 'assistant', 'human', 'assistant', 'human', 'assistant', 'human', 'assistant'])
  t.same(history.messages.filter((m: { role: string }) => m.role === 'human').map((m: { content: string }) => m.content), [...turns, 'And the price?'])
  t.equal(history.has_more, false)
  for (const m of history.messages.filter((m: { role: string }) => m.role === 'assistant')) {
    t.match(m.metadata, { status: 'complete', llm_request_id: String, model: 'openai/gpt-oss-20b', finish_reason: 'stop' })
  }

  const rows = await db.selectFrom('llm_requests').selectAll().where('session_id', '=', session.session_id).execute()
  t.equal(rows.length, 4, 'exactly one llm_requests row per call')
  const usage = (await v.request({ url: `/api/session/${session.session_id}/usage` })).json()
  t.equal(usage.requests, 4)
  const sum = await sql<{ s: string }>`select sum(computed_cost)::text as s from llm_requests where session_id = ${session.session_id}`.execute(db)
  t.equal(usage.cost, sum.rows[0]!.s, 'the usage total is the exact sum of the rows')
  const reported = fake.completions().length
  t.equal(reported, 4)
  t.ok(rows.every((r) => r.response_body.cost_source === 'provider'), 'the cost is OpenRouter\'s reported one')

  // "refresh": a new request with the same cookie sees the same conversation
  const again = visitor(app)
  const refreshed = await again.request({ url: '/api/session/messages', headers: { cookie: v.cookie! } })
  t.same(refreshed.json().messages.map((m: { id: string }) => m.id), history.messages.map((m: { id: string }) => m.id))
  t.comment(`visit: ${history.messages.length} messages, ${rows.length} llm_requests, cost ${usage.cost}`)
})

t.test('the LLM receives the system prompt and the previous turns', async (t) => {
  const { app, fake } = await buildChatApp(t, { config: { llm: { system_prompt: 'You sell solar panels.' } } })
  const v = visitor(app)
  await v.stream('My first question')
  await v.post('My second question')
  const body = fake.completions().at(-1)!.body as { messages: Array<{ role: string, content: string }>, stream: boolean, usage: unknown, model: string }
  t.same(body.messages, [
    { role: 'system', content: 'You sell solar panels.' },
    { role: 'user', content: 'My first question' },
    { role: 'assistant', content: 'Echo: My first question' },
    { role: 'user', content: 'My second question' }
  ])
  t.equal(body.stream, true)
  t.same(body.usage, { include: true })
  t.equal(body.model, 'openai/gpt-oss-20b')
  const headers = fake.completions().at(-1)!.headers
  t.equal(headers.authorization, `Bearer ${TEST_API_KEY}`)
  t.equal(headers['x-title'], 'Salient')
  t.ok(headers['http-referer'])
})

t.test('context is limited to the last llm.context_messages messages', async (t) => {
  const { app, fake } = await buildChatApp(t, { config: { llm: { context_messages: 3 } } })
  const v = visitor(app)
  for (const m of ['one', 'two', 'three']) await v.post(m)
  const body = fake.completions().at(-1)!.body as { messages: Array<{ role: string, content: string }> }
  t.same(body.messages.map((m) => m.content).slice(1), ['two', 'Echo: two', 'three'])
})

t.test('two sessions in parallel never see each other\'s messages', async (t) => {
  const { app, fake } = await buildChatApp(t)
  fake.setDefault({ interChunkDelayMs: 2 })
  const a = visitor(app)
  const b = visitor(app)
  await Promise.all([a.session(), b.session()])
  await Promise.all([
    (async () => { for (let i = 0; i < 5; i++) await a.stream(`alpha ${i}`) })(),
    (async () => { for (let i = 0; i < 5; i++) await b.post(`beta ${i}`) })()
  ])
  const ha = await a.history()
  const hb = await b.history()
  t.equal(ha.messages.length, 10)
  t.equal(hb.messages.length, 10)
  t.ok(ha.messages.every((m: { content: string }) => !m.content.includes('beta')))
  t.ok(hb.messages.every((m: { content: string }) => !m.content.includes('alpha')))
  for (const request of fake.completions()) {
    const contents = (request.body as { messages: Array<{ content: string }> }).messages.map((m) => m.content).join(' ')
    t.notOk(contents.includes('alpha') && contents.includes('beta'), 'no context mixes the two sessions')
  }
})

t.test('POST /chat answers text/plain by default', async (t) => {
  const { app } = await buildChatApp(t)
  const v = visitor(app)
  const res = await v.post('plain please', {}, '*/*')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.equal(res.body, 'Echo: plain please')
})

t.test('history pages backwards with a cursor', async (t) => {
  const { app } = await buildChatApp(t)
  const v = visitor(app)
  for (let i = 0; i < 6; i++) await v.post(`message ${i}`)
  const first = await v.history('?limit=5')
  t.equal(first.messages.length, 5)
  t.equal(first.has_more, true)
  t.equal(first.messages.at(-1).content, 'Echo: message 5', 'newest last')
  const second = await v.history(`?limit=5&before=${first.messages[0].id}`)
  t.equal(second.messages.length, 5)
  const third = await v.history(`?limit=5&before=${second.messages[0].id}`)
  t.equal(third.messages.length, 2)
  t.equal(third.has_more, false)
  const all = [...third.messages, ...second.messages, ...first.messages].map((m: { id: string }) => m.id)
  t.equal(new Set(all).size, 12, 'no message twice, none missing')
  t.same((await v.history()).messages.length, 12, 'default limit 50 returns all twelve')

  const other = visitor(app)
  await other.session()
  const foreign = await other.request({ url: `/api/session/messages?before=${first.messages[0].id}` })
  t.equal(foreign.statusCode, 400)
  t.equal(foreign.json().error.code, 'invalid_cursor', 'a cursor from another session is refused')
  t.equal((await v.request({ url: '/api/session/messages?limit=201' })).statusCode, 400, 'limit is capped at 200')
  t.equal((await v.request({ url: '/api/session/messages?before=nope' })).statusCode, 400)
  const fresh = await app.inject({ url: '/api/session/messages' })
  t.same(fresh.json(), { messages: [], has_more: false }, 'no session: an empty history')
  t.notOk(fresh.headers['set-cookie'], 'and no session is created for it')
})

t.test('a history page is exactly the stored rows: fields, timestamps to the millisecond, metadata, text', async (t) => {
  const { app, db } = await buildChatApp(t)
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  const { uuidv7 } = await import('../../../db/uuid7.ts')
  const awkward = ['quote " backslash \\ tab \t', 'line\nbreak', 'emoji 🙂 and ünïcödé', '</script><b>html</b>', '']
  for (const [i, content] of awkward.entries()) {
    await db.insertInto('messages').values({
      id: uuidv7(),
      session_id: sessionId,
      role: i % 2 ? 'assistant' : 'human',
      content,
      metadata: JSON.stringify({ n: i, nested: { list: [1, 'two', null], flag: true }, text: content }) as never,
      created_at: sql<Date>`'2026-01-02 03:04:05.678912+00'::timestamptz + make_interval(secs => ${i})`
    }).execute()
  }
  const res = await v.request({ url: '/api/session/messages' })
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8/)
  const rows = await db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).orderBy('created_at').execute()
  const expected = rows.map(({ id, role, content, metadata, created_at: createdAt }) => ({ id, role, content, metadata, created_at: createdAt.toISOString() }))
  t.same(res.json(), { messages: expected, has_more: false }, 'what the rows serialise to, key for key')
  t.equal(res.json().messages[0].created_at, '2026-01-02T03:04:05.678Z', 'microseconds cut to milliseconds, in UTC')
})

t.test('messages saved in one transaction come back in the order they were saved', async (t) => {
  const { app, db } = await buildChatApp(t)
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  const { uuidv7 } = await import('../../../db/uuid7.ts')
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < 20; i++) {
      await trx.insertInto('messages').values({ id: uuidv7(), session_id: sessionId, role: i % 2 ? 'assistant' : 'human', content: `m${i}`, metadata: '{}' as never }).execute()
    }
  })
  const history = await v.history()
  t.same(history.messages.map((m: { content: string }) => m.content), Array.from({ length: 20 }, (_, i) => `m${i}`))
})

t.test('blank, too long and malformed messages are refused before anything is stored', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { chat: { max_message_chars: 100 } } })
  const v = visitor(app)
  await v.session()
  const blank = await v.post('   \n\t ')
  t.equal(blank.statusCode, 400)
  t.equal(blank.json().error.code, 'empty_message')
  const long = await v.post('x'.repeat(101))
  t.equal(long.statusCode, 413)
  t.match(long.json().error, { code: 'message_too_long', message: /100/ })
  const wrongType = await v.request({ method: 'POST', url: '/chat', payload: { message: 5 } })
  t.equal(wrongType.statusCode, 400)
  t.match(wrongType.json().error.message, /body\.message/)
  const streamBlank = await v.request({ url: '/events/stream?message=%20' })
  t.equal(streamBlank.statusCode, 400)
  const missing = await v.request({ url: '/events/stream' })
  t.equal(missing.statusCode, 400)
  t.match(missing.json().error.message, /query\.message/)
  const nul = await v.post('bad \u0000 byte')
  t.equal(nul.statusCode, 400)
  t.equal((await db.selectFrom('messages').selectAll().execute()).length, 0, 'nothing stored')
  t.equal(fake.completions().length, 0, 'the LLM was never called')
})

t.test('a refused message makes no session for a visitor who has none', async (t) => {
  const { app, db } = await buildChatApp(t, { config: { chat: { max_message_chars: 100 } } })
  const refused = [
    await app.inject({ method: 'POST', url: '/chat', payload: { message: '  \n ' } }),
    await app.inject({ method: 'POST', url: '/chat', payload: { message: 'x'.repeat(101) } }),
    await app.inject({ method: 'POST', url: '/chat', payload: { message: 'nul \u0000' } }),
    await app.inject({ method: 'POST', url: '/chat', payload: { message: 5 } }),
    await app.inject({ url: '/events/stream?message=%20%20' }),
    await app.inject({ url: `/events/stream?message=${'y'.repeat(101)}` })
  ]
  t.same(refused.map((r) => r.statusCode), [400, 413, 400, 400, 400, 413])
  t.same(refused.map((r) => r.json().error.code), ['empty_message', 'message_too_long', 'invalid_request', 'invalid_request', 'empty_message', 'message_too_long'])
  t.ok(refused.every((r) => r.headers['set-cookie'] === undefined), 'no cookie set')
  t.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0, 'no session stored')
})

t.test('message texts never reach a log line or an llm_requests column', async (t) => {
  const { app, db, logs } = await buildChatApp(t)
  const v = visitor(app)
  const secret = 'my-very-private-words-42'
  await v.stream(`please remember ${secret}`)
  await v.post(`again ${secret}`)
  t.notOk(logs.some((l) => l.includes(secret)), 'not in the logs')
  t.notOk(logs.some((l) => l.includes(TEST_API_KEY)), 'the API key is not in the logs')
  const rows = await db.selectFrom('llm_requests').selectAll().execute()
  const dump = JSON.stringify(rows)
  t.notOk(dump.includes(secret), 'not in llm_requests')
  t.notOk(dump.includes(TEST_API_KEY), 'no API key in llm_requests')
  t.ok(logs.some((l) => JSON.parse(l).event === 'chat.turn'), 'turns are logged (without text)')
})

t.test('without a reported cost, the price table prices the call exactly, to the micro-cent', async (t) => {
  const { app, db, fake } = await buildChatApp(t, {
    config: { llm: { pricing: { 'openai/gpt-oss-20b': { prompt_per_million: 0.03, completion_per_million: 0.14 } } } }
  })
  fake.setDefault({ omitCost: true })
  const v = visitor(app)
  await v.post('price this one please')
  await v.post('and this one too')
  const rows = await db.selectFrom('llm_requests').selectAll().execute()
  for (const row of rows) {
    t.equal(row.response_body.cost_source, 'price_table')
    // Expected in units of 1e-8 USD: 3 per prompt token, 14 per completion token — integer arithmetic, no floats.
    const units = BigInt(row.prompt_tokens) * 3n + BigInt(row.completion_tokens) * 14n
    const expected = `${units / 100_000_000n}.${(units % 100_000_000n).toString().padStart(8, '0')}`
    const same = await sql<{ same: boolean }>`select ${row.computed_cost}::numeric = ${expected}::numeric as same`.execute(db)
    t.ok(same.rows[0]!.same, `${row.computed_cost} = ${expected}`)
    t.equal(Number(row.unit_cost_prompt), 0.00000003, 'unit costs are per token')
    t.equal(Number(row.unit_cost_completion), 0.00000014)
  }
  const usage = (await v.request({ url: `/api/session/${rows[0]!.session_id}/usage` })).json()
  const total = await sql<{ same: boolean }>`select ${usage.cost}::numeric = (select sum(computed_cost) from llm_requests) as same`.execute(db)
  t.ok(total.rows[0]!.same, 'the usage total is the exact sum')
})

t.test('a model with no reported cost and no price is recorded with cost null and a warning, never 0', async (t) => {
  const { app, db, fake, logs } = await buildChatApp(t, { config: { llm: { model: 'acme/unpriced-model' } } })
  fake.setDefault({ omitCost: true })
  const v = visitor(app)
  const res = await v.post('how much?')
  t.equal(res.json().usage.cost, null)
  const row = await db.selectFrom('llm_requests').selectAll().executeTakeFirstOrThrow()
  t.equal(row.computed_cost, null)
  t.equal(row.unit_cost_prompt, null)
  t.equal(row.response_body.cost_source, 'unknown')
  t.ok(logs.some((l) => JSON.parse(l).event === 'llm.cost_unknown'))
})
