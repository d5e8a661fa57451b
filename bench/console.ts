// Benchmark 7, the operator console at scale (SPEC §12): 100,000 sessions, 1,000,000 messages and 1,000,000
// llm_requests rows over 90 days (seeded by SQL generate_series into a database of its own), then the console's admin
// routes over HTTP, one request at a time: the leads' first page, a filtered page, a transcript, and the costs routes
// over 30 and 90 days. Target: p95 ≤ 100 ms each. Also the EXPLAIN (ANALYZE, BUFFERS) plan of every query they run.
// Writes its section of bench/RESULTS.md ("## 7. Operator console at scale"), keeping the rest of the file.
//   node --import tsx bench/console.ts [--sessions 100000] [--samples 60] [--no-write] [--keep] [--database <seeded db>]
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import type { DB } from '../db/types.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createLeadRepository } from '../db/repositories/leads.ts'
import { createTranscriptRepository } from '../db/repositories/transcripts.ts'
import { createConsoleCostRepository } from '../db/repositories/console-costs.ts'
import { createBenchDatabase, databaseUrl, dropStaleBenchDatabases, postgresVersion, type BenchDatabase } from './lib/db.ts'
import { cpuBusyPercent, loadAverage } from './lib/machine.ts'

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
    // Keep the seeded database (its name is printed), and measure an already seeded one again.
    keep: { type: 'boolean', default: false },
    database: { type: 'string' }
  }
})
const SESSIONS = Number(values.sessions)
const SAMPLES = Number(values.samples)
const PER_SESSION = 10 // messages, and llm_requests, per session: 1,000,000 each at 100,000 sessions
const TOKEN = 'bench-console-admin-token-0123456789'
const TARGET_MS = 100
const RESULTS = path.resolve(import.meta.dirname, 'RESULTS.md')
const SECTION = '## 7. Operator console at scale'

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)
const log = (line: string) => process.stdout.write(`${line}\n`)

function openBenchDatabase (name: string): BenchDatabase {
  const url = databaseUrl(name)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return { name, url, db, pool, drop: async () => { await db.destroy() } }
}

