import t from 'tap'
import { Agent, MockAgent } from 'undici'
import { costNumberToDecimal } from '../../../../plugins/app/llm/money.ts'
import { createOpenRouterClient, type OpenRouterOptions } from '../../../../plugins/app/llm/openrouter.ts'
import type { LlmStream } from '../../../../plugins/app/llm/types.ts'
import { startFakeOpenRouter, type FakeOpenRouterOptions } from '../../../helpers/fake-openrouter.ts'

const KEY = 'sk-or-v1-test-0123456789abcdef'
const MODEL = 'openai/gpt-oss-20b'
const pricing = { [MODEL]: { prompt_per_million: 0.03, completion_per_million: 0.14 } }
const ask = (content: string) => ({ messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content }] })

async function setup (t: { teardown: (fn: () => unknown) => void }, opts: Partial<OpenRouterOptions> = {}, fakeOpts: FakeOpenRouterOptions = {}) {
  const fake = await startFakeOpenRouter({ apiKey: KEY, ...fakeOpts })
  const client = createOpenRouterClient({
    baseUrl: fake.url,
    apiKey: KEY,
    model: MODEL,
    temperature: 0.3,
    maxTokens: 256,
    timeoutMs: 5000,
    connectTimeoutMs: 1000,
    maxRetries: 2,
    pricing,
    appName: 'Salient',
    appUrl: 'http://localhost:8000',
    retryBaseDelayMs: 10,
    ...opts
  })
  t.teardown(async () => {
    await client.close()
    await fake.close()
  })
  return { fake, client }
}

async function collect (stream: LlmStream) {
  const deltas: string[] = []
  for await (const delta of stream) deltas.push(delta)
  return { deltas, outcome: await stream.outcome }
}

t.test('plain success: text, usage, provider cost, generation id, timings', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ firstTokenDelayMs: 50 })
  const { deltas, outcome } = await collect(client.stream(ask('hello brave new world')))
  t.same(deltas, ['Echo: ', 'hello ', 'brave ', 'new ', 'world'])
  t.equal(outcome.text, 'Echo: hello brave new world')
  t.equal(outcome.status, 'complete')
  t.equal(outcome.finishReason, 'stop')
  t.equal(outcome.error, null)
  t.equal(outcome.provider, 'openrouter')
  t.equal(outcome.model, MODEL)
  t.equal(outcome.responseModel, MODEL)
  t.match(outcome.generationId, /^gen-/)
  const record = fake.generations.get(outcome.generationId ?? '')
  t.ok(record, 'the fake served that generation id')
  t.same(outcome.usage, {
    prompt_tokens: record?.tokens_prompt,
    completion_tokens: record?.tokens_completion,
    total_tokens: (record?.tokens_prompt ?? 0) + (record?.tokens_completion ?? 0)
  })
  t.equal(outcome.usageEstimated, false)
  t.equal(outcome.cost, costNumberToDecimal(record?.total_cost ?? -1))
  t.equal(outcome.costSource, 'provider')
  t.equal(outcome.unitCostPrompt, '0.00000003')
  t.equal(outcome.unitCostCompletion, '0.00000014')
  t.equal(outcome.attempts, 1)
  t.ok(outcome.ttftMs !== null && outcome.ttftMs >= 45, `ttft ${outcome.ttftMs}`)
  t.ok(outcome.latencyMs >= (outcome.ttftMs ?? 0))
  t.match(outcome.responseBody, {
    id: outcome.generationId,
    model: MODEL,
    provider: 'Fake',
    finish_reason: 'stop',
    usage: { prompt_tokens: record?.tokens_prompt, cost: outcome.cost, is_byok: false },
    error: null,
    cost_source: 'provider',
    usage_estimated: false
  })
})

