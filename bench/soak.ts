// Soak: mixed traffic against the real server (its own process) and the fake LLM for a while, with one Postgres
// restart in the middle, then a check that every acknowledged turn is stored with its reply. The server's RSS and
// event-loop delay are sampled throughout. Postgres here is a DEDICATED embedded instance (temp folder, free port)
// that this script stops and starts: the machine's shared server is never touched.
//   node --import tsx bench/soak.ts [--minutes 10] [--visitors 40] [--outage-s 3] [--pool 10] [--sample-s 10]
// A turn is acknowledged when the server said it took the message: 200 on POST /chat, the 200 event-stream headers on
// GET /events/stream (sent after the human message is committed).
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import { migrateToLatest } from '../db/migrate.ts'
import type { DB } from '../db/types.ts'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres.ts'
import { loadTestOverlay, startFakeLlm, startServer } from './lib/processes.ts'
import { freePort } from '../test/helpers/free-port.ts'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    visitors: { type: 'string', default: '40' },
    'outage-s': { type: 'string', default: '3' },
    pool: { type: 'string', default: '10' },
    'sample-s': { type: 'string', default: '10' }
  }
})
const durationMs = Number(values.minutes) * 60_000
const visitors = Number(values.visitors)
const outageMs = Number(values['outage-s']) * 1000
const sampleMs = Number(values['sample-s']) * 1000

interface Acknowledged { clientMessageId: string, kind: 'post' | 'stream', ended: boolean }

