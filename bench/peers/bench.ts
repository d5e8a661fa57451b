// Benchmark 5, peers: the same work through this project's message repositories and through the libraries a
// developer would otherwise pick, on the same Postgres in one run: append a turn (2 messages), then load the last 50;
// many sessions, concurrency 32, sessions of 10 and of 1,000 messages.
//   node --import tsx bench/peers.ts [--duration 4] [--runs 3] [--concurrency 32] [--pool N] [--small-sessions 3000] [--large-sessions 100] [--only langchain,mastra]
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import { AIMessage, HumanMessage, mapChatMessagesToStoredMessages } from '@langchain/core/messages'
import { PostgresChatMessageHistory } from '@langchain/community/stores/message/postgres'
import { PostgresStore } from '@mastra/pg'
import { sql } from 'kysely'
import pg from 'pg'
import { createBenchDatabase, dropStaleBenchDatabases } from '../lib/db.ts'
import { cpuBetween, cpuByPid } from '../lib/machine.ts'
import { appPoolSize } from '../lib/processes.ts'
import { fmt, log, median, percentile, ratio, saveResult } from '../lib/report.ts'
import { seedMessages } from '../lib/seed.ts'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Fastify from 'fastify'
import { APP_ROOT } from '../lib/processes.ts'
import { uuidv7 } from '../../db/uuid7.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    pool: { type: 'string', default: String(appPoolSize()) },
    'small-sessions': { type: 'string', default: '3000' },
    'large-sessions': { type: 'string', default: '100' },
    only: { type: 'string' }
  }
})
const durationS = Number(values.duration)
const runs = Number(values.runs)
const concurrency = Number(values.concurrency)
const poolSize = Number(values.pool)
const SIZES = [
  { size: 10, sessions: Number(values['small-sessions']), freshPerRun: true },
  { size: 1000, sessions: Number(values['large-sessions']), freshPerRun: false }
]
const HUMAN = 'Could you tell me more about the premium plan and what it costs per month?'
const REPLY = 'Of course. The premium plan includes priority support, unlimited projects and a dedicated account manager.'

const require = createRequire(import.meta.url)
const version = (name: string) => {
  try { return (require(`${name}/package.json`) as { version: string }).version } catch { return 'unknown' }
}

interface Peer {
  name: string
  /** Makes `count` sessions of `size` messages; returns their ids. */
  seed: (count: number, size: number) => Promise<string[]>
  /** Appends a turn and loads the last 50; returns the last message loaded. */
  turn: (sessionId: string, n: number) => Promise<string>
  close: () => Promise<void>
}

const ids = (count: number, prefix = '') => Array.from({ length: count }, () => `${prefix}${uuidv7()}`)

/** Imports a module of the app under test (this checkout, or BENCH_APP_ROOT), typed as this checkout's. */
async function appModule<T> (path: string): Promise<T> {
  return await import(pathToFileURL(join(APP_ROOT, path)).href) as T
}

/**
 * This project: its own database plugin (the pool, dialect and settings the server uses), then its repositories as
 * a chat turn uses them: insertHuman reading the last 50 in the same statement, recordTurn (the llm_requests row,
 * the reply and the session touch in one statement).
 */
async function ours (url: string): Promise<Peer> {
  const { loadConfig } = await appModule<typeof import('../../plugins/infrastructure/config/load-config.ts')>('plugins/infrastructure/config/load-config.ts')
  const { default: configPlugin } = await appModule<typeof import('../../plugins/infrastructure/config.ts')>('plugins/infrastructure/config.ts')
  const { default: dbPlugin } = await appModule<typeof import('../../plugins/infrastructure/db.ts')>('plugins/infrastructure/db.ts')
  const { createMessageRepository } = await appModule<typeof import('../../db/repositories/messages.ts')>('db/repositories/messages.ts')
  const { createLlmRequestRepository } = await appModule<typeof import('../../db/repositories/llm-requests.ts')>('db/repositories/llm-requests.ts')
  const config = loadConfig({ env: { DATABASE_URL: url, LOG_LEVEL: 'warn' }, overrides: { database: { pool_size: poolSize } } })
  const app = Fastify({ logger: false })
  await app.register(configPlugin, { config })
  await app.register(dbPlugin)
  await app.ready()
  const db = app.db
  const messages = createMessageRepository(db)
  const llmRequests = createLlmRequestRepository(db)
  return {
    name: 'salient (this project)',
    async seed (count, size) {
      const sessionIds = ids(count)
      await sql`insert into sessions (id, session_key) select id, md5(id::text) || md5(id::text || 'k') from unnest(${sessionIds}::uuid[]) id`.execute(db)
      await seedMessages(db, sessionIds, size)
      return sessionIds
    },
    // A chat turn as the server runs it: the statement that saves the human message also reads the last 50 (the
    // LLM's context), then the reply is saved with its llm_requests row and the session touch (one statement).
    async turn (sessionId, n) {
      const { message: human, context } = await messages.insertHuman(sessionId, `${HUMAN} #${n}`, { contextLimit: 50 })
      // Every session has at least 10 messages before its turn: 11 to 50 of them, the new one last.
      if (context.length < 11 || context.length > 50 || context.at(-1)!.id !== human.id) throw new Error(`context of ${context.length}, not the last (up to) 50 ending with the new message`)
      const { message: reply } = await llmRequests.recordTurn({
        session_id: sessionId,
        provider: 'openrouter',
        model: 'openai/gpt-oss-20b',
        request_body: { model: 'openai/gpt-oss-20b', metadata: { purpose: 'chat', human_message_id: human.id } },
        response_body: { finish_reason: 'stop', status: 'complete' },
        prompt_tokens: 120,
        completion_tokens: 30,
        total_tokens: 150,
        unit_cost_prompt: '0.00000003',
        unit_cost_completion: '0.00000014',
        computed_cost: '0.0000078',
        latency_ms: 0
      }, { content: `${REPLY} #${n}`, metadata: { status: 'complete', model: 'openai/gpt-oss-20b', provider: 'openrouter', finish_reason: 'stop', reply_to: human.id } })
      return reply!.content
    },
    close: () => app.close()
  }
}