t.test('request body and headers as specified; the key never lands in the outcome', async (t) => {
  const { fake, client } = await setup(t)
  const { outcome } = await collect(client.stream({ ...ask('hi'), maxTokens: 64, temperature: 0, responseFormat: { type: 'json_object' } }))
  const [req] = fake.completions()
  t.equal(req?.method, 'POST')
  t.equal(req?.path, '/chat/completions')
  t.same(req?.body, {
    model: MODEL,
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
    temperature: 0,
    max_tokens: 64,
    stream: true,
    usage: { include: true },
    response_format: { type: 'json_object' }
  })
  t.match(req?.headers, {
    authorization: `Bearer ${KEY}`,
    'content-type': 'application/json',
    'http-referer': 'http://localhost:8000',
    'x-title': 'Salient',
    'x-openrouter-title': 'Salient'
  })
  t.same(outcome.requestBody, req?.body)
  const stored = JSON.stringify([outcome.requestBody, outcome.responseBody, outcome.error])
  t.notOk(stored.includes(KEY), 'no key in what is stored')
  t.notOk(/authorization|bearer/i.test(stored), 'no auth header in what is stored')
})

t.test('client defaults fill the body', async (t) => {
  const { fake, client } = await setup(t)
  await client.stream(ask('x')).outcome
  t.match(fake.completions()[0]?.body, { model: MODEL, temperature: 0.3, max_tokens: 256 })
})

t.test('events split into small packets, multi-byte characters included', async (t) => {
  const { fake, client } = await setup(t)
  const reply = 'héllo — 日本語 🎉 and ünïcode ✓'
  fake.enqueue({ reply, splitPackets: 1 })
  const { outcome } = await collect(client.stream(ask('x')))
  t.equal(outcome.text, reply)
  t.equal(outcome.status, 'complete')
  t.equal(outcome.costSource, 'provider')
})

t.test('keep-alive comments before and between chunks are skipped', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ keepAlive: true, interChunkDelayMs: 5 })
  const { outcome } = await collect(client.stream(ask('a b c')))
  t.equal(outcome.text, 'Echo: a b c')
  t.equal(outcome.status, 'complete')
})

t.test('the usage-only last chunk (choices: []) gives usage; without it usage is estimated', async (t) => {
  const { fake, client } = await setup(t)
  const ok = await client.stream(ask('one two')).outcome
  t.equal(ok.usageEstimated, false)
  fake.enqueue({ omitUsage: true })
  const { outcome } = await collect(client.stream(ask('one two')))
  t.equal(outcome.status, 'complete')
  t.equal(outcome.usageEstimated, true)
  t.equal(outcome.costSource, 'estimated')
  t.equal(outcome.usage.completion_tokens, Math.ceil('Echo: one two'.length / 4))
  t.ok(outcome.cost !== null, 'priced from the table')
})

t.test('a reported model differing from the requested one is kept as responseModel', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ model: 'openai/gpt-oss-20b:free' })
  const outcome = await client.stream(ask('x')).outcome
  t.equal(outcome.model, MODEL)
  t.equal(outcome.responseModel, 'openai/gpt-oss-20b:free')
})

t.test('mid-stream error with a numeric code: outcome error, text so far kept, no retry', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failMidStream: { afterDeltas: 2, code: 502, message: 'Provider disconnected unexpectedly' } })
  const { deltas, outcome } = await collect(client.stream(ask('one two three four')))
  t.same(deltas, ['Echo: ', 'one '])
  t.equal(outcome.text, 'Echo: one ')
  t.equal(outcome.status, 'error')
  t.equal(outcome.finishReason, 'error')
  t.match(outcome.error, { code: 'llm_stream_error', status: 502, message: /Provider disconnected/ })
  t.equal(outcome.attempts, 1)
  t.equal(fake.completions().length, 1)
  t.equal(outcome.usageEstimated, true)
  t.equal(outcome.costSource, 'estimated')
  t.match(outcome.generationId, /^gen-/)
})

t.test('mid-stream error with a string code', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failMidStream: { afterDeltas: 1, code: 'server_error', message: 'boom' } })
  const { outcome } = await collect(client.stream(ask('one two')))
  t.equal(outcome.text, 'Echo: ')
  t.equal(outcome.status, 'error')
  t.match(outcome.error, { code: 'llm_stream_error', status: null, retryable: false, message: /server_error: boom/ })
})

