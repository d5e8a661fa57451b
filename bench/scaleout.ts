// Benchmark 6, scale-out: two server processes on one database. A visitor alternating between them keeps one session
// and one history (asserted), then POST /chat load on both at once, against one process alone in the same run.
//   node --import tsx bench/scaleout.ts [--duration 6] [--runs 3] [--connections 32] [--pool N] [--sessions 500]
import { parseArgs } from 'node:util'
import { createBenchDatabase, dropStaleBenchDatabases } from './lib/db.ts'
import { load, seedSessions, type LoadResult } from './lib/load.ts'
import { appPoolSize, loadTestOverlay, startFakeLlm, startServer, type ServerProcess } from './lib/processes.ts'
import { fmt, log, median, ratio, saveResult } from './lib/report.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '6' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: String(appPoolSize()) },
    sessions: { type: 'string', default: '500' }
  }
})
const durationS = Number(values.duration)
const runs = Number(values.runs)
const connections = Number(values.connections)
const poolSize = Number(values.pool)
const sessionCount = Number(values.sessions)

interface Check { step: string, ok: boolean, detail: string }

/** One visitor, alternating servers on every request: one cookie, one session id, one growing history. */
async function alternatingVisitor (a: ServerProcess, b: ServerProcess): Promise<Check[]> {
  const checks: Check[] = []
  const servers = [a, b]
  const first = await fetch(`${a.url}/api/session`)
  const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? ''
  const { session_id: sessionId } = await first.json() as { session_id: string }
  checks.push({ step: 'GET /api/session on A', ok: first.status === 200 && cookie !== '', detail: `session ${sessionId}` })
  for (let turn = 1; turn <= 4; turn++) {
    const chatOn = servers[turn % 2]!
    const readOn = servers[(turn + 1) % 2]!
    const res = await fetch(`${chatOn.url}/chat`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ message: `Message number ${turn}` })
    })
    const body = await res.json() as { session_id: string, reply: string }
    const name = chatOn === a ? 'A' : 'B'
    checks.push({ step: `POST /chat #${turn} on ${name}`, ok: res.status === 200 && body.session_id === sessionId && !res.headers.get('set-cookie')?.includes('Max-Age=0'), detail: `session ${body.session_id}` })
    const history = await fetch(`${readOn.url}/api/session/messages?limit=50`, { headers: { cookie } })
    const page = await history.json() as { messages: Array<{ role: string, content: string }> }
    const expected = turn * 2
    const lastHuman = page.messages.at(-2)?.content
    checks.push({
      step: `history on ${readOn === a ? 'A' : 'B'} after turn ${turn}`,
      ok: history.status === 200 && page.messages.length === expected && lastHuman === `Message number ${turn}`,
      detail: `${page.messages.length} messages (expected ${expected})`
    })
  }
  const summary = await fetch(`${b.url}/api/session`, { headers: { cookie } })
  const s = await summary.json() as { session_id: string, message_count: number }
  checks.push({ step: 'GET /api/session on B', ok: s.session_id === sessionId && s.message_count === 8, detail: `session ${s.session_id}, ${s.message_count} messages` })
  return checks
}

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('scaleout')
const fake = await startFakeLlm()
const cleanup: Array<() => Promise<void>> = [() => bdb.drop(), () => fake.stop()]
try {
  const overlay = loadTestOverlay(poolSize)
  const a = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay, label: 'A' })
  cleanup.unshift(() => a.stop())
  const b = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay, label: 'B' })
  cleanup.unshift(() => b.stop())
  const checks = await alternatingVisitor(a, b)
  for (const c of checks) log(`${c.ok ? 'ok ' : 'NOT OK'} ${c.step}: ${c.detail}`)
  const sessions = await seedSessions(bdb.db, sessionCount)
  const cookies = sessions.map((s) => s.cookie)
  const chat = (server: ServerProcess, conns: number, part: string[]) => load({
    url: server.url,
    method: 'POST',
    path: '/chat',
    body: JSON.stringify({ message: 'What does the premium plan include?' }),
    headers: { accept: 'application/json' },
    cookies: part,
    connections: conns,
    durationS
  })
  log('warm-up')
  await Promise.all([chat(a, connections / 2, cookies), chat(b, connections / 2, cookies)].map((p) => p.then(() => {})))
  const single: LoadResult[] = []
  const combined: number[] = []
  const half = Math.floor(cookies.length / 2)
  let failed = 0
  for (let r = 0; r < runs; r++) {
    const one = await chat(a, connections, cookies)
    single.push(one)
    // The same total concurrency split over both processes; visitors split too (each visitor sticks to nothing).
    const [x, y] = await Promise.all([chat(a, connections / 2, cookies.slice(0, half)), chat(b, connections / 2, cookies.slice(half))])
    combined.push(x.rps + y.rps)
    failed += one.non2xx + one.errors + x.non2xx + x.errors + y.non2xx + y.errors
    log(`run ${r + 1}: one process ${fmt(one.rps)} turns/s; two processes ${fmt(x.rps)} + ${fmt(y.rps)} = ${fmt(x.rps + y.rps)} turns/s`)
  }
  const one = median(single.map((s) => s.rps))
  const two = median(combined)
  const allOk = checks.every((c) => c.ok)
  saveResult({
    id: 'scaleout',
    title: '6. Scale-out (two server processes, one database)',
    rows: [
      { figure: 'visitor alternating A/B: one session, one history', value: allOk ? `${checks.length}/${checks.length} checks` : `${checks.filter((c) => c.ok).length}/${checks.length} checks`, comparison: '—', comparisonValue: '—', ratio: '—', target: 'all checks pass', met: allOk },
      { figure: 'combined turns/s, two processes', value: fmt(two), comparison: 'one process, same total connections', comparisonValue: fmt(one), ratio: ratio(two, one), target: 'reported', met: null },
      { figure: 'failed requests', value: String(failed), comparison: '—', comparisonValue: '—', ratio: '—', target: '0', met: failed === 0 }
    ],
    notes: [
      `Checks: ${checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.step} (${c.detail})`).join('; ')}.`,
      `${runs} runs of ${durationS} s (medians), ${connections} connections in all, POST /chat (JSON) with an instant fake LLM over ${sessionCount} sessions; each process has a pool of ${poolSize}.`,
      'On this 2-core machine the two processes compete for the same cores with Postgres, the fake LLM and the load generator, so the combined figure cannot show what a second machine would add; what this benchmark proves is the shared state (the checks).'
    ],
    details: '',
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const fn of cleanup) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