async function seed (db: Kysely<DB>): Promise<Record<string, number>> {
  const timings: Record<string, number> = {}
  const step = async (name: string, statement: ReturnType<typeof sql>) => {
    const started = performance.now()
    await statement.execute(db)
    timings[name] = Math.round(performance.now() - started)
    log(`  seeded ${name} in ${(timings[name]! / 1000).toFixed(1)} s`)
  }
  // Sessions spread over 90 days; 30 % left a name, 15 % an email, 10 % a phone; 4 % are linked to 2,000 customers.
  await step('sessions', sql`
    insert into sessions (id, session_key, email, is_anonymous, created_at, last_activity_at)
    select md5('s' || g)::uuid, md5('k' || g) || md5('k2' || g),
      case when g % 100 < 15 then 'lead' || g || '@example.com' end, g % 100 >= 15, t, t + interval '5 minutes'
    from generate_series(1, ${SESSIONS}) g, lateral (select now() - random() * interval '90 days' - interval '10 minutes' + g * interval '0 s' as t) x`)
  await step('profiles', sql`
    insert into profiles (id, session_id, customer_name, email, phone, products_of_interest, services_of_interest)
    select md5('p' || g)::uuid, md5('s' || g)::uuid,
      case when g % 100 < 30 then (array['Dana','Sam','Lee','Alex','Maria','Chen','Priya','Omar'])[1 + g % 8] || ' ' ||
        (array['Reyes','Okafor','Park','Smith','Garcia','Wang','Patel','Haddad','Nguyen','Kowalski'])[1 + (g / 8) % 10] end,
      case when g % 100 < 15 then 'lead' || g || '@example.com' end,
      case when g % 100 between 10 and 19 then '+1415555' || lpad((g % 10000)::text, 4, '0') end,
      case when g % 2 = 0 then array[(array['solar panels','heat pump','battery storage'])[1 + g % 3]] else '{}' end,
      case when g % 5 = 0 then array['installation'] else '{}' end
    from generate_series(1, ${SESSIONS}) g where g % 100 < 35`)
  await step('customers', sql`
    with c as (select g as n from generate_series(1, ${Math.floor(SESSIONS / 50)}) g)
    insert into customers (id, email, created_at) select md5('c' || n)::uuid, 'customer' || n || '@example.com', now() - interval '91 days' from c`)
  await step('customer profiles and links', sql`
    with c as (select g as n from generate_series(1, ${Math.floor(SESSIONS / 50)}) g),
    profiles_made as (
      insert into profiles (id, customer_id, customer_name, email, products_of_interest)
      select md5('cp' || n)::uuid, md5('c' || n)::uuid, 'Customer ' || n, 'customer' || n || '@example.com', array['solar panels'] from c
    )
    update sessions set customer_id = md5('c' || ((x.g - 1) / 50 + 1))::uuid, is_anonymous = false
    from (select g from generate_series(1, ${SESSIONS}) g where g % 50 in (1, 2)) x
    where sessions.id = md5('s' || x.g)::uuid`)
  await step('llm_requests', sql`
    insert into llm_requests (id, session_id, provider, model, request_body, response_body, prompt_tokens, completion_tokens,
      total_tokens, computed_cost, latency_ms, created_at)
    select md5('r' || g || '-' || n)::uuid, s.id, 'openrouter',
      (array['openai/gpt-oss-20b','anthropic/claude-haiku-4.5','google/gemini-2.5-flash'])[1 + (g + n) % 3],
      jsonb_build_object('metadata', jsonb_build_object('purpose', case when n % 2 = 1 then 'chat' else 'profile_extraction' end)),
      jsonb_build_object('status', case when (g + n) % 97 = 0 then 'error' else 'complete' end, 'ttft_ms', 150 + (g * 7 + n * 13) % 600),
      tok.p, tok.c, tok.p + tok.c, round(tok.p * 0.00000003 + tok.c * 0.00000014, 12), 400 + (g * 11 + n * 17) % 3000,
      s.created_at + n * interval '25 seconds'
    from generate_series(1, ${SESSIONS}) g
      join sessions s on s.id = md5('s' || g)::uuid
      cross join generate_series(0, ${PER_SESSION - 1}) n
      cross join lateral (select 200 + (g * 31 + n) % 1500 as p, 50 + (g * 17 + n) % 500 as c) tok`)
  await step('messages', sql`
    insert into messages (id, session_id, role, content, metadata, created_at)
    select md5('m' || g || '-' || n)::uuid, s.id, case when n % 2 = 0 then 'human' else 'assistant' end,
      case when n % 2 = 0 then 'Question ' || n || ': what would solar panels with installation cost for a house like mine?'
        else 'Answer ' || n || ': a typical installation runs two days; here is what it would cost and what you would save.' end,
      case when n % 2 = 0 then '{}'::jsonb else jsonb_build_object('status', 'complete', 'model', 'openai/gpt-oss-20b',
        'llm_request_id', md5('r' || g || '-' || n)::uuid) end,
      s.created_at + n * interval '25 seconds' + interval '1 second'
    from generate_series(1, ${SESSIONS}) g
      join sessions s on s.id = md5('s' || g)::uuid
      cross join generate_series(0, ${PER_SESSION - 1}) n`)
  await step('profile_updates', sql`
    insert into profile_updates (id, profile_id, session_id, message_id, field, old_value, new_value, extractor, confidence)
    select md5('u' || g || f.field)::uuid, md5('p' || g)::uuid, md5('s' || g)::uuid, md5('m' || g || '-0')::uuid, f.field,
      null, to_jsonb(f.value), 'rules', 0.9
    from generate_series(1, ${SESSIONS}) g
      join profiles p on p.id = md5('p' || g)::uuid
      cross join lateral (values ('customer_name', p.customer_name), ('email', p.email), ('phone', p.phone)) f(field, value)
    where f.value is not null`)
  await step('email_collisions', sql`
    insert into email_collisions (id, email, session_id, other_session_id)
    select md5('e' || g)::uuid, 'lead' || g || '@example.com', md5('s' || g)::uuid, md5('s' || (g + 1))::uuid
    from generate_series(1, ${SESSIONS - 1}) g where g % 100 = 3`)
  await step('vacuum analyze', sql`vacuum analyze`)
  return timings
}

interface Figure { name: string, url: string, p50: number, p95: number, max: number, samples: number }