t.test('a retryable error event before any token is retried', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failMidStream: { afterDeltas: 0, code: 503, message: 'no provider' } })
  const { outcome } = await collect(client.stream(ask('again')))
  t.equal(outcome.status, 'complete')
  t.equal(outcome.text, 'Echo: again')
  t.equal(outcome.attempts, 2)
})

t.test('a stream that ends without finish_reason is truncated', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ omitFinishReason: true })
  const { outcome } = await collect(client.stream(ask('cut here')))
  t.equal(outcome.status, 'truncated')
  t.equal(outcome.text, 'Echo: cut here')
  t.equal(outcome.finishReason, null)
  t.match(outcome.error, { code: 'llm_truncated' })
  t.equal(outcome.usageEstimated, true)
  t.equal(outcome.attempts, 1)
})

t.test('401: llm_unauthorized, not retried, upstream message kept', async (t) => {
  const { fake, client } = await setup(t, { apiKey: 'sk-or-v1-wrong-key' })
  const { deltas, outcome } = await collect(client.stream(ask('x')))
  t.same(deltas, [])
  t.equal(outcome.status, 'error')
  t.match(outcome.error, { code: 'llm_unauthorized', status: 401, retryable: false, message: 'No auth credentials found' })
  t.equal(outcome.attempts, 1)
  t.equal(fake.completions().length, 1)
  t.equal(outcome.generationId, null)
  t.notOk(JSON.stringify(outcome).includes('sk-or-v1-wrong-key'))
})

t.test('402: llm_payment_required, not retried', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failBefore: { status: 402, message: 'Insufficient credits' } })
  const outcome = await client.stream(ask('x')).outcome
  t.match(outcome.error, { code: 'llm_payment_required', status: 402, message: 'Insufficient credits', retryable: false })
  t.equal(outcome.attempts, 1)
})

t.test('an upstream message echoing the key is redacted', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failBefore: { status: 400, message: `bad key ${KEY} in Authorization: Bearer ${KEY}` } })
  const outcome = await client.stream(ask('x')).outcome
  t.equal(outcome.error?.code, 'llm_bad_request')
  t.notOk(JSON.stringify(outcome).includes(KEY))
})

t.test('429 with Retry-After is retried after that delay, then succeeds', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failBefore: { status: 429, message: 'Rate limit exceeded', retryAfter: 1 } })
  const outcome = await client.stream(ask('patience')).outcome
  t.equal(outcome.status, 'complete')
  t.equal(outcome.text, 'Echo: patience')
  t.equal(outcome.attempts, 2)
  const [first, second] = fake.completions()
  t.ok((second?.time ?? 0) - (first?.time ?? 0) >= 950, 'waited for Retry-After')
})

t.test('429 retries exhausted: llm_rate_limited with retryAfterMs', async (t) => {
  const { fake, client } = await setup(t)
  const limited = { failBefore: { status: 429, message: 'Rate limit exceeded', retryAfter: 0 } }
  fake.enqueue(limited, limited, limited, limited)
  const outcome = await client.stream(ask('x')).outcome
  t.equal(outcome.status, 'error')
  t.match(outcome.error, { code: 'llm_rate_limited', status: 429, retryable: true, retryAfterMs: 0 })
  t.equal(outcome.attempts, 3)
  t.equal(fake.completions().length, 3)
})

t.test('a Retry-After (HTTP date) longer than the cap is not waited for', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failBefore: { status: 429, retryAfter: new Date(Date.now() + 60_000).toUTCString() } })
  const outcome = await client.stream(ask('x')).outcome
  t.equal(outcome.attempts, 1)
  t.ok((outcome.error?.retryAfterMs ?? 0) > 50_000)
})

t.test('503 is retried', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failBefore: { status: 503, message: 'No available provider' } })
  const outcome = await client.stream(ask('x')).outcome
  t.equal(outcome.status, 'complete')
  t.equal(outcome.attempts, 2)
})

