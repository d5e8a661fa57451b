// Benchmark: a customer's timeline (SPEC §10). One customer with 20 linked sessions × 500 messages among many
// anonymous sessions; GET /api/session/messages (the 50 newest of the whole timeline) from the linked sessions:
// req/s and p99, against an anonymous session's history page in the same run; and the plan of the timeline statement.
//   node --import tsx bench/customer-history.ts [--linked 20] [--per-linked 500] [--sessions 5000] [--per-session 20] [--duration 5] [--runs 2] [--connections 16]
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { createBenchDatabase, dropStaleBenchDatabases } from './lib/db.ts'
import { load, seedSessions } from './lib/load.ts'
import { appPoolSize, loadTestOverlay, startFakeLlm, startServer } from './lib/processes.ts'
import { fmt, log, median, ratio, saveResult } from './lib/report.ts'
import { seedMessages, withIndexesRebuilt } from './lib/seed.ts'
import { customerPageQuery } from '../db/repositories/messages.ts'
import { uuidv7 } from '../db/uuid7.ts'

const { values } = parseArgs({
  options: {
    linked: { type: 'string', default: '20' },
    'per-linked': { type: 'string', default: '500' },
    sessions: { type: 'string', default: '5000' },
    'per-session': { type: 'string', default: '20' },
    duration: { type: 'string', default: '5' },
    runs: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' }
  }
})
const linkedCount = Number(values.linked)
const perLinked = Number(values['per-linked'])
const sessionCount = Number(values.sessions)
const perSession = Number(values['per-session'])
const durationS = Number(values.duration)
const runs = Number(values.runs)
const connections = Number(values.connections)
const poolSize = appPoolSize()

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('customer_history')
const fake = await startFakeLlm()
const cleanup: Array<() => Promise<void>> = [() => bdb.drop(), () => fake.stop()]
try {
  log(`seeding ${sessionCount} anonymous sessions × ${perSession} messages and one customer with ${linkedCount} sessions × ${perLinked}`)
  const anonymous = await seedSessions(bdb.db, sessionCount)
  const linked = await seedSessions(bdb.db, linkedCount)
  await withIndexesRebuilt(bdb.db, 'messages', async () => {
    await seedMessages(bdb.db, anonymous.map((s) => s.id), perSession)
    await seedMessages(bdb.db, linked.map((s) => s.id), perLinked)
  })
  const customerId = uuidv7()
  await bdb.db.insertInto('customers').values({ id: customerId, email: 'bench@example.com' }).execute()
  await bdb.db.updateTable('sessions').set({ customer_id: customerId }).where('id', 'in', linked.map((s) => s.id)).execute()
  await sql`vacuum analyze messages`.execute(bdb.db)
  await sql`vacuum analyze sessions`.execute(bdb.db)
  const rows = Number((await sql<{ n: string }>`select count(*) as n from messages`.execute(bdb.db)).rows[0]!.n)

  const plan = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers, costs off) ${customerPageQuery(linked[0]!.id, customerId, 50)}`.execute(bdb.db)
  const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n')
  const perSessionScan = /(Index Scan Backward using idx_messages_session_created|Bitmap Index Scan on idx_messages_session_created|Seq Scan on messages)/.exec(planText)?.[1] ?? 'unknown'
  const indexPath = perSessionScan.includes('idx_messages_session_created') && !/Seq Scan on messages/.test(planText)
  log(`plan: per linked session ${perSessionScan}`)

  const server = await startServer({ databaseUrl: bdb.url, llmUrl: fake.url, overlay: loadTestOverlay(poolSize) })
  cleanup.unshift(() => server.stop())
  const first = await fetch(`${server.url}/api/session/messages?limit=50`, { headers: { cookie: linked[0]!.cookie } })
  const page = await first.json() as { messages: Array<{ id: string }>, has_more: boolean }
  if (first.status !== 200 || page.messages.length !== 50 || !page.has_more) throw new Error(`timeline page: ${first.status}, ${page.messages.length}`)

  const timeline = { url: server.url, path: '/api/session/messages?limit=50', cookies: linked.map((s) => s.cookie), connections }
  const own = { url: server.url, path: '/api/session/messages?limit=50', cookies: anonymous.map((s) => s.cookie), connections }
  log('warm-up')
  await load({ ...timeline, durationS: 2 })
  await load({ ...own, durationS: 2 })
  const t: Array<{ rps: number, p99: number, failed: number }> = []
  const a: Array<{ rps: number, p99: number, failed: number }> = []
  for (let r = 0; r < runs; r++) {
    const x = await load({ ...timeline, durationS })
    const y = await load({ ...own, durationS })
    t.push({ rps: x.rps, p99: x.p99, failed: x.non2xx + x.errors })
    a.push({ rps: y.rps, p99: y.p99, failed: y.non2xx + y.errors })
    log(`run ${r + 1}: customer timeline ${fmt(x.rps)} req/s p99 ${fmt(x.p99, 2)} ms; anonymous history ${fmt(y.rps)} req/s p99 ${fmt(y.p99, 2)} ms`)
  }
  const rps = median(t.map((x) => x.rps))
  const p99 = median(t.map((x) => x.p99))
  const anonRps = median(a.map((x) => x.rps))
  const anonP99 = median(a.map((x) => x.p99))
  const failed = [...t, ...a].reduce((n, x) => n + x.failed, 0)
  saveResult({
    id: 'customer-history',
    title: `Customer timeline (${linkedCount} linked sessions × ${perLinked} messages, ${fmt(rows, 0)} messages in all, 50 newest)`,
    rows: [
      { figure: 'timeline req/s', value: fmt(rps), comparison: 'anonymous history req/s', comparisonValue: fmt(anonRps), ratio: ratio(rps, anonRps), target: '—', met: null },
      { figure: 'timeline p99', value: `${fmt(p99, 2)} ms`, comparison: 'anonymous history p99', comparisonValue: `${fmt(anonP99, 2)} ms`, ratio: ratio(p99, anonP99), target: '≤ 10 ms', met: p99 <= 10 },
      { figure: 'plan: each linked session read by', value: perSessionScan, comparison: '—', comparisonValue: '—', ratio: '—', target: 'idx_messages_session_created, no Seq Scan', met: indexPath },
      { figure: 'failed requests', value: String(failed), comparison: '—', comparisonValue: '—', ratio: '—', target: '0', met: failed === 0 }
    ],
    notes: [
      `${runs} runs of ${durationS} s each (medians), ${connections} autocannon connections, server pool ${poolSize}; the timeline requests rotate over the customer's ${linkedCount} session cookies, the anonymous ones over ${fmt(sessionCount, 0)} visitors.`,
      'The timeline statement reads, per linked session (LATERAL), its newest 51 messages before the cursor from the (session_id, created_at, id) index, merges those and keeps 50: the work grows with the number of linked sessions, not with their length.'
    ],
    details: `\`EXPLAIN (ANALYZE, BUFFERS)\` of the timeline page:\n\n\`\`\`\n${planText}\n\`\`\``,
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const fn of cleanup) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
