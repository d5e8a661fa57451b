import { Value } from '@sinclair/typebox/value'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import t from 'tap'
import llmPlugin from '../../../../plugins/app/llm.ts'
import { createLlmClient } from '../../../../plugins/app/llm/index.ts'
import { createOfflineClient, offlineReply } from '../../../../plugins/app/llm/offline.ts'
import { ConfigSchema, type Config } from '../../../../plugins/infrastructure/config/schema.ts'

const ask = (content: string) => ({ messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content }] })
const defaults = (): Config => Value.Default(ConfigSchema, {}) as Config

t.test('names what it knows from the memory system message, and nothing without one', async (t) => {
  const client = createOfflineClient({ appName: 'Salient' })
  const memory = 'Known about this customer:\ncustomer_name: Dana Reyes\nproducts_of_interest: solar panels, heat pump'
  const stream = client.stream({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'system', content: memory }, { role: 'user', content: 'hi' }] })
  for await (const _delta of stream) { /* read whole */ }
  const { text } = await stream.outcome
  t.match(text, /I have noted your name: Dana Reyes; the products you are interested in: solar panels, heat pump\./)
  t.match(text, /offline mode/)
  const plain = client.stream(ask('Known about this customer:\ncustomer_name: Mallory'))
  for await (const _delta of plain) { /* read whole */ }
  t.notMatch((await plain.outcome).text, /noted/, 'a visitor typing the header is not memory')
})

t.test('streams an honest offline reply word by word, with estimated tokens and zero cost', async (t) => {
  const client = createOfflineClient({ appName: 'Salient' })
  t.equal(client.provider, 'offline')
  t.equal(client.model, 'offline')
  const stream = client.stream(ask('What does it cost?'))
  const deltas: string[] = []
  for await (const delta of stream) deltas.push(delta)
  const outcome = await stream.outcome
  t.ok(deltas.length > 10, 'several deltas')
  t.equal(deltas.join(''), offlineReply('Salient'))
  t.match(outcome.text, /offline mode/)
  t.match(outcome.text, /no API key/)
  t.match(outcome.text, /received and saved/)
  t.match(outcome, {
    provider: 'offline',
    model: 'offline',
    status: 'complete',
    finishReason: 'stop',
    cost: '0',
    costSource: 'offline',
    usageEstimated: true,
    error: null,
    generationId: null
  })
  t.equal(outcome.usage.prompt_tokens, Math.ceil('Be brief.\nWhat does it cost?'.length / 4))
  t.equal(outcome.usage.completion_tokens, Math.ceil(outcome.text.length / 4))
  t.equal(outcome.usage.total_tokens, outcome.usage.prompt_tokens + outcome.usage.completion_tokens)
  t.ok(outcome.ttftMs !== null && outcome.ttftMs <= outcome.latencyMs)
  t.same(outcome.requestBody.messages, ask('What does it cost?').messages)
})

t.test('yields to the event loop before each word', async (t) => {
  let immediate = false
  setImmediate(() => { immediate = true })
  const first = await createOfflineClient({ appName: 'S' }).stream(ask('x'))[Symbol.asyncIterator]().next()
  t.equal(first.done, false)
  t.ok(immediate, 'the first word came after an event loop turn')
})

t.test('reconcile has nothing to look up; close is a no-op', async (t) => {
  const client = createOfflineClient({ appName: 'S' })
  t.equal(await client.reconcile('gen-x', []), null)
  await client.close()
})

t.test('createLlmClient picks offline without a key or when asked, openrouter otherwise', async (t) => {
  const config = defaults()
  const app = { name: 'Salient', public_url: 'http://localhost:8000' }
  const warnings: object[] = []
  const log = { debug () {}, info () {}, warn (obj: object) { warnings.push(obj) } }
  t.equal(createLlmClient({ ...config.llm, api_key: null }, app, { log }).provider, 'offline')
  t.same(warnings, [{ event: 'llm.offline' }])
  t.equal(createLlmClient({ ...config.llm, api_key: '  ' }, app).provider, 'offline')
  t.equal(createLlmClient({ ...config.llm, provider: 'offline', api_key: 'sk-or-x' }, app).provider, 'offline')
  const online = createLlmClient({ ...config.llm, api_key: 'sk-or-x' }, app)
  t.equal(online.provider, 'openrouter')
  t.equal(online.model, config.llm.model)
  await online.close()
})

t.test('the plugin decorates app.llm from app.config and closes it with the app', async (t) => {
  const app = Fastify({ logger: false })
  const config = defaults()
  await app.register(fp(async (a) => { a.decorate('config', config) }, { name: 'config' }))
  await app.register(llmPlugin)
  await app.ready()
  t.equal(app.llm.provider, 'offline')
  const outcome = await app.llm.stream(ask('hi')).outcome
  t.equal(outcome.status, 'complete')
  await app.close()
})
