// Benchmark 2, added time to first token: streams (GET /events/stream) against a fake LLM with a fixed first-token
// delay, at N concurrent streams; the client's time to the first delta minus that delay. In the same run the same
// client streams straight from the fake, which gives the floor of the measurement itself.
//   node --import tsx bench/ttft.ts [--concurrency 100] [--delay 200] [--duration 12] [--runs 3] [--pool N] [--deltas 40] [--inter-chunk 50]
import { Agent } from 'node:http'
import { parseArgs } from 'node:util'
import { createBenchDatabase, dropStaleBenchDatabases } from './lib/db.ts'
import { seedSessions, type SeededSession } from './lib/load.ts'
import { appPoolSize, loadTestOverlay, startFakeLlm, startServer } from './lib/processes.ts'
import { fmt, log, median, percentile, ratio, saveResult } from './lib/report.ts'
import { timeStream, type StreamTiming } from './lib/sse.ts'

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '100' },
    delay: { type: 'string', default: '200' },
    duration: { type: 'string', default: '12' },
    runs: { type: 'string', default: '3' },
    pool: { type: 'string', default: String(appPoolSize()) },
    deltas: { type: 'string', default: '40' },
    'inter-chunk': { type: 'string', default: '50' }
  }
})
const concurrency = Number(values.concurrency)
const delayMs = Number(values.delay)
const durationS = Number(values.duration)
const runs = Number(values.runs)
const poolSize = Number(values.pool)
// By default a reply of about two seconds, as a short real one: 100 concurrent streams are then ~45 new turns a second.
const DELTAS = Number(values.deltas)
const INTER_CHUNK_MS = Number(values['inter-chunk'])

interface Sample { added: number[], failures: number, streams: number }

/** `concurrency` closed-loop clients, each starting its next stream when the last one ends, for durationS. */
async function closedLoop (open: (client: number) => Promise<StreamTiming>, seconds: number): Promise<Sample> {
  const added: number[] = []
  let failures = 0
  let streams = 0
  const deadline = performance.now() + seconds * 1000
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    // Spread the first requests over one stream's length, as arrivals of independent visitors would be.
    await new Promise((resolve) => setTimeout(resolve, (client / concurrency) * (delayMs + DELTAS * INTER_CHUNK_MS)))
    while (performance.now() < deadline) {
      const t = await open(client)
      streams++
      if (t.status !== 200 || t.error || !t.ended || Number.isNaN(t.firstDeltaMs)) failures++
      else added.push(t.firstDeltaMs - delayMs)
    }
  }))
  return { added, failures, streams }
}

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('ttft')
const fake = await startFakeLlm({ firstTokenDelayMs: delayMs, interChunkDelayMs: INTER_CHUNK_MS, deltas: DELTAS })
const cleanup: Array<() => Promise<void>> = [() => bdb.drop(), () => fake.stop()]
try {
  const sessions: SeededSession[] = await seedSessions(bdb.db, concurrency)
  const server = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay: loadTestOverlay(poolSize) })
  cleanup.unshift(() => server.stop())
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 })
  const viaServer = (client: number) => timeStream({
    url: `${server.url}/events/stream?message=${encodeURIComponent('What are your opening hours?')}`,
    headers: { cookie: sessions[client]!.cookie, accept: 'text/event-stream' },
    agent
  })
  const body = JSON.stringify({ model: 'openai/gpt-oss-20b', stream: true, messages: [{ role: 'user', content: 'What are your opening hours?' }] })
  const direct = () => timeStream({
    url: `${fake.url}/chat/completions`,
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json', accept: 'text/event-stream' },
    body,
    agent
  })

  log('warm-up')
  await Promise.all(sessions.map((_, i) => viaServer(i)))
  const server50: number[] = []
  const server99: number[] = []
  const direct50: number[] = []
  const direct99: number[] = []
  let failures = 0
  let streams = 0
  for (let r = 0; r < runs; r++) {
    const s = await closedLoop(viaServer, durationS)
    const d = await closedLoop(direct, durationS / 2)
    failures += s.failures + d.failures
    streams += s.streams
    server50.push(percentile(s.added, 50))
    server99.push(percentile(s.added, 99))
    direct50.push(percentile(d.added, 50))
    direct99.push(percentile(d.added, 99))
    log(`run ${r + 1}: via server ${s.streams} streams, added p50 ${fmt(server50.at(-1)!, 2)} p99 ${fmt(server99.at(-1)!, 2)} ms; direct ${d.streams} streams, p50 ${fmt(direct50.at(-1)!, 2)} p99 ${fmt(direct99.at(-1)!, 2)} ms; failures ${s.failures + d.failures}`)
  }
  agent.destroy()
  const p50 = median(server50)
  const p99 = median(server99)
  const d50 = median(direct50)
  const d99 = median(direct99)
  saveResult({
    id: 'ttft',
    title: `2. Added time to first token (${concurrency} concurrent streams, ${delayMs} ms first-token delay)`,
    rows: [
      { figure: 'added TTFT p50', value: `${fmt(p50, 2)} ms`, comparison: 'same client straight to the fake LLM', comparisonValue: `${fmt(d50, 2)} ms`, ratio: ratio(p50, d50), target: '≤ 3 ms', met: p50 <= 3 },
      { figure: 'added TTFT p99', value: `${fmt(p99, 2)} ms`, comparison: 'same client straight to the fake LLM', comparisonValue: `${fmt(d99, 2)} ms`, ratio: ratio(p99, d99), target: '≤ 15 ms', met: p99 <= 15 },
      { figure: 'failed streams', value: String(failures), comparison: '—', comparisonValue: '—', ratio: '—', target: '0', met: failures === 0 }
    ],
    notes: [
      `${runs} runs of ${durationS} s through the server and ${durationS / 2} s straight to the fake (medians of the per-run percentiles); ${concurrency} closed-loop clients, each a returning visitor with its own session; ${streams} streams through the server in all.`,
      `Added = time to the first delta event − the fake's ${delayMs} ms first-token delay. It includes the session lookup, saving the human message, profile extraction, loading the context and the call to the LLM.`,
      `Per run, via server p50/p99: ${server50.map((v, i) => `${fmt(v, 2)}/${fmt(server99[i]!, 2)}`).join(', ')} ms; direct: ${direct50.map((v, i) => `${fmt(v, 2)}/${fmt(direct99[i]!, 2)}`).join(', ')} ms.`,
      `Each reply is ${DELTAS} deltas ${INTER_CHUNK_MS} ms apart; server pool ${poolSize}.`
    ],
    details: '',
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const fn of cleanup) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