t.test('no retry after the first token: a dropped connection mid-stream is one request', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ dropConnection: 2 })
  const { deltas, outcome } = await collect(client.stream(ask('one two three')))
  t.same(deltas, ['Echo: ', 'one '])
  t.equal(outcome.status, 'error')
  t.match(outcome.error, { code: 'llm_network_error' })
  t.equal(outcome.attempts, 1)
  t.equal(fake.completions().length, 1)
})

t.test('a connection dropped before the first token is retried', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ dropConnection: 0 })
  const outcome = await client.stream(ask('x')).outcome
  t.equal(outcome.status, 'complete')
  t.equal(outcome.attempts, 2)
})

t.test('connection refused: network error after the retries', async (t) => {
  const { fake } = await setup(t)
  const url = fake.url
  await fake.close()
  const client = createOpenRouterClient({
    baseUrl: url, apiKey: KEY, model: MODEL, temperature: 0, maxTokens: 8, timeoutMs: 2000, connectTimeoutMs: 500, maxRetries: 1, appName: 'S', appUrl: 'http://x', retryBaseDelayMs: 5
  })
  t.teardown(() => client.close())
  const outcome = await client.stream(ask('x')).outcome
  t.match(outcome.error, { code: 'llm_network_error', retryable: true })
  t.equal(outcome.attempts, 2)
  t.equal(outcome.costSource, 'estimated')
  t.equal(outcome.cost, null, 'no price for the model')
})

t.test('breaking out of the loop aborts the upstream call', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ deltas: 50, interChunkDelayMs: 20 })
  const stream = client.stream(ask('x'))
  for await (const delta of stream) {
    if (delta !== '') break // leaving the loop early is the point
  }
  const outcome = await stream.outcome
  t.equal(outcome.status, 'aborted')
  await fake.waitFor(() => fake.stats.streamsAborted === 1 && fake.stats.openConnections === 0)
})

t.test('outcome resolves when the consumer never iterates and aborts via the signal', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ hang: true })
  const ac = new AbortController()
  const stream = client.stream({ ...ask('x'), signal: ac.signal })
  await fake.waitFor(() => fake.stats.streamsStarted === 1)
  ac.abort()
  const outcome = await stream.outcome
  t.equal(outcome.status, 'aborted')
  t.equal(outcome.ttftMs, null)
  await fake.waitFor(() => fake.stats.streamsAborted === 1)
})

t.test('outcome resolves without iterating; late iteration still replays the deltas', async (t) => {
  const { client } = await setup(t)
  const stream = client.stream(ask('no loop'))
  const outcome = await stream.outcome
  t.equal(outcome.text, 'Echo: no loop')
  const late: string[] = []
  for await (const d of stream) late.push(d)
  t.equal(late.join(''), outcome.text)
})

t.test('an already aborted signal sends nothing', async (t) => {
  const { fake, client } = await setup(t)
  const outcome = await client.stream({ ...ask('x'), signal: AbortSignal.abort() }).outcome
  t.equal(outcome.status, 'aborted')
  t.equal(outcome.attempts, 0)
  t.equal(fake.completions().length, 0)
})

t.test('a hanging upstream ends in llm_timeout and the socket is closed', async (t) => {
  const { fake, client } = await setup(t, { timeoutMs: 300 })
  fake.enqueue({ hang: true })
  const started = Date.now()
  const { outcome } = await collect(client.stream(ask('x')))
  t.equal(outcome.status, 'error')
  t.match(outcome.error, { code: 'llm_timeout', retryable: false })
  t.ok(Date.now() - started >= 280 && Date.now() - started < 2000)
  t.equal(outcome.attempts, 1)
  await fake.waitFor(() => fake.stats.streamsAborted === 1)
})

t.test('a stream slower than the timeout keeps its text and ends in llm_timeout', async (t) => {
  const { fake, client } = await setup(t, { timeoutMs: 300 })
  fake.enqueue({ deltas: 20, interChunkDelayMs: 50 })
  const { deltas, outcome } = await collect(client.stream(ask('x')))
  t.ok(deltas.length > 0 && deltas.length < 20)
  t.equal(outcome.text, deltas.join(''))
  t.match(outcome.error, { code: 'llm_timeout' })
})