async function measure (base: string, name: string, urls: string[]): Promise<Figure> {
  const headers = { authorization: `Bearer ${TOKEN}` }
  const once = async (url: string) => {
    const started = performance.now()
    const res = await fetch(base + url, { headers })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`)
    return performance.now() - started
  }
  for (let i = 0; i < 5; i++) await once(urls[i % urls.length]!)
  const times: number[] = []
  for (let i = 0; i < SAMPLES; i++) times.push(await once(urls[i % urls.length]!))
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!
  const figure = { name, url: urls[0]!, p50: at(0.5), p95: at(0.95), max: times[times.length - 1]!, samples: times.length }
  log(`  ${name}: p50 ${figure.p50.toFixed(1)} ms, p95 ${figure.p95.toFixed(1)} ms, max ${figure.max.toFixed(1)} ms`)
  return figure
}

/** The plans of every statement a repository call runs, captured through Kysely's log and explained with analyze. */
async function plans (url: string, call: (db: Kysely<DB>) => Promise<unknown>): Promise<string[]> {
  const captured: CompiledQuery[] = []
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: (event) => { captured.push(event.query) } })
  try {
    await call(db)
    const out: string[] = []
    for (const query of captured) {
      if (!/^\s*(\/\*.*?\*\/\s*)?(select|with)/is.test(query.sql)) continue
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${query.sql}`, [...query.parameters])
      out.push(rows.map((r) => r['QUERY PLAN']).join('\n'))
    }
    return out
  } finally {
    await db.destroy()
  }
}

function section (context: { machine: string[], timings: Record<string, number>, books: number, figures: Figure[], planText: Array<[string, string[]]> }): string {
  const rows = context.figures.map((f) => `| ${f.name} | \`${f.url.replace(/\|/g, '\\|')}\` | ${f.p50.toFixed(1)} ms | ${f.p95.toFixed(1)} ms | ${f.max.toFixed(1)} ms | ≤ ${TARGET_MS} ms | ${f.p95 <= TARGET_MS ? '**met**' : '**missed**'} |`)
  const timings = Object.entries(context.timings)
  const seeding = timings.length === 0
    ? 'seeded by an earlier run of this script with `--keep`, measured again here with `--database`'
    : timings.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')
  return [
    SECTION,
    '',
    `Written by \`node --import tsx bench/console.ts\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    `${SESSIONS.toLocaleString('en-US')} sessions, ${(SESSIONS * PER_SESSION).toLocaleString('en-US')} messages and ${(SESSIONS * PER_SESSION).toLocaleString('en-US')} llm_requests over 90 days ` +
      `(30 % with a name, 15 % an email, 10 % a phone; ${Math.floor(SESSIONS / 50).toLocaleString('en-US')} customers with two sessions each), seeded by SQL \`generate_series\` in a database of its own (${seeding}).`,
    `The app runs in-process (\`buildApp\`, pool 20); each route is called over HTTP one request at a time, ${SAMPLES} samples after 5 warm-up calls, with the bearer token.`,
    '',
    ...context.machine.map((line) => `- ${line}`),
    timings.length === 0
      ? `- The closed days' books (llm_usage_daily, llm_latency_daily, llm_session_daily) were filled when the database was first measured; the first 90-day costs call of this run took ${(context.books / 1000).toFixed(1)} s. Every call reads them plus the open day live.`
      : `- The closed days' books (llm_usage_daily, llm_latency_daily, llm_session_daily) were filled by the first 90-day costs call, once: ${(context.books / 1000).toFixed(1)} s for 90 days; every later call reads them plus the open day live.`,
    '',
    '| route | request | p50 | p95 | max | target (p95) | status |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows,
    '',
    '### Plans (EXPLAIN ANALYZE, BUFFERS; the statements the routes run)',
    '',
    ...context.planText.flatMap(([name, texts]) => [`#### ${name}`, '', ...texts.flatMap((text) => ['```', text, '```', ''])])
  ].join('\n')
}

function writeSection (text: string): void {
  const current = readFileSync(RESULTS, 'utf8')
  const start = current.indexOf(SECTION)
  if (start === -1) {
    // Before the findings, after the numbered sections.
    const findings = current.indexOf('## Findings')
    const next = findings === -1 ? current.length : findings
    writeFileSync(RESULTS, `${current.slice(0, next)}${text}\n\n${current.slice(next)}`)
    return
  }
  const after = current.indexOf('\n## ', start + SECTION.length)
  writeFileSync(RESULTS, `${current.slice(0, start)}${text}\n${after === -1 ? '' : current.slice(after)}`)
}