const tally = {
  requests: 0,
  byOutcome: new Map<string, number>(),
  acknowledged: [] as Acknowledged[],
  notAcknowledged: 0,
  streamsWithoutEnd: 0
}
const count = (key: string) => tally.byOutcome.set(key, (tally.byOutcome.get(key) ?? 0) + 1)
const log = (line: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`)

// --- Postgres: a dedicated embedded instance, restartable ---
const dir = mkdtempSync(path.join(tmpdir(), 'salient-soak-'))
chmodSync(dir, 0o755) // as root, Postgres runs as its own user and must reach the data folder
const pgOptions = { dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'soak', log: pino({ level: 'warn' }) }
let postgres: EmbeddedDatabase | null = await startEmbeddedPostgres(pgOptions)
const databaseUrl = postgres.url
const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 2 }) }) })
await migrateToLatest(db)

const fake = await startFakeLlm({ firstTokenDelayMs: 50, interChunkDelayMs: 25, deltas: 12 })
const server = await startServer({
  databaseUrl,
  llmUrl: fake.url,
  eventLoopDelay: true,
  label: 'soak-server',
  overlay: loadTestOverlay(Number(values.pool), { chat: { max_concurrent_streams_per_session: 2 }, server: { shutdown_grace_ms: 5000 } })
})
const base = server.url
log(`server ${base} (pid ${server.pid}), Postgres on port ${pgOptions.port}, ${visitors} visitors for ${values.minutes} min`)

// --- one visitor: a session and a loop of mixed requests ---
async function visit (signal: AbortSignal, index: number): Promise<void> {
  let cookie = ''
  const headers = () => (cookie ? { cookie } : {}) as Record<string, string>
  const remember = (res: Response) => {
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]!
  }
  const request = async (url: string, init: RequestInit = {}): Promise<Response | null> => {
    tally.requests++
    try {
      const res = await fetch(`${base}${url}`, { ...init, headers: { ...headers(), ...init.headers as Record<string, string> } })
      remember(res)
      return res
    } catch (err) {
      count(`network ${(err as Error).cause ? String((err as { cause: { code?: string } }).cause.code) : (err as Error).message}`)
      return null
    }
  }
  const errorCode = async (res: Response) => {
    try { return ((await res.json()) as { error?: { code?: string } }).error?.code ?? '?' } catch { return '?' }
  }
  for (let n = 0; !signal.aborted; n++) {
    const roll = Math.random()
    const clientMessageId = randomUUID()
    const text = `visitor ${index} turn ${n}: ${n % 7 === 0 ? `my email is soak${index}@example.com` : 'what does the premium plan include?'}`
    if (roll < 0.4) {
      const res = await request(`/events/stream?message=${encodeURIComponent(text)}&client_message_id=${clientMessageId}`)
      if (!res) continue
      if (res.status !== 200) {
        count(`stream ${res.status} ${await errorCode(res)}`)
        tally.notAcknowledged++
      } else {
        const body = await res.text().catch(() => '')
        const ended = body.includes('event: end\n')
        if (!ended) tally.streamsWithoutEnd++
        count(ended ? 'stream 200 end' : `stream 200 ${body.includes('event: error') ? 'error-event' : 'cut'}`)
        tally.acknowledged.push({ clientMessageId, kind: 'stream', ended })
      }
    } else if (roll < 0.6) {
      const res = await request('/chat', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ message: text, client_message_id: clientMessageId }) })
      if (!res) continue
      if (res.status === 200) {
        await res.arrayBuffer()
        count('post 200')
        tally.acknowledged.push({ clientMessageId, kind: 'post', ended: true })
      } else {
        count(`post ${res.status} ${await errorCode(res)}`)
        tally.notAcknowledged++
      }
    } else {
      const reads = ['/api/session/messages?limit=50', '/api/session', '/api/session/profile', '/health', '/api/session/messages?limit=oops']
      const url = reads[Math.floor(Math.random() * reads.length)]!
      const res = await request(url)
      if (!res) continue
      await res.arrayBuffer()
      count(`read ${url.split('?')[0]} ${res.status}`)
    }
    await sleep(Math.random() * 200)
  }
}

// --- samples: RSS and event-loop delay of the server process ---
interface Sample { atS: number, rssMb: number, eldP50: number, eldP99: number, eldMax: number, turnsAcknowledged: number }
const samples: Sample[] = []
const started = Date.now()
async function sample (): Promise<void> {
  const eld = await server.eventLoopDelay()
  await server.resetEventLoopDelay()
  samples.push({
    atS: Math.round((Date.now() - started) / 1000),
    rssMb: Math.round(server.memory().rssMb * 10) / 10,
    eldP50: eld?.p50 ?? 0,
    eldP99: eld?.p99 ?? 0,
    eldMax: eld?.max ?? 0,
    turnsAcknowledged: tally.acknowledged.length
  })
  const s = samples.at(-1)!
  log(`t=${s.atS}s rss=${s.rssMb} MB eld p99=${s.eldP99} ms max=${s.eldMax} ms, ${s.turnsAcknowledged} turns acknowledged, ${tally.requests} requests`)
}

await server.resetEventLoopDelay()
await sample()
const stop = new AbortController()
const traffic = Array.from({ length: visitors }, (_, i) => visit(stop.signal, i))
const sampler = setInterval(() => { sample().catch(() => {}) }, sampleMs)

// --- the Postgres restart, in the middle ---
await sleep(durationMs / 2)
log(`stopping Postgres for ${outageMs} ms`)
const outageStarted = Date.now()
await postgres.stop()
postgres = null
await sleep(outageMs)
postgres = await startEmbeddedPostgres(pgOptions)
const outage = { atS: Math.round((outageStarted - started) / 1000), downMs: Date.now() - outageStarted }
log(`Postgres is back after ${outage.downMs} ms`)
let recoveredAfterMs = -1
for (const t0 = Date.now(); Date.now() - t0 < 60_000; await sleep(100)) {
  if ((await fetch(`${base}/health`).then((r) => r.status, () => 0)) === 200) {
    recoveredAfterMs = Date.now() - t0
    break
  }
}
log(`/health ok ${recoveredAfterMs} ms after the restart`)

await sleep(Math.max(0, started + durationMs - Date.now()))
stop.abort()
log('stopping traffic, waiting for turns in flight')
await Promise.all(traffic)
clearInterval(sampler)
await sample()

// --- every acknowledged turn stored, with its reply ---
const ids = tally.acknowledged.map((a) => a.clientMessageId)
const stored = new Map<string, { replied: boolean }>()
for (let i = 0; i < ids.length; i += 5000) {
  const chunk = ids.slice(i, i + 5000)
  const { rows } = await sql<{ cmid: string, replied: boolean }>`
    select h.metadata->>'client_message_id' as cmid,
      exists (select 1 from messages a where a.role = 'assistant' and a.session_id = h.session_id and a.metadata->>'reply_to' = h.id::text) as replied
    from messages h
    where h.role = 'human' and h.metadata->>'client_message_id' = any(${chunk})`.execute(db)
  for (const row of rows) stored.set(row.cmid, { replied: row.replied })
}
const missing = tally.acknowledged.filter((a) => !stored.has(a.clientMessageId))
const withoutReply = tally.acknowledged.filter((a) => stored.has(a.clientMessageId) && !stored.get(a.clientMessageId)!.replied)
const turnsStored = tally.acknowledged.length - missing.length - withoutReply.length
const serverDurationS = (Date.now() - started) / 1000

await server.stop()
await fake.stop()
await db.destroy()
await postgres.stop()
rmSync(dir, { recursive: true, force: true })

const errors = [...tally.byOutcome.entries()].filter(([key]) => !/ 200( end)?$/.test(key) && key !== 'post 200' && !key.endsWith('/messages 400')).sort((a, b) => b[1] - a[1])
const summary = {
  minutes: Number(values.minutes),
  visitors,
  duration_s: Math.round(serverDurationS),
  requests: tally.requests,
  requests_per_s: Math.round(tally.requests / serverDurationS * 10) / 10,
  turns_acknowledged: tally.acknowledged.length,
  turns_stored: turnsStored,
  turns_per_s: Math.round(tally.acknowledged.length / serverDurationS * 10) / 10,
  turns_missing: missing.length,
  turns_without_reply: withoutReply.length,
  streams_acknowledged_without_end: tally.streamsWithoutEnd,
  not_acknowledged: tally.notAcknowledged,
  postgres_restart: { ...outage, health_ok_after_restart_ms: recoveredAfterMs },
  errors: Object.fromEntries(errors),
  outcomes: Object.fromEntries([...tally.byOutcome.entries()].sort()),
  rss_mb: { start: samples[0]!.rssMb, end: samples.at(-1)!.rssMb, max: Math.max(...samples.map((s) => s.rssMb)) },
  event_loop_delay_ms: {
    p99_median: median(samples.slice(1).map((s) => s.eldP99)),
    p99_max: Math.max(...samples.map((s) => s.eldP99)),
    max: Math.max(...samples.map((s) => s.eldMax))
  },
  samples
}
mkdirSync(path.resolve(import.meta.dirname, 'out'), { recursive: true })
const file = path.resolve(import.meta.dirname, 'out', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(file, JSON.stringify(summary, null, 2))
const { samples: _samples, outcomes: _outcomes, ...short } = summary
process.stdout.write(`${JSON.stringify(short, null, 2)}\n`)
log(`written to ${file}`)
process.exitCode = missing.length + withoutReply.length === 0 ? 0 : 1

function median (list: number[]): number {
  if (list.length === 0) return 0
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