t.test('reconcile: 404s while the record is not there yet, then usage and cost', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ deltas: 50, interChunkDelayMs: 20, generationNotFound: 2 })
  const ac = new AbortController()
  const stream = client.stream({ ...ask('x'), signal: ac.signal })
  for await (const delta of stream) if (delta !== '') ac.abort()
  const outcome = await stream.outcome
  const id = outcome.generationId ?? ''
  await fake.waitFor(() => fake.generations.has(id))
  const usage = await client.reconcile(id, [5, 5, 5])
  const record = fake.generations.get(id)
  t.same(usage, {
    promptTokens: record?.tokens_prompt,
    completionTokens: record?.tokens_completion,
    totalTokens: (record?.tokens_prompt ?? 0) + (record?.tokens_completion ?? 0),
    cost: costNumberToDecimal(record?.total_cost ?? -1),
    finishReason: null,
    cancelled: true,
    providerName: 'Fake'
  })
  const lookups = fake.requests.filter((r) => r.path === '/generation')
  t.equal(lookups.length, 3)
  t.equal(lookups[0]?.query.id, id)
  t.equal(lookups[0]?.headers.authorization, `Bearer ${KEY}`)
})

t.test('reconcile gives up with null', async (t) => {
  const { fake, client } = await setup(t)
  t.equal(await client.reconcile('gen-unknown', [5, 5]), null)
  t.equal(fake.requests.filter((r) => r.path === '/generation').length, 3)
})

t.test('a passed dispatcher is used and not closed by close()', async (t) => {
  const { fake } = await setup(t)
  const agent = new Agent()
  t.teardown(() => agent.close())
  const client = createOpenRouterClient({
    baseUrl: fake.url, apiKey: KEY, model: MODEL, temperature: 0, maxTokens: 8, timeoutMs: 2000, connectTimeoutMs: 500, maxRetries: 0, appName: 'S', appUrl: 'http://x', dispatcher: agent
  })
  t.equal((await client.stream(ask('x')).outcome).status, 'complete')
  await client.close()
  t.equal(agent.closed, false)
})

t.test('parser cases through a MockAgent (no network)', async (t) => {
  const mock = new MockAgent()
  mock.disableNetConnect()
  t.teardown(() => mock.close())
  const sse = [
    ': OPENROUTER PROCESSING',
    '',
    'data: {"id":"gen-mock","model":"m/routed","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}',
    '',
    'data: {"id":"gen-mock","model":"m/routed","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"length"}]}',
    '',
    'data: {"id":"gen-mock","model":"m/routed","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}',
    '',
    'data: [DONE]',
    '',
    ''
  ].join('\r\n')
  mock.get('https://openrouter.test').intercept({ path: '/api/v1/chat/completions', method: 'POST' })
    .reply(200, sse, { headers: { 'content-type': 'text/event-stream' } })
  const client = createOpenRouterClient({
    baseUrl: 'https://openrouter.test/api/v1', apiKey: KEY, model: 'm', temperature: 0, maxTokens: 8, timeoutMs: 2000, connectTimeoutMs: 500, maxRetries: 0, appName: 'S', appUrl: 'http://x', dispatcher: mock, pricing: { 'm/routed': { prompt_per_million: 1, completion_per_million: 2 } }
  })
  const { deltas, outcome } = await collect(client.stream(ask('x')))
  t.same(deltas, ['Hi', ' there'])
  t.equal(outcome.status, 'complete')
  t.equal(outcome.finishReason, 'length')
  t.equal(outcome.generationId, 'gen-mock')
  t.equal(outcome.responseModel, 'm/routed')
  t.equal(outcome.costSource, 'price_table')
  t.equal(outcome.cost, '0.000007')
})