if (!values.database) await dropStaleBenchDatabases()
const busyBefore = await cpuBusyPercent(2000)
const loadBefore = loadAverage()
const bdb = values.database ? openBenchDatabase(values.database) : await createBenchDatabase('console')
try {
  log(`${values.database ? 'measuring' : 'seeding'} ${SESSIONS} sessions in ${bdb.name} (machine ${busyBefore.toFixed(0)} % busy, load ${loadBefore})`)
  // A kept database gets the migrations written since it was seeded.
  if (values.database) await migrateToLatest(bdb.db)
  const timings = values.database ? {} : await seed(bdb.db)
  const app = await buildApp({
    configOptions: {
      env: {},
      overrides: {
        database: { url: bdb.url, migrate_on_start: false, pool_size: 20 },
        llm: { provider: 'offline', api_key: null },
        admin: { token: TOKEN },
        chat: { rate_limit: { per_ip_per_minute: 1_000_000, per_session_per_minute: 1_000_000 } },
        logging: { level: 'warn' }
      }
    },
    logger: false
  })
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const busyMeasuring = cpuBusyPercent(1000)
    const booksStarted = performance.now()
    const booksCall = await fetch(`${base}/api/admin/costs/daily?from=${day(89)}&to=${day(0)}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    if (booksCall.status !== 200) throw new Error(`closing the books: ${booksCall.status} ${await booksCall.text()}`)
    const books = performance.now() - booksStarted
    const { rows: leadSessions } = await sql<{ id: string }>`select session_id as id from profiles
      where session_id is not null and customer_name is not null order by id limit 50`.execute(bdb.db)
    const range30 = `from=${day(29)}&to=${day(0)}`
    const range90 = `from=${day(89)}&to=${day(0)}`
    const filtered = `interest=heat%20pump&from=${day(59)}&to=${day(0)}&sort=last_activity`
    log('measuring')
    const figures = [
      await measure(base, 'leads, first page', ['/api/admin/leads']),
      await measure(base, 'leads, filtered page (interest and 60 days)', [`/api/admin/leads?${filtered}`]),
      await measure(base, 'leads, search (name)', ['/api/admin/leads?q=okafor']),
      await measure(base, 'leads, sorted by name', ['/api/admin/leads?sort=name&order=asc']),
      // The worst case for a search: no lead matches, so every lead is looked at.
      await measure(base, 'leads, search (a term no lead matches)', ['/api/admin/leads?q=zebulon']),
      await measure(base, 'transcript (50 different leads)', leadSessions.map((s) => `/api/admin/conversations/${s.id}`)),
      await measure(base, 'costs daily, 30 days', [`/api/admin/costs/daily?${range30}`]),
      await measure(base, 'costs daily, 90 days', [`/api/admin/costs/daily?${range90}`]),
      await measure(base, 'costs summary, 30 days', [`/api/admin/costs/summary?${range30}`]),
      await measure(base, 'costs summary, 90 days', [`/api/admin/costs/summary?${range90}`])
    ]
    const busy = await busyMeasuring
    const leads = createLeadRepository
    const planText: Array<[string, string[]]> = [
      ['leads, first page', await plans(bdb.url, (db) => leads(db).page({ sort: 'last_activity', order: 'desc', limit: 50 }))],
      ['leads, filtered page', await plans(bdb.url, (db) => leads(db).page({ sort: 'last_activity', order: 'desc', limit: 50, interest: 'heat pump', from: new Date(`${day(59)}T00:00:00Z`), to: new Date(`${day(-1)}T00:00:00Z`) }))],
      ['transcript', await plans(bdb.url, async (db) => {
        const repository = createTranscriptRepository(db)
        await repository.session(leadSessions[0]!.id)
        const messages = await repository.messages(leadSessions[0]!.id, 200)
        await repository.facts(messages.filter((m) => m.role === 'human').map((m) => m.id))
      })],
      ['costs, 90 days (books + the open day)', await plans(bdb.url, async (db) => {
        await createConsoleCostRepository(db).daily({ from: day(89), to: day(0) })
        await createConsoleCostRepository(db).summary({ from: day(89), to: day(0) })
      })]
    ]
    const machine = [
      `${(await postgresVersion()).split(' on ')[0]}; ${availableParallelism()} cores, shared with the seeding and measuring processes.`,
      `Machine before seeding: ${busyBefore.toFixed(0)} % CPU busy, load average ${loadBefore}; during the first second of measuring ${busy.toFixed(0)} % busy; load average after ${loadAverage()}.`
    ]
    const text = section({ machine, timings, books, figures, planText })
    if (!values['no-write']) writeSection(text)
    log(text)
  } finally {
    await app.close()
  }
} finally {
  if (values.keep || values.database) {
    await bdb.db.destroy()
    log(`kept ${bdb.name}`)
  } else {
    await bdb.drop()
  }
}