/** LangChain: one PostgresChatMessageHistory per request (its documented use), addMessages, getMessages, last 50. */
async function langchain (url: string): Promise<Peer> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  const tableName = 'langchain_chat_histories'
  const history = (sessionId: string) => new PostgresChatMessageHistory({ pool, sessionId, tableName })
  await history('setup').getMessages() // creates its table
  // The library creates no index: without one every load is a full scan. Given one here, as a developer would add.
  await pool.query(`create index on ${tableName} (session_id, id)`)
  const [human, ai] = mapChatMessagesToStoredMessages([new HumanMessage('x'), new AIMessage('x')]).map(({ type, data }) => ({ ...data, type }))
  return {
    name: `LangChain PostgresChatMessageHistory (@langchain/community ${version('@langchain/community')})`,
    async seed (count, size) {
      const sessionIds = ids(count, 'lc-')
      for (let i = 0; i < sessionIds.length; i += 2000) {
        await pool.query(`insert into ${tableName} (session_id, message)
          select s, jsonb_set(case when g % 2 = 1 then $2::jsonb else $3::jsonb end, '{content}', to_jsonb(
            case when g % 2 = 1 then 'Question ' || g || ': ' || repeat('could you tell me more about the plan ', 1 + g % 3)
            else 'Answer ' || g || ': ' || repeat('Here is what our premium plan includes, and what it costs. ', 2 + g % 5) end))
          from generate_series(1, $4::int) g, unnest($1::text[]) s order by g`, [sessionIds.slice(i, i + 2000), JSON.stringify(human), JSON.stringify(ai), size])
      }
      await pool.query(`vacuum analyze ${tableName}`)
      return sessionIds
    },
    async turn (sessionId, n) {
      const h = history(sessionId)
      await h.addMessages([new HumanMessage(`${HUMAN} #${n}`), new AIMessage(`${REPLY} #${n}`)])
      const last50 = (await h.getMessages()).slice(-50)
      return String(last50.at(-1)!.content)
    },
    close: () => pool.end()
  }
}

