// The contract every LlmClient keeps (plugins/app/llm/types.ts), run against each client: OpenRouter over the fake
// server on loopback, and the offline model.
import t from 'tap'
import { createOfflineClient } from '../../../../plugins/app/llm/offline.ts'
import { createOpenRouterClient } from '../../../../plugins/app/llm/openrouter.ts'
import type { LlmClient, LlmOutcome } from '../../../../plugins/app/llm/types.ts'
import { startFakeOpenRouter } from '../../../helpers/fake-openrouter.ts'

const KEY = 'sk-or-v1-contract-0123456789abcdef'
const ask = (content: string) => ({ messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content }] })

type Test = Parameters<Parameters<typeof t.test>[0]>[0]
interface Teardown { teardown: (fn: () => unknown) => void }

interface Subject {
  client: LlmClient
  /** What an aborted call leaves behind that only this client has (a connection upstream, a generation id). */
  checkAborted: (t: Test, outcome: LlmOutcome) => Promise<void>
}

/** Each client, set up to give a reply long enough to be cut part-way. */
const clients: Record<string, (t: Teardown) => Promise<Subject>> = {
  async openrouter (t) {
    const fake = await startFakeOpenRouter({ apiKey: KEY })
    fake.setDefault({ deltas: 40, interChunkDelayMs: 5 })
    const client = createOpenRouterClient({
      baseUrl: fake.url,
      apiKey: KEY,
      model: 'openai/gpt-oss-20b',
      temperature: 0,
      maxTokens: 64,
      timeoutMs: 10_000,
      connectTimeoutMs: 1000,
      maxRetries: 0,
      appName: 'Salient',
      appUrl: 'http://localhost:8000'
    })
    t.teardown(async () => {
      await client.close()
      await fake.close()
    })
    return {
      client,
      async checkAborted (t, outcome) {
        await fake.waitFor(() => fake.stats.streamsAborted === 1 && fake.stats.openConnections === 0)
        t.equal(fake.stats.connectionsClosed, fake.stats.connectionsOpened, 'the fake saw the socket closed')
        t.equal(outcome.costSource, 'estimated', 'no usage came back: the cost is estimated')
        t.match(outcome.generationId, /^gen-/, 'the generation id is kept, to look the cost up later')
      }
    }
  },
  async offline (t) {
    const client = createOfflineClient({ appName: 'Salient' })
    t.teardown(() => client.close())
    return { client, checkAborted: async () => {} }
  }
}

for (const [name, make] of Object.entries(clients)) {
  t.test(`${name}: a whole reply is complete, its text every delta joined`, async (t) => {
    const { client } = await make(t)
    const stream = client.stream(ask('tell me everything'))
    const deltas: string[] = []
    for await (const delta of stream) deltas.push(delta)
    const outcome = await stream.outcome
    t.equal(outcome.status, 'complete')
    t.equal(outcome.error, null)
    t.equal(outcome.provider, client.provider)
    t.ok(deltas.length > 5, 'several deltas')
    t.equal(outcome.text, deltas.join(''))
    t.ok(outcome.usage.total_tokens > 0)
  })

  t.test(`${name}: an abort through the signal ends the stream as aborted, keeping what arrived`, async (t) => {
    const { client, checkAborted } = await make(t)
    const ac = new AbortController()
    const stream = client.stream({ ...ask('tell me everything'), signal: ac.signal })
    const deltas: string[] = []
    for await (const delta of stream) {
      deltas.push(delta)
      if (deltas.length === 2) ac.abort()
    }
    const outcome = await stream.outcome
    t.equal(outcome.status, 'aborted')
    t.equal(outcome.error?.code, 'llm_aborted')
    t.equal(outcome.text, deltas.join(''))
    t.ok(deltas.length < 5, 'the stream stopped soon after the abort')
    t.equal(outcome.usageEstimated, true, 'a cut reply\'s usage is estimated')
    await checkAborted(t, outcome)
  })

  t.test(`${name}: leaving the loop early aborts the call`, async (t) => {
    const { client } = await make(t)
    const stream = client.stream(ask('tell me everything'))
    const it = stream[Symbol.asyncIterator]()
    await it.next()
    await it.return?.()
    t.equal((await stream.outcome).status, 'aborted')
  })

  t.test(`${name}: an already aborted signal gives an aborted outcome and no text`, async (t) => {
    const { client } = await make(t)
    const outcome = await client.stream({ ...ask('x'), signal: AbortSignal.abort() }).outcome
    t.equal(outcome.status, 'aborted')
    t.equal(outcome.text, '')
  })

  t.test(`${name}: the outcome settles with no consumer, and a late loop still gets every delta`, async (t) => {
    const { client } = await make(t)
    const stream = client.stream(ask('no loop'))
    const outcome = await stream.outcome
    const late: string[] = []
    for await (const delta of stream) late.push(delta)
    t.equal(late.join(''), outcome.text)
  })

  t.test(`${name}: forEach gets every delta; a throw in it aborts the call and rejects`, async (t) => {
    const { client } = await make(t)
    const seen: string[] = []
    const whole = client.stream(ask('tell me everything'))
    await whole.forEach((delta) => seen.push(delta))
    t.equal(seen.join(''), (await whole.outcome).text)
    const cut = client.stream(ask('tell me everything'))
    await t.rejects(cut.forEach(() => { throw new Error('consumer failed') }), /consumer failed/)
    t.equal((await cut.outcome).status, 'aborted')
  })
}