t.test('consecutive calls reuse one keep-alive connection', async (t) => {
  const { fake, client } = await setup(t)
  for (let i = 0; i < 3; i++) t.equal((await client.stream(ask(`call ${i}`)).outcome).text, `Echo: call ${i}`)
  t.equal(fake.stats.connectionsOpened, 1)
})

t.test('a [[fake:…]] directive in the last user message scripts the fake', async (t) => {
  const { fake, client } = await setup(t)
  const one = await client.stream(ask('[[fake:status=503,fail_times=1,reply=Scripted reply,model=x/y]] hi')).outcome
  t.equal(one.text, 'Scripted reply')
  t.equal(one.responseModel, 'x/y')
  t.equal(one.attempts, 2, 'failed once, then served')
  const two = await client.stream(ask('hello [[fake:deltas=7,cost=0.00000000012]]')).outcome
  t.equal(two.text.startsWith('Echo: hello'), true, 'the directive is not echoed')
  t.equal(two.cost, '0.00000000012')
  const three = await client.stream(ask('[[fake:error_after=1,error_code=server_error]] x')).outcome
  t.match(three.error, { code: 'llm_stream_error', message: /server_error/ })
  t.equal(fake.completions().length, 4)
})

t.test('many concurrent streams each get their own conversation\'s reply', async (t) => {
  const { fake, client } = await setup(t)
  fake.setDefault({ interChunkDelayMs: 2, splitPackets: 7 })
  const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => client.stream(ask(`conversation ${i} ü`)).outcome))
  outcomes.forEach((o, i) => t.equal(o.text, `Echo: conversation ${i} ü`))
})

t.test('an error inside choices[0] (finish_reason "error") keeps its code and message and is retried before any text', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ failMidStream: { afterDeltas: 0, code: 502, message: 'Error processing stream', inChoice: true } }, { reply: 'fine now' })
  const { outcome } = await collect(client.stream(ask('x')))
  t.equal(outcome.status, 'complete', 'the second attempt answered')
  t.equal(outcome.attempts, 2)
  t.equal(outcome.text, 'fine now')
})

t.test('an error inside choices[0] after some text ends the call as that error, retryable', async (t) => {
  const { fake, client } = await setup(t)
  fake.enqueue({ reply: 'one two three four', failMidStream: { afterDeltas: 2, code: 502, message: 'Error processing stream', inChoice: true } })
  const { outcome } = await collect(client.stream(ask('x')))
  t.equal(outcome.status, 'error')
  t.equal(outcome.text, 'one two ')
  t.match(outcome.error, { code: 'llm_stream_error', status: 502, retryable: true, message: /Error processing stream/ })
  t.equal(outcome.attempts, 1, 'text had gone out: not retried')
})

t.test("an upstream error's own explanation and provider are kept, sanitized and trimmed", async (t) => {
  const { fake, client } = await setup(t, { maxRetries: 0 })
  const raw = `{"error":"model overloaded","auth":"Bearer ${KEY}"} ${'x'.repeat(1000)}`
  fake.enqueue(
    { failBefore: { status: 502, message: 'Provider returned error', metadata: { raw, provider_name: 'Groq' } } },
    { reply: 'a b c d', failMidStream: { afterDeltas: 1, code: 502, message: 'Provider returned error', metadata: { raw: { detail: 'context too long' }, provider_name: 'Together' } } }
  )
  const before = await client.stream(ask('x')).outcome
  t.match(before.error, { code: 'llm_upstream_error', message: 'Provider returned error', upstreamProvider: 'Groq' })
  t.match(before.error?.upstreamRaw, /^\{"error":"model overloaded","auth":"Bearer \[redacted\]/)
  t.notMatch(before.error?.upstreamRaw, KEY)
  t.ok((before.error?.upstreamRaw ?? '').length <= 500, 'trimmed')
  t.same(before.responseBody.error, before.error, 'the row-to-be carries it')
  const mid = await client.stream(ask('x')).outcome
  t.match(mid.error, { code: 'llm_stream_error', upstreamRaw: '{"detail":"context too long"}', upstreamProvider: 'Together' })
})