/** Mastra: PostgresStore (its own pg-promise pool of the same size): saveMessages, getMessages({ last: 50 }). */
async function mastra (url: string): Promise<Peer> {
  const store = new PostgresStore({ connectionString: url, max: poolSize })
  await store.init()
  const resourceId = 'bench-visitor'
  const contentOf = (text: string) => JSON.stringify({ format: 2, parts: [{ type: 'text', text }] })
  return {
    name: `Mastra PostgresStore (@mastra/pg ${version('@mastra/pg')}, @mastra/core ${version('@mastra/core')})`,
    async seed (count, size) {
      const threadIds = ids(count, 'ma-')
      const db = store.db
      for (let i = 0; i < threadIds.length; i += 2000) {
        const batch = threadIds.slice(i, i + 2000)
        await db.none(`insert into mastra_threads (id, "resourceId", title, metadata, "createdAt", "createdAtZ", "updatedAt", "updatedAtZ")
          select t, $2, 'Chat', '{}', now(), now(), now(), now() from unnest($1::text[]) t`, [batch, resourceId])
        await db.none(`insert into mastra_messages (id, thread_id, content, role, type, "createdAt", "createdAtZ", "resourceId")
          select gen_random_uuid()::text, t, json_build_object('format', 2, 'parts', json_build_array(json_build_object('type', 'text', 'text',
              case when g % 2 = 1 then 'Question ' || g || ': ' || repeat('could you tell me more about the plan ', 1 + g % 3)
              else 'Answer ' || g || ': ' || repeat('Here is what our premium plan includes, and what it costs. ', 2 + g % 5) end)))::text,
            case when g % 2 = 1 then 'user' else 'assistant' end, 'v2', ts, ts, $2
          from generate_series(1, $3::int) g, unnest($1::text[]) t,
            lateral (select timestamp '2026-01-01' + g * interval '10 minutes') x(ts)
          order by g`, [batch, resourceId, size])
      }
      await db.none('vacuum analyze mastra_messages')
      await db.none('vacuum analyze mastra_threads')
      return threadIds
    },
    async turn (threadId, n) {
      const now = Date.now()
      await store.saveMessages({
        format: 'v2',
        messages: [
          { id: uuidv7(), threadId, resourceId, role: 'user', createdAt: new Date(now), content: JSON.parse(contentOf(`${HUMAN} #${n}`)) },
          { id: uuidv7(), threadId, resourceId, role: 'assistant', createdAt: new Date(now + 1), content: JSON.parse(contentOf(`${REPLY} #${n}`)) }
        ]
      })
      const last50 = await store.getMessages({ threadId, selectBy: { last: 50 }, format: 'v2' })
      const part = last50.at(-1)!.content.parts[0]
      return part && 'text' in part ? part.text : ''
    },
    close: () => store.close()
  }
}

interface Measured { opsPerS: number, p50: number, p99: number, mismatches: number, errors: number, clientCpuMs: number, pgCpuMs: number }

let backendPids: () => Promise<number[]> = async () => []

async function measure (peer: Peer, sessionIds: string[], seconds: number): Promise<Measured> {
  const latencies: number[] = []
  let mismatches = 0
  let errors = 0
  let next = 0
  let ops = 0
  const deadline = performance.now() + seconds * 1000
  const pg0 = cpuByPid(await backendPids())
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  // Each worker owns its sessions, so no two turns of one session overlap (a visitor waits for the reply).
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    const own = sessionIds.filter((_, i) => i % concurrency === worker)
    let k = 0
    while (performance.now() < deadline) {
      const n = next++
      const sessionId = own[k++ % own.length]!
      const t = performance.now()
      try {
        const last = await peer.turn(sessionId, n)
        latencies.push(performance.now() - t)
        ops++
        if (last !== `${REPLY} #${n}`) mismatches++
      } catch (err) {
        if (errors++ === 0) log(`${peer.name}: ${String(err)}`)
      }
    }
  }))
  const elapsed = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const pgCpu = cpuBetween(pg0, cpuByPid(await backendPids()))
  return {
    opsPerS: ops / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mismatches,
    errors,
    clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, ops),
    pgCpuMs: pgCpu / Math.max(1, ops)
  }
}

