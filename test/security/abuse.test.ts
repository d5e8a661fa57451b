// Abuse: rates per IP and per session (429 with Retry-After), open streams per session, the max_tokens cap, and
// cross-site requests to the chat routes.
import t from 'tap'
import { buildTestApp, cookieFrom } from '../helpers/app.ts'
import { buildChatApp, visitor } from '../helpers/chat-app.ts'
import { loadConfig } from '../../plugins/infrastructure/config/load-config.ts'
import { LLM_MAX_TOKENS_CAP } from '../../plugins/infrastructure/config/schema.ts'

type Tap = Parameters<Parameters<typeof t.test>[0]>[0]

function assertRateLimited (t: Tap, res: { statusCode: number, headers: Record<string, unknown>, json: () => unknown }, what: string) {
  t.equal(res.statusCode, 429, `${what}: 429`)
  t.match(res.json(), { error: { code: 'rate_limited', message: String } })
  const retryAfter = Number(res.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 60, `${what}: Retry-After ${retryAfter} s`)
}

t.test('per IP: over chat.rate_limit.per_ip_per_minute on /api, /chat and /events, 429 with Retry-After; /health is not limited', async (t) => {
  const { app } = await buildTestApp(t, { config: { chat: { rate_limit: { per_ip_per_minute: 3, per_session_per_minute: 100 } } } })
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ url: '/api/session' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-limit'], '3')
  }
  assertRateLimited(t, await app.inject({ url: '/api/session' }), '4th /api request')
  assertRateLimited(t, await app.inject({ method: 'POST', url: '/chat', payload: { message: 'hi' } }), '/chat from the same address')
  assertRateLimited(t, await app.inject({ url: '/events/stream?message=hi' }), '/events/stream from the same address')
  for (let i = 0; i < 5; i++) t.equal((await app.inject({ url: '/health' })).statusCode, 200, '/health is never limited')
  const other = await app.inject({ url: '/api/session', remoteAddress: '203.0.113.7' })
  t.equal(other.statusCode, 200, 'another address has its own budget')
})

t.test('per session on the chat routes: over per_session_per_minute, 429 for that session only', async (t) => {
  const { app } = await buildTestApp(t, { config: { chat: { rate_limit: { per_ip_per_minute: 1000, per_session_per_minute: 2 } } } })
  const a = visitor(app)
  const b = visitor(app)
  await a.session()
  await b.session()
  t.equal((await a.post('one')).statusCode, 200)
  t.equal((await a.stream('two')).res.statusCode, 200)
  assertRateLimited(t, await a.post('three'), 'third chat request of session A')
  assertRateLimited(t, (await a.stream('four')).res, 'and its streams')
  t.equal((await a.request({ url: '/api/session/messages' })).statusCode, 200, 'reading history is not a chat request')
  t.equal((await b.post('one')).statusCode, 200, 'session B is not affected')
})

t.test('default limits are on: 30 turns a minute in a session pass, the 31st is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const config = app.config.chat.rate_limit
  t.same(config, { per_session_per_minute: 30, per_ip_per_minute: 120 })
  const v = visitor(app)
  for (let i = 0; i < 30; i++) {
    const res = await v.post(`turn ${i}`)
    if (res.statusCode !== 200) t.fail(`turn ${i}: ${res.statusCode}`)
  }
  assertRateLimited(t, await v.post('one too many'), 'the 31st turn')
})

t.test('at most max_concurrent_streams_per_session open streams: the next gets 429 too_many_streams with Retry-After', async (t) => {
  const { app, fake } = await buildChatApp(t)
  fake.setDefault({ firstTokenDelayMs: 500, deltas: 3, interChunkDelayMs: 50 })
  const v = visitor(app)
  await v.session()
  const open = [v.stream('first'), v.stream('second')]
  await fake.waitFor(() => fake.stats.streamsStarted === 2, 5000)
  const third = await v.stream('third')
  t.equal(third.res.statusCode, 429)
  t.match(third.res.json(), { error: { code: 'too_many_streams', message: /2 replies/ } })
  t.ok(Number(third.res.headers['retry-after']) >= 1, 'with Retry-After')
  const post = await v.post('a post counts too')
  t.equal(post.statusCode, 429)
  t.ok(post.headers['retry-after'])
  t.equal((await visitor(app).stream('another visitor')).res.statusCode, 200, 'other sessions stream freely')
  for (const r of await Promise.all(open)) t.match(r.end, { status: 'complete' })
  t.equal((await v.stream('after')).res.statusCode, 200, 'a slot frees when a stream ends')
})

t.test('llm.max_tokens is capped: above the cap the configuration is refused; the LLM is never asked for more', async (t) => {
  t.throws(() => loadConfig({ env: {}, overrides: { llm: { max_tokens: LLM_MAX_TOKENS_CAP + 1 } } }), /llm\.max_tokens/)
  t.doesNotThrow(() => loadConfig({ env: {}, overrides: { llm: { max_tokens: LLM_MAX_TOKENS_CAP } } }))
  const { app, fake } = await buildChatApp(t, { config: { llm: { max_tokens: 300 } } })
  const v = visitor(app)
  await v.post('hello')
  await v.request({ method: 'POST', url: '/chat', payload: { message: 'more please', max_tokens: 100000 } })
  t.same(fake.completions().map((r) => (r.body as { max_tokens: number }).max_tokens), [300], 'one call, with the configured max_tokens; a visitor cannot ask for more')
})

t.test('cross-site requests to /chat and /events/stream are refused with 403; same-origin and non-browser clients pass', async (t) => {
  const { app } = await buildTestApp(t, { config: { chat: { rate_limit: { per_ip_per_minute: 1000, per_session_per_minute: 1000 } } } })
  const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/chat', headers: { host: 'chat.example', ...headers }, payload: { message: 'hi' } })
  const stream = (headers: Record<string, string>) => app.inject({ url: '/events/stream?message=hi', headers: { host: 'chat.example', ...headers } })
  for (const send of [post, stream]) {
    const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { origin: 'https://chat.example.evil.example' }]
    for (const headers of crossSite) {
      const res = await send(headers)
      t.equal(res.statusCode, 403, `${JSON.stringify(headers)}: 403`)
      t.match(res.json(), { error: { code: 'cross_site_request' } })
      t.notOk(res.headers['set-cookie'], 'and no session was made for it')
    }
    t.equal((await send({ origin: 'http://chat.example', 'sec-fetch-site': 'same-origin' })).statusCode, 200, 'same origin passes')
    t.equal((await send({})).statusCode, 200, 'no Origin and no Sec-Fetch-Site (curl) passes')
  }
  const form = await app.inject({ method: 'POST', url: '/chat', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'message=hi' })
  t.equal(form.statusCode, 415, 'a form post (the only cross-site POST without CORS) is not JSON: 415')
  const cookie = cookieFrom((await app.inject({ url: '/api/session' })).headers['set-cookie'])
  t.match(String((await app.inject({ url: '/api/session', headers: { cookie } })).headers['set-cookie']), /SameSite=Lax/, 'the cookie is SameSite')
})
