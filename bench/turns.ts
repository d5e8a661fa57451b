// Benchmark 1, turn throughput: POST /chat (JSON) with an instant fake LLM, many sessions, autocannon; in the same
// run, pgbench replays exactly the SQL one turn executes (captured from the server) for the Postgres ceiling.
//   node --import tsx bench/turns.ts [--duration 8] [--runs 3] [--connections 32] [--pool N] [--sessions 500]
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { createBenchDatabase, dropStaleBenchDatabases } from './lib/db.ts'
import { cpuBetween, cpuByPid, processCpuMs } from './lib/machine.ts'
import { load, seedSessions } from './lib/load.ts'
import { pgbench, seedPgbenchSessions, turnScript, type CapturedQuery } from './lib/pgbench.ts'
import { appPoolSize, loadTestOverlay, startFakeLlm, startServer } from './lib/processes.ts'
import { fmt, log, median, ratio, saveResult } from './lib/report.ts'
import { hashSessionKey } from '../plugins/app/session.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: String(appPoolSize()) },
    sessions: { type: 'string', default: '500' },
    'cpu-prof': { type: 'string' }
  }
})
const durationS = Number(values.duration)
const runs = Number(values.runs)
const connections = Number(values.connections)
const poolSize = Number(values.pool)
const sessionCount = Number(values.sessions)
const MESSAGE = 'What does the premium plan include?'

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('turns')
const fake = await startFakeLlm()
const cleanup: Array<() => Promise<void>> = [() => bdb.drop(), () => fake.stop()]
try {
  const sessions = await seedSessions(bdb.db, sessionCount)
  await seedPgbenchSessions(bdb.db, sessionCount)

  // The SQL of one turn, from the server itself: the second turn of a returning visitor (the first warms up).
  const captureFile = join(tmpdir(), `salient-bench-sql-${process.pid}.jsonl`)
  writeFileSync(captureFile, '')
  const capture = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay: loadTestOverlay(poolSize), sqlCaptureFile: captureFile, label: 'capture' })
  const turn = () => fetch(`${capture.url}/chat`, {
    method: 'POST',
    headers: { cookie: sessions[0]!.cookie, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ message: MESSAGE })
  }).then(async (res) => { if (res.status !== 200) throw new Error(`capture turn: ${res.status} ${await res.text()}`) })
  await turn()
  const offset = readFileSync(captureFile, 'utf8').length
  await turn()
  await capture.stop()
  const queries = readFileSync(captureFile, 'utf8').slice(offset).trim().split('\n').map((l) => JSON.parse(l) as CapturedQuery)
  const script = turnScript(queries, { id: sessions[0]!.id, keyHash: hashSessionKey(sessions[0]!.key) }, sessionCount)
  const scriptFile = join(tmpdir(), `salient-bench-turn-${process.pid}.sql`)
  log(`one turn executes ${queries.length} statements; pgbench script written to ${scriptFile}`)

  const server = await startServer({
    databaseUrl: bdb.url,
    llmUrl: fake.url,
    overlay: loadTestOverlay(poolSize),
    cpuProfileDir: values['cpu-prof']
  })
  cleanup.unshift(() => server.stop())
  const chat = {
    url: server.url,
    method: 'POST' as const,
    path: '/chat',
    body: JSON.stringify({ message: MESSAGE }),
    headers: { accept: 'application/json' },
    cookies: sessions.map((s) => s.cookie),
    connections
  }
  log('warm-up')
  await load({ ...chat, durationS: 3 })
  await pgbench({ url: bdb.url, script, scriptFile, clients: poolSize, durationS: 2 })

  const countTurns = async () => Number((await sql<{ n: string }>`select count(*) as n from llm_requests`.execute(bdb.db)).rows[0]!.n)
  const backends = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(bdb.db)).rows.map((r) => r.pid)
  const app: Array<{ turnsPerS: number, persistedPerS: number, p50: number, p99: number, failed: number, serverCpu: number, pgCpu: number, fakeCpu: number, loadCpu: number }> = []
  const ceiling: number[] = []
  for (let r = 0; r < runs; r++) {
    const before = await countTurns()
    // CPU per turn of each process: unlike throughput, it hardly moves with what else the machine is doing.
    const cpu0 = { server: processCpuMs(server.pid), fake: processCpuMs(fake.pid), pg: cpuByPid(await backends()), self: processCpuMs(process.pid) }
    const result = await load({ ...chat, durationS })
    const cpu1 = { server: processCpuMs(server.pid), fake: processCpuMs(fake.pid), pg: cpuByPid(await backends()), self: processCpuMs(process.pid) }
    await new Promise((resolve) => setTimeout(resolve, 500))
    const persisted = (await countTurns()) - before
    const perTurn = (ms: number) => ms / Math.max(1, persisted)
    app.push({
      turnsPerS: result.rps,
      persistedPerS: persisted / result.durationS,
      p50: result.p50,
      p99: result.p99,
      failed: result.non2xx + result.errors,
      serverCpu: perTurn(cpu1.server - cpu0.server),
      pgCpu: perTurn(cpuBetween(cpu0.pg, cpu1.pg)),
      fakeCpu: perTurn(cpu1.fake - cpu0.fake),
      loadCpu: perTurn(cpu1.self - cpu0.self)
    })
    const a = app.at(-1)!
    log(`run ${r + 1}: ${fmt(result.rps)} turns/s answered, ${fmt(a.persistedPerS)} persisted/s, p50 ${fmt(result.p50, 2)} ms, p99 ${fmt(result.p99, 2)} ms, ${result.non2xx} non-2xx, ${result.errors} errors; CPU per turn: server ${fmt(a.serverCpu, 2)} ms, Postgres ${fmt(a.pgCpu, 2)} ms, fake LLM ${fmt(a.fakeCpu, 2)} ms, autocannon ${fmt(a.loadCpu, 2)} ms`)
    const pg = await pgbench({ url: bdb.url, script, scriptFile, clients: poolSize, durationS })
    ceiling.push(pg.tps)
    log(`run ${r + 1}: pgbench ${fmt(pg.tps)} tps (${pg.failed} failed)`)
  }

  // The protocol the app speaks today (unnamed statements, parsed and planned on every execution), once.
  const extended = await pgbench({ url: bdb.url, script, scriptFile, clients: poolSize, durationS, mode: 'extended' })
  log(`pgbench -M extended: ${fmt(extended.tps)} tps`)

  const turnsPerS = median(app.map((a) => a.persistedPerS))
  const pgTps = median(ceiling)
  const p50 = median(app.map((a) => a.p50))
  const p99 = median(app.map((a) => a.p99))
  const failed = app.reduce((n, a) => n + a.failed, 0)
  saveResult({
    id: 'turns',
    title: '1. Turn throughput (POST /chat, instant fake LLM)',
    rows: [
      { figure: 'persisted turns/s', value: fmt(turnsPerS), comparison: `pgbench, the turn's ${queries.length} statements (-M prepared, ${poolSize} clients)`, comparisonValue: `${fmt(pgTps)} tps`, ratio: ratio(turnsPerS, pgTps), target: '≥ 0.50×', met: turnsPerS >= 0.5 * pgTps },
      { figure: 'pgbench ceiling with unnamed statements (-M extended, as the app sends them)', value: `${fmt(extended.tps)} tps`, comparison: 'pgbench -M prepared', comparisonValue: `${fmt(pgTps)} tps`, ratio: ratio(extended.tps, pgTps), target: '—', met: null },
      { figure: 'latency p50 / p99', value: `${fmt(p50, 1)} / ${fmt(p99, 1)} ms`, comparison: 'pgbench latency per turn', comparisonValue: `${fmt(1000 * poolSize / pgTps, 1)} ms avg`, ratio: '—', target: '—', met: null },
      { figure: 'CPU per turn: server / Postgres / fake LLM / autocannon', value: `${fmt(median(app.map((a) => a.serverCpu)), 2)} / ${fmt(median(app.map((a) => a.pgCpu)), 2)} / ${fmt(median(app.map((a) => a.fakeCpu)), 2)} / ${fmt(median(app.map((a) => a.loadCpu)), 2)} ms`, comparison: 'turns/s the cores could give at that cost', comparisonValue: fmt(2000 / median(app.map((a) => a.serverCpu + a.pgCpu + a.fakeCpu + a.loadCpu))), ratio: '—', target: '—', met: null },
      { figure: 'failed requests', value: String(failed), comparison: '—', comparisonValue: '—', ratio: '—', target: '0', met: failed === 0 }
    ],
    notes: [
      `${runs} runs of ${durationS} s each (medians), ${connections} autocannon connections over ${sessionCount} seeded sessions, server pool ${poolSize}; app and pgbench runs interleaved on the same database.`,
      `Persisted turns/s counts llm_requests rows written during the run; answered turns/s: ${app.map((a) => fmt(a.turnsPerS)).join(', ')}.`,
      `Per run: turns/s ${app.map((a) => fmt(a.persistedPerS)).join(', ')}; pgbench tps ${ceiling.map((t) => fmt(t)).join(', ')}.`,
      'The load generator (autocannon), the server, the fake LLM and Postgres share the 2 cores; pgbench only competes with Postgres.'
    ],
    details: `pgbench script (captured from the server, one returning visitor's turn):\n\n\`\`\`sql\n${script.length > 4000 ? `${script.slice(0, 4000)}…` : script}\`\`\``,
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const fn of cleanup) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
