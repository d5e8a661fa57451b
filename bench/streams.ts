// Benchmark 4, concurrent streams: N simultaneous streams (default 2,000), each about S seconds long (default 30),
// on one server process: all complete and persist; peak RSS; the server's event-loop delay (opt-in preload).
// Streams open over --ramp seconds (visitors arrive; they do not all click in the same millisecond), so with the
// defaults all 2,000 are open together for about 20 s.
//   node --import tsx bench/streams.ts [--streams 2000] [--seconds 30] [--ramp 10] [--pool N]
import { Agent } from 'node:http'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { createBenchDatabase, dropStaleBenchDatabases } from './lib/db.ts'
import { listenOverflows, openFilesLimit } from './lib/machine.ts'
import { appPoolSize, loadTestOverlay, startFakeLlm, startServer } from './lib/processes.ts'
import { fmt, log, percentile, saveResult } from './lib/report.ts'
import { timeStream, type StreamTiming } from './lib/sse.ts'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '30' },
    ramp: { type: 'string', default: '10' },
    pool: { type: 'string', default: String(appPoolSize()) },
    'cpu-prof': { type: 'string' }
  }
})
const streamCount = Number(values.streams)
const seconds = Number(values.seconds)
const rampS = Number(values.ramp)
const poolSize = Number(values.pool)
const DELTAS = 60
const interChunkMs = Math.round((seconds * 1000) / DELTAS)

if (openFilesLimit() < streamCount + 500) {
  throw new Error(`${streamCount} streams need more open files than this process may have (${openFilesLimit()}): run \`ulimit -n ${streamCount * 2 + 1000}\` first`)
}

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('streams')
const fake = await startFakeLlm({ firstTokenDelayMs: 0, interChunkDelayMs: interChunkMs, deltas: DELTAS })
const cleanup: Array<() => Promise<void>> = [() => bdb.drop(), () => fake.stop()]
try {
  const server = await startServer({
    databaseUrl: bdb.url,
    llmUrl: fake.url,
    overlay: loadTestOverlay(poolSize, { llm: { timeout_ms: (seconds + 60) * 1000 } }),
    eventLoopDelay: true,
    cpuProfileDir: values['cpu-prof']
  })
  cleanup.unshift(() => server.stop())
  const baseline = server.memory()
  let peakRss = baseline.rssMb
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, server.memory().rssMb) }, 250)
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity })
  await server.resetEventLoopDelay()
  log(`opening ${streamCount} streams over ${rampS} s, each ${DELTAS} deltas ${interChunkMs} ms apart`)
  let open = 0
  let maxOpen = 0
  const overflows0 = listenOverflows()
  const t0 = performance.now()
  const results: StreamTiming[] = await Promise.all(Array.from({ length: streamCount }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, (i / streamCount) * rampS * 1000))
    open++
    maxOpen = Math.max(maxOpen, open)
    // No cookie: each stream is a new visitor, and the stream creates its session.
    const t = await timeStream({
      url: `${server.url}/events/stream?message=${encodeURIComponent(`Tell me everything about plan ${i}`)}`,
      headers: { accept: 'text/event-stream' },
      agent,
      timeoutMs: (seconds + 90) * 1000
    })
    open--
    return t
  }))
  const wallS = (performance.now() - t0) / 1000
  const overflows = listenOverflows() - overflows0
  clearInterval(sampler)
  const eld = await server.eventLoopDelay()
  const memory = server.memory()
  peakRss = Math.max(peakRss, memory.rssMb)
  agent.destroy()

  const completed = results.filter((r) => r.status === 200 && r.ended && !r.error && r.deltas >= DELTAS).length
  const errors = new Map<string, number>()
  for (const r of results) if (!(r.status === 200 && r.ended && !r.error)) errors.set(r.error ?? `status ${r.status}`, (errors.get(r.error ?? `status ${r.status}`) ?? 0) + 1)
  const persisted = await sql<{ replies: string, requests: string, sessions: string }>`
    select (select count(*) from messages where role = 'assistant' and metadata->>'status' = 'complete') as replies,
           (select count(*) from llm_requests) as requests,
           (select count(*) from sessions) as sessions`.execute(bdb.db)
  const { replies, requests, sessions } = persisted.rows[0]!
  const durations = results.map((r) => r.totalMs / 1000)
  log(`completed ${completed}/${streamCount} in ${fmt(wallS)} s; persisted replies ${replies}, llm_requests ${requests}; peak RSS ${fmt(peakRss)} MB (VmHWM ${fmt(memory.hwmMb)}); ELD p99 ${eld?.p99} ms`)
  const allPersisted = Number(replies) === streamCount && Number(requests) === streamCount
  saveResult({
    id: 'streams',
    title: `4. Concurrent streams (${fmt(streamCount, 0)} × ${seconds} s on one server process)`,
    rows: [
      { figure: 'streams completed', value: `${completed} / ${streamCount}`, comparison: '—', comparisonValue: '—', ratio: '—', target: 'all', met: completed === streamCount },
      { figure: 'replies persisted (complete) / llm_requests rows', value: `${replies} / ${requests}`, comparison: 'streams opened', comparisonValue: String(streamCount), ratio: '—', target: 'all', met: allPersisted },
      { figure: 'peak RSS of the server', value: `${fmt(Math.max(peakRss, memory.hwmMb))} MB`, comparison: 'RSS when idle after start', comparisonValue: `${fmt(baseline.rssMb)} MB`, ratio: '—', target: '≤ 300 MB', met: Math.max(peakRss, memory.hwmMb) <= 300 },
      { figure: 'event-loop delay p99 (max)', value: eld ? `${fmt(eld.p99, 1)} ms (${fmt(eld.max, 1)})` : 'n/a', comparison: 'event-loop delay p50', comparisonValue: eld ? `${fmt(eld.p50, 1)} ms` : 'n/a', ratio: '—', target: '≤ 50 ms', met: eld ? eld.p99 <= 50 : false }
    ],
    notes: [
      `Streams opened over ${rampS} s (${fmt(streamCount / rampS, 0)}/s), each a new visitor whose stream creates its session; at most ${maxOpen} open at once; each reply is ${DELTAS} deltas ${interChunkMs} ms apart.`,
      `Stream duration p50 ${fmt(percentile(durations, 50))} s, max ${fmt(percentile(durations, 100))} s; the whole run took ${fmt(wallS)} s; ${sessions} sessions created.`,
      errors.size ? `Failures: ${[...errors].map(([e, n]) => `${n}× ${e}`).join('; ')}.` : 'No failures.',
      `Connections the kernel dropped because a listen queue was full during the run (machine-wide TcpExt ListenOverflows): ${overflows}.`,
      'Event-loop delay: perf_hooks.monitorEventLoopDelay (10 ms resolution, resolution subtracted) in the server process through bench/lib/eld-preload.ts, from the first stream to the last.',
      `Server pool ${poolSize}; RSS sampled every 250 ms from /proc/<pid>/status, and VmHWM.${eld ? ` Peaks inside the server: V8 heap used ${fmt(eld.heapUsedMb)} MB of ${fmt(eld.heapTotalMb)} MB allocated, external ${fmt(eld.externalMb)} MB (array buffers ${fmt(eld.arrayBuffersMb)} MB).` : ''}`
    ],
    details: '',
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const fn of cleanup) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
