// Benchmark 3, history at scale: 1,000,000 messages across 10,000 sessions; GET /api/session/messages (the 50
// newest) for many visitors: req/s and p99, against the same server's /health in the same run; and the plan.
//   node --import tsx bench/history.ts [--sessions 10000] [--per-session 100] [--duration 8] [--runs 3] [--connections 16] [--pool N]
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { createBenchDatabase, dropStaleBenchDatabases } from './lib/db.ts'
import { cpuBetween, cpuByPid, processCpuMs } from './lib/machine.ts'
import { load, seedSessions } from './lib/load.ts'
import type { CapturedQuery } from './lib/pgbench.ts'
import { appPoolSize, loadTestOverlay, startFakeLlm, startServer } from './lib/processes.ts'
import { fmt, log, median, ratio, saveResult } from './lib/report.ts'
import { seedMessages, withIndexesRebuilt } from './lib/seed.ts'

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '10000' },
    'per-session': { type: 'string', default: '100' },
    duration: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    pool: { type: 'string', default: String(appPoolSize()) },
    'cpu-prof': { type: 'string' }
  }
})
const sessionCount = Number(values.sessions)
const perSession = Number(values['per-session'])
const durationS = Number(values.duration)
const runs = Number(values.runs)
const connections = Number(values.connections)
const poolSize = Number(values.pool)

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('history')
const fake = await startFakeLlm()
const cleanup: Array<() => Promise<void>> = [() => bdb.drop(), () => fake.stop()]
try {
  log(`seeding ${sessionCount} sessions × ${perSession} messages`)
  const seedStart = performance.now()
  const sessions = await seedSessions(bdb.db, sessionCount)
  await withIndexesRebuilt(bdb.db, 'messages', () => seedMessages(bdb.db, sessions.map((s) => s.id), perSession))
  await sql`vacuum analyze messages`.execute(bdb.db)
  await sql`vacuum analyze sessions`.execute(bdb.db)
  const rows = Number((await sql<{ n: string }>`select count(*) as n from messages`.execute(bdb.db)).rows[0]!.n)
  const seedS = (performance.now() - seedStart) / 1000
  log(`seeded ${rows} messages in ${fmt(seedS)} s`)

  // The statement the server runs for a history page, captured from the server itself, then explained.
  const captureFile = join(tmpdir(), `salient-bench-history-${process.pid}.jsonl`)
  writeFileSync(captureFile, '')
  const capture = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay: loadTestOverlay(poolSize), sqlCaptureFile: captureFile, label: 'capture' })
  const visitor = sessions[Math.floor(sessions.length / 2)]!
  const page = await fetch(`${capture.url}/api/session/messages?limit=50`, { headers: { cookie: visitor.cookie } })
  const body = await page.json() as { messages: unknown[], has_more: boolean }
  await capture.stop()
  if (page.status !== 200 || body.messages.length !== 50 || !body.has_more) throw new Error(`history page: ${page.status}, ${body.messages.length} messages`)
  const statements = readFileSync(captureFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CapturedQuery)
  const historyQuery = statements.find((q) => /from "?messages"?/.test(q.text) && /order by/.test(q.text))
  if (!historyQuery) throw new Error('no history statement captured')
  const plan = await bdb.pool.query(`explain (analyze, buffers, costs off) ${historyQuery.text}`, historyQuery.params)
  const planText = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')
  const scan = /(Index Only Scan(?: Backward)?|Index Scan(?: Backward)?|Bitmap Heap Scan|Seq Scan) (?:using (\S+) )?on messages/.exec(planText)
  const sorted = /\bSort\b/.test(planText)
  const scanNode = scan ? `${scan[1]}${scan[2] ? ` using ${scan[2]}` : ''}` : 'unknown'
  log(`plan: ${scanNode}${sorted ? ' + Sort' : ', no Sort'}`)

  const server = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay: loadTestOverlay(poolSize), cpuProfileDir: values['cpu-prof'] })
  cleanup.unshift(() => server.stop())
  const cookies = sessions.map((s) => s.cookie)
  const history = { url: server.url, path: '/api/session/messages?limit=50', cookies, connections }
  const health = { url: server.url, path: '/health', connections }
  log('warm-up')
  await load({ ...history, durationS: 2 })
  await load({ ...health, durationS: 2 })
  type Run = { rps: number, p50: number, p99: number, failed: number, serverCpu: number, pgCpu: number }
  const h: Run[] = []
  const k: Run[] = []
  const backends = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(bdb.db)).rows.map((r) => r.pid)
  /** One load run, with the CPU each request cost the server and Postgres (robust to the machine's other load). */
  const measure = async (opts: typeof history | typeof health): Promise<Run> => {
    const server0 = processCpuMs(server.pid)
    const pg0 = cpuByPid(await backends())
    const a = await load({ ...opts, durationS })
    const ok = Math.max(1, a.ok)
    return { rps: a.rps, p50: a.p50, p99: a.p99, failed: a.non2xx + a.errors, serverCpu: (processCpuMs(server.pid) - server0) / ok, pgCpu: cpuBetween(pg0, cpuByPid(await backends())) / ok }
  }
  for (let r = 0; r < runs; r++) {
    const a = await measure(history)
    h.push(a)
    const b = await measure(health)
    k.push(b)
    log(`run ${r + 1}: history ${fmt(a.rps)} req/s p50 ${fmt(a.p50, 2)} p99 ${fmt(a.p99, 2)} ms, CPU/request server ${fmt(a.serverCpu, 2)} Postgres ${fmt(a.pgCpu, 2)} ms; health ${fmt(b.rps)} req/s p50 ${fmt(b.p50, 2)} p99 ${fmt(b.p99, 2)} ms, CPU/request server ${fmt(b.serverCpu, 2)} Postgres ${fmt(b.pgCpu, 2)} ms`)
  }
  const rps = median(h.map((x) => x.rps))
  const healthRps = median(k.map((x) => x.rps))
  const p99 = median(h.map((x) => x.p99))
  const healthP99 = median(k.map((x) => x.p99))
  const failed = h.reduce((n, x) => n + x.failed, 0) + k.reduce((n, x) => n + x.failed, 0)
  const indexPath = scan !== null && scan[1]!.startsWith('Index') && !sorted
  saveResult({
    id: 'history',
    title: `3. History at scale (${fmt(rows, 0)} messages, ${fmt(sessionCount, 0)} sessions, 50 newest)`,
    rows: [
      { figure: 'history req/s', value: fmt(rps), comparison: '/health req/s (select 1)', comparisonValue: fmt(healthRps), ratio: ratio(rps, healthRps), target: '≥ 0.50×', met: rps >= 0.5 * healthRps },
      { figure: 'history p99', value: `${fmt(p99, 2)} ms`, comparison: '/health p99', comparisonValue: `${fmt(healthP99, 2)} ms`, ratio: ratio(p99, healthP99), target: '≤ 10 ms', met: p99 <= 10 },
      { figure: 'CPU per request: server / Postgres', value: `${fmt(median(h.map((x) => x.serverCpu)), 2)} / ${fmt(median(h.map((x) => x.pgCpu)), 2)} ms`, comparison: '/health', comparisonValue: `${fmt(median(k.map((x) => x.serverCpu)), 2)} / ${fmt(median(k.map((x) => x.pgCpu)), 2)} ms`, ratio: '—', target: '—', met: null },
      { figure: 'plan of the history query', value: `${scanNode}${sorted ? ' + Sort' : ', no Sort'}`, comparison: '—', comparisonValue: '—', ratio: '—', target: 'index path, no Sort', met: indexPath },
      { figure: 'failed requests', value: String(failed), comparison: '—', comparisonValue: '—', ratio: '—', target: '0', met: failed === 0 }
    ],
    notes: [
      `${runs} runs of ${durationS} s each (medians), ${connections} autocannon connections; each request is a different returning visitor (cookie) out of ${fmt(sessionCount, 0)}; server pool ${poolSize}.`,
      `Per run, history req/s ${h.map((x) => fmt(x.rps)).join(', ')} (p99 ${h.map((x) => fmt(x.p99, 2)).join(', ')} ms); health req/s ${k.map((x) => fmt(x.rps)).join(', ')}.`,
      'Each history request resumes the session (a read) and its page statement records the activity (an UPDATE of last_activity_at in the same statement, a committed write), as SPEC §4 requires; Postgres builds the response JSON.',
      `Seeding ${fmt(rows, 0)} rows took ${fmt(seedS)} s (SQL generate_series, indexes rebuilt after, VACUUM ANALYZE).`,
      'An Index Only Scan is not possible for this query: it returns content and metadata, which the index (session_id, created_at, id) does not hold; the plan reads the 51 newest index entries backwards and fetches only those rows.'
    ],
    details: `Statement (captured from the server):\n\n\`\`\`sql\n${historyQuery.text}\n\`\`\`\n\n\`EXPLAIN (ANALYZE, BUFFERS)\` for a session with ${perSession} messages:\n\n\`\`\`\n${planText}\n\`\`\``,
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const fn of cleanup) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
