// Secrets and privacy: the API key, cookie values and message texts never reach a log line, and never an llm_requests
// column; DELETE /api/session and `npm run purge` erase a visitor's session with everything hanging off it.
import { spawn } from 'node:child_process'
import path from 'node:path'
import t from 'tap'
import { sql, type Kysely } from 'kysely'
import pino from 'pino'
import { Writable } from 'node:stream'
import type { DB } from '../../db/types.ts'
import { buildChatApp, visitor } from '../helpers/chat-app.ts'
import { buildTestApp } from '../helpers/app.ts'
import { parseIdleDays } from '../../src/cli/purge.ts'
import { purgeIdleSessions } from '../../db/retention.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const API_KEY = 'sk-or-v1-canary-key-5f2c9e0b7a1d4c3e'
const ADMIN_TOKEN = 'admin-canary-token-0b1c2d3e4f'
const TABLES = ['sessions', 'messages', 'llm_requests', 'profiles', 'profile_updates', 'email_collisions'] as const

/** Every column of every row of a table, as one text per row. */
async function rowsAsText (db: Kysely<DB>, table: string): Promise<string[]> {
  const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(db)
  return rows.map((r) => r.row)
}

async function countsFor (db: Kysely<DB>, sessionId: string) {
  const out: Record<string, number> = {}
  for (const table of TABLES) {
    const column = table === 'sessions' ? 'id' : 'session_id'
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${sessionId}`.execute(db)
    out[table] = rows[0]!.n
  }
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from email_collisions where other_session_id = ${sessionId}`.execute(db)
  out.collisions_as_other = rows[0]!.n
  return out
}

t.test('the API key, cookie values and message texts appear in no log line and no llm_requests column', async (t) => {
  const { app, db, logs, fake } = await buildChatApp(t, {
    logLevel: 'debug',
    fake: { apiKey: API_KEY },
    config: { llm: { api_key: API_KEY, max_retries: 0 }, admin: { token: ADMIN_TOKEN } }
  })
  const texts = ['canary-text-alpha my email is alpha.canary@example.com', 'canary-text-bravo call me at 415 555 0100',
    'canary-text-charlie streamed', 'canary-text-delta will fail', 'canary-text-echo\u0000nul', 'canary-text-foxtrot refused']
  const v = visitor(app)
  t.equal((await v.post(texts[0]!)).statusCode, 200)
  t.equal((await v.post(texts[1]!, {}, 'text/plain')).statusCode, 200)
  t.match((await v.stream(texts[2]!)).end, { status: 'complete' })
  fake.enqueue({ failBefore: { status: 401, message: `Invalid key ${API_KEY}` } })
  t.equal((await v.post(texts[3]!)).statusCode, 502, 'an upstream error that echoes the key')
  t.equal((await v.post(texts[4]!)).statusCode, 400)
  t.equal((await v.request({ url: `/events/stream?message=${encodeURIComponent(texts[5]!)}&bad=%FF` })).statusCode, 400)
  const session = await v.session()
  t.equal((await app.inject({ url: `/api/session/${session.session_id}/usage?export=1`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode, 200)
  const cookieKey = v.cookie!.split('=')[1]!
  const other = visitor(app)
  await other.session()
  const secrets = [API_KEY, ADMIN_TOKEN, cookieKey, other.cookie!.split('=')[1]!]
  const canaries = ['canary-text-alpha', 'canary-text-bravo', 'canary-text-charlie', 'canary-text-delta', 'canary-text-echo', 'canary-text-foxtrot', 'alpha.canary@example.com', '555 0100']

  t.ok(logs.length > 20, `${logs.length} log lines captured at debug level`)
  for (const secret of [...secrets, ...canaries]) {
    t.notOk(logs.some((line) => line.includes(secret)), `${secret.slice(0, 20)}… is in no log line`)
  }
  const everything = (await Promise.all(TABLES.map((table) => rowsAsText(db, table)))).flat().join('\n')
  for (const secret of secrets) t.notOk(everything.includes(secret), `${secret.slice(0, 20)}… is in no table`)
  const llmRequests = (await rowsAsText(db, 'llm_requests')).join('\n')
  t.ok(llmRequests.length > 0 && fake.completions().length === 4, 'four LLM calls, four rows')
  for (const canary of canaries) t.notOk(llmRequests.includes(canary), `${canary} is in no llm_requests column`)
  const keys = await db.selectFrom('sessions').select('session_key').execute()
  t.ok(keys.every((k) => /^[0-9a-f]{64}$/.test(k.session_key)), 'sessions hold only SHA-256 hashes of the keys')
})

t.test('DELETE /api/session erases the session with its messages, requests, profile and provenance, clears the cookie, logs no PII', async (t) => {
  const { app, db, logs } = await buildChatApp(t)
  const leaving = visitor(app)
  const staying = visitor(app)
  const leavingId = (await leaving.session()).session_id
  const stayingId = (await staying.session()).session_id
  await staying.post('hello, my email is shared.person@example.com')
  await leaving.post('I am Dana Leaving, my email is shared.person@example.com, phone 415 555 0199')
  await leaving.stream('I am interested in a quote')
  const before = await countsFor(db, leavingId)
  t.ok(before.messages === 4 && before.llm_requests === 2 && before.profiles === 1 && (before.profile_updates ?? 0) > 0 && before.email_collisions === 1,
    `the session has rows everywhere: ${JSON.stringify(before)}`)
  const stayingBefore = await countsFor(db, stayingId)

  const res = await leaving.request({ method: 'DELETE', url: '/api/session' })
  t.same(res.json(), { deleted: true })
  t.match(String(res.headers['set-cookie']), /salient_session=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/, 'the cookie is cleared')
  t.same(await countsFor(db, leavingId), { sessions: 0, messages: 0, llm_requests: 0, profiles: 0, profile_updates: 0, email_collisions: 0, collisions_as_other: 0 }, 'nothing of it is left')
  const stayingAfter = await countsFor(db, stayingId)
  t.same({ ...stayingAfter, collisions_as_other: 0 }, { ...stayingBefore, collisions_as_other: 0 }, 'the other visitor keeps everything of their own')
  const erased = logs.filter((l) => l.includes('"session.erased"'))
  t.equal(erased.length, 1, 'the erasure is logged')
  t.notMatch(erased[0], /shared\.person|Dana|555/, 'without PII')
  t.same((await leaving.history()).messages, [], 'the old cookie reads nothing')
})

t.test('purge: sessions idle for more than N days are erased with all their rows; recent ones stay; counts only in the log', async (t) => {
  const { app, db, databaseUrl } = await buildTestApp(t)
  const ids: string[] = []
  for (const text of ['old one, my email is old.one@example.com', 'old two', 'recent', 'fresh']) {
    const v = visitor(app)
    ids.push((await v.session()).session_id)
    await v.post(text)
  }
  const ago = (days: number) => sql<Date>`now() - make_interval(days => ${days})`
  await db.updateTable('sessions').set({ last_activity_at: ago(40) }).where('id', 'in', ids.slice(0, 2)).execute()
  await db.updateTable('sessions').set({ last_activity_at: ago(3) }).where('id', '=', ids[2]!).execute()

  const lines: string[] = []
  const log = pino({ level: 'info' }, new Writable({ write (chunk, _e, done) { lines.push(String(chunk)); done() } }))
  t.equal(await purgeIdleSessions(db, 30, log), 2, 'two sessions idle for more than 30 days')
  t.same((await countsFor(db, ids[0]!)), { sessions: 0, messages: 0, llm_requests: 0, profiles: 0, profile_updates: 0, email_collisions: 0, collisions_as_other: 0 })
  const left = await db.selectFrom('sessions').select('id').orderBy('id').execute()
  t.same(left.map((r) => r.id).sort(), ids.slice(2).sort(), 'the recent sessions stay')
  t.match(lines.join(''), /"event":"sessions.purged","idle_days":30,"sessions":2/)
  t.notMatch(lines.join(''), new RegExp(ids.join('|')), 'no session id in the log')

  t.same([parseIdleDays(['--idle-days', '7']), parseIdleDays(['--idle-days', '0']), parseIdleDays(['--idle-days', 'x']), parseIdleDays([]), parseIdleDays(['--nope'])], [7, null, null, null, null])

  const run = (args: string[]) => new Promise<{ code: number | null, out: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'purge', '--', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, APP_CONFIG: '' } })
    let out = ''
    child.stdout.on('data', (c: Buffer) => { out += c.toString() })
    child.stderr.on('data', (c: Buffer) => { out += c.toString() })
    child.on('exit', (code) => resolve({ code, out }))
  })
  const cli = await run(['--idle-days', '2'])
  t.equal(cli.code, 0, `npm run purge exits 0 (${cli.out.trim().slice(-300)})`)
  t.match(cli.out, /"event":"sessions.purged","idle_days":2,"sessions":1/, 'the CLI erased the session idle for 3 days')
  t.same((await db.selectFrom('sessions').select('id').execute()).map((r) => r.id), [ids[3]], 'only the fresh session is left')
  const usage = await run(['--idle-days', 'soon'])
  t.equal(usage.code, 64, 'a bad argument: usage and exit 64')
  t.match(usage.out, /usage: npm run purge -- --idle-days N/)
})