const started = performance.now()
await dropStaleBenchDatabases()
const bdb = await createBenchDatabase('peers')
backendPids = async () => (await bdb.pool.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()')).rows.map((r) => r.pid)
const peers: Peer[] = []
try {
  const wanted = (name: string) => !values.only || values.only.split(',').includes(name)
  const made = await Promise.allSettled([ours(bdb.url), wanted('langchain') ? langchain(bdb.url) : Promise.reject(new Error('not selected')), wanted('mastra') ? mastra(bdb.url) : Promise.reject(new Error('not selected'))])
  const unavailable: string[] = []
  for (const [i, m] of made.entries()) {
    if (m.status === 'fulfilled') peers.push(m.value)
    else unavailable.push(`${['salient', 'LangChain', 'Mastra'][i]}: ${String(m.reason)}`)
  }
  for (const u of unavailable) log(`peer unavailable — ${u}`)
  const rows = []
  const notes: string[] = []
  for (const { size, sessions, freshPerRun } of SIZES) {
    log(`sessions of ${size} messages: seeding`)
    const seeded = new Map<Peer, string[][]>()
    for (const peer of peers) {
      const sets: string[][] = []
      for (let r = 0; r < (freshPerRun ? runs + 1 : 1); r++) sets.push(await peer.seed(sessions, size))
      seeded.set(peer, sets)
    }
    const results = new Map<Peer, Measured[]>(peers.map((p) => [p, []]))
    for (const peer of peers) await measure(peer, seeded.get(peer)![0]!, 1) // warm-up, on a set not measured
    for (let r = 0; r < runs; r++) {
      // A different order each run, so no library always runs first (or last) on a warming database.
      const order = peers.map((_, i) => peers[(i + r) % peers.length]!)
      for (const peer of order) {
        const sets = seeded.get(peer)!
        const m = await measure(peer, freshPerRun ? sets[r + 1]! : sets[0]!, durationS)
        results.get(peer)!.push(m)
        log(`size ${size} run ${r + 1} ${peer.name.split(' (')[0]}: ${fmt(m.opsPerS)} turns/s, p50 ${fmt(m.p50, 2)} p99 ${fmt(m.p99, 2)} ms, CPU per turn: Node ${fmt(m.clientCpuMs, 2)} ms, Postgres ${fmt(m.pgCpuMs, 2)} ms${m.mismatches || m.errors ? `, ${m.mismatches} wrong, ${m.errors} errors` : ''}`)
      }
    }
    const summary = peers.map((p) => {
      const ms = results.get(p)!
      return { peer: p, ops: median(ms.map((m) => m.opsPerS)), p50: median(ms.map((m) => m.p50)), p99: median(ms.map((m) => m.p99)), bad: ms.reduce((n, m) => n + m.mismatches + m.errors, 0), all: ms.map((m) => m.opsPerS) }
    })
    const mine = summary[0]!
    const others = summary.slice(1)
    const fastest = others.reduce((a, b) => (b.ops > a.ops ? b : a), others[0]!)
    for (const s of others) {
      rows.push({
        figure: `${size}-message sessions: salient turns/s (p50/p99 ms)`,
        value: `${fmt(mine.ops)} (${fmt(mine.p50, 1)}/${fmt(mine.p99, 1)})`,
        comparison: `${s.peer.name.split(' (')[0]} (p50/p99 ms)`,
        comparisonValue: `${fmt(s.ops)} (${fmt(s.p50, 1)}/${fmt(s.p99, 1)})`,
        ratio: ratio(mine.ops, s.ops),
        target: s === fastest ? '≥ 1.50× the faster peer' : '—',
        met: s === fastest ? mine.ops >= 1.5 * s.ops : null
      })
    }
    if (others.length === 0) rows.push({ figure: `${size}-message sessions: salient turns/s`, value: fmt(mine.ops), comparison: 'no peer could run', comparisonValue: '—', ratio: '—', target: '≥ 1.50× the faster peer', met: false })
    notes.push(`${size}-message sessions, turns/s per run: ${summary.map((s) => `${s.peer.name.split(' (')[0]} ${s.all.map((v) => fmt(v)).join('/')}`).join('; ')}; wrong or failed operations: ${summary.map((s) => s.bad).join('/')}.`)
  }
  saveResult({
    id: 'peers',
    title: '5. Peers (append a turn + load the last 50, concurrency 32)',
    rows: [
      ...rows,
      { figure: 'errors or wrong last message', value: '0 expected', comparison: '—', comparisonValue: '—', ratio: '—', target: '0', met: !notes.some((n) => /operations: (?!0\/0\/0)/.test(n)) }
    ],
    notes: [
      `Peers: ${peers.map((p) => p.name).join('; ')}.${unavailable.length ? ` Could not run: ${unavailable.join('; ')}.` : ''}`,
      `${runs} runs of ${durationS} s per library and size (medians), ${concurrency} concurrent workers, each library over its own pool of ${poolSize} connections, all on one database; libraries take turns in a rotating order.`,
      `10-message sessions: ${SIZES[0]!.sessions} fresh sessions per run (each gets a turn or two); 1,000-message sessions: ${SIZES[1]!.sessions} sessions shared by the runs. Seeded in SQL in each library's own row format.`,
      'salient runs through its own database plugin (plugins/infrastructure/db.ts: the pool, dialect, named prepared statements and type parsers the server uses) and its repositories, as a chat turn does: the statement that saves the human message also reads the last 50 (the LLM context: the 49 before it and itself; checked every turn), then recordTurn saves the reply. It does more per turn than the peers: the reply insert also writes the llm_requests row and updates the session (one statement). The peers load the last 50 after both appends (LangChain: all messages, sliced).',
      'LangChain: a new PostgresChatMessageHistory per request, as its docs show (its first call runs CREATE TABLE IF NOT EXISTS), addMessages inserts one row per message, and getMessages has no limit, so "the last 50" is every message sliced in JS. It creates no index on session_id; one on (session_id, id) was added for it.',
      'Mastra: PostgresStore used directly (no agent); saveMessages reads the thread, then inserts the messages and touches the thread in a transaction; getMessages selects the newest 50 by thread (its own index on thread_id, createdAt).',
      ...notes
    ],
    details: '',
    durationS: (performance.now() - started) / 1000
  })
} finally {
  for (const p of peers) await p.close().catch(() => {})
  await bdb.drop().catch((err: unknown) => log(`cleanup: ${String(err)}`))
}
